"""Groups: answer only when addressed; everything else is ignored silently."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.filters import AddressedToBot, FromPerson, InChat
from bot.handlers.replies import converse
from bot.render import escape
from bot.sending.typing import ChatTyping
from bot.state.shown import Answers
from bot.texts import Lang, text


def create_router() -> Router:
    """The groups' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("group", "supergroup"), FromPerson())
    router.message.register(addressed, AddressedToBot())
    return router


async def addressed(
    message: Message,
    bot: Bot,
    answering: AnsweringService,
    registry: Answers,
    typing: ChatTyping,
    settings: Settings,
    state: FSMContext,
    lang: Lang,
    question: str,
) -> Reply | None:
    """A mention or a reply to the bot: answer it, or hint when the question is missing.

    Context is per user (and forum topic) in the group; a reply to one of the
    bot's answers continues that answer's topic, whoever asked it.
    """
    if not question.strip():
        me = await bot.me()
        await message.reply(text("mention_hint", lang, mention=escape(f"@{me.username}")))
        return None
    return await converse(message, bot, answering, registry, typing, settings, state, question, lang)
