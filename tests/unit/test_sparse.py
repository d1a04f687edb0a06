from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.encode.latent import SparseVector, cosine
from embeddings.index.postings import Postings
from embeddings.index.sparse import SparseIndex, SparseMatrix
from embeddings.pipeline import Pipeline


def vec(pairs: dict[int, float]) -> SparseVector:
    return np.array(list(pairs), dtype=np.int32), np.array(list(pairs.values()), dtype=np.float32)


ROWS = [vec({1: 1.0, 5: 2.0}), vec({5: 1.0, 9: 1.0, 3: 0.5}), vec({7: 3.0})]


def dense(v: SparseVector, dim: int = 16) -> np.ndarray:
    out = np.zeros(dim, dtype=np.float32)
    out[v[0]] = v[1]
    return out


def test_inverted_index_scores_equal_brute_force_cosine() -> None:
    index = SparseIndex.build(SparseMatrix.from_rows(ROWS, 16))
    query = vec({5: 1.0, 3: 2.0, 11: 1.0})
    expected = [float(dense(r) @ dense(query) / np.linalg.norm(dense(r)) / np.linalg.norm(dense(query))) for r in ROWS]
    assert index.scores(query).tolist() == pytest.approx(expected, rel=1e-5)
    assert [i for i, _ in index.top(query, 5)] == [1, 0]  # row 2 shares nothing
    assert cosine(ROWS[1], query) == pytest.approx(expected[1], rel=1e-5)


def test_coverage_is_the_query_weight_on_features_the_corpus_has() -> None:
    index = SparseIndex.build(SparseMatrix.from_rows(ROWS, 16))
    assert index.coverage(vec({1: 1.0, 7: 1.0})) == pytest.approx(1.0)
    assert index.coverage(vec({1: 1.0, 12: 3.0})) == pytest.approx(0.25)
    assert index.coverage(vec({})) == 0.0


def test_matrix_round_trips_through_a_folder(tmp_path: Path) -> None:
    matrix = SparseMatrix.from_rows(ROWS, 16)
    matrix.save(tmp_path / "m")
    loaded = SparseMatrix.load(tmp_path / "m")
    assert len(loaded) == 3
    for i in range(3):
        assert loaded.row(i)[0].tolist() == ROWS[i][0].tolist()
        assert loaded.row(i)[1].tolist() == pytest.approx(ROWS[i][1].tolist())


def test_an_index_built_on_disk_scores_like_one_in_memory(tmp_path: Path) -> None:
    on_disk = SparseIndex.build(SparseMatrix.from_rows(ROWS, 16), tmp_path / "postings")
    reloaded = SparseIndex(on_disk.matrix, Postings.load(tmp_path / "postings", 16))
    query = vec({5: 1.0, 3: 2.0, 7: 0.5})
    expected = SparseIndex.build(SparseMatrix.from_rows(ROWS, 16)).scores(query).tolist()
    assert reloaded.scores(query).tolist() == pytest.approx(expected)


@pytest.mark.slow
def test_the_real_index_carries_latent_terms_that_tell_covered_from_foreign(real_pipeline: Pipeline) -> None:
    index = real_pipeline.index
    assert index.manifest["sparse"] == {"dim": 16384, "passage_top_k": 256, "query_top_k": 64}
    assert index.sparse_chunks is not None
    assert index.sparse_windows is not None
    assert len(index.sparse_windows) == len(index.windows)
    on_topic = real_pipeline.sparse_query("Где депутаты возложили цветы?")
    off_topic = real_pipeline.sparse_query("Как приготовить узбекский плов?")
    assert on_topic is not None
    assert off_topic is not None
    assert index.sparse_chunks.coverage(on_topic) > index.sparse_chunks.coverage(off_topic)


def test_an_encoder_without_a_sparse_head_builds_a_dense_only_index(tiny_pipeline: Pipeline) -> None:
    assert tiny_pipeline.index.manifest["sparse"] is None
    assert tiny_pipeline.index.sparse_chunks is None
    assert tiny_pipeline.ask("фестиваль оркестры").passages
