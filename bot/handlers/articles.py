"""Admins grow the story in a private chat: a document, a forwarded post or /add, then a button; and /remove.

The bot first shows what it read (title, date, outlet, link, length and
the beginning) under "Add" and "Cancel"; only "Add" saves and indexes it.
/remove lists the articles, a button each, and asks before removing one.
Anyone else's document or forward gets a polite word: nothing of it is
downloaded or stored.
"""

from __future__ import annotations

import hashlib
import logging
import time

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiohttp import ClientError

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.filters import FromPerson, InChat
from bot.handlers.admin import IsAdmin, refuse
from bot.keyboards import DeskAction, confirm_removal_keyboard, draft_keyboard, removal_keyboard
from bot.newsdesk import Desk
from bot.render import escape, human_date, shorten
from bot.state.backends import Backends
from bot.state.drafts import Pending
from bot.texts import Lang, text
from embeddings.errors import EmbeddingsError
from embeddings.ingest.corpus import Article
from embeddings.ingest.documents import DocumentError, Draft
from embeddings.newsroom import Change

log = logging.getLogger(__name__)

PER_PAGE = 8
PREVIEW_CHARS = 400


class IsArticle(BaseFilter):
    """A document or a forwarded message: what an admin sends to add an article."""

    async def __call__(self, message: Message) -> bool:
        return message.document is not None or message.forward_origin is not None


def create_router() -> Router:
    """The articles' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("private"), FromPerson())
    router.message.register(add_typed, Command("add"), IsAdmin())
    router.message.register(list_articles, Command("remove"), IsAdmin())
    router.message.register(refuse, Command("add", "remove"))
    router.message.register(propose, IsArticle(), IsAdmin())
    router.message.register(not_an_editor, IsArticle())
    router.callback_query.register(pressed, DeskAction.filter())
    return router


def article_key(article_id: str) -> str:
    """A short handle of an article for a button (its id may be too long for one)."""
    return hashlib.sha256(article_id.encode()).hexdigest()[:10]


def preview(draft: Draft, lang: Lang) -> str:
    """What the bot read, for the admin to check."""
    unknown = text("article_unknown", lang)
    head = text(
        "article_preview",
        lang,
        title=escape(draft.title),
        date=escape(human_date(draft.date, lang)),
        outlet=escape(draft.outlet or unknown),
        url=escape(draft.url or unknown),
        chars=len(draft.text),
        paragraphs=draft.text.count("\n\n") + 1,
    )
    return f"{head}\n<blockquote>{escape(shorten(draft.text, PREVIEW_CHARS))}</blockquote>"


def document_problem(problem: DocumentError, settings: Settings, lang: Lang) -> str:
    """Why a document or a text is not an article, in the reader's language."""
    return text(
        f"document_{problem.reason}",
        lang,
        min_chars=settings.article_min_chars,
        limit=settings.article_max_bytes // 1024,
    )


async def propose(message: Message, bot: Bot, desk: Desk, backends: Backends, settings: Settings, lang: Lang) -> None:
    """Show what the document or the forwarded post says, with "Add" and "Cancel"."""
    await _propose(message, bot, desk, backends, settings, lang, None)


async def add_typed(
    message: Message, command: CommandObject, bot: Bot, desk: Desk, backends: Backends, settings: Settings, lang: Lang
) -> None:
    """/add followed by an article's text: show it, with "Add" and "Cancel"."""
    if not (command.args or "").strip():
        await message.reply(escape(text("add_usage", lang)))
        return
    await _propose(message, bot, desk, backends, settings, lang, command.args or "")


async def _propose(
    message: Message, bot: Bot, desk: Desk, backends: Backends, settings: Settings, lang: Lang, typed: str | None
) -> None:
    try:
        draft, article_id = await desk.draft_of(message, bot, typed)
    except DocumentError as problem:
        log.info("not an article from admin %s: %s", message.from_user.id if message.from_user else "?", problem)
        await message.reply(escape(document_problem(problem, settings, lang)))
        return
    except (TelegramAPIError, ClientError, OSError) as exc:
        log.warning("could not fetch a document: %s", exc)
        await message.reply(escape(text("article_failed", lang, error=type(exc).__name__)))
        return
    admin = message.from_user.id if message.from_user else 0
    key = await backends.drafts.put(Pending(draft, article_id, admin, time.time()))
    await message.reply(preview(draft, lang), reply_markup=draft_keyboard(key, lang))


