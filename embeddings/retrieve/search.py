"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings, fused by RRF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.encode.encoders import Encoder, Vectors
from embeddings.encode.latent import SparseVector, cosine
from embeddings.index.load import LoadedIndex
from embeddings.ingest.chunking import Chunk
from embeddings.ingest.corpus import Article

# A small k lets the top ranks dominate; the lexical ranking counts half as much,
# since it says nothing for questions in another language (measured by `make eval`).
RRF_K = 10
LEXICAL_WEIGHT = 0.5
SPARSE_WEIGHT = 1.0


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
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> dict[int, float]:
    """Fuse rankings of ids: each id scores the sum of weight / (k + rank) over the rankings."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class Retriever:
    """Finds the passages closest to a question in a loaded index."""

    def __init__(self, index: LoadedIndex, encoder: Encoder, *, depth: int = 30) -> None:
        self.index = index
        self.encoder = encoder
        self.depth = depth
        self.bm25 = index.bm25

    def search(
        self, question: str, k: int, query_vector: Vectors | None = None, query_sparse: SparseVector | None = None
    ) -> SearchResult:
        """The `k` best passages for `question` (fewer only if the corpus is smaller).

        Dense (FAISS), lexical (BM25) and, when the index has them, sparse
        latent-term rankings are fused by weighted reciprocal rank.
        """
        if query_vector is None:
            query_vector = self.encoder.encode_queries([question])[0]
        depth = min(max(self.depth, k), len(self.index.chunks))
        scores, ids = self.index.chunk_index.search(query_vector.reshape(1, -1), depth)
        dense = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
        lexical = dict(self.bm25.top(question, depth))
        sparse: dict[int, float] = {}
        if query_sparse is not None and self.index.sparse_chunks is not None:
            sparse = dict(self.index.sparse_chunks.top(query_sparse, depth))
        fused = reciprocal_rank_fusion([list(dense), list(lexical), list(sparse)], [1.0, LEXICAL_WEIGHT, SPARSE_WEIGHT])
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
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
