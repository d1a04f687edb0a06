"""What the brief reads in each sentence: its concepts, read article by article and kept with the index.

A sentence's concepts are its content-word stems cut to `family_chars`
letters, and the abbreviations it uses (`=ии`); a concept is *named* when it
comes from a capitalised word (the first word aside) or a number. Those
depend on the sentence alone, so they are read once per article
(`read_article`) and stored in `brief/` (`ConceptsWriter`), where an update
copies the rows of the articles it keeps. The one part that depends on the
whole corpus, a run of words whose initials spell an abbreviation used
anywhere in the articles ("жилой комплекс" for "ЖК"), is found
when the brief is chosen (`spelled_out`), from each sentence's initials.

    brief/concept*.npy          the concepts (a `Vocabulary`: text -> id)
    brief/sentence_concepts.npy, sentence_named.npy, sentence_offsets.npy
                                each sentence's concept ids and whether it names them (CSR)
    brief/candidate.npy, paragraph.npy, length.npy
                                per sentence: may it be quoted, its paragraph in its article, its length
    brief/initials.txt          per sentence, a line: the first letter of each word over two letters
    brief/title_concepts.npy, title_offsets.npy
                                each article's headline concept ids (CSR)
    brief/titles.txt            per article, a line: its abbreviations, a tab, its headline's initials
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from embeddings.index.bm25 import Vocabulary
from embeddings.index.postings import Column, load_array, offsets, save_arrays
from embeddings.ingest.corpus import Article
from embeddings.text import WORD, fold, normalise, stem

_DASHES = "-–—"
_QUOTE_MARK = re.compile(r'[«»„“”"]')
_MAGNITUDES = frozenset({"тыс", "млн", "млрд", "трлн", "тысяч", "миллион", "миллиард", "million", "billion"})

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ReadingParams:
    """The parts of the brief's parameters that reading a sentence depends on."""

    min_chars: int
    max_chars: int
    quote_chars: int
    family_chars: int


@dataclass(frozen=True)
class ArticleConcepts:
    """One article's sentences as the brief reads them, in order."""

    concepts: list[dict[str, bool]]  # concept -> named, per sentence
    candidate: list[bool]
    paragraph: list[int]
    length: list[int]
    initials: list[str]
    acronyms: frozenset[str]
    title: list[str]  # the headline's concepts
    title_initials: str


@lru_cache(maxsize=262_144)
def _family(token: str, chars: int) -> str:
    root = stem(fold(token))
    return root[:chars] if root else ""


def is_acronym(token: str) -> bool:
    """An abbreviation: two to five letters, all capitals."""
    return 2 <= len(token) <= 5 and token.isalpha() and token.isupper()


def acronyms_of(text: str) -> frozenset[str]:
    """The abbreviations a text uses, lower-cased."""
    return frozenset(t.lower() for t in WORD.findall(text) if is_acronym(t))


def read_text(text: str, family_chars: int, acronyms: frozenset[str] = frozenset()) -> dict[str, bool]:
    """Concept -> named of a text; with `acronyms`, also those its words spell out (see `spelled_out`)."""
    tokens = WORD.findall(text)
    found: dict[str, bool] = {}
    for position, token in enumerate(tokens):
        family = _family(token, family_chars)
        if family:
            named = any(c.isdigit() for c in token) or (position > 0 and token[0].isupper())
            found[family] = found.get(family, False) or named or fold(token) in _MAGNITUDES
        if is_acronym(token):
            found[f"={token.lower()}"] = True
    for _, acronym in spelled_out([initials_of(tokens)], acronyms):
        found.setdefault(f"={acronym}", False)
    return found


def initials_of(tokens: Sequence[str]) -> str:
    """The first letter of each word over two letters, as written."""
    return "".join(t[0] for t in tokens if len(t) > 2)


