"""Add, replace and remove articles without rebuilding the index: only the new articles are encoded.

Every array of an index folder is in article order (`build.py`), so an
article's part of each is a range of rows (`PassageStore.rows`). An update
first computes each new article's rows, without the lock (`encode_article`:
its chunks, their vectors and latent terms, its evidence windows', what
the brief reads in its sentences, and their annotations). Then, holding the writers' lock, it
writes a new version: for every per-article part (a `RowStage`) the rows of
the articles it keeps are copied from the current version and the new
article's are added, in the order of the articles' ids, which is the order
of a full build. What depends on the whole corpus is then made again from
those rows by the build's own code: the FAISS index and the centroid, BM25's
weights and postings, the latent-term postings, the articles' words (only
words new to the corpus are encoded) and the brief. The result is the index
a full build of the same articles gives (`tests/unit/test_update.py`).

A new per-article part of the index drops in as one more `RowStage` (and a
field of `NewArticle` holding the new article's rows).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import faiss
import numpy as np

from embeddings.annotate.annotator import ANNOTATOR_VERSION, annotate_article
from embeddings.annotate.people import People
from embeddings.annotate.reference import unwritten
from embeddings.annotate.spans import Span, save_annotations
from embeddings.annotate.speakers import Speaker
from embeddings.encode.encoders import Encoder, SparseEncoder, Vectors
from embeddings.encode.latent import PASSAGE_TOP_K, SparseVector
from embeddings.errors import CorpusError, IndexFolderError
from embeddings.index.bm25 import Documents, load_forward
from embeddings.index.brief import CONCEPTS_DIR, BriefParams, choose_brief, save_brief
from embeddings.index.build import CHUNK_VECTORS, _fill_index, _mean, joined
from embeddings.index.concepts import ArticleConcepts, Concepts, ConceptsWriter, read_article
from embeddings.index.load import MANIFEST, LoadedIndex, load_index
from embeddings.index.manifest import FORMAT_VERSION, IndexParams, check_fresh, sparse_identity
from embeddings.index.people import attribute_again, load_people, people_of, save_people
from embeddings.index.postings import MatrixWriter, SparseMatrix, copy_range, load_npy
from embeddings.index.sparse import SparseIndex
from embeddings.index.store import ArticleRows, StoreWriter
from embeddings.index.versions import current, new_version
from embeddings.index.words import article_forms, build_word_vectors
from embeddings.ingest.chunking import Chunk, ChunkingParams, chunk_article
from embeddings.ingest.corpus import Article, article_hash, corpus_hash
from embeddings.text import tokenizer_identity

log = logging.getLogger(__name__)

_REBUILD = "rebuild it with `python -m embeddings build`"


@dataclass(frozen=True)
class NewArticle:
    """One article's rows of every per-article part of the index, computed before the update."""

    article: Article
    chunks: tuple[Chunk, ...]
    chunk_vectors: Vectors
    window_vectors: Vectors
    sparse_chunks: tuple[SparseVector, ...]  # empty without latent terms
    sparse_windows: tuple[SparseVector, ...]
    concepts: ArticleConcepts
    annotations: tuple[tuple[Span, ...], ...]  # per sentence (`annotate/`)
    people: People  # the people it names, and their roles (`people.py`)
    named: tuple[str, ...]  # per sentence, words it means unwritten: its pronoun's name, a symbol's noun

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """Its sentences, (start, end) in its text."""
        return [(s.start, s.end) for c in self.chunks for s in c.sentences]

    @property
    def windows(self) -> int:
        """How many evidence windows its chunks have."""
        return sum(2 * len(c.sentences) - 1 for c in self.chunks)


