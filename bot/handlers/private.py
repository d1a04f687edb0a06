"""Private chats: every text (or media caption) is a question."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.filters import InChat, IsCommand, PrivateQuestion
from bot.handlers.replies import converse
from bot.sending.typing import ChatTyping
from bot.state.shown import Answers
from bot.texts import Lang, text


def create_router() -> Router:
    """The private chats' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("private"))
    router.message.register(question, PrivateQuestion())
    router.message.register(unknown_command, IsCommand())
    router.message.register(not_text)
    return router


async def question(
    message: Message,
    bot: Bot,
    answering: AnsweringService,
    registry: Answers,
    typing: ChatTyping,
    settings: Settings,
    state: FSMContext,
    lang: Lang,
    question: str,
) -> Reply:
    """Answer the question from the articles, as a follow-up of the previous one where it reads so."""
    # Replies quote the question: answers to quick successive questions can arrive out of order.
    return await converse(message, bot, answering, registry, typing, settings, state, question, lang)


async def unknown_command(message: Message, lang: Lang) -> None:
    """A command the bot does not have: say how to ask instead."""
    await message.answer(text("empty_question", lang) + "\n/help")


async def not_text(message: Message, lang: Lang) -> None:
    """Stickers, photos without captions, voice, locations...: the bot reads text only."""
    await message.answer(text("non_text", lang) if message.text is None else text("empty_question", lang))
