"""The buttons under answers: 👍 / 👎 and "more passages"."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.handlers.replies import send_more
from bot.keyboards import AnswerAction, answer_keyboard
from bot.state.journal import Journal, Vote
from bot.state.shown import Answers
from bot.texts import Lang, text

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The buttons' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.callback_query.register(vote, AnswerAction.filter(F.action.in_({"up", "down"})))
    router.callback_query.register(more, AnswerAction.filter(F.action == "more"))
    router.callback_query.register(stale_button)
    return router


async def vote(
    query: CallbackQuery,
    callback_data: AnswerAction,
    registry: Answers,
    journal: Journal,
    answering: AnsweringService,
    lang: Lang,
) -> None:
    """Record the vote (a second one replaces the first) and show the answer's totals on its buttons."""
    shown = await registry.get(callback_data.id)
    if shown is None:
        await query.answer(text("answer_expired", lang), show_alert=True)
        return
    outcome, up, down = await journal.vote(
        Vote(
            answer_id=shown.id,
            user_id=query.from_user.id,
            value=1 if callback_data.action == "up" else -1,
            question=shown.query,
            sources=shown.source_ids,
            found=shown.found,
            chat_type=shown.chat_type,
        )
    )
    log.info("vote answer=%s outcome=%s up=%d down=%d", shown.id, outcome, up, down)
    if callback_data.action == "down" and outcome != "same":
        await answering.voted_down(shown.query, shown.found)
    await query.answer(text(f"vote_{outcome}", lang))
    if outcome != "same" and isinstance(query.message, Message):
        markup = answer_keyboard(shown.id, shown.lang, more=shown.found, up=up, down=down, context=shown.context_button)
        try:
            await query.message.edit_reply_markup(reply_markup=markup)
        except TelegramBadRequest as exc:  # e.g. the message was deleted meanwhile
            log.warning("could not update the vote buttons: %s", exc)


async def more(
    query: CallbackQuery,
    callback_data: AnswerAction,
    answering: AnsweringService,
    registry: Answers,
    settings: Settings,
    lang: Lang,
) -> None:
    """Send the next page of passages for the answer."""
    shown = await registry.get(callback_data.id)
    if shown is None or not isinstance(query.message, Message):
        await query.answer(text("answer_expired", lang), show_alert=True)
        return
    await query.answer()
    page = max(0, callback_data.page)
    shown.passages_shown = max(shown.passages_shown, (page + 1) * settings.more_page_size)  # "подробнее" goes on
    await registry.add(shown)
    await send_more(query.message, answering, registry, settings, shown, page, reply=True)


async def stale_button(query: CallbackQuery, lang: Lang) -> None:
    """A button this version of the bot does not know (e.g. from an older one)."""
    await query.answer(text("answer_expired", lang), show_alert=True)
