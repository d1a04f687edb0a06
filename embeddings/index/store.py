"""The passages of an index folder: articles, chunks, sentences and evidence windows, read on access.

Stored in `passages/` as arrays, memory-mapped on load:

    articles.jsonl     every article's citable metadata, one JSON object a line
    paragraph_start.npy, paragraph_end.npy, article_paragraphs.npy
                       paragraph spans in their article's text, and where
                       each article's paragraphs start (CSR offsets)
    texts.npy          the article texts, UTF-8, one after another
    text_offsets.npy   where each article's text starts in `texts` (bytes)
    chunk_article.npy  the article (by position) of every chunk
    chunk_sentences.npy  where each chunk's sentences start (CSR offsets)
    sentence_start.npy, sentence_end.npy  sentence spans in their article's text

Retrieval needs a handful of chunks per question, so `Chunk`, `Sentence` and
`Window` objects are made when asked for (recent ones are remembered), not
kept for the whole corpus. Windows are not stored at all: a chunk of n
sentences has 2n - 1 of them, every sentence followed by the pair it starts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from embeddings.index.postings import Column, load_array, offsets
from embeddings.ingest.chunking import Chunk, Sentence
from embeddings.ingest.corpus import Article, Span

_CACHE = 4096
_FIELDS = ("id", "title", "date", "outlet", "url", "language")
Metadata = tuple[str, str, str, str | None, str | None, str]  # in the order of _FIELDS


@dataclass(frozen=True)
class ArticleRows:
    """Where some consecutive articles' rows are: their chunks, sentences and windows (row ids)."""

    chunks: range
    sentences: range
    windows: range


@dataclass(frozen=True)
class Window:
    """One or two adjacent sentences of a chunk: a unit of quoted evidence.

    A chunk's windows follow each other in its order: its first sentence, the
    pair that sentence starts, the second sentence, and so on.
    """

    chunk_id: int
    first: int  # sentence ids, inclusive
    last: int


