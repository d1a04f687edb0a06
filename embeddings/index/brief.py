"""The story in brief: at most six sentences of the articles, chosen when the index is built.

The method, "headline-led concept coverage" (why this one, and what the
others measured, is in docs/reader.md):

1. Candidates are the sentences an article tells in its own voice: not
   inside a quotation (a quoted span of `quote_chars` or more, or a paragraph
   that opens with a dash, as interviews are written), `min_chars` to
   `max_chars` long, and not an article's headline itself.
2. A sentence's concepts are its content-word stems cut to `family_chars`
   letters ("цифровой" and "цифровизация" are one concept), and the
   abbreviations it uses or spells out ("ИИ", "искусственный интеллект").
   Its names are the concepts of its capitalised words (the first word
   aside) and of its numbers.
3. Headline facts: for the largest articles, up to half the brief, the
   candidate of the article that covers most of its headline's concepts,
   rarer concepts weighing more.
4. Coverage: every other place goes to the candidate adding the most
   concepts not yet covered, each weighing log(number of sentences that
   mention it), plus `name_weight` when the candidate names it, divided by
   length ** `length_power`; one sentence per paragraph.
5. The same fact in another article: a sentence of another article whose
   vector is at least `same_fact_similarity` close and which shares at least
   two distinctive names (named by at most `distinctive_share` of the
   sentences, or by three) is cited beside the quoted one.

The brief is kept in story order: date, then article, then position. It is
stored as sentence ids in `brief.json` of the index folder, so it always
quotes the index's own sentences.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from embeddings.encode.encoders import Vectors
from embeddings.index.store import PassageStore
from embeddings.ingest.corpus import Article
from embeddings.text import WORD, fold, normalise, stem

METHOD = "headline-led concept coverage"
BRIEF_FILE = "brief.json"
_DASHES = "-–—"
_QUOTE_MARK = re.compile(r'[«»„“”"]')
_MAGNITUDES = frozenset({"тыс", "млн", "млрд", "трлн", "тысяч", "миллион", "миллиард", "million", "billion"})
_BLOCK = 65_536

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BriefParams:
    """How the brief is chosen; recorded in the index manifest."""

    max_sentences: int = 6
    min_chars: int = 40
    max_chars: int = 300
    quote_chars: int = 60
    family_chars: int = 6
    name_weight: float = 2.5
    length_power: float = 0.25
    same_fact_similarity: float = 0.85
    distinctive_share: float = 0.05
    version: int = 1

    def as_dict(self) -> dict[str, Any]:
        """The method and its parameters, for the manifest."""
        return {"method": METHOD, **asdict(self)}


@dataclass(frozen=True)
class BriefItem:
    """One sentence of the brief (a sentence id of the index) and the same fact in other articles."""

    sentence: int
    also: tuple[int, ...] = ()


def choose_brief(store: PassageStore, window_vectors: Vectors, params: BriefParams | None = None) -> list[BriefItem]:
    """The brief of the stored articles, in story order (see the module's description)."""
    params = params or BriefParams()
    table = _Table.read(store, params)
    if not len(table.concepts):
        return []
    chosen = _cover(table, params, _headline_facts(store, table, params))
    rows = store.sentence_windows()
    distinctive = table.frequency <= max(3, params.distinctive_share * len(table.article))
    items = [BriefItem(s, _same_fact(table, window_vectors, rows, s, distinctive, params)) for s in chosen]
    dates = {int(a): store.article_at(int(a)).date for a in table.article[chosen]}
    return sorted(items, key=lambda i: (dates[int(table.article[i.sentence])], table.article[i.sentence], i.sentence))


def save_brief(folder: Path, items: list[BriefItem], params: BriefParams) -> dict[str, Any]:
    """Write `brief.json`; returns the manifest's record of the method."""
    data = {"items": [{"sentence": i.sentence, "also": list(i.also)} for i in items]}
    (folder / BRIEF_FILE).write_text(json.dumps(data), encoding="utf-8")
    return {**params.as_dict(), "sentences": len(items)}


def load_brief(folder: Path, sentences: int) -> tuple[BriefItem, ...]:
    """Read `brief.json`; an id outside the index's `sentences` raises ValueError."""
    data = json.loads((folder / BRIEF_FILE).read_text(encoding="utf-8"))
    items = tuple(BriefItem(int(d["sentence"]), tuple(int(a) for a in d["also"])) for d in data["items"])
    if any(not 0 <= s < sentences for item in items for s in (item.sentence, *item.also)):
        msg = "brief.json names a sentence the index does not have"
        raise ValueError(msg)
    return items


@lru_cache(maxsize=262_144)
def _family(token: str, chars: int) -> str:
    root = stem(fold(token))
    return root[:chars] if root else ""


def _is_acronym(token: str) -> bool:
    return 2 <= len(token) <= 5 and token.isalpha() and token.isupper()


class _Words:
    """The concepts of a text, and which of them it names."""

    def __init__(self, family_chars: int, acronyms: frozenset[str]) -> None:
        self.family_chars = family_chars
        self.acronyms = acronyms
        self.longest = max((len(a) for a in acronyms), default=0)

    def read(self, text: str) -> dict[str, bool]:
        """Concept -> named: stem families of the words (named when capitalised, the first word aside, or a
        number), and abbreviations the text uses or spells out."""
        tokens = WORD.findall(text)
        found: dict[str, bool] = {}
        for position, token in enumerate(tokens):
            family = _family(token, self.family_chars)
            if family:
                named = any(c.isdigit() for c in token) or (position > 0 and token[0].isupper())
                found[family] = found.get(family, False) or named or fold(token) in _MAGNITUDES
            if _is_acronym(token) and token.lower() in self.acronyms:
                found[f"={token.lower()}"] = True
        long_words = [t for t in tokens if len(t) > 2]
        for size in range(2, self.longest + 1):
            for start in range(len(long_words) - size + 1):
                initials = "".join(w[0] for w in long_words[start : start + size]).lower()
                if initials in self.acronyms:
                    found.setdefault(f"={initials}", False)
        return found


@dataclass
class _Table:
    """Every sentence of the index as the selection sees it, with its concepts as ids (CSR)."""

    article: Ints  # position of the sentence's article in the store
    paragraph: Ints
    length: Ints
    candidate: npt.NDArray[np.bool_]
    offsets: Ints  # where each sentence's concepts start in `concepts`
    concepts: Ints
    named: npt.NDArray[np.bool_]
    frequency: Ints  # how many sentences mention each concept
    vocabulary: dict[str, int]
    words: _Words

    @classmethod
    def read(cls, store: PassageStore, params: BriefParams) -> _Table:
        """One pass over the articles and their sentences."""
        words = _Words(params.family_chars, _acronyms(store))
        vocabulary: dict[str, int] = {}
        article: list[int] = []
        paragraph: list[int] = []
        length: list[int] = []
        counts: list[int] = []
        concepts: list[int] = []
        candidate: list[bool] = []
        named: list[bool] = []
        for position in range(len(store.articles)):
            source = store.article_at(position)
            quoted = _quoted_spans(source, params.quote_chars)
            starts = [p.start for p in source.paragraphs]
            headline = normalise(source.title)
            for start, end in store.sentence_spans(store.article_sentences(position)):
                text = source.text[start:end]
                inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quoted)
                read = words.read(text)
                article.append(position)
                paragraph.append(int(np.searchsorted(starts, start, side="right")) - 1)
                length.append(max(1, end - start))
                candidate.append(
                    params.min_chars <= end - start <= params.max_chars
                    and inside * 2 < end - start
                    and normalise(text) != headline
                )
                counts.append(len(read))
                concepts.extend(vocabulary.setdefault(c, len(vocabulary)) for c in read)
                named.extend(read.values())
        ids = np.asarray(concepts, dtype=np.int64)
        return cls(
            article=np.asarray(article, dtype=np.int64),
            paragraph=np.asarray(paragraph, dtype=np.int64),
            length=np.asarray(length, dtype=np.int64),
            candidate=np.asarray(candidate, dtype=np.bool_),
            offsets=np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
            concepts=ids,
            named=np.asarray(named, dtype=np.bool_),
            frequency=np.bincount(ids, minlength=len(vocabulary)).astype(np.int64),
            vocabulary=vocabulary,
            words=words,
        )

    def owner(self) -> Ints:
        """The sentence of each entry of `concepts`."""
        return np.repeat(np.arange(len(self.article)), np.diff(self.offsets))

    def row(self, sentence: int) -> slice:
        """The entries of one sentence."""
        return slice(int(self.offsets[sentence]), int(self.offsets[sentence + 1]))