async def not_an_editor(message: Message, lang: Lang) -> None:
    """A reader's document or forward: thanks, and nothing stored."""
    log.info(
        "a document or forward from user %s, who is no admin: not stored",
        message.from_user.id if message.from_user else "?",
    )
    await message.reply(escape(text("article_refused", lang)))


async def list_articles(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """/remove: the articles, newest first, a button each."""
    html, markup = _page(answering, 0, lang)
    await message.reply(html, reply_markup=markup)


def _page(answering: AnsweringService, page: int, lang: Lang) -> tuple[str, InlineKeyboardMarkup]:
    listed = answering.sources()
    pages = max(1, -(-len(listed) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    first = page * PER_PAGE
    shown = listed[first : first + PER_PAGE]
    buttons = [
        (article_key(s.article.id), f"{first + n}. {shorten(s.article.title, 48)} · {s.article.date}")
        for n, s in enumerate(shown, start=1)
    ]
    html = text("remove_title", lang, first=first + 1, last=first + len(shown), total=len(listed))
    return html, removal_keyboard(buttons, page, pages)


async def pressed(
    query: CallbackQuery,
    callback_data: DeskAction,
    desk: Desk,
    answering: AnsweringService,
    backends: Backends,
    settings: Settings,
    lang: Lang,
) -> None:
    """An admin's button under a draft or an article."""
    if query.from_user.id not in settings.admin_ids or not isinstance(query.message, Message):
        await query.answer(text("admin_only", lang), show_alert=True)
        return
    message, action = query.message, callback_data.action
    if action == "page" and callback_data.key == str(callback_data.page):  # ◀ on the first page, ▶ on the last
        await query.answer(text("first_page" if callback_data.page == 0 else "last_page", lang))
    elif action == "page":
        await query.answer()
        html, markup = _page(answering, callback_data.page, lang)
        await _edit(message, html, markup)
    elif action in ("add", "cancel"):
        pending = await backends.drafts.take(callback_data.key)
        if pending is None:
            await query.answer(text("article_expired", lang), show_alert=True)
            return
        await query.answer()
        if action == "cancel":
            await _edit(message, escape(text("article_cancelled", lang)))
            return
        await _add(message, desk, pending, lang)
    else:
        article = next((s.article for s in answering.sources() if article_key(s.article.id) == callback_data.key), None)
        if article is None:
            await query.answer(text("remove_gone", lang), show_alert=True)
            return
        await query.answer()
        await _remove(message, desk, answering, action, article, lang)


async def _add(message: Message, desk: Desk, pending: Pending, lang: Lang) -> None:
    await _edit(message, escape(text("article_adding", lang, title=pending.draft.title)))
    try:
        change = await desk.add(pending.draft, pending.article_id)
    except EmbeddingsError as exc:
        log.error("article %s not added: %s", pending.article_id, exc)
        await message.answer(escape(text("article_failed", lang, error=exc)))
        return
    await message.answer(escape(_done(change, lang)))


async def _remove(
    message: Message, desk: Desk, answering: AnsweringService, action: str, article: Article, lang: Lang
) -> None:
    title = article.title
    if action == "ask":
        outlet = article.outlet or text("article_unknown", lang)
        question = text("remove_confirm", lang, title=title, date=human_date(article.date, lang), outlet=outlet)
        await message.answer(escape(question), reply_markup=confirm_removal_keyboard(article_key(article.id), lang))
        return
    if action == "keep":
        await _edit(message, escape(text("remove_kept", lang)))
        return
    if len(answering.sources()) <= 1:
        await _edit(message, escape(text("remove_last", lang)))
        return
    await _edit(message, escape(text("removing", lang, title=title)))
    try:
        change = await desk.remove(article.id)
    except EmbeddingsError as exc:
        log.error("article %s not removed: %s", article.id, exc)
        await message.answer(escape(text("remove_failed", lang, error=exc)))
        return
    await message.answer(escape(text("removed", lang, title=title, articles=change.articles)))


def _done(change: Change, lang: Lang) -> str:
    key = "article_replaced" if change.action == "replaced" else "article_added"
    values = {"title": change.title, "passages": change.passages, "articles": change.articles}
    return text(key, lang, seconds=change.seconds, **values)


async def _edit(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    try:
        await message.edit_text(html, reply_markup=markup)
    except TelegramBadRequest as exc:  # deleted meanwhile, or another replica edited it first
        log.info("could not edit message %s: %s", message.message_id, exc)
