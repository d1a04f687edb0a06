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
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from embeddings.encode.encoders import Encoder, SparseEncoder, Vectors
from embeddings.encode.latent import PASSAGE_TOP_K
from embeddings.errors import IndexFolderError
from embeddings.index.bm25 import BM25
from embeddings.index.load import MANIFEST, window_text
from embeddings.index.manifest import TRAIN_PER_LIST, IndexParams, chunks_hash, expected_identity, sparse_identity
from embeddings.index.postings import MatrixWriter
from embeddings.index.progress import Progress, auto_progress
from embeddings.index.sparse import SparseIndex
from embeddings.index.store import StoreWriter
from embeddings.index.words import article_forms, build_word_vectors
from embeddings.ingest.chunking import ChunkingParams, chunk_article
from embeddings.ingest.corpus import Corpus

log = logging.getLogger(__name__)


def train_sample_size(params: IndexParams, count: int) -> int:
    """How many vectors an index of `params` trains on (0: it needs no training)."""
    return min(count, params.ivf_nlist * TRAIN_PER_LIST) if params.type == "ivf" else 0


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
    record: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Chunk, embed and index `corpus` into `out_dir`; returns the manifest.

    Streams: passages are encoded in batches of `batch_size` straight into
    memory-mapped files of a temporary folder next to `out_dir` (so memory
    holds one batch, not the corpus's vectors or sparse rows), an IVF index
    is trained on a sample of them, and the FAISS index is filled batch by
    batch; BM25 and the sparse inverted files are written the same way. The
    folder replaces `out_dir` only when complete; an interrupted build leaves
    the old index in place. `progress` hears of each stage and batch (by
    default a bar on a terminal, one log line per stage elsewhere).
    """
    chunking = chunking or ChunkingParams()
    started = time.perf_counter()
    dim = encoder.spec.dim
    sparse_spec = sparse_identity(encoder, sparse)
    report = progress or auto_progress()

    def batches(count: int, text_of: Callable[[int], str]) -> Iterator[tuple[int, list[str]]]:
        for row in range(0, count, batch_size):
            batch = [text_of(i) for i in range(row, min(row + batch_size, count))]
            yield row, batch
            report.advance(len(batch))

    with _building_folder(out_dir) as tmp, _finishing(report):
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
        # BM25 first: its vocabulary gives the words to encode, so the total is known before encoding starts.
        bm25 = BM25.build((c.text for c in chunks), tmp / "bm25")
        forms = article_forms(bm25.words.items())
        del bm25
        passes = 2 if sparse_spec else 1
        passages = (len(chunks) + len(windows)) * passes
        report.start(passages + len(forms), stages=2 * passes + 1)

        def chunk_text(i: int) -> str:
            return chunks[i].text

        def windows_text(i: int) -> str:
            return window_text(chunks, windows[i], sentences)

        report.stage(f"encoding {len(chunks)} passages")
        chunk_file = tmp / "chunk_vectors.tmp.npy"
        chunk_vectors = np.lib.format.open_memmap(chunk_file, mode="w+", dtype=np.float32, shape=(len(chunks), dim))
        for row, batch in batches(len(chunks), chunk_text):
            chunk_vectors[row : row + len(batch)] = encoder.encode_passages(batch)
        index = _fill_index(resolved, chunk_vectors)
        centroid = _mean(chunk_vectors)
        del chunk_vectors
        chunk_file.unlink()
        report.stage(f"encoding {len(windows)} evidence windows")
        window_vectors = np.lib.format.open_memmap(
            tmp / "windows.npy", mode="w+", dtype=np.float32, shape=(len(windows), dim)
        )
        for row, batch in batches(len(windows), windows_text):
            window_vectors[row : row + len(batch)] = encoder.encode_passages(batch)
        window_vectors.flush()
        del window_vectors
        if sparse_spec is not None:
            assert isinstance(encoder, SparseEncoder)
            for name, count, text_of, what in (
                ("sparse_chunks", len(chunks), chunk_text, "passages"),
                ("sparse_windows", len(windows), windows_text, "evidence windows"),
            ):
                report.stage(f"latent terms of {count} {what}")
                rows = MatrixWriter(sparse_spec["dim"], tmp / name)
                for _, batch in batches(count, text_of):
                    for ids, values in encoder.encode_sparse(batch, PASSAGE_TOP_K):
                        rows.add(ids, values)
                matrix = rows.close()
                if name == "sparse_chunks":
                    SparseIndex.build(matrix, tmp / name / "postings")
                del matrix
        report.stage(f"encoding {len(forms)} words of the articles")
        build_word_vectors(forms, encoder, tmp / "words", report.advance)
        seconds = time.perf_counter() - started
        manifest = {
            **expected_identity(corpus, encoder.spec, chunking, sparse_spec),
            "index": resolved.as_dict(),
            "chunks_hash": chunks_hash(chunks),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "build_seconds": round(seconds, 3),
            "passages_per_second": round(passages / seconds, 1) if seconds else None,
            **(record or {}),
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
        passages / seconds if seconds else 0.0,
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
def _finishing(report: Progress) -> Iterator[None]:
    """`report.finish()` when the block ends, however it ends."""
    try:
        yield
    finally:
        report.finish()


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
