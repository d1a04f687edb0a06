"""Sparse rows written to disk and inverted in blocks equal the same done naively in memory."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embeddings.index import postings
from embeddings.index.bm25 import BM25, Vocabulary, load_forward
from embeddings.index.postings import Ids, MatrixWriter, Postings, SparseMatrix, Values, invert, splice

DIM = 12

rows_strategy = st.lists(
    st.dictionaries(st.integers(0, DIM - 1), st.floats(0.125, 5.0, width=32), max_size=6),
    max_size=20,
)


def write(rows: list[dict[int, float]], folder: Path | None) -> SparseMatrix:
    writer = MatrixWriter(DIM, folder)
    for row in rows:
        writer.add(list(row), list(row.values()))
    return writer.close()


def doubled(rows: Ids, values: Values) -> Values:
    return (values * 2 + rows).astype(np.float32)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.integers(1, 7))
def test_blockwise_inversion_on_disk_equals_the_naive_one(rows: list[dict[int, float]], block: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        matrix = write(rows, Path(tmp) / "forward")
        postings = invert(matrix, doubled, Path(tmp) / "inverted", block=block)
        reloaded = Postings.load(Path(tmp) / "inverted", DIM)
        for feature in range(DIM):
            expected = [(r, 2 * row[feature] + r) for r, row in enumerate(rows) if feature in row]
            start, end = int(reloaded.starts[feature]), int(reloaded.starts[feature + 1])
            got = list(zip(reloaded.rows[start:end].tolist(), reloaded.weights[start:end].tolist(), strict=True))
            assert [r for r, _ in got] == [r for r, _ in expected]
            assert [w for _, w in got] == pytest.approx([w for _, w in expected], rel=1e-6)
            assert postings.frequency(feature) == len(expected)
        for i, row in enumerate(rows):
            assert matrix.row(i)[0].tolist() == list(row)
            assert float(matrix.norms[i]) == pytest.approx(float(np.linalg.norm(list(row.values()))), rel=1e-5)


@settings(max_examples=80, deadline=None)
@given(rows_strategy, st.lists(st.booleans(), max_size=20), rows_strategy, st.integers(0, 20))
def test_splicing_kept_and_added_rows_into_postings_equals_inverting_again(
    rows: list[dict[int, float]], keep: list[bool], added: list[dict[int, float]], at: int
) -> None:
    kept = [row for row, k in zip(rows, keep + [True] * len(rows), strict=False) if k]
    at = min(at, len(kept))
    new_rows = kept[:at] + added + kept[at:]
    moved, position = np.full(len(rows), -1, dtype=np.int32), 0
    for old, k in enumerate((keep + [True] * len(rows))[: len(rows)]):
        if k:
            moved[old] = position + (len(added) if position >= at else 0)
            position += 1
    new = write(new_rows, None)
    added_ids = np.arange(at, at + len(added), dtype=np.int32)
    spliced = splice(invert(write(rows, None), lambda r, v: v * 2), moved, new, added_ids, lambda r, v: v * 2)
    inverted = invert(new, lambda r, v: v * 2)
    assert spliced.starts.tolist() == inverted.starts.tolist()
    assert spliced.rows.tolist() == inverted.rows.tolist()
    assert spliced.weights.tolist() == inverted.weights.tolist()


def test_an_empty_matrix_inverts_to_empty_postings(tmp_path: Path) -> None:
    matrix = write([], tmp_path / "forward")
    assert len(matrix) == 0
    postings = invert(matrix, doubled, tmp_path / "inverted")
    assert postings.features == DIM
    assert len(postings.rows) == 0


def test_inconsistent_arrays_on_disk_are_refused(tmp_path: Path) -> None:
    write([{1: 1.0, 2: 2.0}], tmp_path / "m")
    np.save(tmp_path / "m" / "data.npy", np.zeros(5, np.float32))
    with pytest.raises(ValueError, match="different lengths"):
        SparseMatrix.load(tmp_path / "m")
    np.save(tmp_path / "m" / "data.npy", np.zeros(2, np.float64))
    with pytest.raises(ValueError, match="not a 1-d float32"):
        SparseMatrix.load(tmp_path / "m")


@given(st.sets(st.text(alphabet="абвгдеёжзabcxyzқә0123", min_size=1, max_size=6), max_size=40), st.text(max_size=6))
def test_the_vocabulary_finds_every_term_and_nothing_else(terms: set[str], other: str) -> None:
    mapping = {term: i for i, term in enumerate(sorted(terms, key=len))}
    vocabulary = Vocabulary.from_dict(mapping)
    assert len(vocabulary) == len(mapping)
    for term, i in mapping.items():
        assert vocabulary.get(term) == i
    assert vocabulary.get(other) == mapping.get(other)


def test_bm25_built_on_disk_loads_and_scores_like_one_in_memory(tmp_path: Path) -> None:
    documents = ["Торговля выросла вдвое", "Фестиваль музыки в столице", "торговля и музыка, музыка", "Қазақстан"]
    in_memory = BM25.build(documents)
    BM25.build(documents, tmp_path / "bm25")
    loaded = BM25.load(tmp_path / "bm25")
    assert len(load_forward(tmp_path / "bm25")) == 4  # each document's stem counts stay, for updates
    assert loaded.size == 4
    assert loaded.postings == in_memory.postings
    for query in ("музыка в столице", "торговли", "Қазақстан", "ничего общего"):
        assert loaded.scores(query).tolist() == pytest.approx(in_memory.scores(query).tolist())
    assert "музык" in loaded
    assert "отсутств" not in loaded


def test_npy_headers_are_read_by_one_thread_at_a_time(tmp_path: Path) -> None:
    np.save(tmp_path / "a.npy", np.arange(3, dtype=np.int32))
    loaded: list[npt.NDArray[Any]] = []
    with postings._HEADER_LOCK:  # another thread is parsing a header
        reader = threading.Thread(target=lambda: loaded.append(postings.load_npy(tmp_path / "a.npy")))
        reader.start()
        reader.join(timeout=0.5)
        assert reader.is_alive()  # it waits its turn
        assert not loaded
    reader.join(timeout=5)
    assert loaded[0].tolist() == [0, 1, 2]
