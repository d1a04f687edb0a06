"""Build the index folder, stage by stage.

The folder holds everything retrieval needs, so a running bot never reads the
seeds again:

    manifest.json    encoder, dims, index type and parameters, chunking,
                     corpus and chunk hashes, counts, build time
    passages/        the articles (metadata and cleaned text), and chunk and
                     sentence offsets into them (see `store.py`)
    chunks.faiss     FAISS inner-product index over the chunk vectors
    chunk_vectors.npy  the chunk vectors FAISS was filled with (an update refills it)
    windows.npy      one vector per evidence window (a sentence, or two
                     adjacent ones: their normalised sum), for picking the
                     quoted evidence
    centroid.npy     the mean chunk vector: a question's similarity to it is
                     the baseline its best match is judged against
    bm25/            BM25's vocabulary and inverted file over the chunks, and
                     each chunk's stem counts (`forward/`)
    sparse_chunks/   learned sparse vectors of the chunks and their inverted
                     file, when the encoder has a sparse head (see `sparse.py`)
    sparse_windows/  the same vectors of the evidence windows
    annotations.json the typed spans of every sentence: names, places,
                     organisations, money, dates, numbers with what they
                     count, roles, reasons, speech (see `annotate/`), and
                     the speaker of every sentence of speech (`speakers.py`)
    people.jsonl     the people each article names, and their roles (`people.py`)
    brief/           every sentence's concepts, as the brief reads them (`concepts.py`)
    brief.json       the story in brief: the ids of at most six sentences
                     (see `brief.py`); the method is in the manifest

The arrays are `.npy` files, memory-mapped on load: a query reads the pages
it touches, and start-up does not rebuild any statistics.

Every array is in article order, so each article's part of it is a range of
rows: `update.py` adds and removes articles by copying the other articles'
rows and computing only the new ones.

A build writes a new version beside the current one and swaps it in at the
end (`versions.py`), so an interrupted build never leaves a half-written
index in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from embeddings.annotate.annotator import annotate_article
from embeddings.annotate.people import learn_people
from embeddings.annotate.reference import unwritten
from embeddings.annotate.spans import Span, save_annotations
from embeddings.annotate.speakers import attribute_story
from embeddings.encode.encoders import Encoder, SparseEncoder, Vectors
from embeddings.encode.latent import PASSAGE_TOP_K
from embeddings.errors import IndexFolderError
from embeddings.index.bm25 import Documents
from embeddings.index.brief import CONCEPTS_DIR, BriefParams, choose_brief, read_concepts, save_brief
from embeddings.index.load import MANIFEST, window_text
from embeddings.index.manifest import TRAIN_PER_LIST, IndexParams, expected_identity, sparse_identity
from embeddings.index.people import save_people
from embeddings.index.postings import MatrixWriter, load_npy
from embeddings.index.progress import Progress, auto_progress
from embeddings.index.sparse import SparseIndex
from embeddings.index.store import PassageStore, StoreWriter
from embeddings.index.versions import new_version
from embeddings.index.words import article_forms, build_word_vectors
from embeddings.ingest.chunking import ChunkingParams, chunk_article
from embeddings.ingest.corpus import Corpus

log = logging.getLogger(__name__)

CHUNK_VECTORS = "chunk_vectors.npy"


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
    sparse_spec = sparse_identity(encoder, sparse)
    report = progress or auto_progress()
    started = time.perf_counter()
    with new_version(out_dir) as tmp, _finishing(report):
        store = _store_passages(corpus, chunking, tmp / "passages")
        resolved = (params or IndexParams()).resolve(len(store.chunks))
        annotated, named = _annotate(store, tmp)
        forms = _index_words(store, named, tmp)
        passes = 2 if sparse_spec else 1
        passages = (len(store.chunks) + len(store.windows)) * passes
        report.start(passages + len(forms), stages=2 * passes + 1)
        batches = _Batches(batch_size, report)
        index, centroid = _encode_chunks(store, encoder, resolved, tmp, batches)
        _encode_windows(store, encoder, tmp, batches)
        if sparse_spec is not None:
            _encode_sparse(store, encoder, sparse_spec["dim"], tmp, batches)
        report.stage(f"encoding {len(forms)} words of the articles")
        build_word_vectors(forms, encoder, tmp / "words", report.advance)
        brief = _choose_brief(store, tmp)
        seconds = time.perf_counter() - started
        manifest = {
            **expected_identity(corpus, encoder.spec, chunking, sparse_spec),
            "index": resolved.as_dict(),
            "chunks_hash": store.fingerprint(),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "build_seconds": round(seconds, 3),
            "passages_per_second": round(passages / seconds, 1) if seconds else None,
            **(record or {}),
            "brief": brief,
            "annotations": annotated,
            "counts": {
                "articles": len(corpus.articles),
                "chunks": len(store.chunks),
                "sentences": len(store.sentences),
                "windows": len(store.windows),
            },
        }
        faiss.write_index(index, str(tmp / "chunks.faiss"))
        np.save(tmp / "centroid.npy", centroid, allow_pickle=False)
        # The manifest goes last: a folder with a manifest is a finished build.
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info(
        "index built: %d articles, %d chunks, %d sentences in %.1f s (%.1f passages/s) -> %s",
        len(corpus.articles),
        len(store.chunks),
        len(store.sentences),
        seconds,
        passages / seconds if seconds else 0.0,
        out_dir,
    )
    return manifest


class _Batches:
    """Texts in batches for the encoder, each batch reported to the build's progress."""

    def __init__(self, size: int, report: Progress) -> None:
        self.size, self.report = size, report

    def of(self, count: int, text_of: Callable[[int], str]) -> Iterator[tuple[int, list[str]]]:
        """(first row, texts) for rows 0..count-1, `size` at a time."""
        for row in range(0, count, self.size):
            batch = [text_of(i) for i in range(row, min(row + self.size, count))]
            yield row, batch
            self.report.advance(len(batch))


