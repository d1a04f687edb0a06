"""Assemble the bot: Bot over the configured API server, Dispatcher with its dependencies, polling."""

from __future__ import annotations

import asyncio
import logging
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from aiogram.utils.token import TokenValidationError

from bot.config import Settings
from bot.handlers import build_router
from bot.logs import redact_secret
from bot.middlewares import InFlight, LanguageMiddleware, RetryAfter
from bot.qa import QAService
from bot.texts import Lang, text
from embeddings.corpus import load_story
from embeddings.errors import EmbeddingsError
from embeddings.pipeline import Pipeline

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "sources")
SHUTDOWN_GRACE_SECONDS = 30.0


def create_bot(settings: Settings) -> Bot:
    """A `Bot` talking HTML to the configured Bot API server, resending after 429s."""
    if settings.bot_token is None:
        msg = "BOT_TOKEN is not set"
        raise ValueError(msg)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(RetryAfter(max_retries=settings.max_send_retries))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_dispatcher(qa: QAService, settings: Settings) -> Dispatcher:
    """The dispatcher with the QA service and settings passed to handlers as dependencies."""
    in_flight = InFlight()
    dispatcher = Dispatcher(qa=qa, settings=settings, in_flight=in_flight)
    dispatcher.update.outer_middleware(LanguageMiddleware())
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.include_router(build_router())
    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    return dispatcher


async def set_commands(bot: Bot) -> None:
    """The command menu for private chats and groups, in Russian (default) and English."""
    languages: tuple[tuple[Lang, str | None], ...] = (("ru", None), ("ru", "ru"), ("en", "en"))
    for lang, code in languages:
        commands = [BotCommand(command=c, description=text(f"cmd_{c}", lang)) for c in COMMANDS]
        for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
            await bot.set_my_commands(commands, scope=scope, language_code=code)


async def on_startup(bot: Bot) -> None:
    """Register the command menu and say the bot is ready."""
    try:
        await set_commands(bot)
    except TelegramAPIError as exc:
        log.warning("could not set the command menu: %s", exc)
    me = await bot.me()
    log.info("ready: @%s is answering", me.username)


async def on_shutdown(in_flight: InFlight, qa: QAService) -> None:
    """Let the answers in flight reach their chats before the session closes."""
    if in_flight.count:
        log.info("stopping: waiting for %d answers in flight", in_flight.count)
    if not await in_flight.wait_idle(SHUTDOWN_GRACE_SECONDS):
        log.warning("stopping with %d answers unfinished", in_flight.count)
    await qa.close()


async def serve(settings: Settings, qa: QAService, *, handle_signals: bool = True) -> None:
    """Long polling until SIGINT/SIGTERM (or until the dispatcher is stopped)."""
    bot = create_bot(settings)
    dispatcher = create_dispatcher(qa, settings)
    await dispatcher.start_polling(bot, handle_signals=handle_signals, close_bot_session=True)


def run_polling(settings: Settings) -> int:
    """`python -m bot run` with a token: load everything once, then poll."""
    assert settings.bot_token is not None
    redact_secret(settings.bot_token.get_secret_value())
    try:
        create_bot(settings)  # validates the token's form before the slow start-up
    except TokenValidationError:
        print("error: BOT_TOKEN does not look like a token from @BotFather (digits:letters)", file=sys.stderr)
        return 2
    try:
        pipeline = Pipeline.open(settings)
    except EmbeddingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    qa = QAService(pipeline, load_story(settings.seeds_dir))
    asyncio.run(serve(settings, qa))
    return 0
