"""An article inside Telegram: "Read" opens it as a message, ◀ ▶ turn its pages by editing that message."""

from __future__ import annotations

import contextlib
import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.answering.service import AnsweringService
from bot.keyboards import VERSION_CHARS, PageAction, QuotesAction, page_keyboard
from bot.reader import article_pages, page_block
from bot.texts import Lang, text

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The article pages' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.callback_query.register(show_page, PageAction.filter())
    return router


def shown_page(markup: InlineKeyboardMarkup | None, action: type[PageAction] | type[QuotesAction]) -> int | None:
    """The page a message shows, read from its own ◀ ▶ buttons (each carries it as `action`'s `c`)."""
    if markup is None or not markup.inline_keyboard or not markup.inline_keyboard[0]:
        return None
    data = markup.inline_keyboard[0][0].callback_data
    with contextlib.suppress(ValueError, TypeError):
        return action.unpack(data or "").c
    return None


async def turn_page(
    query: CallbackQuery,
    message: Message,
    html: str,
    markup: InlineKeyboardMarkup | None,
    *,
    page: int,
    pages: int,
    action: type[PageAction] | type[QuotesAction],
    lang: Lang,
) -> bool:
    """Edit `message` to show `page`; False when it shows it already (an edge of the pages is then said)."""
    # The message's own buttons say what it shows now: a second tap on a stale ▶ must not edit it again.
    if shown_page(message.reply_markup, action) == page:
        edge = "first_page" if page == 0 else "last_page" if page == pages - 1 else None
        await query.answer(text(edge, lang) if edge else None)
        return False
    await query.answer()
    try:
        await message.edit_text(html, reply_markup=markup)
    except TelegramBadRequest as exc:  # another replica turned it first
        if "message is not modified" not in str(exc):
            raise
        return False
    return True


async def show_page(query: CallbackQuery, callback_data: PageAction, answering: AnsweringService, lang: Lang) -> None:
    """Open an article (a new message) or turn its page (an edit); a page already shown is not edited again."""
    article = answering.article_at(callback_data.a) if callback_data.v == answering.version[:VERSION_CHARS] else None
    if article is None or not isinstance(query.message, Message):
        await query.answer(text("article_gone", lang), show_alert=True)
        return
    pages = len(article_pages(article))
    page = min(max(callback_data.p, 0), pages - 1)
    block = page_block(article, page, lang)
    markup = page_keyboard(answering.version, callback_data.a, page, pages)
    if callback_data.c < 0:
        await query.answer()
        await query.message.answer(block.html, reply_markup=markup)
        log.info("article opened: %s page %d of %d", article.id, page + 1, pages)
        return
    if not await turn_page(
        query, query.message, block.html, markup, page=page, pages=pages, action=PageAction, lang=lang
    ):
        log.info("page %d of %s was already shown", page + 1, article.id)
