"""What the pipeline says about a question: the answer record, its quotes and citations."""

from __future__ import annotations

from dataclasses import dataclass

from embeddings.answer.decision import Status
from embeddings.ingest.corpus import Article
from embeddings.retrieve.search import Passage


@dataclass(frozen=True)
class Citation:
    """A numbered source under an answer."""

    number: int
    article: Article


@dataclass(frozen=True)
class Evidence:
    """One quoted passage (a sentence or a run of them), its exact place in the article, and its citation.

    `speaker` and `role` name who said it, when it is someone's speech and the articles tell whose.
    """

    text: str
    article_id: str
    start: int
    end: int
    citation: int
    speaker: str | None = None
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What the pipeline says about one question.

    `status` is the outcome: an answer, a partial one (the articles speak of
    the subject but not of the part asked for: `missing` names that part,
    and `evidence` holds what they do say), or not found (`missing` names a
    term the articles never mention, when that is why).
    """

    question: str
    status: Status
    evidence: tuple[Evidence, ...] = ()
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    confidence: float = 0.0
    missing: str | None = None
    reason: str = ""
    question_trimmed: bool = False

    @property
    def found(self) -> bool:
        """Whether the articles answer the question."""
        return self.status is Status.ANSWER
