"""/start, /help, /sources and /new, in private chats and in groups (/brief has its own router)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup

from bot.answering.service import AnsweringService
from bot.filters import FromPerson, InChat
from bot.handlers.replies import send_blocks
from bot.keyboards import brief_keyboard, brief_label, read_keyboard
from bot.reader import brief_title
from bot.render import Block, escape, sources_blocks
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
    """Greet, say what the bot knows, and offer the story in brief and example questions."""
    story = answering.story
    greeting = text("greeting", lang, story=story.name_in(lang) or "/sources")
    examples = story.examples_in(lang)
    title = brief_title(story, lang)
    if message.chat.type == "private":
        # A reply keyboard: the brief's button first, then the examples, each sent back as typed.
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text=brief_label(title))], *[[KeyboardButton(text=q)] for q in examples]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        lines = [escape(greeting), escape(text("examples", lang))] if examples else [escape(greeting)]
        await message.answer("\n".join(lines), reply_markup=keyboard)
        return
    lines = [escape(greeting)]
    if examples:
        lines.append(escape(text("examples", lang)))
        lines.extend(f"• {escape(q)}" for q in examples)
    await message.reply("\n".join(lines), reply_markup=brief_keyboard(lang, title))


async def help_(message: Message, bot: Bot, lang: Lang) -> None:
    """How to ask, in private chats and in groups."""
    me = await bot.me()
    username = me.username or "bot"
    await message.reply(text("help", lang, mention=escape(f"@{username}"), username=escape(username)))


async def sources(message: Message, answering: AnsweringService, lang: Lang) -> None:
    """Every article the bot knows, with its passage count, and a button to read each one here."""
    listed = answering.sources()
    blocks = sources_blocks(listed, lang)
    markup = None
    if listed:
        hint = text("sources_read", lang)
        blocks.append(Block(f"\n<i>{escape(hint)}</i>", f"\n{hint}"))
        positions = [answering.article_position(info.article.id) for info in listed]
        markup = read_keyboard(answering.version, positions, lang)
    await send_blocks(message, blocks, reply=message.chat.type != "private", markup=markup)


async def new_topic(message: Message, state: FSMContext, lang: Lang) -> None:
    """Forget the conversation's topic: the next question stands on its own."""
    await state.clear()
    await message.reply(escape(text("forgotten", lang)))
