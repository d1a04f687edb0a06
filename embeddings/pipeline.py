"""The whole retrieval core behind one object: open once, ask many times."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from embeddings.answer.cache import AnswerCache
from embeddings.answer.evidence import Answerer
from embeddings.answer.record import Answer
from embeddings.config import EngineSettings
from embeddings.encode.encoders import Encoder, SparseEncoder, Vectors, create_encoder
from embeddings.encode.latent import QUERY_TOP_K, SparseVector
from embeddings.errors import IndexFolderError, StaleIndexError
from embeddings.index.build import Progress, build_index
from embeddings.index.load import LoadedIndex, load_index
from embeddings.index.manifest import IndexParams, check_fresh, expected_identity, sparse_identity
from embeddings.ingest.chunking import ChunkingParams
from embeddings.ingest.corpus import Article, load_corpus
from embeddings.retrieve.search import Passage, Retriever
from embeddings.retrieve.spelling import Speller

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
RERANK_DEPTH = 10  # passages retrieved for the answer stage, which reranks them and keeps `top_k`
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True)
class SourceInfo:
    """An article of the corpus and how many passages it contributes."""

    article: Article
    passages: int


def clean_question(text: str) -> tuple[str, bool]:
    """Visible, single-spaced question text, cut to `MAX_QUESTION_CHARS`; and whether it was cut."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    text = " ".join(text.split())
    if len(text) <= MAX_QUESTION_CHARS:
        return text, False
    cut = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
    return cut or text[:MAX_QUESTION_CHARS], True


def chunking_of(settings: EngineSettings) -> ChunkingParams:
    """The chunking parameters a configuration asks for."""
    return ChunkingParams(max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars)


def encoder_of(settings: EngineSettings) -> Encoder:
    """The encoder a configuration names."""
    return create_encoder(
        settings.encoder_backend,
        model=settings.encoder_model,
        query_prefix=settings.encoder_query_prefix,
        passage_prefix=settings.encoder_passage_prefix,
        num_threads=settings.encoder_threads,
        device=settings.encoder_device,
    )


def rebuild(settings: EngineSettings, encoder: Encoder, progress: Progress | None = None) -> dict[str, object]:
    """Build the index of the configured seeds from scratch; returns its manifest."""
    corpus = load_corpus(settings.seeds_dir)
    return build_index(
        corpus,
        encoder,
        settings.index_dir,
        chunking=chunking_of(settings),
        params=IndexParams(type=settings.index_type),
        progress=progress,
        sparse=settings.sparse_terms,
    )


class Pipeline:
    """Question in, grounded `Answer` out. Thread-safe for concurrent `ask` calls."""

    def __init__(
        self,
        index: LoadedIndex,
        encoder: Encoder,
        *,
        top_k: int = 5,
        threshold: float | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.top_k = top_k
        self.retriever = Retriever(index, encoder)
        self.answerer = Answerer(index, self.retriever.bm25, threshold)
        self.speller = Speller(self.retriever.bm25)
        self.cache = AnswerCache(cache_size)

    @classmethod
    def open(
        cls, settings: EngineSettings, *, encoder: Encoder | None = None, progress: Progress | None = None
    ) -> Pipeline:
        """Load the index, rebuilding it first when it is missing or stale (if allowed)."""
        encoder = encoder or encoder_of(settings)
        corpus = load_corpus(settings.seeds_dir)
        expected = expected_identity(
            corpus, encoder.spec, chunking_of(settings), sparse_identity(encoder, settings.sparse_terms)
        )
        try:
            index = load_index(settings.index_dir)
            check_fresh(index.manifest, expected)
        except IndexFolderError as exc:
            if not settings.auto_rebuild:
                msg = f"{exc}; run `python -m embeddings build` (or `make index`), or set AUTO_REBUILD=true"
                raise StaleIndexError(msg) from exc
            log.warning("%s: building the index now", exc)
            rebuild(settings, encoder, progress)
            index = load_index(settings.index_dir)
        return cls(
            index,
            encoder,
            top_k=settings.top_k,
            threshold=settings.answer_threshold,
            cache_size=settings.answer_cache_size,
        )

    def ask(self, question: str) -> Answer:
        """Answer one question from the articles (from the cache when it was asked before)."""
        cached = self.cached(question)
        if cached is not None:
            return cached
        return self.ask_encoded(question, None)

    def cached(self, question: str) -> Answer | None:
        """The answer to an equal question asked before under this index, if remembered."""
        return self.cache.get(question, self.index.version)

    def prepare(self, question: str) -> tuple[str, bool]:
        """The text that is searched for `question`: cleaned, cut, typos corrected; and whether it was cut."""
        cleaned, trimmed = clean_question(question)
        return self.speller.correct(cleaned), trimmed

    def encode_questions(self, questions: Sequence[str]) -> Vectors:
        """Query vectors for prepared questions, in one encoder call."""
        return self.encoder.encode_queries(list(questions))

    def ask_encoded(self, question: str, query_vector: Vectors | None) -> Answer:
        """Answer `question`, reusing `query_vector` (of its prepared text) when it is already encoded."""
        prepared, trimmed = self.prepare(question)
        if not prepared:
            return Answer(question, False, (), (), (), 0.0, trimmed)
        query_sparse = self.sparse_query(prepared)
        depth = max(self.top_k, RERANK_DEPTH)
        result = self.retriever.search(prepared, depth, query_vector, query_sparse)
        answer = self.answerer.answer(prepared, result, limit=self.top_k, question_trimmed=trimmed)
        answer = replace(answer, question=question)
        self.cache.put(question, self.index.version, answer)
        return answer

    def passages(self, question: str, limit: int) -> list[Passage]:
        """The `limit` passages closest to `question`, best first (for "more results")."""
        cleaned, _ = self.prepare(question)
        if not cleaned or limit <= 0:
            return []
        return self.retriever.search(cleaned, limit, None, self.sparse_query(cleaned)).passages

    def sparse_query(self, cleaned: str) -> SparseVector | None:
        """The latent-term vector of a question, when the index and the encoder have them."""
        if self.index.sparse_chunks is None or not isinstance(self.encoder, SparseEncoder):
            return None
        return self.encoder.encode_sparse([cleaned], QUERY_TOP_K)[0]

    def sources(self) -> list[SourceInfo]:
        """Every article in the index, newest first, with its passage count."""
        counts = self.index.store.article_counts()
        articles = sorted(self.index.articles.values(), key=lambda a: (a.date, a.id), reverse=True)
        return [SourceInfo(a, counts.get(a.id, 0)) for a in articles]
