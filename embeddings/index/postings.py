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

import io
import os
import shutil
import threading
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


def data_offset(path: Path) -> int:
    """Where the data of a `.npy` file starts (after its header)."""
    with path.open("rb") as handle:
        major, _ = np.lib.format.read_magic(handle)
        read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
        read_header(handle)
        return handle.tell()


def copy_range(source: Path, start: int, count: int, target: BinaryIO, at: int) -> None:
    """Copy `count` bytes of `source` from byte `start` into `target` at byte `at`, in the kernel where it can.

    An update copies most of an index this way: a few times faster than
    through Python, and no page of it passes through this process's memory.
    """
    with source.open("rb") as handle:
        done = 0
        while done < count:
            try:
                copied = os.copy_file_range(handle.fileno(), target.fileno(), count - done, start + done, at + done)
            except OSError:  # across filesystems on an older kernel, say: copy through a buffer
                copied = 0
            if not copied:
                handle.seek(start + done)
                piece = handle.read(min(count - done, 1 << 24))
                if not piece:
                    msg = f"{source} ends before byte {start + count}"
                    raise OSError(msg)
                copied = os.pwrite(target.fileno(), piece, at + done)
            done += copied


# numpy reads a `.npy` header with `ast.literal_eval`, and CPython 3.11's parser may raise "AST constructor recursion
# depth mismatch" when two threads parse at once (python/cpython#106905): replicas reload indexes in executors.
_HEADER_LOCK = threading.Lock()


def load_npy(path: Path, *, mmap: bool = True) -> npt.NDArray[Any]:
    """A `.npy` file, memory-mapped read-only (or read whole), its header parsed by one thread at a time."""
    with _HEADER_LOCK:
        array: npt.NDArray[Any] = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    return array


def load_array(folder: Path, name: str, dtype: Any) -> npt.NDArray[Any]:
    """A 1-d `.npy` array of `folder`, memory-mapped read-only; a wrong type raises ValueError."""
    array = load_npy(folder / f"{name}.npy")
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
    source: Path | None = None  # the folder it was loaded from

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
        return cls(dim, indptr, indices, data, norms, folder)


class Column:
    """A 1-d array written piece by piece: appended to `{name}.npy` in `folder`, or kept in memory.

    The file's header is written with the final length at `close`; until
    then it holds a placeholder of the same size (a `.npy` header of a 1-d
    array takes 128 bytes up to a length of 10**15).
    """

    HEADER = 128

    def __init__(self, folder: Path | None, name: str, dtype: Any) -> None:
        self.folder, self.name, self.dtype = folder, name, np.dtype(dtype)
        self._parts: list[npt.NDArray[Any]] = []
        self._file: BinaryIO | None = None
        self._length = 0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._file = (folder / f"{name}.npy").open("wb")
            self._file.write(b"\0" * self.HEADER)

    def __len__(self) -> int:
        return self._length

    def append(self, values: npt.ArrayLike) -> None:
        """Append values (a scalar or a sequence)."""
        array = np.asarray(values, dtype=self.dtype).reshape(-1)
        self._length += len(array)
        if self._file is not None:
            self._file.write(np.ascontiguousarray(array).data)
        else:
            self._parts.append(array)

    def append_file(self, source: Path, first: int, last: int) -> None:
        """Append items `first`..`last`-1 of a 1-d `.npy` file of the same type, copied file to file."""
        if self._file is None:
            self.append(load_npy(source)[first:last])
            return
        self._file.flush()
        at, count = self._file.tell(), (last - first) * self.dtype.itemsize
        copy_range(source, data_offset(source) + first * self.dtype.itemsize, count, self._file, at)
        self._file.seek(at + count)
        self._length += last - first

    def close(self) -> npt.NDArray[Any]:
        """The finished array (memory-mapped from its file when there is a folder)."""
        if self._file is None or self.folder is None:
            return np.concatenate(self._parts) if self._parts else np.zeros(0, self.dtype)
        header = io.BytesIO()
        fields = {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False, "shape": (self._length,)}
        np.lib.format.write_array_header_1_0(header, fields)
        if len(header.getvalue()) != self.HEADER:
            msg = f"{self.name}: a .npy header of {len(header.getvalue())} bytes"
            raise ValueError(msg)
        self._file.seek(0)
        self._file.write(header.getvalue())
        self._file.close()
        return load_array(self.folder, self.name, self.dtype)


