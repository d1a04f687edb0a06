"""Learned sparse vectors ("latent terms"): the type the encoders return and their cosine."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SparseVector = tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]
PASSAGE_TOP_K = 256
QUERY_TOP_K = 64


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Cosine similarity of two sparse vectors."""
    common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    if not len(common):
        return 0.0
    norm = float(np.linalg.norm(a[1]) * np.linalg.norm(b[1]))
    return float(a[1][ia] @ b[1][ib]) / norm if norm else 0.0
