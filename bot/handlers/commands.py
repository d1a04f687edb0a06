"""/start, /help, /sources and /new, in private chats and in groups."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup

from bot.answering.service import AnsweringService
from bot.filters import FromPerson, InChat
from bot.handlers.replies import send_blocks
from bot.render import escape, sources_blocks
from bot.texts import Lang, text


def create_router() -> Router:
    """The commands' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("private", "group", "supergroup"), FromPerson())
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(sources, Command("sources"))
    router.message.register(new_topic, Command("new"))
    return router


async def start(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """Greet, say what the bot knows, and offer example questions."""
    story = answering.story
    greeting = text("greeting", lang, story=story.name_in(lang) or "/sources")
    examples = story.examples_in(lang)
    if message.chat.type == "private" and examples:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text=q)] for q in examples],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        await message.answer(f"{escape(greeting)}\n{escape(text('examples', lang))}", reply_markup=keyboard)
        return
    lines = [escape(greeting)]
    if examples:
        lines.append(escape(text("examples", lang)))
        lines.extend(f"• {escape(q)}" for q in examples)
    await message.reply("\n".join(lines))


async def help_(message: Message, bot: Bot, lang: Lang) -> None:
    """How to ask, in private chats and in groups."""
    me = await bot.me()
    username = me.username or "bot"
    await message.reply(text("help", lang, mention=escape(f"@{username}"), username=escape(username)))


async def sources(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """Every article the bot knows, with its passage count."""
    await send_blocks(message, sources_blocks(answering.sources(), lang), reply=message.chat.type != "private")


async def new_topic(message: Message, state: FSMContext, lang: Lang) -> None:
    """Forget the conversation's topic: the next question stands on its own."""
    await state.clear()
    await message.reply(escape(text("forgotten", lang)))