def offsets(lengths: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Start offsets of consecutive runs of `lengths`, plus the total at the end."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


class MatrixWriter:
    """Builds a `SparseMatrix` row by row: appended to `.npy` files in `folder`, or in memory without one."""

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

    def extend(self, matrix: SparseMatrix, rows: range) -> None:
        """Append rows `rows` of another matrix as they are."""
        if not rows:
            return
        start, end = int(matrix.indptr[rows.start]), int(matrix.indptr[rows.stop])
        self._lengths.append(np.diff(matrix.indptr[rows.start : rows.stop + 1]))
        if matrix.source is not None:
            self._indices.append_file(matrix.source / "indices.npy", start, end)
            self._data.append_file(matrix.source / "data.npy", start, end)
            self._norms.append_file(matrix.source / "norms.npy", rows.start, rows.stop)
            return
        self._indices.append(matrix.indices[start:end])
        self._data.append(matrix.data[start:end])
        self._norms.append(matrix.norms[rows.start : rows.stop])

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
    del rows_out, weights_out  # unmapped: the pages are the file's, seen by every later reader
    return Postings.load(folder, matrix.dim)


def splice(
    older: Postings, moved: Ids, matrix: SparseMatrix, added: Ids, weigh: Weigh, folder: Path | None = None
) -> Postings:
    """The postings of `matrix`, from `older` (the postings of a matrix whose rows it kept) and its `added` rows.

    `moved[r]` is the row an older row `r` now has, or -1 when it was left
    out; kept rows keep their order, so each feature's older postings stay
    sorted, and the added rows' few entries are slotted in where they
    belong. Equals `invert(matrix, weigh)` when each row's weights depend on
    that row only, without touching the other rows' entries more than twice.
    """
    rows = moved[older.rows]
    weights = np.asarray(older.weights)
    kept_counts = np.diff(older.starts)
    if (rows < 0).any():
        kept = rows >= 0
        before = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])
        kept_counts = before[older.starts[1:]] - before[older.starts[:-1]]
        rows, weights = rows[kept], weights[kept]
    kept_starts = offsets(kept_counts)
    spans = [np.arange(matrix.indptr[r], matrix.indptr[r + 1]) for r in added.tolist()]
    entries = np.concatenate(spans) if spans else np.zeros(0, np.int64)
    new_rows = np.repeat(added.astype(np.int64), np.diff(matrix.indptr)[added])
    new_features = np.asarray(matrix.indices[entries], dtype=np.int64)
    order = np.lexsort((new_rows, new_features))
    new_rows, new_features = new_rows[order], new_features[order]
    new_weights = weigh(new_rows.astype(np.int32), np.asarray(matrix.data[entries])[order])
    at = np.asarray(
        [
            start + int(np.searchsorted(rows[start:end], row))
            for row, start, end in zip(
                new_rows.tolist(),
                kept_starts[new_features].tolist(),
                kept_starts[new_features + 1].tolist(),
                strict=True,
            )
        ],
        dtype=np.int64,
    )
    postings = Postings(
        offsets(kept_counts + np.bincount(new_features, minlength=older.features)),
        np.insert(rows, at, new_rows).astype(np.int32, copy=False),
        np.insert(weights, at, new_weights).astype(np.float32, copy=False),
    )
    if folder is None:
        return postings
    postings.save(folder)
    return Postings.load(folder, older.features)


def remove(folder: Path) -> None:
    """Delete a folder of arrays (a build's intermediate)."""
    shutil.rmtree(folder, ignore_errors=True)