class StoreWriter:
    """Writes `passages/` article by article and chunk by chunk (or keeps it in memory without a folder)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._articles: list[Metadata] = []  # without a folder only; with one, lines of articles.jsonl
        self._lines = (folder / "articles.jsonl").open("w", encoding="utf-8") if folder else None
        self._article_ids: dict[str, int] = {}
        self._paragraph_start = Column(folder, "paragraph_start", np.int32)
        self._paragraph_end = Column(folder, "paragraph_end", np.int32)
        self._paragraph_counts = Column(folder, "paragraph_counts", np.int64)
        self._texts = Column(folder, "texts", np.uint8)
        self._text_lengths = Column(folder, "text_lengths", np.int64)
        self._chunk_article = Column(folder, "chunk_article", np.int32)
        self._chunk_lengths = Column(folder, "chunk_lengths", np.int64)
        self._starts = Column(folder, "sentence_start", np.int32)
        self._ends = Column(folder, "sentence_end", np.int32)

    def add_article(self, article: Article) -> None:
        """Store an article's metadata and text."""
        self._article_ids[article.id] = len(self._article_ids)
        meta = article.metadata()
        if self._lines is not None:
            self._lines.write(json.dumps({f: meta[f] for f in _FIELDS}, ensure_ascii=False) + "\n")
        else:
            self._articles.append(_metadata(meta))
        self._paragraph_start.append([p.start for p in article.paragraphs])
        self._paragraph_end.append([p.end for p in article.paragraphs])
        self._paragraph_counts.append(len(article.paragraphs))
        encoded = np.frombuffer(article.text.encode(), dtype=np.uint8)
        self._texts.append(encoded)
        self._text_lengths.append(len(encoded))

    def copy_articles(self, store: PassageStore, articles: range) -> None:
        """Store the articles at `articles` (positions) of another store, with their chunks as they were cut."""
        if not articles:
            return
        base = len(self._article_ids)
        for position in articles:
            meta = store._meta[position]
            self._article_ids[meta[0]] = len(self._article_ids)
            if self._lines is not None:
                self._lines.write(json.dumps(dict(zip(_FIELDS, meta, strict=True)), ensure_ascii=False) + "\n")
            else:
                self._articles.append(meta)
        first, last = articles.start, articles.stop
        paragraphs = store._article_paragraphs[first : last + 1]
        self._paragraph_start.append(store._paragraph_start[paragraphs[0] : paragraphs[-1]])
        self._paragraph_end.append(store._paragraph_end[paragraphs[0] : paragraphs[-1]])
        self._paragraph_counts.append(np.diff(paragraphs))
        texts = store._text_offsets[first : last + 1]
        self._texts.append(store._texts[texts[0] : texts[-1]])
        self._text_lengths.append(np.diff(texts))
        rows = store.rows(articles)
        self._chunk_article.append(store._chunk_article[rows.chunks.start : rows.chunks.stop] - first + base)
        self._chunk_lengths.append(np.diff(store._chunk_sentences[rows.chunks.start : rows.chunks.stop + 1]))
        self._starts.append(store._starts[rows.sentences.start : rows.sentences.stop])
        self._ends.append(store._ends[rows.sentences.start : rows.sentences.stop])

    def add_chunk(self, chunk: Chunk) -> None:
        """Store a chunk of an article added before."""
        self._chunk_article.append(self._article_ids[chunk.article_id])
        self._chunk_lengths.append(len(chunk.sentences))
        self._starts.append([s.start for s in chunk.sentences])
        self._ends.append([s.end for s in chunk.sentences])

    def close(self) -> PassageStore:
        """Finish the store (memory-mapped from the folder when there is one)."""
        arrays = {
            "texts": self._texts.close(),
            "text_offsets": offsets(self._text_lengths.close()),
            "chunk_article": self._chunk_article.close(),
            "chunk_sentences": offsets(self._chunk_lengths.close()),
            "sentence_start": self._starts.close(),
            "sentence_end": self._ends.close(),
            "paragraph_start": self._paragraph_start.close(),
            "paragraph_end": self._paragraph_end.close(),
            "article_paragraphs": offsets(self._paragraph_counts.close()),
        }
        if self.folder is None or self._lines is None:
            return PassageStore(self._articles, arrays)
        self._lines.close()
        for name in ("text_lengths", "chunk_lengths", "paragraph_counts"):
            (self.folder / f"{name}.npy").unlink()
        for name in ("text_offsets", "chunk_sentences", "article_paragraphs"):
            np.save(self.folder / f"{name}.npy", arrays[name], allow_pickle=False)
        return PassageStore.load(self.folder)


_DTYPES = {
    "texts": np.uint8,
    "text_offsets": np.int64,
    "chunk_article": np.int32,
    "chunk_sentences": np.int64,
    "sentence_start": np.int32,
    "sentence_end": np.int32,
    "paragraph_start": np.int32,
    "paragraph_end": np.int32,
    "article_paragraphs": np.int64,
}


def _metadata(meta: dict[str, Any]) -> Metadata:
    """An article's metadata as a tuple: a few hundred bytes an article, not a dict's kilobyte."""
    return (
        str(meta["id"]),
        str(meta["title"]),
        str(meta["date"]),
        None if meta["outlet"] is None else str(meta["outlet"]),
        None if meta["url"] is None else str(meta["url"]),
        str(meta["language"]),
    )


