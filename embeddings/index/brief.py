"""The story in brief: at most six sentences of the articles, chosen when the index is built.

The method, "headline-led concept coverage" (why this one, and what the
others measured, is in docs/reader.md):

1. Candidates are the sentences an article tells in its own voice: not
   inside a quotation (a quoted span of `quote_chars` or more, or a paragraph
   that opens with a dash, as interviews are written), `min_chars` to
   `max_chars` long, and not an article's headline itself.
2. A sentence's concepts are its content-word stems cut to `family_chars`
   letters ("строительный" and "строительство" are one concept), and the
   abbreviations it uses or spells out ("ЖК", "жилой комплекс").
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
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from embeddings.encode.encoders import Vectors
from embeddings.index.concepts import Concepts, ConceptsWriter, ReadingParams, read_article, spelled_out
from embeddings.index.postings import offsets
from embeddings.index.store import PassageStore

METHOD = "headline-led concept coverage"
BRIEF_FILE = "brief.json"
CONCEPTS_DIR = "brief"

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

    @property
    def reading(self) -> ReadingParams:
        """What reading a sentence depends on."""
        return ReadingParams(self.min_chars, self.max_chars, self.quote_chars, self.family_chars)


@dataclass(frozen=True)
class BriefItem:
    """One sentence of the brief (a sentence id of the index) and the same fact in other articles."""

    sentence: int
    also: tuple[int, ...] = ()


def read_concepts(store: PassageStore, folder: Path | None, params: BriefParams | None = None) -> Concepts:
    """Read every sentence of the store for the brief, article by article, into `folder` (or memory)."""
    params = params or BriefParams()
    writer = ConceptsWriter(folder)
    for position in range(len(store.articles)):
        spans = store.sentence_spans(store.article_sentences(position))
        writer.add(read_article(store.article_at(position), spans, params.reading))
    return writer.close()


def choose_brief(
    store: PassageStore, window_vectors: Vectors, params: BriefParams | None = None, concepts: Concepts | None = None
) -> list[BriefItem]:
    """The brief of the stored articles, in story order (see the module's description).

    `concepts` are the sentences' readings stored with the index; without
    them the sentences are read here.
    """
    params = params or BriefParams()
    table = _Table.of(store, concepts or read_concepts(store, None, params))
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
    size: int  # how many concept ids there are
    headlines: Ints  # article position x `size` + concept id, for each concept of each headline

    @classmethod
    def of(cls, store: PassageStore, concepts: Concepts) -> _Table:
        """The stored readings, with the abbreviations each sentence and headline spells out in this corpus."""
        acronyms = frozenset().union(*concepts.acronyms)
        extra: dict[str, int] = {}  # abbreviations spelled out but never written as such in these articles

        def concept_id(acronym: str) -> int:
            known = concepts.vocabulary.get(f"={acronym}")
            if known is not None:
                return known
            return extra.setdefault(acronym, len(concepts.vocabulary) + len(extra))

        ids, named, counts = _with_spelled_out(
            concepts.ids, concepts.named, concepts.offsets, spelled_out(concepts.initials, acronyms), concept_id
        )
        titles, _, title_counts = _with_spelled_out(
            concepts.title_ids,
            np.zeros(len(concepts.title_ids), dtype=np.bool_),
            concepts.title_offsets,
            spelled_out(concepts.title_initials, acronyms),
            concept_id,
        )
        size = len(concepts.vocabulary) + len(extra)
        title_owner = np.repeat(np.arange(len(title_counts), dtype=np.int64), title_counts)
        return cls(
            article=store.sentence_articles(),
            paragraph=np.asarray(concepts.paragraph, dtype=np.int64),
            length=np.asarray(concepts.length, dtype=np.int64),
            candidate=np.asarray(concepts.candidate, dtype=np.bool_),
            offsets=offsets(counts),
            concepts=ids,
            named=named,
            frequency=np.bincount(ids, minlength=size).astype(np.int64),
            size=size,
            headlines=title_owner * size + titles,
        )

    def owner(self) -> Ints:
        """The sentence of each entry of `concepts`."""
        return np.repeat(np.arange(len(self.article)), np.diff(self.offsets))

    def row(self, sentence: int) -> slice:
        """The entries of one sentence."""
        return slice(int(self.offsets[sentence]), int(self.offsets[sentence + 1]))


def _with_spelled_out(
    ids: npt.NDArray[np.int32],
    named: npt.NDArray[np.bool_],
    starts: Ints,
    spelled: list[tuple[int, str]],
    concept_id: Callable[[str], int],
) -> tuple[Ints, npt.NDArray[np.bool_], Ints]:
    """Rows of concept ids (CSR) with the abbreviations `spelled` out added, once, unnamed: ids, named, counts."""
    counts = np.diff(starts)
    added: dict[tuple[int, int], None] = {}
    for row, acronym in spelled:
        concept = concept_id(acronym)
        if concept not in ids[starts[row] : starts[row + 1]]:
            added[(row, concept)] = None
    if not added:
        return np.asarray(ids, dtype=np.int64), np.asarray(named, dtype=np.bool_), counts
    rows = np.asarray([row for row, _ in added], dtype=np.int64)
    at = starts[rows + 1]  # at the end of each row, in the order found
    order = np.argsort(at, kind="stable")
    new_ids = np.asarray([concept for _, concept in added], dtype=np.int64)[order]
    return (
        np.insert(np.asarray(ids, dtype=np.int64), at[order], new_ids),
        np.insert(np.asarray(named, dtype=np.bool_), at[order], False),
        counts + np.bincount(rows, minlength=len(counts)),
    )


def _headline_facts(store: PassageStore, table: _Table, params: BriefParams) -> list[int]:
    """For the largest articles, the candidate that best bears out the article's headline (rarer words weigh more)."""
    articles = len(store.articles)
    owner = table.owner()
    entry_keys = table.article[owner] * table.size + table.concepts
    idf = np.log(len(table.article) / np.maximum(table.frequency, 1))
    weights = np.where(np.isin(entry_keys, table.headlines), idf[table.concepts], 0.0)
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
    covered = np.zeros(table.size, dtype=bool)
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
    """The sentence of each other article that states the same fact, if one does (the closest).

    Only sentences of other articles that share two distinctive names with it
    can; their vectors alone are compared, however large the corpus.
    """
    row = table.row(sentence)
    own = table.concepts[row][table.named[row]]
    own = np.unique(own[distinctive[own]])
    if len(own) < 2:
        return ()
    owner = table.owner()
    naming = table.named & distinctive[table.concepts] & np.isin(table.concepts, own)
    shared = np.bincount(owner[naming], minlength=len(table.article))
    candidates = np.flatnonzero((shared >= 2) & (table.article != table.article[sentence]))
    if not len(candidates):
        return ()
    query = np.asarray(vectors[rows[sentence]], dtype=np.float32)
    similarity = np.asarray(vectors[rows[candidates]], dtype=np.float32) @ query
    near = similarity >= params.same_fact_similarity
    close = sorted(zip(similarity[near].tolist(), candidates[near].tolist(), strict=True), reverse=True)
    also: dict[int, int] = {}
    for _, other in close:
        also.setdefault(int(table.article[other]), other)
    return tuple(sorted(also.values()))
