"""BM25 over Snowball-stemmed tokens, with an inverted file.

Russian and English words are stemmed with PyStemmer (Kazakh words, which
Snowball has no stemmer for, are kept whole). A query touches only the
postings of its own terms, so the cost grows with the matches, not with the
corpus. The index is built with the rest of the index folder and
memory-mapped on load (see `postings.py`).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from embeddings.index.postings import Ids, MatrixWriter, Postings, SparseMatrix, Values, invert, load_array, save_arrays
from embeddings.text import STOPWORDS, tokenize, words


class Vocabulary:
    """Terms -> ids: the terms sorted in one UTF-8 blob, looked up by bisection.

    Saved as arrays and memory-mapped, so a large vocabulary costs pages on
    disk, not a dict of every term in memory.
    """

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], ids: npt.NDArray[np.int32]) -> None:
        self._blob, self._offsets, self._ids = blob, offsets, ids

    @classmethod
    def from_dict(cls, terms: dict[str, int]) -> Vocabulary:
        """The vocabulary of a term -> id mapping."""
        ordered = sorted(terms)  # UTF-8 byte order is code point order
        encoded = [t.encode() for t in ordered]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
        return cls(blob, offsets, np.array([terms[t] for t in ordered], dtype=np.int32))

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        """Every term, in sorted order."""
        blob = self._blob.tobytes()
        bounds = self._offsets.tolist()
        return (blob[start:end].decode() for start, end in itertools.pairwise(bounds))

    def items(self) -> Iterator[tuple[str, int]]:
        """Every (term, id) pair, in sorted order of the terms."""
        return zip(self, self._ids.tolist(), strict=True)

    def _term(self, position: int) -> bytes:
        return self._blob[self._offsets[position] : self._offsets[position + 1]].tobytes()

    def _position(self, key: bytes) -> int:
        """Where `key` is, or would be, in the sorted terms."""
        low, high = 0, len(self._ids)
        while low < high:
            middle = (low + high) // 2
            if self._term(middle) < key:
                low = middle + 1
            else:
                high = middle
        return low

    def get(self, term: str) -> int | None:
        """The id of `term`, or None when the corpus never had it."""
        key = term.encode()
        low = self._position(key)
        return int(self._ids[low]) if low < len(self._ids) and self._term(low) == key else None

    def prefixed(self, prefix: str, limit: int = 64) -> list[str]:
        """Up to `limit` terms that begin with `prefix`, in sorted order."""
        key = prefix.encode()
        found: list[str] = []
        position = self._position(key)
        while position < len(self._ids) and len(found) < limit:
            term = self._term(position)
            if not term.startswith(key):
                break
            found.append(term.decode())
            position += 1
        return found

    def save(self, folder: Path, name: str = "term") -> None:
        """Write as `.npy` files in `folder`, named after `name`."""
        arrays: dict[str, npt.NDArray[Any]] = {f"{name}s": self._blob, f"{name}_offsets": self._offsets}
        save_arrays(folder, **arrays, **{f"{name}_ids": self._ids})

    @classmethod
    def load(cls, folder: Path, name: str = "term") -> Vocabulary:
        """Memory-map a vocabulary written by `save`."""
        blob = load_array(folder, f"{name}s", np.uint8)
        offsets, ids = load_array(folder, f"{name}_offsets", np.int64), load_array(folder, f"{name}_ids", np.int32)
        if len(offsets) != len(ids) + 1 or int(offsets[-1]) != len(blob):
            msg = f"{folder.name}: vocabulary arrays of different lengths"
            raise ValueError(msg)
        return cls(blob, offsets, ids)


class BM25:
    """Okapi BM25 with `k1`, `b` over an inverted file of stems.

    Built in one streaming pass over the documents (term counts go to a
    forward matrix on disk, kept for incremental updates: see `Documents`)
    and one inversion; the postings carry the BM25 term weights, so a query
    adds idf x weight over its terms' postings.
    """

    def __init__(
        self, vocabulary: Vocabulary, postings: Postings, size: int, *, k1: float, b: float, words: Vocabulary
    ) -> None:
        self.vocabulary, self._inverted, self.size, self.k1, self.b = vocabulary, postings, size, k1, b
        self.words = words  # the folded words of the documents as written (counts as ids), for spelling matches

    @classmethod
    def build(cls, documents: Iterable[str], folder: Path | None = None, *, k1: float = 1.2, b: float = 0.75) -> BM25:
        """Index `documents` into `folder` (memory-mapped afterwards), or in memory without one."""
        writer = Documents(folder)
        for doc in documents:
            writer.add(doc)
        return writer.finish(k1=k1, b=b)

    @classmethod
    def load(cls, folder: Path) -> BM25:
        """Memory-map a folder written by `build`; missing or inconsistent parts raise ValueError or OSError."""
        meta = json.loads((folder / "bm25.json").read_text(encoding="utf-8"))
        vocabulary = Vocabulary.load(folder)
        postings = Postings.load(folder, len(vocabulary))
        words = Vocabulary.load(folder, "word")
        return cls(vocabulary, postings, int(meta["documents"]), k1=float(meta["k1"]), b=float(meta["b"]), words=words)

    @property
    def postings(self) -> int:
        """How many (term, document) pairs the index holds."""
        return len(self._inverted.rows)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (stemmed) term; 0 for unknown terms."""
        row = self.vocabulary.get(term)
        return 0.0 if row is None else self._idf(row)

    def share(self, term: str) -> float:
        """The share of the documents that hold a (stemmed) term; 0 for unknown terms."""
        row = self.vocabulary.get(term)
        return 0.0 if row is None or not self.size else self._inverted.frequency(row) / self.size

    def _idf(self, row: int) -> float:
        df = self._inverted.frequency(row)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.vocabulary.get(term) is not None

    def scores(self, query: str | Iterable[str]) -> npt.NDArray[np.float32]:
        """BM25 score of every document for `query`, a text or its stems (zeros where nothing matches)."""
        total = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query) if isinstance(query, str) else query):
            row = self.vocabulary.get(term)
            if row is not None:
                self._inverted.accumulate(total, row, self._idf(row))
        return total

    def top(self, query: str | Iterable[str], k: int) -> list[tuple[int, float]]:
        """The `k` best documents with a positive score, best first."""
        scores = self.scores(query)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        best = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in best]


