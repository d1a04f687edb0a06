"""Evidence: which sentences of the retrieved passages answer, scored, chosen and quoted whole.

The candidates are evidence windows (one sentence, or two adjacent ones) of
the passages retrieval found. A window scores by a linear combination
(`params.Evidence`, fitted by `eval/fit.py`) of: its latent-term and dense
cosines with the question, its passage's, the idf-weighted share of the
question's words it holds (a word of another language counts through the
article word the encoder bridges it to, by that match's strength; what the
question sets aside, "кроме X", is no word it asks for), the share
of the subject of a lookup or "who is" it holds, and whether it holds the
asked-for part (a number for "how many", a role next to the name for "who
is X").

The best window is quoted with close runners-up of the same article, up to
`max_sentences` sentences and `max_chars` characters, runs of adjacent
sentences in the article's order and the runs best first. A quote never
begins or ends inside a quotation: a run whose quotation marks do not
balance takes in the sentences that open or close the quotation, or, when
that would be too long, is cut at the quotation's bounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from embeddings.annotate.phrases import symbol_nouns
from embeddings.annotate.reference import References
from embeddings.annotate.spans import Span
from embeddings.answer.candidates import closeness, focus_of, holds
from embeddings.encode.latent import cosine
from embeddings.index.load import LoadedIndex, window_text
from embeddings.lexicon import best_parse, parses
from embeddings.params import Evidence as EvidenceParams
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.reading import Reading, Term
from embeddings.retrieve.search import Passage, SearchResult
from embeddings.text import STOPWORDS, WORD, fold, is_cyrillic, tokenize

FEATURES = (
    "latent",
    "dense",
    "passage_latent",
    "passage_dense",
    "passage_fused",
    "passage_lexical",
    "terms",
    "keys",
    "subject",
    "trigrams",
    "part",
)
MAX_EXTENSION = 3  # sentences a quote may take in to close a quotation
_PAIRS = (("«", "»"), ("“", "”"), ("„", "“"))
_STRAIGHT = '"'
SHORT_FRAGMENT = 50  # characters


@dataclass(frozen=True)
class Candidate:
    """One evidence window with its features and score."""

    window_id: int
    score: float
    features: Mapping[str, float]


@dataclass(frozen=True)
class Quote:
    """A run of quoted article text: a span of one article and the sentence ids it covers."""

    article_id: str
    start: int
    end: int
    text: str
    sentence_ids: tuple[int, ...]


def trigrams(text: str) -> frozenset[str]:
    """Character trigrams of the content words of `text` (padded with spaces)."""
    grams: set[str] = set()
    for word in WORD.findall(fold(text)):
        if len(word) > 2 and word not in STOPWORDS:
            padded = f" {word} "
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _marks(text: str) -> list[tuple[int, str, bool]]:
    """The quotation marks of `text`: position, kind, and whether each opens (True) or closes a quotation.

    A straight quote opens when it follows the start, a space, a colon or a
    bracket, and closes otherwise.
    """
    # "“" opens an English quotation and closes a „Russian“ one: the text's own marks tell which.
    pairs = [pair for pair in _PAIRS if pair[0] != ("“" if "„" in text else "„")]
    marks = []
    for position, char in enumerate(text):
        for opening, closing in pairs:
            if char == opening:
                marks.append((position, opening, True))
            elif char == closing:
                marks.append((position, opening, False))
        if char == _STRAIGHT:
            before = text[position - 1] if position else " "
            marks.append((position, _STRAIGHT, before.isspace() or before in ":([—–-"))
    return marks


def _unmatched(text: str) -> list[tuple[int, bool]]:
    """The marks no other mark of their kind matches: position, and whether it opens."""
    open_marks: dict[str, list[int]] = {}
    stray: list[tuple[int, bool]] = []
    for position, kind, opens in _marks(text):
        if opens:
            open_marks.setdefault(kind, []).append(position)
        elif open_marks.get(kind):
            open_marks[kind].pop()
        else:
            stray.append((position, False))
    stray += [(position, True) for positions in open_marks.values() for position in positions]
    return sorted(stray)


def balanced(text: str) -> bool:
    """True when every quotation opened in `text` is closed in it, and no closing mark is unmatched."""
    return not _unmatched(text)


class EvidenceRanker:
    """Scores the windows of retrieved passages for a reading, and chooses the quotes."""

    def __init__(self, index: LoadedIndex, params: EvidenceParams, *, candidates: int) -> None:
        self.index = index
        self.params = params
        self.candidates = candidates
        self._features = lru_cache(maxsize=200_000)(self._window_features)
        self.references = References(index.sentences, index.annotations)

    def rank(
        self,
        reading: Reading,
        result: SearchResult,
        bridged: Mapping[str, Bridged],
        near: Mapping[str, Mapping[str, float]] | None = None,
    ) -> list[Candidate]:
        """Evidence windows of the retrieved passages, best first; `near` holds, for question words, other article
        stems of like meaning and how surely each says the same (`MeaningBridge.near`)."""
        near = near or {}
        weights = {name: getattr(self.params, name) for name in FEATURES}
        strengths = _strengths(reading, bridged)
        total = sum(t.weight for t in reading.focus) or 1.0
        keys = [t for t in reading.focus if t.key and t.found]
        subject = [t for t in reading.subject if t.stem]
        question_grams = trigrams(reading.searched)
        focus = focus_of(reading, bridged)
        specific = bool(reading.analysis.kinds)
        soft = not reading.analysis.strict  # a candidate helps; its absence is no sign against the window
        sparse_windows, query_sparse = self.index.sparse_windows, result.query_sparse
        candidates: list[Candidate] = []
        passages = result.passages[: self.candidates]
        top_fused = max((p.score for p in passages), default=0.0) or 1.0
        top_lexical = max((p.lexical for p in passages), default=0.0) or 1.0
        for passage in passages:
            ids = self.index.windows_of_chunk[passage.chunk_id]
            dense = self.index.window_vectors[ids.start : ids.stop] @ result.query_vector
            for offset, window_id in enumerate(ids):
                _, stems, grams, sentences = self._features(window_id)
                latent = 0.0
                if sparse_windows is not None and query_sparse is not None:
                    latent = cosine(sparse_windows.row(window_id), query_sparse)
                features = {
                    "latent": latent,
                    "dense": float(dense[offset]),
                    "passage_latent": passage.sparse,
                    "passage_dense": passage.dense,
                    "passage_fused": passage.score / top_fused,
                    "passage_lexical": passage.lexical / top_lexical,
                    "terms": sum(t.weight * _said(stems, stem, s, near.get(t.word)) for t, (stem, s) in strengths)
                    / total,
                    "keys": sum(t.stem in stems for t in keys) / len(keys) if keys else 1.0,
                    "subject": sum(t.stem in stems for t in subject) / len(subject) if subject else 1.0,
                    "trigrams": len(question_grams & grams) / len(question_grams) if question_grams else 0.0,
                    "part": _part(closeness(sentences, focus), soft) if specific else 0.0,
                }
                score = sum(weights[name] * value for name, value in features.items())
                candidates.append(Candidate(window_id, score, features))
        candidates.sort(key=lambda c: (-c.score, c.window_id))
        if specific and not soft:
            candidates = typed_first(candidates, self.params.typed_margin, self.params.typed_lead)
        return candidates

    def lacking(
        self,
        reading: Reading,
        bridged: Mapping[str, Bridged],
        near: Mapping[str, Mapping[str, float]] | None,
        window_id: int,
    ) -> list[Term]:
        """The question's content words (names aside) that a window does not say, heaviest first."""
        _, stems, _, _ = self._features(window_id)
        strengths = dict(_strengths(reading, bridged))
        near = near or {}
        lacking = [
            term
            for term in reading.focus
            if not term.key and (term not in strengths or not _said(stems, *strengths[term], near.get(term.word)))
        ]
        return sorted(lacking, key=lambda term: -term.weight)

    def rerank(self, passages: Sequence[Passage], ranked: Sequence[Candidate]) -> tuple[Passage, ...]:
        """`passages` ordered by the score of their best window; `score` becomes that window's score."""
        best: dict[int, float] = {}
        for candidate in ranked:
            best.setdefault(self.index.windows[candidate.window_id].chunk_id, candidate.score)
        scored = [replace(p, score=best[p.chunk_id]) for p in passages if p.chunk_id in best]
        scored.sort(key=lambda p: (-p.score, p.chunk_id))
        return (*scored, *(p for p in passages if p.chunk_id not in best))

    def choose(
        self, ranked: Sequence[Candidate], stems: frozenset[str] = frozenset(), *, several: bool = False
    ) -> list[Quote]:
        """The quotes: the best window, close runners-up of its article, a continuation; best run first.

        When the question asks for `several` things ("с кем", "какие"), runners-up further below, from any
        article, are quoted too if they hold a candidate of what is asked.
        """
        index, params = self.index, self.params
        best = ranked[0]
        article = index.chunks[index.windows[best.window_id].chunk_id].article_id
        rank_of: dict[int, int] = {}  # sentence id -> rank of the window that brought it
        for rank, candidate in enumerate(ranked):
            below = best.score - candidate.score
            if below > (params.list_margin if several else params.margin):
                break
            listed = several and candidate.features.get("part", 0.0) > 0.0
            if below > params.margin and not listed:
                continue
            window = index.windows[candidate.window_id]
            if index.chunks[window.chunk_id].article_id != article and not listed:
                continue
            ids = range(window.first, window.last + 1)
            chosen = set(rank_of) | set(ids)
            if any(i in rank_of for i in ids) or len(chosen) > params.max_sentences:
                continue
            if rank and self._length(chosen) > params.max_chars * (2 if several else 1):
                continue  # a list may take twice the room
            rank_of.update(dict.fromkeys(ids, rank))
        top = index.windows[best.window_id]
        following = top.last + 1
        if (
            len(rank_of) < params.max_sentences
            and following < len(index.sentences)
            and index.sentences[following].article_id == article
            and following not in rank_of
            and continues(index.sentences[following].text)
        ):
            rank_of[following] = 0
        quotes: list[Quote] = []
        for run in _runs(rank_of, index):
            quote = self._quote(run, stems)  # a quote may take in sentences to close a quotation
            if any(_within(quote, other) for other in quotes):
                continue
            kept = [other for other in quotes if not _within(other, quote)]
            if len(kept) < len(quotes):  # it holds earlier quotes: it takes the place of the first of them
                first = next(i for i, other in enumerate(quotes) if _within(other, quote))
                quotes = [*kept[:first], quote, *kept[first:]]
            else:
                quotes.append(quote)
        return quotes

    def seconded(self, ranked: Sequence[Candidate], quotes: Sequence[Quote], stems: frozenset[str]) -> list[Quote]:
        """A second opinion: the best window none of whose sentences is quoted yet, when it scores within
        `other_margin` of the best window. Two places, often two articles, may each hold a likely answer; the
        reader then sees both."""
        if not ranked or not quotes:
            return []
        index, params = self.index, self.params
        said = {i for quote in quotes for i in quote.sentence_ids}
        for candidate in ranked[1:]:
            if ranked[0].score - candidate.score > params.other_margin:
                break
            window = index.windows[candidate.window_id]
            if any(i in said for i in range(window.first, window.last + 1)):
                continue
            quote = self._quote(list(range(window.first, window.last + 1)), stems)
            if said & set(quote.sentence_ids):
                continue  # widened to close a quotation, it would repeat what is quoted
            return [quote] if len(quote.text) <= params.max_chars else []
        return []

    def _length(self, sentence_ids: set[int]) -> int:
        return sum(len(self.index.sentences[i].text) for i in sentence_ids)

    def _quote(self, run: list[int], stems: frozenset[str]) -> Quote:
        """A run of sentences as one quote, widened or cut so that its quotation marks balance.

        A cut keeps the side of the unmatched quotation mark that holds more
        of the question's words (`stems`), the longer one when they tie.
        """
        sentences = self.index.sentences
        first, last = run[0], run[-1]
        for _ in range(MAX_EXTENSION):
            if balanced(self._span_text(first, last)):
                break
            text = self._span_text(first, last)
            opens_inside = _unclosed(text)
            if not opens_inside and first > 0 and sentences[first - 1].article_id == sentences[first].article_id:
                first -= 1
            elif last + 1 < len(sentences) and sentences[last + 1].article_id == sentences[last].article_id:
                last += 1
            else:
                break
        start, end = sentences[first].start, sentences[last].end
        text = self._span_text(first, last)
        if not balanced(text):
            start, end, text = _cut_at_quotation(text, start, stems)
        return Quote(sentences[first].article_id, start, end, text, tuple(range(first, last + 1)))

    def _span_text(self, first: int, last: int) -> str:
        sentences = self.index.sentences
        article = self.index.articles[sentences[first].article_id]
        return article.text[sentences[first].start : sentences[last].end]

    def _window_features(
        self, window_id: int
    ) -> tuple[str, frozenset[str], frozenset[str], tuple[tuple[str, tuple[Span, ...]], ...]]:
        window = self.index.windows[window_id]
        text = window_text(self.index.chunks, window, self.index.sentences)
        # a pronoun's person counts as named ("На стройке он встретился ..." after a sentence about Markov), and a
        # noun written as a symbol as said ("18%": "процент")
        ids = range(window.first, window.last + 1)
        named = " ".join(f"{self.references.referent(i)} {symbol_nouns(self.index.annotations[i])}" for i in ids)
        stems = frozenset(tokenize(f"{text} {named}"))
        return text, stems, trigrams(text), self.annotated(range(window.first, window.last + 1))

    def annotated(self, sentence_ids: Sequence[int]) -> tuple[tuple[str, tuple[Span, ...]], ...]:
        """Sentences with their typed spans."""
        return tuple((self.index.sentences[i].text, self.index.annotations[i]) for i in sentence_ids)

    def quoted(self, quotes: Sequence[Quote]) -> list[tuple[str, tuple[Span, ...]]]:
        """The sentences of the quotes with the spans the quotes show (a quote cut at a quotation shows less)."""
        shown = []
        for quote in quotes:
            for i in quote.sentence_ids:
                sentence = self.index.sentences[i]
                spans = tuple(
                    s
                    for s in self.index.annotations[i]
                    if quote.start <= sentence.start + s.start and sentence.start + s.end <= quote.end
                )
                shown.append((sentence.text, spans))
        return shown


