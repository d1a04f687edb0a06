"""/quotes: the story's speakers, and one speaker's quotes page by page, built from the index's speakers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.render import Block, escape, human_date
from bot.texts import Lang, text
from embeddings.answer.speech import StorySpeaker
from embeddings.pipeline import Pipeline

PAGE_CHARS = 3500  # a page of quotes, with its header, always fits one message


@dataclass(frozen=True)
class Quote:
    """One run of a speaker's adjacent sentences: its text and the article it is from."""

    text: str
    title: str
    date: str


def speaker_quotes(pipeline: Pipeline, speaker: StorySpeaker) -> list[Quote]:
    """The speaker's quotes in story order: runs of adjacent sentences of one article."""
    index = pipeline.index
    runs: list[list[int]] = []
    for i in speaker.sentences:
        if runs and runs[-1][-1] == i - 1 and index.sentences[i - 1].article_id == index.sentences[i].article_id:
            runs[-1].append(i)
        else:
            runs.append([i])
    quotes = []
    for run in runs:
        first, last = index.sentences[run[0]], index.sentences[run[-1]]
        article = index.articles[first.article_id]
        quotes.append(Quote(article.text[first.start : last.end], article.title, article.date))
    return quotes


def _role(speaker: StorySpeaker) -> str:
    return f", {speaker.role}" if speaker.role else ""


def speakers_block(speakers: Sequence[StorySpeaker], counts: Sequence[int], lang: Lang) -> Block:
    """The /quotes listing: each speaker with role and quote count."""
    if not speakers:
        none = text("quotes_none", lang)
        return Block(escape(none), none)
    title = text("quotes_title", lang)
    lines = [
        text("quotes_line", lang, name=s.name, role=_role(s), count=count)
        for s, count in zip(speakers, counts, strict=True)
    ]
    return Block("\n".join([f"<b>{escape(title)}</b>", *(f"• {escape(x)}" for x in lines)]), "\n".join([title, *lines]))


def quote_pages(quotes: Sequence[Quote], limit: int = PAGE_CHARS) -> list[list[Quote]]:
    """The quotes cut into pages of at most `limit` characters (a longer quote has a page of its own)."""
    pages: list[list[Quote]] = [[]]
    size = 0
    for quote in quotes:
        length = len(quote.text) + len(quote.title) + 40
        if pages[-1] and size + length > limit:
            pages.append([])
            size = 0
        pages[-1].append(quote)
        size += length
    return pages


def quotes_page_block(speaker: StorySpeaker, pages: Sequence[Sequence[Quote]], page: int, lang: Lang) -> Block:
    """Page `page` (from 0, clamped) of a speaker's quotes, each with its article, and "page x of y"."""
    page = min(max(page, 0), len(pages) - 1)
    header = text("quotes_header", lang, name=speaker.name, role=_role(speaker))
    html_parts, plain_parts = [f"<b>{escape(header)}</b>"], [header]
    for quote in pages[page]:
        source = f"— {quote.title}, {human_date(quote.date, lang)}"
        cut = (
            quote.text
            if len(quote.text) <= PAGE_CHARS - 200
            else quote.text[: PAGE_CHARS - 200].rsplit(" ", 1)[0] + "…"
        )
        html_parts.append(f"\n«{escape(cut)}»\n<i>{escape(source)}</i>")
        plain_parts.append(f"\n«{cut}»\n{source}")
    footer = text("page_of", lang, page=page + 1, pages=len(pages))
    html_parts.append(f"\n{escape(footer)}")
    plain_parts.append(f"\n{footer}")
    return Block("\n".join(html_parts), "\n".join(plain_parts))
