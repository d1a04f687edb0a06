"""What the pipeline says about a question: the answer record, its quotes and citations."""

from __future__ import annotations

from dataclasses import dataclass

from embeddings.ingest.corpus import Article
from embeddings.retrieve.search import Passage


@dataclass(frozen=True)
class Citation:
    """A numbered source under an answer."""

    number: int
    article: Article


@dataclass(frozen=True)
class Evidence:
    """One quoted sentence, its exact place in the article, and its citation."""

    text: str
    article_id: str
    start: int
    end: int
    citation: int


@dataclass(frozen=True)
class Answer:
    """What the pipeline says about one question."""

    question: str
    found: bool
    evidence: tuple[Evidence, ...]
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    confidence: float
    question_trimmed: bool = False
