"""The "📄 Context" button under an answer: the paragraph around its first quote, sent as a reply to it."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.answering.service import AnsweringService
from bot.keyboards import VERSION_CHARS, ContextAction, context_data, read_article_keyboard
from bot.reader import context_html, context_of, page_of
from bot.texts import Lang, text
from embeddings.answer.record import Answer

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The context button's router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.callback_query.register(show_context, ContextAction.filter())
    return router


def context_button(answering: AnsweringService, answer: Answer) -> str | None:
    """The `callback_data` of the answer's "Context" button: the place of its first quote (none without quotes)."""
    if not answer.evidence:
        return None
    first = answer.evidence[0]
    try:
        position = answering.article_position(first.article_id)
    except KeyError:  # the index was reloaded while the answer was computed, without its article
        return None
    return context_data(answering.version, position, first.start, first.end)


async def show_context(
    query: CallbackQuery, callback_data: ContextAction, answering: AnsweringService, lang: Lang
) -> None:
    """Reply to the answer with the quote's paragraph; a button of an older index says the quote is gone."""
    article = answering.article_at(callback_data.a) if callback_data.v == answering.version[:VERSION_CHARS] else None
    start, end = callback_data.s, callback_data.e
    if article is None or not 0 <= start < end <= len(article.text) or not isinstance(query.message, Message):
        await query.answer(text("context_gone", lang), show_alert=True)
        return
    await query.answer()
    said = answering.pipeline.speaker_at(article.id, start, end)
    who, role = (said.name, said.role or None) if said is not None else (None, None)
    block = context_html(context_of(article, start, end), lang, who, role)
    markup = read_article_keyboard(answering.version, callback_data.a, page_of(article, start), lang)
    await query.message.reply(block.html, reply_markup=markup)
    log.info("context shown: article=%s offset=%d", article.id, start)
