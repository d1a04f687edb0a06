"""Hybrid retrieval: dense (FAISS), lexical (BM25) and latent-term rankings, fused by RRF.

The weights and depths are `params.Fusion`. The few best lexical hits are
always kept beside the fused ones: a passage that alone holds a rare name
the question asks about ("Ольховка") must reach the answer stage whatever
the dense rankings think of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.encode.encoders import Encoder, Vectors
from embeddings.encode.latent import SparseVector, cosine
from embeddings.index.load import LoadedIndex
from embeddings.ingest.chunking import Chunk
from embeddings.ingest.corpus import Article
from embeddings.params import Fusion


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores.

    `score` is the fused one; in an `Answer` it is the score of the passage's
    best evidence window, by which the answer stage reranks the passages.
    """

    chunk_id: int
    chunk: Chunk
    article: Article
    score: float
    dense: float
    lexical: float
    sparse: float = 0.0


@dataclass(frozen=True)
class SearchResult:
    """Passages best first, plus the query's vectors for later stages."""

    query_vector: Vectors
    passages: list[Passage]
    query_sparse: SparseVector | None = None


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = 10
) -> dict[int, float]:
    """Fuse rankings of ids: each id scores the sum of weight / (k + rank) over the rankings."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class Retriever:
    """Finds the passages closest to a question in a loaded index."""

    def __init__(self, index: LoadedIndex, encoder: Encoder, params: Fusion) -> None:
        self.index = index
        self.encoder = encoder
        self.params = params
        self.bm25 = index.bm25

    def search(
        self,
        question: str,
        k: int,
        query_vector: Vectors | None = None,
        query_sparse: SparseVector | None = None,
        stems: Sequence[str] | None = None,
    ) -> SearchResult:
        """The `k` best passages for `question` (fewer only if the corpus is smaller), and the best lexical hits.

        Dense (FAISS), lexical (BM25) and, when the index has them, sparse
        latent-term rankings are fused by weighted reciprocal rank. `stems`,
        when given, are the article stems the question's words stand for
        (Kazakh forms, Russian typed in Latin, names in English): BM25
        searches those instead of the words' own stems.
        """
        if query_vector is None:
            query_vector = self.encoder.encode_queries([question])[0]
        fusion = self.params
        depth = min(max(fusion.depth, k), len(self.index.chunks))
        scores, ids = self.index.chunk_index.search(query_vector.reshape(1, -1), depth)
        dense = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
        lexical = dict(self.bm25.top(question if stems is None else stems, depth))
        sparse: dict[int, float] = {}
        if query_sparse is not None and self.index.sparse_chunks is not None:
            sparse = dict(self.index.sparse_chunks.top(query_sparse, depth))
        fused = reciprocal_rank_fusion(
            [list(dense), list(lexical), list(sparse)], [fusion.dense, fusion.lexical, fusion.sparse], fusion.rrf_k
        )
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        best += [i for i in list(lexical)[: fusion.lexical_extra] if i not in best]
        missing = [i for i in best if i not in dense]
        if missing:
            # Lexical-only hits still need a dense score for the answer stage.
            vectors = np.vstack([self.index.chunk_index.reconstruct(i) for i in missing])
            dense.update(zip(missing, (vectors @ query_vector).tolist(), strict=True))
        passages = [
            Passage(
                chunk_id=i,
                chunk=self.index.chunks[i],
                article=self.index.articles[self.index.chunks[i].article_id],
                score=fused[i],
                dense=dense[i],
                lexical=lexical.get(i, 0.0),
                sparse=self._sparse_score(i, sparse, query_sparse),
            )
            for i in best
        ]
        return SearchResult(query_vector, passages, query_sparse)

    def _sparse_score(self, chunk_id: int, found: dict[int, float], query: SparseVector | None) -> float:
        if chunk_id in found or query is None or self.index.sparse_chunks is None:
            return found.get(chunk_id, 0.0)
        return cosine(self.index.sparse_chunks.matrix.row(chunk_id), query)
