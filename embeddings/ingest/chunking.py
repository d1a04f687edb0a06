"""Sentence-aware chunks that keep offsets back into their article.

A chunk never crosses a paragraph boundary unless it merges a short paragraph
with the next one, and never cuts a sentence. Each chunk also lists its
sentences, so that an answer can quote exactly one of them and cite it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from razdel import sentenize

from embeddings.ingest.corpus import Article, Span

CHUNKER_VERSION = 2


@dataclass(frozen=True)
class ChunkingParams:
    """How articles are cut; recorded in the index manifest."""

    max_chars: int = 600
    min_chars: int = 160
    version: int = CHUNKER_VERSION

    def as_dict(self) -> dict[str, int]:
        """Plain values for the manifest."""
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its article and its exact span in the article text."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: consecutive sentences of one article."""

    article_id: str
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


def split_sentences(text: str, span: Span) -> list[Span]:
    """Split `text[span.start:span.end]` into sentence spans (absolute offsets).

    razdel (natasha's sentence splitter) finds the sentences; one it ends
    inside parentheses ("(Советского Союза. - Прим. ред.)") goes on into the next.
    """
    spans: list[Span] = []
    start: int | None = None
    for found in sentenize(text[span.start : span.end]):
        begin, end = span.start + found.start, span.start + found.stop
        start = begin if start is None else start
        if _inside_parentheses(text, start, end):
            continue
        spans.append(Span(start, end))
        start = None
    if start is not None:
        spans.append(Span(start, span.end))
    return [s for s in spans if text[s.start : s.end].strip()]


def chunk_article(article: Article, params: ChunkingParams) -> list[Chunk]:
    """Cut one article into chunks of whole sentences."""
    groups: list[list[Span]] = []
    for paragraph in article.paragraphs:
        sentences = split_sentences(article.text, paragraph)
        for piece in _pack(sentences, params.max_chars):
            previous = groups[-1] if groups else None
            if (
                previous is not None
                and _length(previous) < params.min_chars
                and piece[-1].end - previous[0].start <= params.max_chars
            ):
                previous.extend(piece)
            else:
                groups.append(list(piece))
    return [_make_chunk(article, group) for group in groups]


def chunk_corpus(articles: Iterable[Article], params: ChunkingParams) -> list[Chunk]:
    """Chunks of every article, in article order."""
    return [chunk for article in articles for chunk in chunk_article(article, params)]


def _pack(sentences: list[Span], max_chars: int) -> list[list[Span]]:
    pieces: list[list[Span]] = []
    current: list[Span] = []
    for sentence in sentences:
        if current and sentence.end - current[0].start > max_chars:
            pieces.append(current)
            current = []
        current.append(sentence)
    if current:
        pieces.append(current)
    return pieces


def _length(group: list[Span]) -> int:
    return group[-1].end - group[0].start


def _make_chunk(article: Article, group: list[Span]) -> Chunk:
    start, end = group[0].start, group[-1].end
    sentences = tuple(Sentence(article.id, s.start, s.end, article.text[s.start : s.end]) for s in group)
    return Chunk(article.id, start, end, article.text[start:end], sentences)


def _inside_parentheses(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return piece.count("(") > piece.count(")")