def read_article(article: Article, spans: Iterable[tuple[int, int]], params: ReadingParams) -> ArticleConcepts:
    """The sentences of `article` at `spans`, read for the brief."""
    quoted = _quoted_spans(article, params.quote_chars)
    starts = [p.start for p in article.paragraphs]
    headline = normalise(article.title)
    acronyms = acronyms_of(f"{article.title}\n{article.text}")
    title = list(read_text(article.title, params.family_chars))
    read = ArticleConcepts([], [], [], [], [], acronyms, title, initials_of(WORD.findall(article.title)))
    for start, end in spans:
        text = article.text[start:end]
        inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quoted)
        read.concepts.append(read_text(text, params.family_chars))
        own_voice = inside * 2 < end - start and normalise(text) != headline
        read.candidate.append(params.min_chars <= end - start <= params.max_chars and own_voice)
        read.paragraph.append(int(np.searchsorted(starts, start, side="right")) - 1)
        read.length.append(max(1, end - start))
        read.initials.append(initials_of(WORD.findall(text)))
    return read


def spelled_out(initials: Sequence[str], acronyms: frozenset[str]) -> list[tuple[int, str]]:
    """(line, abbreviation) for each run of words whose initials spell one of `acronyms`.

    A regular expression per length runs over all lines at once; a line
    whose lower case is longer or shorter than itself is checked word by word.
    """
    if not acronyms:
        return []
    pieces = [low if len(low) == len(line) else "" for line, low in ((line, line.lower()) for line in initials)]
    odd = [i for i, (line, piece) in enumerate(zip(initials, pieces, strict=True)) if len(line) != len(piece)]
    blob = "\n".join(pieces)
    starts = np.cumsum([0, *(len(piece) + 1 for piece in pieces[:-1])])
    found: list[tuple[int, str]] = []
    longest = max(len(a) for a in acronyms)
    for size in range(2, longest + 1):
        same_length = sorted(a for a in acronyms if len(a) == size)
        if same_length:
            pattern = re.compile(f"(?=({'|'.join(map(re.escape, same_length))}))")
            for match in pattern.finditer(blob):
                found.append((int(np.searchsorted(starts, match.start(), side="right")) - 1, match.group(1)))
    for line in odd:
        raw = initials[line]
        for size in range(2, longest + 1):
            for start in range(len(raw) - size + 1):
                if raw[start : start + size].lower() in acronyms:
                    found.append((line, raw[start : start + size].lower()))
    return found


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


@dataclass(frozen=True)
class Concepts:
    """The stored readings of every sentence of an index, in sentence order."""

    vocabulary: Vocabulary
    ids: npt.NDArray[np.int32]
    named: npt.NDArray[np.bool_]
    offsets: Ints  # where each sentence's concepts start in `ids`
    candidate: npt.NDArray[np.bool_]
    paragraph: npt.NDArray[np.int32]
    length: npt.NDArray[np.int32]
    initials: list[str]  # per sentence
    acronyms: list[frozenset[str]]  # per article
    title_ids: npt.NDArray[np.int32]
    title_offsets: Ints  # where each article's headline concepts start in `title_ids`
    title_initials: list[str]  # per article

    @classmethod
    def load(cls, folder: Path) -> Concepts:
        """Read a folder written by `ConceptsWriter` (memory-mapped arrays)."""
        arrays = {
            name: load_array(folder, name, dtype)
            for name, dtype in (
                ("sentence_concepts", np.int32),
                ("sentence_named", np.bool_),
                ("sentence_offsets", np.int64),
                ("candidate", np.bool_),
                ("paragraph", np.int32),
                ("length", np.int32),
                ("title_concepts", np.int32),
                ("title_offsets", np.int64),
            )
        }
        initials = _lines(folder / "initials.txt")
        titles = [line.split("\t") for line in _lines(folder / "titles.txt")]
        concepts = cls(
            Vocabulary.load(folder, "concept"),
            arrays["sentence_concepts"],
            arrays["sentence_named"],
            arrays["sentence_offsets"],
            arrays["candidate"],
            arrays["paragraph"],
            arrays["length"],
            initials,
            [frozenset(acronyms.split()) for acronyms, _ in titles],
            arrays["title_concepts"],
            arrays["title_offsets"],
            [title for _, title in titles],
        )
        sentences = len(concepts.candidate)
        if not (
            len(concepts.offsets) == sentences + 1
            and int(concepts.offsets[-1]) == len(concepts.ids) == len(concepts.named)
            and len(concepts.paragraph) == len(concepts.length) == len(initials) == sentences
            and len(concepts.title_offsets) == len(titles) + 1
            and int(concepts.title_offsets[-1]) == len(concepts.title_ids)
        ):
            msg = f"{folder.name}: concept arrays of different lengths"
            raise ValueError(msg)
        return concepts


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.split("\n")[:-1] if text else []


