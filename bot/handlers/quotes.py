"""/quotes: the story's speakers with a button each; a speaker's quotes page by page, ◀ ▶ editing one message."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.answering.service import AnsweringService
from bot.handlers.pages import turn_page
from bot.keyboards import VERSION_CHARS, QuotesAction, quotes_keyboard, speakers_keyboard
from bot.quotes import quote_pages, quotes_page_block, speaker_quotes, speakers_block
from bot.texts import Lang, text

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The quotes' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.register(list_speakers, Command("quotes"))
    router.callback_query.register(show_quotes, QuotesAction.filter())
    return router


async def list_speakers(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """/quotes: each speaker with role and quote count, and a button per speaker."""
    pipeline = answering.pipeline
    speakers = pipeline.speakers()
    counts = [len(speaker_quotes(pipeline, s)) for s in speakers]
    block = speakers_block(speakers, counts, lang)
    markup = speakers_keyboard(answering.version, [s.name for s in speakers], lang)
    await message.answer(block.html, reply_markup=markup)


async def show_quotes(
    query: CallbackQuery, callback_data: QuotesAction, answering: AnsweringService, lang: Lang
) -> None:
    """Open a speaker's quotes (a new message) or turn their page (an edit); a page already shown is not edited."""
    pipeline = answering.pipeline
    speakers = pipeline.speakers() if callback_data.v == answering.version[:VERSION_CHARS] else []
    if not 0 <= callback_data.s < len(speakers) or not isinstance(query.message, Message):
        await query.answer(text("article_gone", lang), show_alert=True)
        return
    speaker = speakers[callback_data.s]
    pages = quote_pages(speaker_quotes(pipeline, speaker))
    page = min(max(callback_data.p, 0), len(pages) - 1)
    block = quotes_page_block(speaker, pages, page, lang)
    markup = quotes_keyboard(answering.version, callback_data.s, page, len(pages))
    if callback_data.c < 0:
        await query.answer()
        await query.message.answer(block.html, reply_markup=markup)
        return
    if not await turn_page(
        query, query.message, block.html, markup, page=page, pages=len(pages), action=QuotesAction, lang=lang
    ):
        log.info("quotes page %d was already shown", page + 1)
