"""What a reader sees besides answers: the story in brief, the context of a quote, an article page by page.

Like `render.py`, everything is built from escaped article text, as HTML
and as the same text without markup (the console shows that). An article
page is at most `PAGE_UNITS` UTF-16 units of the article, cut at paragraph
ends (a longer paragraph at sentence ends, then between words), so a page
and its header always fit one message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.conversation import SmallTalk
from bot.answering.service import AnsweringService
from bot.render import Block, escape, human_date, said_by, shorten, source_line, units
from bot.texts import Lang, text
from embeddings.ingest.chunking import split_sentences
from embeddings.ingest.corpus import Article, Span, Story
from embeddings.pipeline import BriefLine

PAGE_UNITS = 3500
CONTEXT_UNITS = 1200  # of the paragraph on either side of the quote, at most
QUOTE_UNITS = 1200
TITLE_CHARS = 200


def brief_title(story: Story, lang: Lang) -> str:
    """What the brief is called: the story's own title for it, or "the story in brief"."""
    return story.brief_in(lang) or text("brief_title", lang)


def story_brief(answering: AnsweringService, lang: Lang) -> list[Block]:
    """The blocks of the story in brief, as chosen when the index was built."""
    return brief_blocks(answering.brief(), brief_title(answering.story, lang), lang)


def small_talk_blocks(talk: SmallTalk, story: Story, lang: Lang) -> list[Block]:
    """The reply to a message that asks nothing of the articles: a greeting, thanks, a bare link, no words."""
    if talk == "greeting":
        lines = [text("greeting", lang, story=story.name_in(lang) or "/sources")]
    elif talk == "thanks":
        return [Block(escape(text("small_talk_thanks", lang)), text("small_talk_thanks", lang))]
    elif talk == "link":
        lines = [text("small_talk_link", lang)]
    elif talk == "nothing_to_continue":
        lines = [text("nothing_to_continue", lang)]
    else:
        lines = [text("small_talk_none", lang)]
    examples = story.examples_in(lang)
    if examples:
        lines += [text("examples", lang), *(f"• {q}" for q in examples)]
    plain = "\n".join(lines)
    return [Block(escape(plain), plain)]


def brief_blocks(lines: Sequence[BriefLine], title: str, lang: Lang) -> list[Block]:
    """The story in brief: each sentence quoted with the numbers of the articles that state it, then the sources."""
    if not lines:
        empty = text("brief_empty", lang)
        return [Block(escape(empty), empty)]
    numbers: dict[str, int] = {}
    articles: list[Article] = []
    for line in lines:
        for article in line.articles:
            if article.id not in numbers:
                numbers[article.id] = len(numbers) + 1
                articles.append(article)
    blocks = [Block(f"<b>{escape(title)}</b>", title)]
    for line in lines:
        marker = " [" + ", ".join(str(n) for n in sorted(numbers[a.id] for a in line.articles)) + "]"
        quote = line.sentence.text
        blocks.append(Block(f"• «{escape(quote)}»{marker}", f"• «{quote}»{marker}"))
    header = text("sources_header", lang)
    blocks.append(Block(f"\n<b>{escape(header)}</b>", f"\n{header}"))
    blocks.extend(source_line(numbers[a.id], a, lang) for a in articles)
    return blocks


@dataclass(frozen=True)
class Context:
    """The place of a quote in its article: the text before it, the quote, the text after it."""

    article: Article
    paragraph: int  # the quote's paragraph, from 0
    before: str
    quote: str
    after: str


def paragraph_at(article: Article, offset: int) -> int:
    """The paragraph of `article` holding character `offset` (the last one before it, between paragraphs)."""
    found = 0
    for number, span in enumerate(article.paragraphs):
        if span.start <= offset:
            found = number
    return found


def context_of(article: Article, start: int, end: int) -> Context:
    """The paragraph around `article.text[start:end]`; a quote that is its whole paragraph gets the neighbours."""
    spans = article.paragraphs or (Span(0, len(article.text)),)
    number = paragraph_at(article, start)
    first, last = spans[number], spans[number]
    if article.text[first.start : start].strip() == "" and article.text[end : last.end].strip() == "":
        first = spans[max(0, number - 1)]
        last = spans[min(len(spans) - 1, number + 1)]
    before = _tail(article.text[first.start : start].strip(), CONTEXT_UNITS)
    after = _head(article.text[end : last.end].strip(), CONTEXT_UNITS)
    return Context(article, number, before, _head(article.text[start:end], QUOTE_UNITS), after)


