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


def test_every_passage_carries_its_true_dense_similarity(tiny_pipeline: Pipeline) -> None:
    index = tiny_pipeline.index
    vector = tiny_pipeline.encoder.encode_queries(["тракторов"])[0]
    # k below the corpus size: FAISS returns some chunks, BM25 may add others only it found.
    result = tiny_pipeline.retriever.search("тракторов", k=2, query_vector=vector)
    for passage in result.passages:
        expected = float(index.chunk_index.reconstruct(passage.chunk_id) @ vector)
        assert passage.dense == pytest.approx(expected, abs=1e-5)


def test_the_best_lexical_hits_are_always_read(tiny_pipeline: Pipeline) -> None:
    index = tiny_pipeline.index
    lexical = [chunk for chunk, _ in index.bm25.top("Гродно", 3)]
    assert lexical
    # A query vector pointing elsewhere: fusion alone would not put the Гродно passage first.
    elsewhere = tiny_pipeline.encoder.encode_queries(["товарооборот долларов"])[0]
    result = tiny_pipeline.retriever.search("Гродно", k=1, query_vector=elsewhere)
    ids = [p.chunk_id for p in result.passages]
    assert set(lexical[: tiny_pipeline.params.fusion.lexical_extra]) <= set(ids)


def test_bm25_searches_the_stems_it_is_given(tiny_pipeline: Pipeline) -> None:
    # "Гроднода" (Kazakh: "in Grodno") shares no stem with the articles; the reading maps it to "гродн".
    plain = tiny_pipeline.retriever.search("Гроднода", k=5)
    mapped = tiny_pipeline.retriever.search("Гроднода", k=5, stems=["гродн"])
    assert all(p.lexical == 0.0 for p in plain.passages)
    assert any(p.lexical > 0.0 and "Гродно" in p.chunk.text for p in mapped.passages)