def _acronyms(store: PassageStore) -> frozenset[str]:
    found: set[str] = set()
    for position in range(len(store.articles)):
        article = store.article_at(position)
        found.update(t.lower() for t in WORD.findall(f"{article.title}\n{article.text}") if _is_acronym(t))
    return frozenset(found)


def _quoted_spans(article: Article, min_chars: int) -> list[tuple[int, int]]:
    """Spans of the article that quote someone: long quotations, and paragraphs opening with a dash."""
    spans: list[tuple[int, int]] = []
    for paragraph in article.paragraphs:
        text = article.text[paragraph.start : paragraph.end]
        if text[:1] in _DASHES:
            spans.append((paragraph.start, paragraph.end))
            continue
        depth, begin = 0, 0
        for mark in _QUOTE_MARK.finditer(text):
            char, offset = mark.group(), mark.start()
            if char in "«„" or (char in '"“' and depth == 0):
                begin = offset if depth == 0 else begin
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0 and offset + 1 - begin >= min_chars:
                    spans.append((paragraph.start + begin, paragraph.start + offset + 1))
        if depth and len(text) - begin >= min_chars:  # a quotation that goes on in the next paragraph
            spans.append((paragraph.start + begin, paragraph.end))
    return spans


def _headline_facts(store: PassageStore, table: _Table, params: BriefParams) -> list[int]:
    """For the largest articles, the candidate that best bears out the article's headline (rarer words weigh more)."""
    articles = len(store.articles)
    keys: list[int] = []
    for position in range(articles):
        title = table.words.read(store.article_at(position).title)
        keys.extend(position * len(table.vocabulary) + table.vocabulary[c] for c in title if c in table.vocabulary)
    owner = table.owner()
    entry_keys = table.article[owner] * len(table.vocabulary) + table.concepts
    idf = np.log(len(table.article) / np.maximum(table.frequency, 1))
    weights = np.where(np.isin(entry_keys, np.asarray(keys, dtype=np.int64)), idf[table.concepts], 0.0)
    score = np.bincount(owner, weights=weights, minlength=len(table.article))
    eligible = np.flatnonzero(table.candidate & (score > 0))
    best: dict[int, int] = {}
    for sentence in eligible[np.lexsort((eligible, -score[eligible]))].tolist():
        best.setdefault(int(table.article[sentence]), sentence)
    sizes = np.bincount(table.article[table.candidate], minlength=articles)
    largest = sorted(best, key=lambda a: (-int(sizes[a]), a))[: params.max_sentences // 2]
    return [best[a] for a in largest]


def _cover(table: _Table, params: BriefParams, chosen: list[int]) -> list[int]:
    """Fill the brief greedily by the weight of the concepts each candidate adds; one sentence per paragraph."""
    owner = table.owner()
    base = np.log(np.maximum(table.frequency[table.concepts], 1)) + params.name_weight * table.named
    covered = np.zeros(len(table.vocabulary), dtype=bool)
    paragraph_key = table.article * (int(table.paragraph.max()) + 1) + table.paragraph
    chosen = list(chosen)
    while len(chosen) < params.max_sentences:
        for sentence in chosen:
            covered[table.concepts[table.row(sentence)]] = True
        weights = np.where(covered[table.concepts], 0.0, base)
        gain = np.bincount(owner, weights=weights, minlength=len(table.article)) / table.length**params.length_power
        open_ = table.candidate & ~np.isin(paragraph_key, paragraph_key[chosen])
        gain = np.where(open_, gain, -np.inf)
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        chosen.append(best)
    return chosen


def _same_fact(
    table: _Table, vectors: Vectors, rows: Ints, sentence: int, distinctive: npt.NDArray[np.bool_], params: BriefParams
) -> tuple[int, ...]:
    """The sentence of each other article that states the same fact, if one does (the closest)."""

    def names(i: int) -> set[int]:
        row = table.row(i)
        ids = table.concepts[row][table.named[row]]
        return set(ids[distinctive[ids]].tolist())

    own, article = names(sentence), table.article[sentence]
    query = np.asarray(vectors[rows[sentence]], dtype=np.float32)
    close: list[tuple[float, int]] = []
    for first in range(0, len(rows), _BLOCK):
        similarity = np.asarray(vectors[rows[first : first + _BLOCK]], dtype=np.float32) @ query
        for offset in np.flatnonzero(similarity >= params.same_fact_similarity).tolist():
            if table.article[first + offset] != article:
                close.append((float(similarity[offset]), first + offset))
    also: dict[int, int] = {}
    for _, other in sorted(close, reverse=True):
        if int(table.article[other]) not in also and len(own & names(other)) >= 2:
            also[int(table.article[other])] = other
    return tuple(sorted(also.values()))
