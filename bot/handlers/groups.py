"""Groups: answer only when addressed; everything else is ignored silently."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot.filters import AddressedToBot
from bot.qa import QAService
from bot.render import escape
from bot.replying import answer_question
from bot.texts import Lang, text


def create_router() -> Router:
    """The groups' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(F.chat.type.in_({"group", "supergroup"}), ~F.from_user.is_bot)
    router.message.register(addressed, AddressedToBot())
    return router


async def addressed(message: Message, bot: Bot, qa: QAService, lang: Lang, question: str) -> None:
    """A mention or a reply to the bot: answer it, or hint when the question is missing."""
    if not question.strip():
        me = await bot.me()
        await message.reply(text("mention_hint", lang, mention=escape(f"@{me.username}")))
        return
    await answer_question(message, bot, qa, question, lang, reply=True)