def window_vectors(chunks: Sequence[Chunk], sentences: Vectors) -> Vectors:
    """The evidence windows' vectors of `chunks` in index order, from their sentences' (`sentences`, in order):
    every sentence, then the pair it starts (`build.joined`)."""
    rows: list[Vectors] = []
    first = 0
    for chunk in chunks:
        count = len(chunk.sentences)
        for i in range(first, first + count):
            rows.append(sentences[i])
            if i + 1 < first + count:
                rows.append(joined(sentences[i], sentences[i + 1]))
        first += count
    return np.vstack(rows).astype(np.float32, copy=False)


def window_texts(chunks: Sequence[Chunk]) -> list[str]:
    """The evidence windows of `chunks` in index order: every sentence, then the pair it starts."""
    texts = []
    for chunk in chunks:
        for i, first in enumerate(chunk.sentences):
            texts.append(first.text)
            if i + 1 < len(chunk.sentences):
                texts.append(chunk.text[first.start - chunk.start : chunk.sentences[i + 1].end - chunk.start])
    return texts


def encode_article(
    article: Article, encoder: Encoder, chunking: ChunkingParams, *, sparse: bool = True, batch_size: int = 32
) -> NewArticle:
    """Cut and encode one article: the slow part of adding it, done before the update takes the lock."""
    chunks = tuple(chunk_article(article, chunking))
    if not chunks:
        msg = f"{article.id}: the article has no sentence to index"
        raise IndexFolderError(msg)
    texts, windows = [c.text for c in chunks], window_texts(chunks)

    def dense(items: list[str]) -> Vectors:
        parts = [encoder.encode_passages(items[i : i + batch_size]) for i in range(0, len(items), batch_size)]
        return np.vstack(parts).astype(np.float32, copy=False)

    def latent(items: list[str]) -> tuple[SparseVector, ...]:
        if sparse_identity(encoder, sparse) is None:
            return ()
        assert isinstance(encoder, SparseEncoder)
        rows: list[SparseVector] = []
        for i in range(0, len(items), batch_size):
            rows.extend(encoder.encode_sparse(items[i : i + batch_size], PASSAGE_TOP_K))
        return tuple(rows)

    sentences = [s for c in chunks for s in c.sentences]
    bounds = [(s.start, s.end) for s in sentences]
    annotations = tuple(annotate_article(article.text, sentences))
    return NewArticle(
        article,
        chunks,
        dense(texts),
        window_vectors(chunks, dense([s.text for c in chunks for s in c.sentences])),
        latent(texts),
        latent(windows),
        read_article(article, bounds, BriefParams().reading),
        annotations,
        people_of(article.text, bounds, annotations),
        tuple(unwritten(sentences, annotations)),
    )


class RowStage(Protocol):
    """A part of the index made of per-article rows: copied for kept articles, added for new ones."""

    def copy(self, articles: range, rows: ArticleRows) -> None:
        """Copy the rows of consecutive articles of the current version."""
        ...

    def add(self, new: NewArticle) -> None:
        """Add a new article's rows."""
        ...

    def drop(self, rows: ArticleRows) -> None:
        """An article of the current version is left out (most parts just do not copy it)."""
        ...


@dataclass(frozen=True)
class _Current:
    """The current version, with the parts only an update reads."""

    index: LoadedIndex
    chunk_vectors: Vectors
    forward: SparseMatrix
    concepts: Concepts
    people: list[People]  # each article's own

    @classmethod
    def load(cls, folder: Path, loaded: LoadedIndex | None = None) -> _Current:
        index = loaded if loaded is not None and loaded.folder == folder else load_index(folder)
        try:
            return cls(
                index,
                load_npy(folder / CHUNK_VECTORS),
                load_forward(folder / "bm25"),
                Concepts.load(folder / CONCEPTS_DIR),
                load_people(folder),
            )
        except (OSError, ValueError) as exc:
            msg = f"the index in {folder} cannot be updated ({type(exc).__name__}: {exc}); {_REBUILD}"
            raise IndexFolderError(msg) from exc


