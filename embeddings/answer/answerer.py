"""The answer stage: rank the evidence, choose the quotes, decide, and build the `Answer`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from embeddings.answer.constraints import Shown, named_stems, unmet
from embeddings.answer.decision import Status, decide
from embeddings.answer.evidence import Candidate, EvidenceRanker, Quote
from embeddings.answer.pull import WINDOWS, Encode, pull
from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.answer.speech import speaker_of
from embeddings.index.load import LoadedIndex
from embeddings.params import Params
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.reading import Reading
from embeddings.retrieve.search import SearchResult


class Answerer:
    """Turns a reading and its retrieved passages into an `Answer`."""

    def __init__(self, index: LoadedIndex, params: Params, encode: Encode | None = None) -> None:
        self.index = index
        self.encode = encode  # the query encoder, for the pull of the words the best evidence lacks
        self.params = params
        latent = index.sparse_chunks is not None
        evidence = params.evidence if latent else params.evidence_dense
        self.ranker = EvidenceRanker(index, evidence, candidates=params.fusion.rerank + params.fusion.lexical_extra)
        self.decision = params.decision if latent else params.decision_dense
        self.named = named_stems(index)

    def answer(
        self,
        reading: Reading,
        result: SearchResult,
        bridged: Mapping[str, Bridged],
        *,
        near: Mapping[str, Mapping[str, float]] | None = None,
        limit: int | None = None,
        question_trimmed: bool = False,
    ) -> Answer:
        """The grounded answer to `reading` from an already retrieved `result`.

        The passages are reranked by their best evidence window and cut to `limit`.
        """
        ranked = self.ranker.rank(reading, result, bridged, near)
        passages = self.ranker.rerank(result.passages, ranked)[:limit]
        stems = frozenset(term.stem for term in reading.terms if term.stem)
        quotes = self.ranker.choose(ranked, stems, several=reading.analysis.several) if ranked else []
        coverage = None
        if result.query_sparse is not None and self.index.sparse_chunks is not None:
            coverage = self.index.sparse_chunks.coverage(result.query_sparse)
        constraint = unmet(self.index, reading, [self._shown(q) for q in quotes], self.decision.specific, self.named)
        verdict = decide(
            reading,
            ranked,
            self.ranker.quoted(quotes),
            coverage,
            bridged,
            self.decision,
            constraint,
            lambda: self.pull(reading, ranked, result, bridged, near),
        )
        shown = quotes if verdict.status is not Status.NOT_FOUND else []
        if verdict.status is Status.ANSWER and not reading.analysis.several:
            shown = [*quotes, *self.ranker.seconded(ranked, quotes, stems)]
        evidence, citations = self._cite(shown)
        return Answer(
            question=reading.question,
            status=verdict.status,
            evidence=evidence,
            citations=citations,
            passages=passages,
            confidence=verdict.support,
            missing=verdict.missing,
            reason=verdict.reason,
            question_trimmed=question_trimmed,
        )

    def pull(
        self,
        reading: Reading,
        ranked: Sequence[Candidate],
        result: SearchResult,
        bridged: Mapping[str, Bridged],
        near: Mapping[str, Mapping[str, float]] | None,
    ) -> float:
        """How the question's words that the best window lacks bear on its closeness to the best windows
        (`pull.py`)."""
        if self.encode is None or not ranked:
            return 0.0
        lacking = self.ranker.lacking(reading, bridged, near, ranked[0].window_id)
        windows = self.index.window_vectors[[candidate.window_id for candidate in ranked[:WINDOWS]]]
        return pull(self.encode, reading.searched, result.query_vector, windows, lacking)

    def _shown(self, quote: Quote) -> Shown:
        said = speaker_of(self.index, quote.sentence_ids)
        return Shown(quote.article_id, quote.start, quote.end, said.name if said is not None else "")

    def _cite(self, quotes: list[Quote]) -> tuple[tuple[Evidence, ...], tuple[Citation, ...]]:
        numbers: dict[str, int] = {}
        evidence = []
        for quote in quotes:
            number = numbers.setdefault(quote.article_id, len(numbers) + 1)
            said = speaker_of(self.index, quote.sentence_ids)
            who, role = (said.name, said.role or None) if said is not None else (None, None)
            evidence.append(Evidence(quote.text, quote.article_id, quote.start, quote.end, number, who, role))
        citations = tuple(Citation(n, self.index.articles[a]) for a, n in numbers.items())
        return tuple(evidence), citations
