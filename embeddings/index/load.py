"""Load an index folder, memory-mapped, and check that its parts agree."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss

from embeddings.annotate.spans import ANNOTATIONS_FILE, Annotations, load_annotations
from embeddings.annotate.speakers import Speakers, load_speakers
from embeddings.encode.encoders import Vectors
from embeddings.errors import IndexFolderError, IndexMissingError
from embeddings.index.bm25 import BM25
from embeddings.index.brief import BRIEF_FILE, BriefItem, load_brief
from embeddings.index.postings import load_npy
from embeddings.index.sparse import SparseIndex, SparseMatrix
from embeddings.index.store import PassageStore, Window
from embeddings.index.versions import current
from embeddings.index.words import load_word_vectors
from embeddings.ingest.chunking import Chunk, Sentence
from embeddings.ingest.corpus import Article

MANIFEST = "manifest.json"
_FILES = (
    "manifest.json",
    "passages/articles.jsonl",
    "chunks.faiss",
    "windows.npy",
    "centroid.npy",
    "bm25/bm25.json",
    "words/forms.txt",
    BRIEF_FILE,
    ANNOTATIONS_FILE,
)
_REBUILD = "build it with `python -m embeddings build`"


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
    word_forms: Sequence[str] = ()  # the articles' content words, one form per stem (`words.py`)
    word_vectors: Vectors | None = None
    brief: tuple[BriefItem, ...] = ()  # the story in brief, in story order (`brief.py`)
    annotations: Annotations = ()  # the typed spans of each sentence (`annotate/`)
    speakers: Speakers = ()  # who said each sentence (None: no one's speech; `annotate/speakers.py`)
    folder: Path | None = None  # the version folder it was loaded from (`versions.py`)

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


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest of an index folder; `IndexMissingError` when no index was built there yet."""
    path = index_dir / MANIFEST
    if not path.is_file():
        msg = f"no index in {index_dir} yet; {_REBUILD}"
        raise IndexMissingError(msg)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"the index in {index_dir} is corrupted ({type(exc).__name__}: {exc}); {_REBUILD}"
        raise IndexFolderError(msg) from exc
    if not isinstance(manifest, dict):
        msg = f"the index in {index_dir} is corrupted ({MANIFEST} is not an object); {_REBUILD}"
        raise IndexFolderError(msg)
    return manifest


def load_index(index_dir: Path) -> LoadedIndex:
    """Load an index folder (the version it stands for now); a missing or corrupted part raises `IndexFolderError`."""
    index_dir = current(index_dir)
    manifest = read_manifest(index_dir)
    missing = [name for name in _FILES if not (index_dir / name).is_file()]
    if missing:
        msg = f"no complete index in {index_dir} (missing {', '.join(missing)}); {_REBUILD}"
        raise IndexFolderError(msg)
    try:
        store = PassageStore.load(index_dir / "passages")
        chunk_index = faiss.read_index(str(index_dir / "chunks.faiss"))
        # Memory-mapped: only the windows of retrieved passages are ever read.
        window_vectors = load_npy(index_dir / "windows.npy")
        centroid = load_npy(index_dir / "centroid.npy", mmap=False)
        bm25 = BM25.load(index_dir / "bm25")
        sparse_chunks: SparseIndex | None = None
        sparse_windows: SparseMatrix | None = None
        if manifest.get("sparse"):
            sparse_chunks = SparseIndex.load(index_dir / "sparse_chunks")
            sparse_windows = SparseMatrix.load(index_dir / "sparse_windows")
        word_forms, word_vectors = load_word_vectors(index_dir / "words")
        brief = load_brief(index_dir, len(store.sentences))
        annotations = load_annotations(index_dir, len(store.sentences))
        speakers = load_speakers(index_dir, len(store.sentences))
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
        or word_vectors.shape[1:] != (chunk_index.d,)
        or len(annotations) != len(store.sentences)
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
        word_forms,
        word_vectors,
        brief,
        annotations,
        speakers,
        index_dir,
    )