def context_html(context: Context, lang: Lang, speaker: str | None = None, role: str | None = None) -> Block:
    """The context of a quote: the article's title, outlet and date, the quote in bold, the rest folded away.

    A quote that is someone's speech is followed by " — Имя Фамилия, роль".
    """
    article = context.article
    where = text("paragraph_of", lang, number=context.paragraph + 1, total=len(article.paragraphs) or 1)
    details = ", ".join(x for x in (article.outlet, human_date(article.date, lang)) if x)
    title = shorten(article.title, TITLE_CHARS)
    html = [f"📄 <b>{escape(title)}</b>", escape(f"{details} · {where}" if details else where)]
    plain = [f"📄 {title}", f"{details} · {where}" if details else where]
    if context.before:
        html.append(f"<blockquote expandable>{escape(context.before)}</blockquote>")
        plain.append(context.before)
    said = said_by(speaker, role)
    html.append(f"<b>{escape(context.quote)}</b>{escape(said)}")
    plain.append(f"» {context.quote}{said}")
    if context.after:
        html.append(f"<blockquote expandable>{escape(context.after)}</blockquote>")
        plain.append(context.after)
    return Block("\n".join(html), "\n".join(plain))


def article_pages(article: Article, limit: int = PAGE_UNITS) -> list[Span]:
    """The pages of an article: spans of its text of at most `limit` UTF-16 units, ending at paragraph ends."""
    pieces = [
        p for span in article.paragraphs or (Span(0, len(article.text)),) for p in _fit(article.text, span, limit)
    ]
    pages: list[Span] = []
    for piece in pieces:
        if pages and units(article.text[pages[-1].start : piece.end]) <= limit:
            pages[-1] = Span(pages[-1].start, piece.end)
        else:
            pages.append(piece)
    return pages or [Span(0, 0)]


def page_of(article: Article, offset: int, limit: int = PAGE_UNITS) -> int:
    """The page (from 0) that holds character `offset` of the article."""
    pages = article_pages(article, limit)
    return next((n for n, page in enumerate(pages) if offset < page.end), len(pages) - 1)


def page_block(article: Article, page: int, lang: Lang, limit: int = PAGE_UNITS) -> Block:
    """Page `page` (from 0, clamped) of an article, under its title, outlet and date, with "page x of y"."""
    pages = article_pages(article, limit)
    page = min(max(page, 0), len(pages) - 1)
    span = pages[page]
    body = re.sub(r"\n{3,}", "\n\n", article.text[span.start : span.end].strip())
    title = shorten(article.title, TITLE_CHARS)
    details = ", ".join(x for x in (article.outlet, human_date(article.date, lang)) if x)
    footer = text("page_of", lang, page=page + 1, pages=len(pages))
    html = [f"<b>{escape(title)}</b>"] + ([escape(details)] if details else [])
    html += ["", escape(body), "", f"<i>{escape(footer)}</i>"]
    plain = [title] + ([details] if details else []) + ["", body, "", footer]
    return Block("\n".join(html), "\n".join(plain))


def _head(value: str, limit: int) -> str:
    """The start of `value` within `limit` UTF-16 units, cut between words, with an ellipsis when cut."""
    if units(value) <= limit:
        return value
    cut = value[: limit // 2]
    for char in value[limit // 2 :]:
        if units(cut) + units(char) > limit - 1:
            break
        cut += char
    return (cut.rsplit(" ", 1)[0] or cut) + "…"


def _tail(value: str, limit: int) -> str:
    """The end of `value` within `limit` UTF-16 units, cut between words, with an ellipsis when cut."""
    if units(value) <= limit:
        return value
    return "…" + _head(value[::-1], limit)[:-1][::-1]


def _fit(text_: str, span: Span, limit: int) -> list[Span]:
    """`span` as pieces of at most `limit` units: whole if it fits, else whole sentences, else words."""
    if units(text_[span.start : span.end]) <= limit:
        return [span]
    pieces: list[Span] = []
    for sentence in split_sentences(text_, span):
        if units(text_[sentence.start : sentence.end]) > limit:
            pieces.extend(_words(text_, sentence, limit))
        elif pieces and units(text_[pieces[-1].start : sentence.end]) <= limit:
            pieces[-1] = Span(pieces[-1].start, sentence.end)
        else:
            pieces.append(sentence)
    return pieces


def _words(text_: str, span: Span, limit: int) -> list[Span]:
    pieces: list[Span] = []
    start = span.start
    for match in re.finditer(r"\S+", text_[span.start : span.end]):
        end = span.start + match.end()
        if units(text_[start:end]) > limit and end - start > 1:
            cut = span.start + match.start()
            if cut > start:
                pieces.append(Span(start, cut))
                start = cut
            while units(text_[start:end]) > limit:  # one enormous word: cut it by characters
                step = limit // 2
                pieces.append(Span(start, start + step))
                start += step
    if start < span.end:
        pieces.append(Span(start, span.end))
    return pieces
