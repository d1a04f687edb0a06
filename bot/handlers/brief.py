"""The story in brief: /brief, its button under /start (typed back by the reply keyboard), and its inline button."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message

from bot.answering.service import AnsweringService
from bot.filters import FromPerson, InChat
from bot.handlers.replies import send_blocks
from bot.keyboards import BriefAction, brief_label
from bot.reader import brief_title, story_brief
from bot.texts import LANGS, Lang


def create_router() -> Router:
    """The brief's router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.register(brief, Command("brief"), InChat("private", "group", "supergroup"), FromPerson())
    router.message.register(brief, InChat("private"), FromPerson(), BriefButton())
    router.callback_query.register(brief_pressed, BriefAction.filter())
    return router


class BriefButton(BaseFilter):
    """The text the brief's reply-keyboard button sends, in any language."""

    async def __call__(self, message: Message, answering: AnsweringService, **_: Any) -> bool:
        labels = {brief_label(brief_title(answering.story, lang)) for lang in LANGS}
        return (message.text or "").strip() in labels


async def brief(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """Send the story in brief (a reply in groups, where several people talk)."""
    await send_blocks(message, story_brief(answering, lang), reply=message.chat.type != "private")


async def brief_pressed(query: CallbackQuery, answering: AnsweringService, lang: Lang) -> None:
    """The brief's inline button: send it to the chat the button is in."""
    await query.answer()
    if isinstance(query.message, Message):
        await send_blocks(query.message, story_brief(answering, lang), reply=False)
