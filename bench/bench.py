"""`make bench`: speed and memory of the retrieval core on this machine.

Prints query-encode latency, search latency, warm `ask` p50/p95, index build
time and passages/s, and peak RSS. Figures only; nothing here asserts timing.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.config import EngineSettings  # noqa: E402
from embeddings.encode.encoders import Vectors  # noqa: E402
from embeddings.pipeline import Pipeline, encoder_of, rebuild  # noqa: E402
from embeddings.retrieve.reading import Reading  # noqa: E402

# The 97 questions of the earlier evaluation set (ids a.., n.. in eval/tune.jsonl), so figures stay comparable.
QUESTIONS = [
    item["q"]
    for item in map(json.loads, (ROOT / "eval" / "tune.jsonl").read_text(encoding="utf-8").splitlines())
    if item["id"][0] in "an"
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of `samples`."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of `repeat` calls of `fn`."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> int:
    """Run every benchmark and print the figures."""
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = EngineSettings(index_dir=Path(tmp) / "index")
        encoder = encoder_of(settings)
        started = time.perf_counter()
        manifest = rebuild(settings, encoder)
        build_s = time.perf_counter() - started
        counts = manifest["counts"]
        assert isinstance(counts, dict)
        print(
            f"index build: {build_s:.2f} s for {counts['chunks']} chunks + {counts['windows']} evidence windows "
            f"({manifest['passages_per_second']} passages/s)"
        )
        pipeline = Pipeline.open(settings.model_copy(update={"answer_cache_size": 0}), encoder=encoder)
        for q in QUESTIONS[:5]:
            pipeline.ask(q)

        encode = [ms for q in QUESTIONS for ms in timed(lambda q=q: encoder.encode_queries([q]), 1)]  # type: ignore[misc]
        p50, p95 = percentiles(encode)
        print(f"query encode: p50 {p50:.2f} ms, p95 {p95:.2f} ms ({len(encode)} questions)")

        vectors = encoder.encode_queries(QUESTIONS)
        batch = timed(lambda: encoder.encode_queries(QUESTIONS[:32]), 3)
        print(f"query encode, batch of 32: {statistics.median(batch) / 32:.2f} ms per question")

        sparse = [pipeline.sparse_query(q) for q in QUESTIONS]
        if sparse[0] is not None:
            sparse_ms = [ms for q in QUESTIONS for ms in timed(lambda q=q: pipeline.sparse_query(q), 1)]  # type: ignore[misc]
            p50, p95 = percentiles(sparse_ms)
            print(f"query latent terms (second encoder pass): p50 {p50:.2f} ms, p95 {p95:.2f} ms")

        readings = [pipeline.read(q)[0] for q in QUESTIONS]
        search = [
            ms
            for r, v in zip(readings, vectors, strict=True)
            for ms in timed(lambda r=r, v=v: pipeline.search(r, pipeline.bridged(r), 10, v), 1)  # type: ignore[misc]
        ]
        p50, p95 = percentiles(search)
        print(f"hybrid search (FAISS, latent terms, BM25; latent pass included): p50 {p50:.3f} ms, p95 {p95:.3f} ms")

        def answer(reading: Reading, vector: Vectors) -> None:
            bridged = pipeline.bridged(reading)
            result = pipeline.search(reading, bridged, 10, vector)
            pipeline.answerer.answer(reading, result, bridged, near=pipeline.near(reading), limit=5)

        answered = [
            ms
            for r, v in zip(readings, vectors, strict=True)
            for ms in timed(lambda r=r, v=v: answer(r, v), 1)  # type: ignore[misc]
        ]
        p50, p95 = percentiles(answered)
        print(f"search + answer stage (query encoded; latent pass included): p50 {p50:.3f} ms, p95 {p95:.3f} ms")

        fresh = Pipeline(pipeline.index, encoder, cache_size=0)
        first = [ms for q in QUESTIONS for ms in timed(lambda q=q: fresh.ask(q), 1)]  # type: ignore[misc]
        p50, p95 = percentiles(first)
        print(f"ask, first time each question (reading not yet remembered): p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        # Each ask is timed right after its question's encoding, so a machine that slows down or speeds up
        # mid-run moves both figures of the ratio alike.
        asks, encodes = [], []
        for _ in range(3):
            for q in QUESTIONS:
                encodes += timed(lambda q=q: encoder.encode_queries([q]), 1)  # type: ignore[misc]
                asks += timed(lambda q=q: pipeline.ask(q), 1)  # type: ignore[misc]
        p50, p95 = percentiles(asks)
        encode_p50 = statistics.median(encodes)
        print(f"ask, warm, uncached (all of it): p50 {p50:.2f} ms, p95 {p95:.2f} ms ({len(asks)} asks)")
        print(f"ask p50 / query encode p50, timed side by side: {p50 / encode_p50:.2f} (encoder passes' worth)")

        cached = Pipeline(pipeline.index, encoder)
        for q in QUESTIONS:
            cached.ask(q)
        hits = [ms for q in QUESTIONS for ms in timed(lambda q=q: cached.ask(q), 1)]  # type: ignore[misc]
        p50, p95 = percentiles(hits)
        print(f"ask, repeated question (answer cache): p50 {p50:.3f} ms, p95 {p95:.3f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
