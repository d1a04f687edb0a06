"""Sparse rows and their inverted files, written in bounded memory and memory-mapped on load.

Both lexical retrieval (BM25 over stems) and the learned sparse vectors keep
two structures:

- a forward matrix (`SparseMatrix`): for every row (a passage), its feature
  ids and values, in CSR form;
- its inversion (`Postings`): for every feature, the rows it occurs in and a
  precomputed weight, so a query touches only the postings of its own
  features.

Each is a folder of `.npy` arrays. A writer streams rows to disk and the
inversion is a counting sort in two passes over the forward matrix (count per
feature, then scatter block by block), so building needs memory for one
block, not for the corpus; loading memory-maps the arrays, so only the pages
a query touches are ever read. Without a folder the same code keeps the
arrays in memory (small corpora and tests).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.int32]
Values = npt.NDArray[np.float32]
Weigh = Callable[[Ids, Values], Values]  # (rows, values) of a block -> posting weights

BLOCK = 1 << 20  # entries per block when streaming
_COPY = 1 << 22  # entries per copy when turning raw files into .npy


def new_array(folder: Path | None, name: str, dtype: Any, length: int) -> npt.NDArray[Any]:
    """A 1-d array: a writable memory-mapped `.npy` file in `folder`, or plain memory without one."""
    if folder is None:
        return np.zeros(length, dtype=dtype)
    return np.lib.format.open_memmap(folder / f"{name}.npy", mode="w+", dtype=dtype, shape=(length,))


def save_arrays(folder: Path, **arrays: npt.NDArray[Any]) -> None:
    """Write each array as `{name}.npy` in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=False)


def _flush(array: npt.NDArray[Any]) -> None:
    if isinstance(array, np.memmap):
        array.flush()


def load_array(folder: Path, name: str, dtype: Any) -> npt.NDArray[Any]:
    """A 1-d `.npy` array of `folder`, memory-mapped read-only; a wrong type raises ValueError."""
    array: npt.NDArray[Any] = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    if array.ndim != 1 or array.dtype != np.dtype(dtype):
        msg = f"{folder.name}/{name}.npy holds {array.dtype} of shape {array.shape}, not a 1-d {np.dtype(dtype)}"
        raise ValueError(msg)
    # A plain ndarray over the same mapping: numpy's memmap subclass costs ~2 us per slice.
    return array.view(np.ndarray)


@dataclass(frozen=True)
class SparseMatrix:
    """Rows of sparse vectors in CSR form, with their L2 norms."""

    dim: int
    indptr: npt.NDArray[np.int64]
    indices: Ids
    data: Values
    norms: Values

    @classmethod
    def from_rows(cls, rows: list[tuple[Ids, Values]], dim: int) -> SparseMatrix:
        """Stack sparse rows in memory."""
        writer = MatrixWriter(dim)
        for ids, values in rows:
            writer.add(ids, values)
        return writer.close()

    def row(self, i: int) -> tuple[Ids, Values]:
        """Row `i` as (feature ids, values)."""
        start, end = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[start:end], self.data[start:end]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @property
    def entries(self) -> int:
        """How many non-zero values the matrix holds."""
        return int(self.indptr[-1])

    def blocks(self, size: int = BLOCK) -> Iterator[tuple[Ids, Ids, Values]]:
        """(row ids, feature ids, values) of about `size` entries at a time, whole rows, in row order."""
        first = 0
        while first < len(self):
            last = int(np.searchsorted(self.indptr, self.indptr[first] + size, side="right")) - 1
            last = min(max(last, first + 1), len(self))
            start, end = int(self.indptr[first]), int(self.indptr[last])
            lengths = np.diff(self.indptr[first : last + 1])
            rows = np.repeat(np.arange(first, last, dtype=np.int32), lengths)
            yield rows, np.asarray(self.indices[start:end]), np.asarray(self.data[start:end])
            first = last

    def save(self, folder: Path) -> None:
        """Write as `.npy` files in `folder` (created)."""
        dim = np.array([self.dim], dtype=np.int64)
        save_arrays(folder, indptr=self.indptr, indices=self.indices, data=self.data, norms=self.norms, dim=dim)

    @classmethod
    def load(cls, folder: Path) -> SparseMatrix:
        """Memory-map a folder written by `save` or `MatrixWriter`; inconsistent arrays raise ValueError."""
        dim = int(load_array(folder, "dim", np.int64)[0])
        indptr = load_array(folder, "indptr", np.int64)
        indices, data = load_array(folder, "indices", np.int32), load_array(folder, "data", np.float32)
        norms = load_array(folder, "norms", np.float32)
        if (
            not len(indptr)
            or len(indices) != len(data)
            or int(indptr[-1]) != len(indices)
            or len(norms) != len(indptr) - 1
        ):
            msg = f"{folder.name}: sparse arrays of different lengths"
            raise ValueError(msg)
        return cls(dim, indptr, indices, data, norms)


class Column:
    """A 1-d array written piece by piece: appended to a raw file in `folder`, or kept in memory.

    `close` turns the raw file into `{name}.npy` (copied in slices, so never
    whole in memory) and returns it memory-mapped.
    """

    def __init__(self, folder: Path | None, name: str, dtype: Any) -> None:
        self.folder, self.name, self.dtype = folder, name, np.dtype(dtype)
        self._parts: list[npt.NDArray[Any]] = []
        self._file: BinaryIO | None = None
        self._length = 0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._file = (folder / f"{name}.raw").open("wb")

    def __len__(self) -> int:
        return self._length

    def append(self, values: npt.ArrayLike) -> None:
        """Append values (a scalar or a sequence)."""
        array = np.asarray(values, dtype=self.dtype).reshape(-1)
        self._length += len(array)
        if self._file is not None:
            self._file.write(array.tobytes())
        else:
            self._parts.append(array)

    def close(self) -> npt.NDArray[Any]:
        """The finished array."""
        if self._file is None or self.folder is None:
            return np.concatenate(self._parts) if self._parts else np.zeros(0, self.dtype)
        self._file.close()
        raw = self.folder / f"{self.name}.raw"
        source = np.memmap(raw, dtype=self.dtype, mode="r") if self._length else np.zeros(0, self.dtype)
        target = new_array(self.folder, self.name, self.dtype, self._length)
        for start in range(0, self._length, _COPY):
            target[start : start + _COPY] = source[start : start + _COPY]
        _flush(target)
        del source, target
        raw.unlink()
        return load_array(self.folder, self.name, self.dtype)