def _store_passages(corpus: Corpus, chunking: ChunkingParams, folder: Path) -> PassageStore:
    """Stage 1: the articles, cut into chunks of whole sentences, written to `passages/`."""
    writer = StoreWriter(folder)
    for article in corpus.articles:
        writer.add_article(article)
        for chunk in chunk_article(article, chunking):
            writer.add_chunk(chunk)
    store = writer.close()
    if not store.chunks:
        msg = "there is nothing to index: no article loaded from the seeds"
        raise IndexFolderError(msg)
    return store


def _index_words(store: PassageStore, named: Sequence[str], tmp: Path) -> list[str]:
    """Stage 2b: BM25 over the chunks; returns the articles' word forms (to encode for questions in other languages).

    A chunk is searched by its words and by those its sentences mean unwritten
    (`named`, per sentence: a pronoun's name, a symbol's noun). BM25 comes before encoding: its
    vocabulary gives the words to encode, so the build's total is known
    before the first batch.
    """
    documents = Documents(tmp / "bm25")
    first = 0
    for chunk in store.chunks:
        last = first + len(chunk.sentences)
        documents.add(chunk.text, " ".join(n for n in named[first:last] if n))
        first = last
    return article_forms(documents.finish().words.items())


def _annotate(store: PassageStore, tmp: Path) -> tuple[dict[str, int], list[str]]:
    """Stage 2: the typed spans of every sentence, article by article, in `annotations.json`; their counts, and
    the words each sentence means unwritten (`annotate/reference.py` `unwritten`)."""
    spans: list[tuple[Span, ...]] = []
    named: list[str] = []
    articles = []
    for article_id in store.articles:
        text = store.articles[article_id].text
        sentences = [store.sentences[i] for i in store.article_sentences(store.articles.position(article_id))]
        found = annotate_article(text, sentences)
        spans.extend(found)
        named.extend(unwritten(sentences, found))
        bounds = [(s.start, s.end) for s in sentences]
        whole = [
            replace(x, start=x.start + s.start, end=x.end + s.start)
            for s, xs in zip(sentences, found, strict=True)
            for x in xs
        ]
        articles.append((text, bounds, whole))
    speakers = [s.as_row() if s else None for said in attribute_story(articles) for s in said]
    save_people(tmp, [learn_people(text, whole, bounds) for text, bounds, whole in articles])  # for updates
    return save_annotations(tmp, spans, speakers), named