class Documents:
    """BM25's rows, document by document: each one's stem counts, and the words of all of them as written.

    A build adds every document; an update starts from an older index's
    terms and words (`Documents.of`), copies the rows of the documents it
    keeps, adds the new ones and forgets the words of the removed ones.
    `finish` drops the stems no document uses any more, weighs and inverts.
    """

    def __init__(self, folder: Path | None, terms: dict[str, int] | None = None, surface: Counter[str] | None = None):
        self.folder = folder
        self.terms = terms if terms is not None else {}
        self.surface = surface if surface is not None else Counter()
        self._forward = MatrixWriter(0, folder / FORWARD if folder else None)

    @classmethod
    def of(cls, older: BM25, folder: Path) -> Documents:
        """A writer that starts from `older`'s stems and word counts (its rows are copied with `copy`)."""
        return cls(folder, dict(older.vocabulary.items()), Counter(dict(older.words.items())))

    def add(self, doc: str, unwritten: str = "") -> None:
        """Append a document, searched also by the `unwritten` words it means: each counts once, if `doc` does not
        hold it (a pronoun adds a name the text does not write, never weight to one it does)."""
        self.surface.update(_surface_words(doc))
        counts = Counter(tokenize(doc))
        counts.update(dict.fromkeys(set(tokenize(unwritten)) - counts.keys(), 1))
        self._forward.add([self.terms.setdefault(t, len(self.terms)) for t in counts], list(counts.values()))

    def copy(self, older: SparseMatrix, rows: range) -> None:
        """Append rows of an older forward matrix whose term ids are this writer's (see `of`)."""
        self._forward.extend(older, rows)

    def forget(self, doc: str) -> None:
        """Take a removed document's words out of the word counts (its row is simply not copied)."""
        self.surface.subtract(_surface_words(doc))

    def finish(self, *, k1: float = 1.2, b: float = 0.75) -> BM25:
        """Weigh and invert the rows; with a folder, save everything and load it memory-mapped."""
        folder = self.folder
        matrix = _drop_unused(self._forward.close(len(self.terms)), self.terms, folder)
        length = np.zeros(len(matrix), dtype=np.float64)
        for rows, _, counts in matrix.blocks():
            length += np.bincount(rows, weights=counts, minlength=len(matrix))
        length32 = length.astype(np.float32)
        average = float(length32.mean()) if len(length32) and length32.mean() > 0 else 1.0

        def weigh(rows: Ids, frequency: Values) -> Values:
            norm = k1 * (1 - b + b * length32[rows] / average)
            return (frequency * (k1 + 1) / (frequency + norm)).astype(np.float32)

        postings = invert(matrix, weigh, folder)
        vocabulary = Vocabulary.from_dict(self.terms)
        word_vocabulary = Vocabulary.from_dict({w: n for w, n in self.surface.items() if n > 0})
        if folder is None:
            return BM25(vocabulary, postings, len(matrix), k1=k1, b=b, words=word_vocabulary)
        del matrix
        vocabulary.save(folder)
        word_vocabulary.save(folder, "word")
        meta = {"documents": len(length), "k1": k1, "b": b}
        (folder / "bm25.json").write_text(json.dumps(meta), encoding="utf-8")
        return BM25.load(folder)


FORWARD = "forward"  # the folder of each document's stem counts, beside the postings


def load_forward(folder: Path) -> SparseMatrix:
    """The stem counts of every document of a BM25 folder (term ids are the vocabulary's)."""
    return SparseMatrix.load(folder / FORWARD)


def _surface_words(doc: str) -> list[str]:
    return [w for w in words(doc) if w not in STOPWORDS and len(w) > 1]


def _drop_unused(matrix: SparseMatrix, terms: dict[str, int], folder: Path | None) -> SparseMatrix:
    """Renumber the stems that some row uses (dropping the rest from `terms`); as it was when all are used."""
    used = np.zeros(len(terms), dtype=np.int64)
    for _, features, _ in matrix.blocks():
        used += np.bincount(features, minlength=len(terms))
    if used.all():
        return matrix
    renumber = np.cumsum(used > 0) - 1
    for term, old in list(terms.items()):
        if used[old]:
            terms[term] = int(renumber[old])
        else:
            del terms[term]
    indices = renumber[np.asarray(matrix.indices)].astype(np.int32)
    if folder is None:
        return replace(matrix, dim=len(terms), indices=indices)
    forward = folder / FORWARD
    save_arrays(forward, indices=indices, dim=np.array([len(terms)], dtype=np.int64))
    return SparseMatrix.load(forward)
