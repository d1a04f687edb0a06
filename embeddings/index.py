"""Build, save and load the index folder.

The folder holds everything retrieval needs, so a running bot never reads the
seeds again:

    manifest.json    encoder, dims, index type and parameters, chunking,
                     corpus and chunk hashes, counts, build time
    passages/        the articles (metadata and cleaned text), and chunk and
                     sentence offsets into them (see `store.py`)
    chunks.faiss     FAISS inner-product index over the chunk vectors
    windows.npy      one vector per evidence window (a sentence, or two
                     adjacent ones), for picking the quoted evidence
    centroid.npy     the mean chunk vector: a question's similarity to it is
                     the baseline its best match is judged against
    bm25/            BM25's vocabulary and inverted file over the chunks
    sparse_chunks/   learned sparse vectors of the chunks and their inverted
                     file, when the encoder has a sparse head (see `sparse.py`)
    sparse_windows/  the same vectors of the evidence windows

The arrays are `.npy` files, memory-mapped on load: a query reads the pages
it touches, and start-up does not rebuild any statistics.

A build writes into a temporary sibling folder and swaps it in at the end, so
an interrupted build never leaves a half-written index in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from embeddings.chunking import Chunk, ChunkingParams, Sentence, chunk_article
from embeddings.corpus import Article, Corpus
from embeddings.encoders import Encoder, EncoderSpec, SparseEncoder, Vectors
from embeddings.errors import IndexFolderError, StaleIndexError
from embeddings.lexical import BM25, tokenizer_identity
from embeddings.postings import MatrixWriter
from embeddings.sparse import PASSAGE_TOP_K, QUERY_TOP_K, SparseIndex, SparseMatrix
from embeddings.store import PassageStore, StoreWriter, Window

log = logging.getLogger(__name__)

FORMAT_VERSION = 4
MANIFEST = "manifest.json"
_FILES = (
    "manifest.json",
    "passages/articles.jsonl",
    "chunks.faiss",
    "windows.npy",
    "centroid.npy",
    "bm25/bm25.json",
)
_REBUILD = "build it with `python -m embeddings build`"
HNSW_ABOVE = 50_000  # chunks; below this exact search is both faster and exact
IVF_ABOVE = 500_000  # chunks; above this HNSW's float vectors and graph outgrow memory
IVF_NLIST_MAX = 8_192
TRAIN_PER_LIST = 40  # training vectors per IVF list (FAISS warns below 39)

Progress = Callable[[int, int, float], None]


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


def train_sample_size(params: IndexParams, count: int) -> int:
    """How many vectors an index of `params` trains on (0: it needs no training)."""
    return min(count, params.ivf_nlist * TRAIN_PER_LIST) if params.type == "ivf" else 0


def window_text(chunks: Sequence[Chunk], window: Window, sentences: Sequence[Sentence]) -> str:
    """The exact article text a window covers."""
    first, last = sentences[window.first], sentences[window.last]
    chunk = chunks[window.chunk_id]
    return chunk.text[first.start - chunk.start : last.end - chunk.start]


@dataclass(frozen=True)
class LoadedIndex:
    """An index folder, memory-mapped: passages and vectors are read as retrieval touches them."""

    manifest: dict[str, Any]
    store: PassageStore
    chunk_index: faiss.Index
    window_vectors: Vectors
    centroid: Vectors
    bm25: BM25
    sparse_chunks: SparseIndex | None = None
    sparse_windows: SparseMatrix | None = None

    @property
    def version(self) -> str:
        """Changes whenever the index content changes (used to key caches)."""
        return str(self.manifest["chunks_hash"])[:16]

    @property
    def articles(self) -> Mapping[str, Article]:
        """The indexed articles by id."""
        return self.store.articles

    @property
    def chunks(self) -> Sequence[Chunk]:
        """The chunks; a chunk id is a position here and in the FAISS index."""
        return self.store.chunks

    @property
    def sentences(self) -> Sequence[Sentence]:
        """Every chunk's sentences, chunk after chunk."""
        return self.store.sentences

    @property
    def sentence_of_chunk(self) -> Sequence[range]:
        """The sentence ids of each chunk."""
        return self.store.sentence_of_chunk

    @property
    def windows(self) -> Sequence[Window]:
        """The evidence windows; a window id is a row of `window_vectors`."""
        return self.store.windows

    @property
    def windows_of_chunk(self) -> Sequence[range]:
        """The window ids of each chunk."""
        return self.store.windows_of_chunk