def offsets(lengths: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Start offsets of consecutive runs of `lengths`, plus the total at the end."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


class MatrixWriter:
    """Builds a `SparseMatrix` row by row: appended to raw files in `folder`, or in memory without one."""

    def __init__(self, dim: int, folder: Path | None = None) -> None:
        self.dim, self.folder = dim, folder
        self._indices = Column(folder, "indices", np.int32)
        self._data = Column(folder, "data", np.float32)
        self._lengths = Column(folder, "lengths", np.int64)
        self._norms = Column(folder, "norms", np.float32)

    def add(self, ids: npt.ArrayLike, values: npt.ArrayLike) -> None:
        """Append one row."""
        ids32, values32 = np.asarray(ids, dtype=np.int32), np.asarray(values, dtype=np.float32)
        if ids32.shape != values32.shape:
            msg = "a sparse row needs as many ids as values"
            raise ValueError(msg)
        self._indices.append(ids32)
        self._data.append(values32)
        self._lengths.append(len(ids32))
        self._norms.append(np.linalg.norm(values32))

    def close(self, dim: int | None = None) -> SparseMatrix:
        """Finish the matrix (memory-mapped from the folder when there is one).

        `dim` sets the feature count when it was not known up front (a vocabulary grown while writing).
        """
        self.dim = self.dim if dim is None else dim
        indices, data, norms = self._indices.close(), self._data.close(), self._norms.close()
        indptr = offsets(self._lengths.close())
        if self.folder is None:
            return SparseMatrix(self.dim, indptr, indices, data, norms)
        (self.folder / "lengths.npy").unlink()
        save_arrays(self.folder, indptr=indptr, dim=np.array([self.dim], dtype=np.int64))
        return SparseMatrix.load(self.folder)


@dataclass(frozen=True)
class Postings:
    """Inverted file: for feature `f`, `rows[starts[f]:starts[f+1]]` in row order and their `weights`."""

    starts: npt.NDArray[np.int64]
    rows: Ids
    weights: Values

    @property
    def features(self) -> int:
        """How many features (terms) the file has a slot for."""
        return len(self.starts) - 1

    def frequency(self, feature: int) -> int:
        """In how many rows `feature` occurs."""
        return int(self.starts[feature + 1] - self.starts[feature])

    def accumulate(self, total: Values, feature: int, scale: float) -> None:
        """Add `scale` x the feature's weight to `total` at each of its rows."""
        start, end = int(self.starts[feature]), int(self.starts[feature + 1])
        if start < end:
            total[self.rows[start:end]] += scale * self.weights[start:end]

    def save(self, folder: Path) -> None:
        """Write as `.npy` files in `folder` (created)."""
        save_arrays(folder, starts=self.starts, rows=self.rows, weights=self.weights)

    @classmethod
    def load(cls, folder: Path, features: int) -> Postings:
        """Memory-map a folder written by `save` or `invert`; inconsistent arrays raise ValueError."""
        starts = load_array(folder, "starts", np.int64)
        rows, weights = load_array(folder, "rows", np.int32), load_array(folder, "weights", np.float32)
        if len(starts) != features + 1 or int(starts[-1]) != len(rows) or len(rows) != len(weights):
            msg = f"{folder.name}: postings arrays of different lengths"
            raise ValueError(msg)
        return cls(starts, rows, weights)


def invert(matrix: SparseMatrix, weigh: Weigh, folder: Path | None = None, block: int = BLOCK) -> Postings:
    """The postings of `matrix`, each weighted by `weigh`, written to `folder` (or kept in memory).

    A counting sort: the first pass counts the rows of every feature, the
    second places each block's entries at their feature's cursor. Blocks come
    in row order and the in-block sort is stable, so every feature's rows end
    up sorted.
    """
    counts = np.zeros(matrix.dim, dtype=np.int64)
    for _, features, _ in matrix.blocks(block):
        counts += np.bincount(features, minlength=matrix.dim)
    starts = np.zeros(matrix.dim + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    if folder is not None:
        save_arrays(folder, starts=starts)
    rows_out = new_array(folder, "rows", np.int32, int(starts[-1]))
    weights_out = new_array(folder, "weights", np.float32, int(starts[-1]))
    cursor = starts[:-1].copy()
    for rows, features, values in matrix.blocks(block):
        order = np.argsort(features, kind="stable")
        grouped = features[order]
        rank = np.arange(len(grouped)) - np.searchsorted(grouped, grouped, side="left")
        at = cursor[grouped] + rank
        rows_out[at] = rows[order]
        weights_out[at] = weigh(rows[order], values[order])
        cursor += np.bincount(features, minlength=matrix.dim)
    if folder is None:
        return Postings(starts, rows_out, weights_out)
    _flush(rows_out)
    _flush(weights_out)
    del rows_out, weights_out
    return Postings.load(folder, matrix.dim)


def remove(folder: Path) -> None:
    """Delete a folder of arrays (a build's intermediate)."""
    shutil.rmtree(folder, ignore_errors=True)
