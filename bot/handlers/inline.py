"""Inline mode: `@bot question` in any chat offers the grounded answer and the top passages.

Telegram shows the results as a list; the one the user taps is posted to
the chat as a message from the user "via @bot". An empty query offers the
story in brief first, then the story's example questions, each posting its
own answer. `@bot цитаты <name>` (or "quotes", "дәйексөздер") offers that
speaker's quotes. Inline mode must be switched on for the bot in @BotFather
(/setinline).
"""

from __future__ import annotations

import hashlib
import logging

from aiogram import Router
from aiogram.types import InlineQuery, InlineQueryResultArticle, InlineQueryResultUnion, InputTextMessageContent

from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.quotes import quote_pages, quotes_page_block, speaker_quotes
from bot.reader import brief_title, story_brief
from bot.render import Block, answer_blocks, escape, human_date, said_by, shorten, source_line, to_messages
from bot.texts import Lang, text
from embeddings.answer.record import Answer
from embeddings.answer.speech import find_speaker
from embeddings.pipeline import clean_question
from embeddings.text import fold

log = logging.getLogger(__name__)

MAX_RESULTS = 5
MAX_QUOTE_RESULTS = 20
QUOTE_CHARS = 3500
QUOTES_WORDS = frozenset(["цитаты", "quotes", "дәйексөздер"])  # `@bot цитаты <name>`: that speaker's quotes
DESCRIPTION_CHARS = 120
TELEGRAM_LIMIT = 4096


def create_router() -> Router:
    """The inline queries' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.inline_query.register(inline_query)
    return router


def _result_id(*parts: str) -> str:
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()[:32]  # an id, not a secret


def _article(result_id: str, title: str, description: str, html: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=shorten(title, 100),
        description=shorten(description, DESCRIPTION_CHARS),
        input_message_content=InputTextMessageContent(message_text=html, parse_mode="HTML"),
    )


def answer_message(answer: Answer, lang: Lang) -> str:
    """The posted message: the question in bold, then the answer, within one message's limit."""
    header = Block(f"<b>{escape(text('inline_question', lang, question=answer.question))}</b>\n", "")
    return to_messages([header, *answer_blocks(answer, lang)], TELEGRAM_LIMIT)[0]


def answer_results(answer: Answer, lang: Lang) -> list[InlineQueryResultUnion]:
    """The grounded answer first, then the best passages, each with its source."""
    if answer.found and answer.evidence:
        quote = answer.evidence[0]
        first = f"«{quote.text}»{said_by(quote.speaker, quote.role)}"
    else:
        first = text("not_found", lang)
    title = text("inline_answer" if answer.found else "inline_not_found", lang)
    results: list[InlineQueryResultUnion] = [
        _article(_result_id("answer", answer.question), title, first, answer_message(answer, lang))
    ]
    if not answer.found:
        return results
    for passage in answer.passages[: MAX_RESULTS - 1]:
        source = source_line(None, passage.article, lang)
        html = to_messages([Block(f"«{escape(passage.chunk.text)}»", ""), source], TELEGRAM_LIMIT)[0]
        results.append(
            _article(
                _result_id("passage", answer.question, str(passage.chunk_id)),
                passage.article.title,
                passage.chunk.text,
                html,
            )
        )
    return results


def quotes_asked(query: str) -> str | None:
    """The name after "цитаты" / "quotes" / "дәйексөздер" opening an inline query ("" for no name; None: not asked)."""
    first, _, rest = query.strip().partition(" ")
    return rest.strip() if fold(first) in QUOTES_WORDS else None


def quote_results(answering: AnsweringService, name: str, lang: Lang) -> list[InlineQueryResultUnion]:
    """The named speaker's quotes, each a result; without a (known) name, each speaker's first page of quotes."""
    pipeline = answering.pipeline
    speaker = find_speaker(pipeline.index, name) if name else None
    results: list[InlineQueryResultUnion] = []
    if speaker is None:
        for s in pipeline.speakers()[:MAX_QUOTE_RESULTS]:
            pages = quote_pages(speaker_quotes(pipeline, s))
            html = to_messages([quotes_page_block(s, pages, 0, lang)], TELEGRAM_LIMIT)[0]
            title = text("quotes_inline", lang, name=s.name)
            results.append(_article(_result_id("speaker", answering.version, s.name), title, s.role, html))
        return results
    said = said_by(speaker.name, speaker.role)
    for number, quote in enumerate(speaker_quotes(pipeline, speaker)[:MAX_QUOTE_RESULTS]):
        source = f"— {quote.title}, {human_date(quote.date, lang)}"
        html = f"«{escape(shorten(quote.text, QUOTE_CHARS))}»{escape(said)}\n<i>{escape(source)}</i>"
        title = text("quotes_inline", lang, name=speaker.name)
        key = _result_id("quote", answering.version, speaker.name, str(number))
        results.append(_article(key, title, f"«{quote.text}»", html))
    return results


async def inline_query(query: InlineQuery, answering: AnsweringService, settings: Settings, lang: Lang) -> Reply | None:
    """Answer an inline query (cached by Telegram for `INLINE_CACHE_SECONDS`)."""
    name = quotes_asked(query.query)
    if name is not None:
        quoted = quote_results(answering, name, lang)
        log.info("inline quotes: %d results", len(quoted))
        await query.answer(quoted, cache_time=settings.inline_cache_seconds, is_personal=True)
        return None
    question, _ = clean_question(query.query)
    results: list[InlineQueryResultUnion] = []
    reply = await answering.answer(question, chat_type="inline") if question else None
    if reply is not None and reply.answer is not None:
        results = answer_results(reply.answer, lang)
    else:  # nothing typed yet, or small talk: the brief and the example questions
        lines = answering.brief()
        if lines:
            html = to_messages(story_brief(answering, lang))[0]
            title = brief_title(answering.story, lang)
            results.append(_article(_result_id("brief", answering.version), title, lines[0].sentence.text, html))
        for example in answering.story.examples_in(lang)[: MAX_RESULTS - len(results)]:
            answer = await answering.example(example)
            html = answer_message(answer, lang)
            results.append(_article(_result_id("example", example), example, text("inline_example", lang), html))
    log.info("inline query answered: %d results", len(results))
    # The brief and examples are in the reader's language: Telegram must not give them to others.
    personal = reply is None or reply.answer is None
    await query.answer(results, cache_time=settings.inline_cache_seconds, is_personal=personal)
    return reply
