"""The manifest: what an index folder was built from, and whether it still fits.

`manifest.json` records the index format, the encoder, the chunking, the
sparse head, the tokenizer, a hash of the corpus and of each article, a hash
of the chunks, the FAISS parameters, the method of the brief and the counts.
A loaded index whose manifest differs from what the configuration expects
is stale and must be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from embeddings.annotate.annotator import ANNOTATOR_VERSION
from embeddings.encode.encoders import Encoder, EncoderSpec, SparseEncoder
from embeddings.encode.latent import PASSAGE_TOP_K, QUERY_TOP_K
from embeddings.errors import StaleIndexError
from embeddings.index.brief import BriefParams
from embeddings.ingest.chunking import ChunkingParams
from embeddings.ingest.corpus import Corpus
from embeddings.text import tokenizer_identity

FORMAT_VERSION = 11  # 6: brief.json; 7: annotations.json; 8: speakers in it; 9: versions, what an update needs;
# 10: BM25 documents hold the names their pronouns stand for; 11: a pair window's vector joins its sentences'
HNSW_ABOVE = 50_000  # chunks; below this exact search is both faster and exact
IVF_ABOVE = 500_000  # chunks; above this HNSW's float vectors and graph outgrow memory
IVF_NLIST_MAX = 8_192
TRAIN_PER_LIST = 40  # training vectors per IVF list (FAISS warns below 39)


@dataclass(frozen=True)
class IndexParams:
    """Which FAISS index to build; `auto` picks by corpus size.

    flat: exact search, up to `HNSW_ABOVE` chunks. hnsw: a graph over the
    float vectors. ivf: inverted lists over k-means cells with vectors
    stored as 8-bit scalars (a quarter of the memory), above `IVF_ABOVE`.
    """

    type: str = "auto"
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 64
    ivf_nlist: int = 0  # 0: about sqrt(chunks), at most IVF_NLIST_MAX
    ivf_nprobe: int = 32

    def resolve(self, count: int) -> IndexParams:
        """`auto` made concrete for `count` vectors (and the IVF list count fixed)."""
        kind = self.type
        if kind == "auto":
            kind = "flat" if count <= HNSW_ABOVE else "hnsw" if count <= IVF_ABOVE else "ivf"
        nlist = self.ivf_nlist or max(1, min(IVF_NLIST_MAX, int(count**0.5), count // TRAIN_PER_LIST))
        return replace(self, type=kind, ivf_nlist=nlist if kind == "ivf" else 0)

    def as_dict(self) -> dict[str, Any]:
        """The parameters that matter for the resolved type."""
        if self.type == "hnsw":
            return {
                "type": "hnsw",
                "m": self.hnsw_m,
                "ef_construction": self.hnsw_ef_construction,
                "ef_search": self.hnsw_ef_search,
            }
        if self.type == "ivf":
            return {
                "type": "ivf",
                "factory": f"IVF{self.ivf_nlist},SQ8",
                "nlist": self.ivf_nlist,
                "nprobe": self.ivf_nprobe,
            }
        return {"type": self.type}


def sparse_identity(encoder: Encoder, enabled: bool) -> dict[str, int] | None:
    """The sparse part of the manifest: None when the encoder has no sparse head or it is off."""
    if not enabled or not isinstance(encoder, SparseEncoder) or encoder.sparse_dim <= 0:
        return None
    return {"dim": encoder.sparse_dim, "passage_top_k": PASSAGE_TOP_K, "query_top_k": QUERY_TOP_K}


def expected_identity(
    corpus: Corpus, encoder: EncoderSpec, chunking: ChunkingParams, sparse: dict[str, int] | None = None
) -> dict[str, Any]:
    """What a fresh index for this corpus, encoder, chunking and sparse head must record."""
    return {
        "format": FORMAT_VERSION,
        "encoder": encoder.as_dict(),
        "chunking": chunking.as_dict(),
        "sparse": sparse,
        "tokenizer": tokenizer_identity(),
        "annotator": ANNOTATOR_VERSION,
        "corpus_hash": corpus.fingerprint(),
        "article_hashes": corpus.article_hashes(),
    }


def check_fresh(manifest: dict[str, Any], expected: dict[str, Any]) -> None:
    """Raise `StaleIndexError` saying what differs between `manifest` and `expected`."""
    reasons = []
    for key, label in (
        ("format", "index format"),
        ("encoder", "encoder"),
        ("chunking", "chunking parameters"),
        ("sparse", "sparse-term settings"),
        ("tokenizer", "tokenizer (stop words, stemmers)"),
        ("annotator", "annotations"),
        ("corpus_hash", "articles"),
    ):
        if manifest.get(key) != expected.get(key):
            reasons.append(label)
    if "articles" in reasons:
        reasons[-1] += article_changes(manifest.get("article_hashes"), expected["article_hashes"])
    brief = {k: v for k, v in (manifest.get("brief") or {}).items() if k != "sentences"}
    if brief != BriefParams().as_dict():
        reasons.append("brief method")
    if reasons:
        msg = "the index was built with other " + ", ".join(reasons)
        raise StaleIndexError(msg)


def article_changes(before: object, after: dict[str, str], shown: int = 5) -> str:
    """Which articles were added, changed or removed, as " (added: a; changed: b)"; "" if the index does not say."""
    if not isinstance(before, dict):
        return ""  # an index built before per-article hashes were recorded
    parts = []
    for label, ids in (
        ("added", sorted(after.keys() - before.keys())),
        ("changed", sorted(k for k in after.keys() & before.keys() if after[k] != before[k])),
        ("removed", sorted(before.keys() - after.keys())),
    ):
        if ids:
            more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
            parts.append(f"{label}: {', '.join(ids[:shown])}{more}")
    return f" ({'; '.join(parts)})" if parts else ""