def chunks_hash(chunks: Iterable[Chunk]) -> str:
    """A hash of the chunk texts and their places."""
    h = hashlib.sha256()
    for c in chunks:
        h.update(f"{c.article_id}\x00{c.start}\x00{c.end}\x00".encode())
        h.update(c.text.encode())
    return h.hexdigest()


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
        "corpus_hash": corpus.fingerprint(),
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
        ("corpus_hash", "articles"),
    ):
        if manifest.get(key) != expected[key]:
            reasons.append(label)
    if reasons:
        msg = "the index was built with other " + ", ".join(reasons)
        raise StaleIndexError(msg)


def build_index(
    corpus: Corpus,
    encoder: Encoder,
    out_dir: Path,
    *,
    chunking: ChunkingParams | None = None,
    params: IndexParams | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
    sparse: bool = True,
) -> dict[str, Any]:
    """Chunk, embed and index `corpus` into `out_dir`; returns the manifest.

    Streams: passages are encoded in batches of `batch_size` straight into
    memory-mapped files of a temporary folder next to `out_dir` (so memory
    holds one batch, not the corpus's vectors or sparse rows), an IVF index
    is trained on a sample of them, and the FAISS index is filled batch by
    batch; BM25 and the sparse inverted files are written the same way. The
    folder replaces `out_dir` only when complete; an interrupted build leaves
    the old index in place.
    """
    chunking = chunking or ChunkingParams()
    started = time.perf_counter()
    dim = encoder.spec.dim
    sparse_spec = sparse_identity(encoder, sparse)
    report = progress or (_terminal_progress if sys.stderr.isatty() else None)
    done = total = 0

    def batches(count: int, text_of: Callable[[int], str]) -> Iterator[tuple[int, list[str]]]:
        nonlocal done
        for row in range(0, count, batch_size):
            batch = [text_of(i) for i in range(row, min(row + batch_size, count))]
            yield row, batch
            done += len(batch)
            if report:
                report(done, total, time.perf_counter() - started)

    with _building_folder(out_dir) as tmp:
        writer = StoreWriter(tmp / "passages")
        for article in corpus.articles:
            writer.add_article(article)
            for chunk in chunk_article(article, chunking):
                writer.add_chunk(chunk)
        store = writer.close()
        chunks, sentences, windows = store.chunks, store.sentences, store.windows
        if not chunks:
            msg = "there is nothing to index: no article loaded from the seeds"
            raise IndexFolderError(msg)
        resolved = (params or IndexParams()).resolve(len(chunks))
        total = (len(chunks) + len(windows)) * (2 if sparse_spec else 1)

        def chunk_text(i: int) -> str:
            return chunks[i].text

        def windows_text(i: int) -> str:
            return window_text(chunks, windows[i], sentences)

        chunk_file = tmp / "chunk_vectors.tmp.npy"
        chunk_vectors = np.lib.format.open_memmap(chunk_file, mode="w+", dtype=np.float32, shape=(len(chunks), dim))
        for row, batch in batches(len(chunks), chunk_text):
            chunk_vectors[row : row + len(batch)] = encoder.encode_passages(batch)
        index = _fill_index(resolved, chunk_vectors)
        centroid = _mean(chunk_vectors)
        del chunk_vectors
        chunk_file.unlink()
        window_vectors = np.lib.format.open_memmap(
            tmp / "windows.npy", mode="w+", dtype=np.float32, shape=(len(windows), dim)
        )
        for row, batch in batches(len(windows), windows_text):
            window_vectors[row : row + len(batch)] = encoder.encode_passages(batch)
        window_vectors.flush()
        del window_vectors
        if sparse_spec is not None:
            assert isinstance(encoder, SparseEncoder)
            for name, count, text_of in (
                ("sparse_chunks", len(chunks), chunk_text),
                ("sparse_windows", len(windows), windows_text),
            ):
                rows = MatrixWriter(sparse_spec["dim"], tmp / name)
                for _, batch in batches(count, text_of):
                    for ids, values in encoder.encode_sparse(batch, PASSAGE_TOP_K):
                        rows.add(ids, values)
                matrix = rows.close()
                if name == "sparse_chunks":
                    SparseIndex.build(matrix, tmp / name / "postings")
                del matrix
        BM25.build((c.text for c in chunks), tmp / "bm25")
        seconds = time.perf_counter() - started
        manifest = {
            **expected_identity(corpus, encoder.spec, chunking, sparse_spec),
            "index": resolved.as_dict(),
            "chunks_hash": chunks_hash(chunks),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "build_seconds": round(seconds, 3),
            "passages_per_second": round(total / seconds, 1) if seconds else None,
            "counts": {
                "articles": len(corpus.articles),
                "chunks": len(chunks),
                "sentences": len(sentences),
                "windows": len(windows),
            },
        }
        faiss.write_index(index, str(tmp / "chunks.faiss"))
        np.save(tmp / "centroid.npy", centroid, allow_pickle=False)
        # The manifest goes last: a folder with a manifest is a finished build.
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info(
        "index built: %d articles, %d chunks, %d sentences in %.1f s (%.1f passages/s) -> %s",
        len(corpus.articles),
        len(chunks),
        len(sentences),
        seconds,
        total / seconds if seconds else 0.0,
        out_dir,
    )
    return manifest