class PassageStore:
    """Read access to a stored corpus: `articles`, `chunks`, `sentences`, `windows` and their groupings."""

    def __init__(self, articles: list[Metadata], arrays: dict[str, npt.NDArray[Any]]) -> None:
        self._meta = articles
        self._paragraph_start, self._paragraph_end = arrays["paragraph_start"], arrays["paragraph_end"]
        self._article_paragraphs = arrays["article_paragraphs"]
        self._texts, self._text_offsets = arrays["texts"], arrays["text_offsets"]
        self._chunk_article, self._chunk_sentences = arrays["chunk_article"], arrays["chunk_sentences"]
        self._starts, self._ends = arrays["sentence_start"], arrays["sentence_end"]
        sentence_counts = np.diff(self._chunk_sentences)
        self._chunk_windows = offsets(np.maximum(2 * sentence_counts - 1, 0))
        self._check()
        self._text = lru_cache(maxsize=256)(self._decode)
        self.article_at = lru_cache(maxsize=256)(self._make_article)
        self._chunk = lru_cache(maxsize=_CACHE)(self._make_chunk)
        self.articles = ArticleTable(self)
        self.chunks: Sequence[Chunk] = _Table(len(sentence_counts), self._chunk)
        self.sentences: Sequence[Sentence] = _Table(len(self._starts), self._sentence)
        self.sentence_of_chunk: Sequence[range] = _Table(len(sentence_counts), self._sentences_of)
        self.windows: Sequence[Window] = _Table(int(self._chunk_windows[-1]), self._window)
        self.windows_of_chunk: Sequence[range] = _Table(len(sentence_counts), self._windows_of)

    @classmethod
    def load(cls, folder: Path) -> PassageStore:
        """Memory-map `folder`; missing or inconsistent parts raise OSError or ValueError."""
        with (folder / "articles.jsonl").open(encoding="utf-8") as lines:
            articles = [_metadata(json.loads(line)) for line in lines]
        return cls(articles, {name: load_array(folder, name, dtype) for name, dtype in _DTYPES.items()})

    def _check(self) -> None:
        chunks = len(self._chunk_article)
        if (
            len(self._text_offsets) != len(self._meta) + 1
            or int(self._text_offsets[-1]) != len(self._texts)
            or len(self._chunk_sentences) != chunks + 1
            or int(self._chunk_sentences[-1]) != len(self._starts)
            or len(self._ends) != len(self._starts)
            or len(self._article_paragraphs) != len(self._meta) + 1
            or int(self._article_paragraphs[-1]) != len(self._paragraph_start)
            or len(self._paragraph_end) != len(self._paragraph_start)
            or (chunks and not 0 <= int(self._chunk_article.min()) <= int(self._chunk_article.max()) < len(self._meta))
        ):
            msg = "passages: arrays of different lengths"
            raise ValueError(msg)

    def article_counts(self) -> dict[str, int]:
        """How many chunks every article has."""
        counts = np.bincount(self._chunk_article, minlength=len(self._meta))
        return {meta[0]: int(n) for meta, n in zip(self._meta, counts, strict=True)}

    def rows(self, articles: range) -> ArticleRows:
        """The rows of the articles at positions `articles` (their chunks are stored one after another)."""
        first = int(np.searchsorted(self._chunk_article, articles.start, side="left"))
        last = int(np.searchsorted(self._chunk_article, articles.stop, side="left")) if articles else first
        return ArticleRows(
            range(first, last),
            range(int(self._chunk_sentences[first]), int(self._chunk_sentences[last])),
            range(int(self._chunk_windows[first]), int(self._chunk_windows[last])),
        )

    def sentence_articles(self) -> npt.NDArray[np.int64]:
        """For every sentence, the position of its article."""
        articles = np.repeat(self._chunk_article, np.diff(self._chunk_sentences))
        return np.asarray(articles, dtype=np.int64)

    def fingerprint(self) -> str:
        """A hash of the articles' metadata and texts and of where their chunks and sentences are."""
        digest = hashlib.sha256()
        for meta in self._meta:
            digest.update(json.dumps(meta, ensure_ascii=False).encode())
        arrays = (self._texts, self._text_offsets, self._chunk_article, self._chunk_sentences, self._starts, self._ends)
        for array in arrays:
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()

    def article_sentences(self, position: int) -> range:
        """The sentence ids of the article stored at `position` (its chunks are stored one after another)."""
        first = int(np.searchsorted(self._chunk_article, position, side="left"))
        last = int(np.searchsorted(self._chunk_article, position, side="right"))
        return range(int(self._chunk_sentences[first]), int(self._chunk_sentences[last]))

    def sentence_spans(self, sentences: range) -> list[tuple[int, int]]:
        """The spans of consecutive `sentences` in their article's text (without making `Sentence` objects)."""
        starts = self._starts[sentences.start : sentences.stop].tolist()
        ends = self._ends[sentences.start : sentences.stop].tolist()
        return list(zip(starts, ends, strict=True))

    def sentence_windows(self) -> npt.NDArray[np.int64]:
        """For every sentence, the window that is that sentence alone (its row in the window vectors)."""
        counts = np.diff(self._chunk_sentences)
        chunk = np.repeat(np.arange(len(counts)), counts)
        offset = np.arange(len(self._starts)) - self._chunk_sentences[chunk]
        rows: npt.NDArray[np.int64] = (self._chunk_windows[chunk] + 2 * offset).astype(np.int64)
        return rows

    def _decode(self, article: int) -> str:
        start, end = int(self._text_offsets[article]), int(self._text_offsets[article + 1])
        return self._texts[start:end].tobytes().decode()

    def _make_article(self, position: int) -> Article:
        """The article stored at `position`, with its text (`article_at` remembers recent ones)."""
        article_id, title, date, outlet, url, language = self._meta[position]
        first, last = int(self._article_paragraphs[position]), int(self._article_paragraphs[position + 1])
        starts, ends = self._paragraph_start[first:last].tolist(), self._paragraph_end[first:last].tolist()
        return Article(
            id=article_id,
            title=title,
            date=date,
            outlet=outlet,
            url=url,
            language=language,
            text=self._text(position),
            paragraphs=tuple(Span(s, e) for s, e in zip(starts, ends, strict=True)),
            path=Path(article_id),
        )

    def _sentence_span(self, sentence: int) -> tuple[int, int]:
        return int(self._starts[sentence]), int(self._ends[sentence])

    def _make_chunk(self, chunk: int) -> Chunk:
        position = int(self._chunk_article[chunk])
        article_id, text = self._meta[position][0], self._text(position)
        spans = [self._sentence_span(i) for i in self._sentences_of(chunk)]
        if not spans:
            msg = f"passages: chunk {chunk} has no sentences"
            raise ValueError(msg)
        sentences = tuple(Sentence(article_id, s, e, text[s:e]) for s, e in spans)
        start, end = spans[0][0], spans[-1][1]
        return Chunk(article_id, start, end, text[start:end], sentences)

    def _chunk_of_sentence(self, sentence: int) -> int:
        return int(np.searchsorted(self._chunk_sentences, sentence, side="right")) - 1

    def _sentence(self, sentence: int) -> Sentence:
        chunk = self._chunk(self._chunk_of_sentence(sentence))
        return chunk.sentences[sentence - int(self._chunk_sentences[self._chunk_of_sentence(sentence)])]

    def _sentences_of(self, chunk: int) -> range:
        return range(int(self._chunk_sentences[chunk]), int(self._chunk_sentences[chunk + 1]))

    def _windows_of(self, chunk: int) -> range:
        return range(int(self._chunk_windows[chunk]), int(self._chunk_windows[chunk + 1]))

    def _window(self, window: int) -> Window:
        chunk = int(np.searchsorted(self._chunk_windows, window, side="right")) - 1
        offset = window - int(self._chunk_windows[chunk])
        first = int(self._chunk_sentences[chunk]) + offset // 2
        return Window(chunk, first, first + offset % 2)


class ArticleTable(Mapping[str, Article]):
    """The stored articles by id; an article's text is read when the article is."""

    def __init__(self, store: PassageStore) -> None:
        self._store = store
        self._positions = {meta[0]: i for i, meta in enumerate(store._meta)}

    def __getitem__(self, article_id: str) -> Article:
        return self._store.article_at(self._positions[article_id])

    def position(self, article_id: str) -> int:
        """Where the article is stored (a short, stable handle while the index stays the same)."""
        return self._positions[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._positions  # without reading the article, as `Mapping` would

    def __len__(self) -> int:
        return len(self._positions)


class _Table(Sequence[Any]):
    """A read-only sequence whose items are made on access."""

    def __init__(self, length: int, make: Any) -> None:
        self._length, self._make = length, make

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._make(index)