def _encode_chunks(
    store: PassageStore, encoder: Encoder, params: IndexParams, tmp: Path, batches: _Batches
) -> tuple[faiss.Index, Vectors]:
    """Stage 3: chunk vectors, into the FAISS index and their mean (the centroid)."""
    chunks, dim = store.chunks, encoder.spec.dim
    batches.report.stage(f"encoding {len(chunks)} passages")
    vectors = np.lib.format.open_memmap(tmp / CHUNK_VECTORS, mode="w+", dtype=np.float32, shape=(len(chunks), dim))
    for row, batch in batches.of(len(chunks), lambda i: chunks[i].text):
        vectors[row : row + len(batch)] = encoder.encode_passages(batch)
    index = _fill_index(params, vectors)
    centroid = _mean(vectors)
    del vectors
    return index, centroid


def _encode_windows(store: PassageStore, encoder: Encoder, tmp: Path, batches: _Batches) -> None:
    """Stage 4: a vector per evidence window in `windows.npy`: each sentence's, and each pair's joined from them."""
    windows = store.windows
    singles = [i for i in range(len(windows)) if windows[i].first == windows[i].last]
    batches.report.stage(f"encoding {len(singles)} sentences of {len(windows)} evidence windows")
    vectors = np.lib.format.open_memmap(
        tmp / "windows.npy", mode="w+", dtype=np.float32, shape=(len(windows), encoder.spec.dim)
    )
    for row, batch in batches.of(
        len(singles), lambda i: window_text(store.chunks, windows[singles[i]], store.sentences)
    ):
        vectors[singles[row : row + len(batch)]] = encoder.encode_passages(batch)
    pairs = [i for i in range(len(windows)) if windows[i].first != windows[i].last]
    for i in pairs:  # a pair stands between its sentences' windows (see `store.Window`)
        vectors[i] = joined(vectors[i - 1], vectors[i + 1])
    batches.report.advance(len(pairs))
    vectors.flush()
    del vectors


def joined(first: Vectors, second: Vectors) -> Vectors:
    """The vector of two adjacent sentences: the normalised sum of theirs.

    It ranks evidence about as well as encoding the pair does (measured in
    `docs/quality.md`) and spares the encoder a pass over every pair.
    """
    total = np.asarray(first, dtype=np.float32) + np.asarray(second, dtype=np.float32)
    return total / max(float(np.linalg.norm(total)), 1e-9)


def _encode_sparse(store: PassageStore, encoder: Encoder, dim: int, tmp: Path, batches: _Batches) -> None:
    """Stage 5: latent-term vectors of chunks (with their inverted file) and of windows."""
    assert isinstance(encoder, SparseEncoder)
    chunks, windows, sentences = store.chunks, store.windows, store.sentences
    for name, count, text_of, what in (
        ("sparse_chunks", len(chunks), lambda i: chunks[i].text, "passages"),
        ("sparse_windows", len(windows), lambda i: window_text(chunks, windows[i], sentences), "evidence windows"),
    ):
        batches.report.stage(f"latent terms of {count} {what}")
        rows = MatrixWriter(dim, tmp / name)
        for _, batch in batches.of(count, text_of):
            for ids, values in encoder.encode_sparse(batch, PASSAGE_TOP_K):
                rows.add(ids, values)
        matrix = rows.close()
        if name == "sparse_chunks":
            SparseIndex.build(matrix, tmp / name / "postings")
        del matrix


def _choose_brief(store: PassageStore, tmp: Path) -> dict[str, Any]:
    """Stage 7: the story in brief (the window vectors find the same fact in other articles); its manifest record."""
    params = BriefParams()
    window_vectors = load_npy(tmp / "windows.npy")
    items = choose_brief(store, window_vectors, params, read_concepts(store, tmp / CONCEPTS_DIR, params))
    del window_vectors
    return save_brief(tmp, items, params)


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
