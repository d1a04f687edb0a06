"""Retrieval core: articles -> chunks -> vectors -> FAISS index -> grounded answers.

A plain, synchronous library. It knows nothing about Telegram; the `bot`
package is a thin async layer over it.
"""

from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.config import EngineSettings
from embeddings.errors import CorpusError, EmbeddingsError, IndexFolderError, StaleIndexError
from embeddings.ingest.corpus import Article, Corpus, load_corpus
from embeddings.pipeline import Pipeline
from embeddings.retrieve.search import Passage

__all__ = [
    "Answer",
    "Article",
    "Citation",
    "Corpus",
    "CorpusError",
    "EmbeddingsError",
    "EngineSettings",
    "Evidence",
    "IndexFolderError",
    "Passage",
    "Pipeline",
    "StaleIndexError",
    "load_corpus",
]