def typed_first(ranked: list[Candidate], margin: float, lead: float) -> list[Candidate]:
    """For a strict kind: the best window holding a candidate leads when it is within `margin` of the best, and
    holds it closer to the focus than the best does by more than `lead` (in the `part` feature).

    Among windows that say about as much of the question, the one that holds
    what is asked answers it; one far below is about something else (the
    answer is then partial).
    """
    if not ranked:
        return ranked
    top, part = ranked[0].score, ranked[0].features["part"]
    floor = max(0.0, part + lead)  # a window holding no candidate gives way to any that holds one
    typed = next((c for c in ranked if top - c.score <= margin and c.features["part"] > floor), None)
    if typed is None:
        return ranked
    return [typed, *(c for c in ranked if c is not typed)]


def _part(closeness: float, soft: bool) -> float:
    """The ranking feature of a window's best candidate: from -1 (none) to 1 (beside the focus); 0 to 1 when soft."""
    return closeness if soft else 2.0 * closeness - 1.0


def _strengths(reading: Reading, bridged: Mapping[str, Bridged]) -> list[tuple[Term, tuple[str | None, float]]]:
    """Each question term with the article stem it counts as and how surely: found 1.0, bridged by strength."""
    found: list[tuple[Term, tuple[str | None, float]]] = []
    for term in reading.focus:
        if term.stem is not None:
            found.append((term, (term.stem, 1.0)))
        elif term.word in bridged:
            hit = bridged[term.word]
            found.append((term, (hit.stem, hit.strength)))
    return found