class ConceptsWriter:
    """Writes `brief/` (or keeps it in memory without a folder) article by article."""

    def __init__(self, folder: Path | None, vocabulary: dict[str, int] | None = None) -> None:
        self.folder = folder
        self.terms = vocabulary if vocabulary is not None else {}
        self._ids = Column(folder, "sentence_concepts", np.int32)
        self._named = Column(folder, "sentence_named", np.bool_)
        self._counts = Column(folder, "sentence_counts", np.int64)
        self._candidate = Column(folder, "candidate", np.bool_)
        self._paragraph = Column(folder, "paragraph", np.int32)
        self._length = Column(folder, "length", np.int32)
        self._title_ids = Column(folder, "title_concepts", np.int32)
        self._title_counts = Column(folder, "title_counts", np.int64)
        self._initials: list[str] = []
        self._acronyms: list[frozenset[str]] = []
        self._title_initials: list[str] = []

    @classmethod
    def of(cls, older: Concepts, folder: Path) -> ConceptsWriter:
        """A writer that keeps `older`'s concept ids, so its rows can be copied as they are."""
        return cls(folder, dict(older.vocabulary.items()))

    def add(self, article: ArticleConcepts) -> None:
        """Append an article's sentences."""
        for read in article.concepts:
            self._ids.append([self.terms.setdefault(c, len(self.terms)) for c in read])
            self._named.append(list(read.values()))
            self._counts.append(len(read))
        self._candidate.append(article.candidate)
        self._paragraph.append(article.paragraph)
        self._length.append(article.length)
        self._initials.extend(article.initials)
        self._acronyms.append(article.acronyms)
        self._title_ids.append([self.terms.setdefault(c, len(self.terms)) for c in article.title])
        self._title_counts.append(len(article.title))
        self._title_initials.append(article.title_initials)

    def copy(self, older: Concepts, articles: range, sentences: range) -> None:
        """Append the sentences of some articles of an older store (see `of`)."""
        first, last = int(older.offsets[sentences.start]), int(older.offsets[sentences.stop])
        self._ids.append(older.ids[first:last])
        self._named.append(older.named[first:last])
        self._counts.append(np.diff(older.offsets[sentences.start : sentences.stop + 1]))
        for name, column in (("candidate", self._candidate), ("paragraph", self._paragraph), ("length", self._length)):
            column.append(getattr(older, name)[sentences.start : sentences.stop])
        self._initials.extend(older.initials[sentences.start : sentences.stop])
        self._acronyms.extend(older.acronyms[articles.start : articles.stop])
        first, last = int(older.title_offsets[articles.start]), int(older.title_offsets[articles.stop])
        self._title_ids.append(older.title_ids[first:last])
        self._title_counts.append(np.diff(older.title_offsets[articles.start : articles.stop + 1]))
        self._title_initials.extend(older.title_initials[articles.start : articles.stop])

    def close(self) -> Concepts:
        """The finished readings (memory-mapped from the folder when there is one)."""
        ids, named, counts = self._ids.close(), self._named.close(), self._counts.close()
        candidate, paragraph, length = self._candidate.close(), self._paragraph.close(), self._length.close()
        title_ids, title_counts = self._title_ids.close(), self._title_counts.close()
        vocabulary = Vocabulary.from_dict(self.terms)
        if self.folder is None:
            return Concepts(
                vocabulary,
                ids,
                named,
                offsets(counts),
                candidate,
                paragraph,
                length,
                self._initials,
                self._acronyms,
                title_ids,
                offsets(title_counts),
                self._title_initials,
            )
        for name in ("sentence_counts", "title_counts"):
            (self.folder / f"{name}.npy").unlink()
        save_arrays(self.folder, sentence_offsets=offsets(counts), title_offsets=offsets(title_counts))
        vocabulary.save(self.folder, "concept")
        titles = [f"{' '.join(sorted(a))}\t{t}" for a, t in zip(self._acronyms, self._title_initials, strict=True)]
        for name, lines in (("initials", self._initials), ("titles", titles)):
            (self.folder / f"{name}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return Concepts.load(self.folder)
