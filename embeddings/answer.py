"""Extractive, grounded answers: quoted sentences with numbered citations.

The answer is one to three sentences taken verbatim from the retrieved
passages. Each sentence is scored by its own cosine similarity to the
question plus how much of the question's rarer vocabulary it contains; the
best one decides whether the articles answer the question at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from embeddings.corpus import Article
from embeddings.index import LoadedIndex
from embeddings.lexical import BM25, tokenize
from embeddings.search import Passage, SearchResult

# Calibrated on eval/qa.jsonl with `make eval` (it prints the trade-off).
DEFAULT_THRESHOLD = 0.86
LEXICAL_WEIGHT = 0.08
RANK_WEIGHT = 0.01
CANDIDATE_PASSAGES = 4
MAX_SENTENCES = 3
SECOND_SENTENCE_MARGIN = 0.015
MAX_EVIDENCE_CHARS = 900


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
    score: float


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


@dataclass(frozen=True)
class _Candidate:
    sentence_id: int
    score: float


class Answerer:
    """Chooses the quoted evidence and decides whether the articles answer at all."""

    def __init__(self, index: LoadedIndex, bm25: BM25, threshold: float | None = None) -> None:
        self.index = index
        self.bm25 = bm25
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold

    def answer(self, question: str, result: SearchResult, *, question_trimmed: bool = False) -> Answer:
        """The grounded answer to `question` from an already retrieved `result`."""
        ranked = self.rank_sentences(question, result)
        confidence = ranked[0].score if ranked else 0.0
        passages = tuple(result.passages)
        if not ranked or confidence < self.threshold:
            return Answer(question, False, (), (), passages, confidence, question_trimmed)
        chosen = self._choose(ranked)
        numbers: dict[str, int] = {}
        evidence = []
        for cand in chosen:
            sentence = self.index.sentences[cand.sentence_id]
            number = numbers.setdefault(sentence.article_id, len(numbers) + 1)
            evidence.append(Evidence(sentence.text, sentence.article_id, sentence.start, sentence.end, number, cand.score))
        citations = tuple(Citation(n, self.index.articles[a]) for a, n in numbers.items())
        return Answer(question, True, tuple(evidence), citations, passages, confidence, question_trimmed)

    def rank_sentences(self, question: str, result: SearchResult) -> list[_Candidate]:
        """Sentences of the top passages, best first, with their combined scores."""
        weights = self._term_weights(question)
        total_weight = sum(weights.values())
        candidates: list[_Candidate] = []
        for rank, passage in enumerate(result.passages[:CANDIDATE_PASSAGES]):
            ids = self.index.sentence_of_chunk[passage.chunk_id]
            dense = self.index.sentence_vectors[ids.start : ids.stop] @ result.query_vector
            for offset, sentence_id in enumerate(ids):
                terms = set(tokenize(self.index.sentences[sentence_id].text))
                coverage = sum(w for t, w in weights.items() if t in terms) / total_weight if total_weight else 0.0
                score = float(dense[offset]) + LEXICAL_WEIGHT * coverage + RANK_WEIGHT / (1 + rank)
                candidates.append(_Candidate(sentence_id, score))
        candidates.sort(key=lambda c: (-c.score, c.sentence_id))
        return candidates

    def _term_weights(self, question: str) -> dict[str, float]:
        # A word the articles never use weighs like the rarest word they do use,
        # so a question about something absent scores low on coverage.
        unknown = math.log(1 + (self.bm25.size + 0.5) / 1.5)
        return {t: (self.bm25.idf(t) if t in self.bm25 else unknown) for t in set(tokenize(question))}

    def _choose(self, ranked: list[_Candidate]) -> list[_Candidate]:
        best = ranked[0]
        chosen = [best]
        length = len(self.index.sentences[best.sentence_id].text)
        seen = {self._normalised(best.sentence_id)}
        for cand in ranked[1:]:
            if len(chosen) == MAX_SENTENCES or best.score - cand.score > SECOND_SENTENCE_MARGIN:
                break
            text = self.index.sentences[cand.sentence_id].text
            key = self._normalised(cand.sentence_id)
            if key in seen or length + len(text) > MAX_EVIDENCE_CHARS:
                continue
            seen.add(key)
            chosen.append(cand)
            length += len(text)
        return chosen

    def _normalised(self, sentence_id: int) -> str:
        return " ".join(self.index.sentences[sentence_id].text.lower().split())