def _said(stems: frozenset[str], stem: str | None, strength: float, near: Mapping[str, float] | None) -> float:
    """How surely a window's `stems` say a question term: in its own word, else in one of like meaning."""
    if holds(stems, stem):
        return strength
    return max((near[other] for other in stems & near.keys()), default=0.0) if near else 0.0


def _within(inner: Quote, outer: Quote) -> bool:
    """Whether `inner` quotes nothing `outer` does not."""
    return inner.article_id == outer.article_id and outer.start <= inner.start and inner.end <= outer.end


def _runs(rank_of: dict[int, int], index: LoadedIndex) -> list[list[int]]:
    """Runs of adjacent sentences in the article's order; the runs themselves best first."""
    runs: list[list[int]] = []
    for sentence_id in sorted(rank_of):
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and previous + 1 == sentence_id
            and index.sentences[previous].article_id == index.sentences[sentence_id].article_id
        ):
            runs[-1].append(sentence_id)
        else:
            runs.append([sentence_id])
    runs.sort(key=lambda run: min(rank_of[i] for i in run))
    return runs


def continues(sentence: str) -> bool:
    """A sentence that cannot stand alone: a short fragment, or one that opens by pointing back.

    Pointing back is told by pymorphy3's grammemes of its first word (Russian
    articles): an anaphoric pronoun ("Он", "Эти", "Это"), a demonstrative
    adverb ("Там", "Тогда"), a conjunction ("Но", "Однако"), or a preposition
    with an anaphoric pronoun ("При этом", "Кроме того").
    """
    if len(sentence) < SHORT_FRAGMENT:
        return True
    words = [fold(w) for w in WORD.findall(sentence[:SHORT_FRAGMENT])][:2]
    if not words or not is_cyrillic(words[0]):
        return False
    if best_parse(words[0]).tag.POS == "PREP":
        return len(words) > 1 and _points_back(words[1])
    return _points_back(words[0]) or best_parse(words[0]).tag.POS == "CONJ"


def _points_back(word: str) -> bool:
    return any({"Anph", "Dmns"} & set(p.tag.grammemes) for p in parses(word))


def _unclosed(text: str) -> bool:
    """True when `text` opens a quotation it does not close (rather than closing one it did not open)."""
    stray = _unmatched(text)
    return bool(stray) and all(opens for _, opens in stray)


def _cut_at_quotation(text: str, start: int, stems: frozenset[str]) -> tuple[int, int, str]:
    """The part of `text` on one side of its first unmatched quotation mark (offsets kept)."""
    for position, _ in _unmatched(text):
        before, after = text[:position], text[position + 1 :]
        if balanced(before) and balanced(after):
            words_before, words_after = len(stems & set(tokenize(before))), len(stems & set(tokenize(after)))
            if (words_before, len(before.strip())) >= (words_after, len(after.strip())):
                cut = before.rstrip(" ,—–-")
                return start, start + len(cut), cut
            offset = position + 1 + (len(after) - len(after.lstrip(" ,—–-")))
            return start + offset, start + len(text), text[offset:]
    return start, start + len(text), text