def update_index(
    index_dir: Path,
    encoder: Encoder,
    chunking: ChunkingParams,
    *,
    add: Sequence[NewArticle] = (),
    remove: Collection[str] = (),
    params: IndexParams | None = None,
    sparse: bool = True,
    loaded: LoadedIndex | None = None,
) -> dict[str, Any]:
    """Write and swap in a version of the index with `add` (replacing articles of the same id), without `remove`.

    The caller holds `versions.writing(index_dir)`. `loaded` is the version
    the caller has loaded, used when it is still the current one. Returns
    the new manifest.
    """
    started = time.perf_counter()
    old = _Current.load(current(index_dir), loaded)
    _check_same_settings(old.index.manifest, encoder, chunking, sparse)
    store = old.index.store
    old_ids = list(store.articles)
    unknown = sorted(set(remove) - set(old_ids))
    if unknown:
        msg = f"no article {', '.join(unknown)} in the index"
        raise CorpusError(msg)
    new_by_id = {new.article.id: new for new in add}
    leaving = set(remove) | (set(new_by_id) & set(old_ids))
    kept = [i for i in old_ids if i not in leaving]
    order = sorted([*kept, *new_by_id])
    if not order:
        msg = "an index needs at least one article: add another before removing the last"
        raise IndexFolderError(msg)
    dropped = {p: store.rows(range(p, p + 1)) for p, article_id in enumerate(old_ids) if article_id in leaving}
    with new_version(index_dir) as tmp:
        writers = _Writers(old, tmp, new_by_id, dropped, encoder.spec.dim)
        for rows in dropped.values():
            writers.drop(rows)
        for piece in _pieces(order, new_by_id, {a: p for p, a in enumerate(old_ids)}):
            if isinstance(piece, range):
                writers.copy(piece, store.rows(piece))
            else:
                writers.add(piece)
        manifest = writers.finish(encoder, params or IndexParams(), old.index.manifest)
        manifest["updated"] = {
            "added": sorted(new_by_id),
            "removed": sorted(set(remove)),
            "words_encoded": writers.words_encoded,
            "seconds": round(time.perf_counter() - started, 3),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info(
        "index updated: %d added, %d removed, now %d articles, %d chunks, in %.1f s",
        len(new_by_id),
        len(set(remove)),
        manifest["counts"]["articles"],
        manifest["counts"]["chunks"],
        time.perf_counter() - started,
    )
    return manifest


def _check_same_settings(manifest: dict[str, Any], encoder: Encoder, chunking: ChunkingParams, sparse: bool) -> None:
    """An index of another encoder, chunking, tokenizer, annotator or brief cannot take new rows: it must be rebuilt."""
    expected = {
        "format": FORMAT_VERSION,
        "encoder": encoder.spec.as_dict(),
        "chunking": chunking.as_dict(),
        "sparse": sparse_identity(encoder, sparse),
        "tokenizer": tokenizer_identity(),
        "annotator": ANNOTATOR_VERSION,
        "corpus_hash": manifest.get("corpus_hash"),
        "article_hashes": manifest.get("article_hashes"),
    }
    check_fresh(manifest, expected)


def _pieces(order: list[str], new: dict[str, NewArticle], old: dict[str, int]) -> list[range | NewArticle]:
    """The new version's articles in order: runs of current positions, and new articles."""
    pieces: list[range | NewArticle] = []
    for article_id in order:
        if article_id in new:
            pieces.append(new[article_id])
            continue
        position = old[article_id]
        last = pieces[-1] if pieces else None
        if isinstance(last, range) and last.stop == position:
            pieces[-1] = range(last.start, position + 1)
        else:
            pieces.append(range(position, position + 1))
    return pieces


class _Writers:
    """Every per-article part of the new version, written piece by piece, then the corpus-wide parts."""

    def __init__(
        self, old: _Current, tmp: Path, new: dict[str, NewArticle], dropped: dict[int, ArticleRows], dim: int
    ) -> None:
        self.old, self.tmp, self.new, self.dropped = old, tmp, new, dropped
        self.words_encoded = 0
        index = old.index
        gone = dropped.values()
        chunks = len(index.chunks) - sum(len(r.chunks) for r in gone) + sum(len(n.chunks) for n in new.values())
        windows = len(index.windows) - sum(len(r.windows) for r in gone) + sum(n.windows for n in new.values())
        self.passages = StoreWriter(tmp / "passages")
        self.documents = Documents.of(index.bm25, tmp / "bm25")
        self.concepts = ConceptsWriter.of(old.concepts, tmp / CONCEPTS_DIR)
        self.chunk_vectors = _DenseRows(tmp / CHUNK_VECTORS, (chunks, dim), old.chunk_vectors, _chunk_rows, _chunks)
        self.window_vectors = _DenseRows(
            tmp / "windows.npy", (windows, dim), index.window_vectors, _window_rows, _windows
        )
        self.sparse: list[_SparseRows] = []
        if index.sparse_chunks is not None and index.sparse_windows is not None:
            self.sparse = [
                _SparseRows(tmp / "sparse_chunks", index.sparse_chunks.matrix, _chunk_rows, _sparse_chunks),
                _SparseRows(tmp / "sparse_windows", index.sparse_windows, _window_rows, _sparse_windows),
            ]
        self.places = _Places(len(index.chunks))
        self.annotations: list[tuple[Span, ...]] = []
        self.speakers: list[Speaker | None] = []
        self.people: list[People] = []
        self.sources: list[int | NewArticle] = []  # where each article of the new version comes from
        self.stages: list[RowStage] = [self._passages(), self._lexical(), self._brief(), self._annotated(), self.places]
        self.stages += [self.chunk_vectors, self.window_vectors, *self.sparse]

    def copy(self, articles: range, rows: ArticleRows) -> None:
        """Copy consecutive articles of the current version into every part."""
        for stage in self.stages:
            stage.copy(articles, rows)

    def add(self, new: NewArticle) -> None:
        """Add a new article to every part."""
        for stage in self.stages:
            stage.add(new)

    def drop(self, rows: ArticleRows) -> None:
        """Tell every part that an article of the current version is left out."""
        for stage in self.stages:
            stage.drop(rows)

    def _passages(self) -> RowStage:
        store = self.old.index.store

        def add(new: NewArticle) -> None:
            self.passages.add_article(new.article)
            for chunk in new.chunks:
                self.passages.add_chunk(chunk)

        return _Stage(copy=lambda articles, _: self.passages.copy_articles(store, articles), add=add)

    def _lexical(self) -> RowStage:
        store, forward = self.old.index.store, self.old.forward

        def add(new: NewArticle) -> None:
            first = 0
            for chunk in new.chunks:
                last = first + len(chunk.sentences)
                self.documents.add(chunk.text, " ".join(n for n in new.named[first:last] if n))
                first = last

        def drop(rows: ArticleRows) -> None:
            for chunk in rows.chunks:
                self.documents.forget(store.chunks[chunk].text)

        return _Stage(copy=lambda _, rows: self.documents.copy(forward, rows.chunks), add=add, drop=drop)

    def _brief(self) -> RowStage:
        older = self.old.concepts
        return _Stage(
            copy=lambda articles, rows: self.concepts.copy(older, articles, rows.sentences),
            add=lambda new: self.concepts.add(new.concepts),
        )

    def _annotated(self) -> RowStage:
        """The annotations and speakers of each sentence, and each article's own people."""
        older = self.old

        def copy(articles: range, rows: ArticleRows) -> None:
            self.annotations.extend(older.index.annotations[rows.sentences.start : rows.sentences.stop])
            self.speakers.extend(older.index.speakers[rows.sentences.start : rows.sentences.stop])
            self.people.extend(older.people[articles.start : articles.stop])
            self.sources.extend(articles)

        def add(new: NewArticle) -> None:
            self.annotations.extend(new.annotations)
            self.speakers.extend(None for _ in new.annotations)  # attributed in `_speakers`
            self.people.append(new.people)
            self.sources.append(new)

        return _Stage(copy=copy, add=add)

    def _speakers(self) -> list[Speaker | None]:
        """The speakers of every sentence: attributed again in the articles that name a person one added or
        removed names (`people.py`), copied in the others."""
        changed = {k for n in self.new.values() for k in n.people.names}
        changed |= {k for p in self.dropped for k in self.old.people[p].names}
        store = self.old.index.store
        again: dict[int, tuple[str, list[tuple[int, int]], Sequence[tuple[Span, ...]]]] = {}
        starts, at = [], 0
        for position, (source, own) in enumerate(zip(self.sources, self.people, strict=True)):
            starts.append(at)
            if isinstance(source, NewArticle):
                again[position] = (source.article.text, source.bounds, source.annotations)
                at += len(source.annotations)
                continue
            sentences = store.article_sentences(source)
            if changed & own.names.keys():
                kept = self.old.index.annotations[sentences.start : sentences.stop]
                again[position] = (store.article_at(source).text, store.sentence_spans(sentences), kept)
            at += len(sentences)
        speakers = list(self.speakers)
        for position, said in attribute_again(self.people, again).items():
            speakers[starts[position] : starts[position] + len(said)] = said
        return speakers

    def finish(self, encoder: Encoder, params: IndexParams, older: dict[str, Any]) -> dict[str, Any]:
        """Close the parts, make the corpus-wide ones from them, and return the new manifest."""
        tmp = self.tmp
        store = self.passages.close()
        concepts = self.concepts.close()
        chunk_vectors, window_vectors = self.chunk_vectors.close(), self.window_vectors.close()
        bm25 = self.documents.finish(k1=self.old.index.bm25.k1, b=self.old.index.bm25.b)
        index = self.old.index
        if self.sparse and index.sparse_chunks is not None:
            chunks_matrix = self.sparse[0].close()
            self.sparse[1].close()
            added = np.asarray(self.places.added, dtype=np.int32)
            postings = tmp / "sparse_chunks" / "postings"
            SparseIndex.update(index.sparse_chunks, chunks_matrix, self.places.moved, added, postings)
        resolved = params.resolve(len(store.chunks))
        faiss.write_index(_fill_index(resolved, chunk_vectors), str(tmp / "chunks.faiss"))
        np.save(tmp / "centroid.npy", _mean(chunk_vectors), allow_pickle=False)
        known = (index.word_forms, index.word_vectors) if index.word_vectors is not None else None
        self.words_encoded = build_word_vectors(article_forms(bm25.words.items()), encoder, tmp / "words", known=known)
        brief_params = BriefParams()
        brief = save_brief(tmp, choose_brief(store, window_vectors, brief_params, concepts), brief_params)
        annotated = save_annotations(tmp, self.annotations, [s.as_row() if s else None for s in self._speakers()])
        save_people(tmp, self.people)
        hashes = {a: h for a, h in older["article_hashes"].items() if a in store.articles and a not in self.new}
        hashes.update({a: article_hash(new.article) for a, new in self.new.items()})
        return {
            **older,
            "corpus_hash": corpus_hash(hashes),
            "article_hashes": dict(sorted(hashes.items())),
            "index": resolved.as_dict(),
            "chunks_hash": store.fingerprint(),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "brief": brief,
            "annotations": annotated,
            "counts": {
                "articles": len(store.articles),
                "chunks": len(store.chunks),
                "sentences": len(store.sentences),
                "windows": len(store.windows),
            },
        }


@dataclass(frozen=True)
class _Stage:
    """A `RowStage` from functions."""

    copy: Callable[[range, ArticleRows], None]
    add: Callable[[NewArticle], None]
    drop: Callable[[ArticleRows], None] = lambda _: None


def _chunk_rows(rows: ArticleRows) -> range:
    return rows.chunks


def _window_rows(rows: ArticleRows) -> range:
    return rows.windows


def _chunks(new: NewArticle) -> Vectors:
    return new.chunk_vectors


def _windows(new: NewArticle) -> Vectors:
    return new.window_vectors


def _sparse_chunks(new: NewArticle) -> tuple[SparseVector, ...]:
    return new.sparse_chunks


def _sparse_windows(new: NewArticle) -> tuple[SparseVector, ...]:
    return new.sparse_windows


class _Places:
    """Where the current version's chunks go in the new one (-1: left out), and which chunks are new."""

    def __init__(self, chunks: int) -> None:
        self.moved = np.full(chunks, -1, dtype=np.int32)
        self.added: list[int] = []
        self.at = 0

    def copy(self, articles: range, rows: ArticleRows) -> None:
        self.moved[rows.chunks.start : rows.chunks.stop] = np.arange(self.at, self.at + len(rows.chunks))
        self.at += len(rows.chunks)

    def add(self, new: NewArticle) -> None:
        self.added.extend(range(self.at, self.at + len(new.chunks)))
        self.at += len(new.chunks)

    def drop(self, rows: ArticleRows) -> None:
        """Nothing to do: its chunks stay -1."""


class _DenseRows:
    """A 2-d `.npy` of one vector per chunk (or window), written in order; the current version's rows file to file."""

    def __init__(
        self,
        path: Path,
        shape: tuple[int, int],
        older: Vectors,
        rows_of: Callable[[ArticleRows], range],
        new_of: Callable[[NewArticle], Vectors],
    ) -> None:
        self.path, self.older, self.rows_of, self.new_of = path, older, rows_of, new_of
        self.row_bytes = shape[1] * np.dtype(np.float32).itemsize
        self.handle = path.open("wb")
        fields = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False, "shape": shape}
        np.lib.format.write_array_header_1_0(self.handle, fields)

    def copy(self, articles: range, rows: ArticleRows) -> None:
        picked = self.rows_of(rows)
        if isinstance(self.older, np.memmap) and self.older.filename:
            self.handle.flush()
            at, count = self.handle.tell(), len(picked) * self.row_bytes
            start = self.older.offset + picked.start * self.row_bytes
            copy_range(Path(self.older.filename), start, count, self.handle, at)
            self.handle.seek(at + count)
        else:
            self.handle.write(np.ascontiguousarray(self.older[picked.start : picked.stop], dtype=np.float32).data)

    def add(self, new: NewArticle) -> None:
        self.handle.write(np.ascontiguousarray(self.new_of(new), dtype=np.float32).data)

    def drop(self, rows: ArticleRows) -> None:
        """Nothing to do: the rows are not copied."""

    def close(self) -> Vectors:
        """The finished array, memory-mapped."""
        self.handle.close()
        vectors: Vectors = load_npy(self.path)
        return vectors


class _SparseRows:
    """A `SparseMatrix` of latent terms per chunk (or window), written row range by row range."""

    def __init__(
        self,
        folder: Path,
        older: SparseMatrix,
        rows_of: Callable[[ArticleRows], range],
        new_of: Callable[[NewArticle], tuple[SparseVector, ...]],
    ) -> None:
        self.older, self.rows_of, self.new_of = older, rows_of, new_of
        self.writer = MatrixWriter(older.dim, folder)

    def copy(self, articles: range, rows: ArticleRows) -> None:
        self.writer.extend(self.older, self.rows_of(rows))

    def add(self, new: NewArticle) -> None:
        for ids, values in self.new_of(new):
            self.writer.add(ids, values)

    def drop(self, rows: ArticleRows) -> None:
        """Nothing to do: the rows are not copied."""

    def close(self) -> SparseMatrix:
        """The finished matrix, memory-mapped."""
        return self.writer.close()
