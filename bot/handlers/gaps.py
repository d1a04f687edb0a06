"""/gaps: what readers asked that the articles could not answer, grouped, the largest groups first; paged."""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.config import Settings
from bot.filters import FromPerson, InChat
from bot.handlers.admin import IsAdmin, refuse
from bot.render import escape, gap_line
from bot.state.gaps import group_gaps
from bot.state.journal import Journal
from bot.texts import Lang, text

PER_PAGE = 10


class GapsPage(CallbackData, prefix="g"):
    """Page `page` of /gaps, pressed under page `shown`."""

    page: int
    shown: int


def create_router() -> Router:
    """The gaps' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("private", "group", "supergroup"), FromPerson())
    router.message.register(show, Command("gaps"), IsAdmin())
    router.message.register(refuse, Command("gaps"))
    router.callback_query.register(turn, GapsPage.filter())
    return router


async def page_of(
    journal: Journal, settings: Settings, page: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The HTML of a page of groups, and ◀ ▶ when there is more than one page."""
    groups = group_gaps(await journal.gaps())
    days = settings.gaps_retention_days
    if not groups:
        return escape(text("gaps_empty", lang, days=days)), None
    pages = -(-len(groups) // PER_PAGE)
    page = min(max(page, 0), pages - 1)
    first = page * PER_PAGE
    shown = groups[first : first + PER_PAGE]
    title = text("gaps_title", lang, days=days, first=first + 1, last=first + len(shown), total=len(groups))
    lines = [f"{n}. {escape(gap_line(g, lang))}" for n, g in enumerate(shown, start=first + 1)]
    markup = None
    if pages > 1:
        turn_to = [("◀", max(page - 1, 0)), ("▶", min(page + 1, pages - 1))]
        row = [
            InlineKeyboardButton(text=label, callback_data=GapsPage(page=p, shown=page).pack()) for label, p in turn_to
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=[row])
    return "\n".join([title, *lines]), markup


async def show(message: Message, journal: Journal, settings: Settings, lang: Lang) -> None:
    """The first page of the gaps."""
    html, markup = await page_of(journal, settings, 0, lang)
    await message.reply(html, reply_markup=markup)


async def turn(query: CallbackQuery, callback_data: GapsPage, journal: Journal, settings: Settings, lang: Lang) -> None:
    """Another page, in place."""
    if query.from_user.id not in settings.admin_ids or not isinstance(query.message, Message):
        await query.answer(text("admin_only", lang), show_alert=True)
        return
    if callback_data.page == callback_data.shown:  # ◀ on the first page, ▶ on the last
        await query.answer(text("first_page" if callback_data.page == 0 else "last_page", lang))
        return
    await query.answer()
    html, markup = await page_of(journal, settings, callback_data.page, lang)
    with contextlib.suppress(TelegramBadRequest):  # another admin turned it first
        await query.message.edit_text(html, reply_markup=markup)
