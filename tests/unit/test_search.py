from __future__ import annotations

import pytest

from embeddings.pipeline import Pipeline
from embeddings.retrieve.search import reciprocal_rank_fusion


def test_rrf_rewards_agreement_and_respects_weights() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], [1.0, 1.0], k=10)
    assert max(fused, key=fused.__getitem__) == 1
    assert fused[1] == pytest.approx(1 / 11 + 1 / 12)
    heavy = reciprocal_rank_fusion([[1, 2], [2, 1]], [1.0, 3.0], k=10)
    assert heavy[2] > heavy[1]


def test_hybrid_search_returns_k_passages_best_first(tiny_pipeline: Pipeline) -> None:
    result = tiny_pipeline.retriever.search("фестиваль оркестры", k=3)
    assert result.passages
    assert result.passages[0].article.id == "002_culture"
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)
    assert len({p.chunk_id for p in result.passages}) == len(result.passages)


def test_lexical_only_hits_still_get_a_dense_score(tiny_pipeline: Pipeline) -> None:
    result = tiny_pipeline.retriever.search("тракторов", k=len(tiny_pipeline.index.chunks))
    assert all(-1.0 <= p.dense <= 1.0 for p in result.passages)