def _fill_index(params: IndexParams, vectors: Vectors, batch: int = 65_536) -> faiss.Index:
    """A FAISS index of `vectors` (possibly memory-mapped), trained on a sample and filled in batches."""
    index = new_faiss_index(params, vectors.shape[1])
    sample_size = train_sample_size(params, len(vectors))
    if sample_size:
        picks = np.sort(np.random.default_rng(0).choice(len(vectors), sample_size, replace=False))
        index.train(np.ascontiguousarray(vectors[picks]))
    for row in range(0, len(vectors), batch):
        index.add(np.ascontiguousarray(vectors[row : row + batch]))
    return index


def _mean(vectors: Vectors, batch: int = 65_536) -> Vectors:
    total = np.zeros(vectors.shape[1], dtype=np.float64)
    for row in range(0, len(vectors), batch):
        total += vectors[row : row + batch].sum(axis=0)
    return (total / len(vectors)).astype(np.float32)


def load_index(index_dir: Path) -> LoadedIndex:
    """Load an index folder; a missing or corrupted part raises `IndexFolderError`."""
    missing = [name for name in _FILES if not (index_dir / name).is_file()]
    if missing:
        msg = f"no complete index in {index_dir} (missing {', '.join(missing)}); {_REBUILD}"
        raise IndexFolderError(msg)
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        store = PassageStore.load(index_dir / "passages")
        chunk_index = faiss.read_index(str(index_dir / "chunks.faiss"))
        # Memory-mapped: only the windows of retrieved passages are ever read.
        window_vectors = np.load(index_dir / "windows.npy", mmap_mode="r", allow_pickle=False)
        centroid = np.load(index_dir / "centroid.npy", allow_pickle=False)
        bm25 = BM25.load(index_dir / "bm25")
        sparse_chunks: SparseIndex | None = None
        sparse_windows: SparseMatrix | None = None
        if manifest.get("sparse"):
            sparse_chunks = SparseIndex.load(index_dir / "sparse_chunks")
            sparse_windows = SparseMatrix.load(index_dir / "sparse_windows")
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        msg = f"the index in {index_dir} is corrupted ({type(exc).__name__}: {exc}); {_REBUILD}"
        raise IndexFolderError(msg) from exc
    chunks, windows = len(store.chunks), len(store.windows)
    if (
        chunk_index.ntotal != chunks
        or window_vectors.shape != (windows, chunk_index.d)
        or centroid.shape != (chunk_index.d,)
        or manifest.get("counts", {}).get("chunks") != chunks
        or bm25.size != chunks
        or (sparse_chunks is not None and len(sparse_chunks.matrix) != chunks)
        or (sparse_windows is not None and len(sparse_windows) != windows)
    ):
        msg = f"the index in {index_dir} is inconsistent (vector and chunk counts differ); {_REBUILD}"
        raise IndexFolderError(msg)
    if manifest["index"]["type"] == "hnsw":
        faiss.ParameterSpace().set_index_parameter(chunk_index, "efSearch", int(manifest["index"]["ef_search"]))
    if manifest["index"]["type"] == "ivf":
        ivf = faiss.extract_index_ivf(chunk_index)
        ivf.nprobe = int(manifest["index"]["nprobe"])
        ivf.make_direct_map()  # `reconstruct` for passages found by the lexical side only
    return LoadedIndex(
        manifest,
        store,
        chunk_index,
        window_vectors,
        centroid,
        bm25,
        sparse_chunks,
        sparse_windows,
    )


def new_faiss_index(params: IndexParams, dim: int) -> faiss.Index:
    """An empty inner-product index of the resolved type (an IVF one still needs `train`)."""
    if params.type == "flat":
        return faiss.IndexFlatIP(dim)
    if params.type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = params.hnsw_ef_construction
        return index
    if params.type == "ivf":
        ivf = faiss.index_factory(dim, f"IVF{params.ivf_nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        faiss.extract_index_ivf(ivf).nprobe = params.ivf_nprobe
        return ivf
    msg = f"unknown index type {params.type!r}: use auto, flat, hnsw or ivf"
    raise IndexFolderError(msg)


@contextlib.contextmanager
def _building_folder(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside `out_dir` that replaces it when the block completes, else vanishes."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _terminal_progress(done: int, total: int, seconds: float) -> None:
    rate = done / seconds if seconds else 0.0
    end = "\n" if done >= total else ""
    print(f"\rindexing: {done}/{total} passages, {rate:.1f} passages/s", end=end, file=sys.stderr, flush=True)
