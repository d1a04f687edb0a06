"""Assemble the bot: Bot over the configured API server, Dispatcher with its dependencies, polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.strategy import FSMStrategy
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from aiogram.utils.token import TokenValidationError

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.delivery import Deliveries, DurableDispatcher
from bot.handlers import build_router
from bot.logs import redact_secret
from bot.middlewares.allowed_chats import AllowedChats
from bot.middlewares.in_flight import InFlight
from bot.middlewares.language import LanguageMiddleware
from bot.middlewares.observe import UpdateObserver
from bot.middlewares.throttling import Throttle
from bot.newsdesk import Desk, IndexWatch
from bot.sending.order import KeepOrder
from bot.sending.pacer import Pacer
from bot.sending.session import BotApiSession
from bot.state.backends import Backends, create_backends
from bot.state.journal import Journal
from bot.texts import Lang, text
from bot.web.webhook import health_server, serve_webhook, stop_on_signals
from embeddings.errors import EmbeddingsError
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline

log = logging.getLogger(__name__)

COMMANDS = ("start", "brief", "help", "sources", "new")
SHUTDOWN_GRACE_SECONDS = 30.0


def create_bot(settings: Settings, backends: Backends | None = None) -> Bot:
    """A `Bot` talking HTML to the configured Bot API server, its messages queued within Telegram's limits."""
    if settings.bot_token is None:
        msg = "BOT_TOKEN is not set"
        raise ValueError(msg)
    backends = backends or create_backends(settings)
    session = BotApiSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(
        Pacer(
            backends.outbox,
            backends.order,
            backends.typing,
            metrics=backends.metrics,
            api=backends.api,
            max_retries=settings.max_send_retries,
            busy_notice_after=settings.busy_notice_seconds,
        )
    )
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_answering(pipeline: Pipeline, settings: Settings, backends: Backends) -> AnsweringService:
    """The answering service of a bot: the pipeline, the story, the journal and the process's metrics."""
    journal = Journal(settings.journal_path, settings.gaps_retention_days)
    return AnsweringService(pipeline, load_story(settings.seeds_dir), journal=journal, metrics=backends.metrics)


def create_dispatcher(answering: AnsweringService, settings: Settings, backends: Backends) -> DurableDispatcher:
    """The dispatcher with the answering service, settings and the bot's state passed to handlers.

    Handlers take what they need by name: `answering`, `registry` (the
    answers shown, behind their buttons), `journal`, `typing`, `settings`,
    `desk` (articles added and removed), `backends`.
    Conversation context lives in the FSM storage (Redis when configured),
    one per user and forum topic in groups, forgotten after `CONTEXT_TTL_SECONDS`.
    Updates go through the inbox (`bot/delivery.py`).
    """
    if answering.journal is None:
        msg = "the answering service of a bot keeps a journal (see create_answering)"
        raise ValueError(msg)
    in_flight = InFlight()
    desk = Desk(answering, settings, backends.redis)
    dispatcher = DurableDispatcher(
        deliveries=Deliveries(backends.inbox, backends.metrics, backends.api),
        storage=backends.storage,
        fsm_strategy=FSMStrategy.USER_IN_TOPIC,
        answering=answering,
        registry=backends.answers,
        journal=answering.journal,
        typing=backends.typing,
        settings=settings,
        in_flight=in_flight,
        backends=backends,
        desk=desk,
        watch=IndexWatch(answering, settings, backends.redis),
    )
    dispatcher.update.outer_middleware(UpdateObserver(backends.metrics))
    dispatcher.update.outer_middleware(AllowedChats(settings.allowed_chats))
    dispatcher.update.outer_middleware(LanguageMiddleware())
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.message.outer_middleware(KeepOrder(backends.order))
    throttle = Throttle(
        backends.limiter,
        per_user=settings.user_questions_per_minute,
        per_group=settings.group_question_limit,
        metrics=backends.metrics,
    )
    dispatcher.message.middleware(throttle)
    dispatcher.edited_message.middleware(throttle)  # an edited question is a question: it counts too
    dispatcher.include_router(build_router(source_channels=bool(settings.source_channels)))
    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    # Answers in flight finish before the dispatcher closes the FSM storage (its own shutdown handler).
    dispatcher.shutdown.handlers.insert(0, dispatcher.shutdown.handlers.pop())
    return dispatcher


async def set_commands(bot: Bot) -> None:
    """The command menu for private chats and groups, in Russian (default), English and Kazakh."""
    languages: tuple[tuple[Lang, str | None], ...] = (("ru", None), ("ru", "ru"), ("en", "en"), ("kk", "kk"))
    for lang, code in languages:
        commands = [BotCommand(command=c, description=text(f"cmd_{c}", lang)) for c in COMMANDS]
        for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
            await bot.set_my_commands(commands, scope=scope, language_code=code)


async def on_startup(bot: Bot, dispatcher: DurableDispatcher, backends: Backends, watch: IndexWatch) -> None:
    """Watch Redis and the index's versions, answer what a previous run left unfinished, register the command menu,
    say the bot is ready."""
    backends.start()
    watch.start()
    dispatcher.deliveries.start(dispatcher, bot)
    try:
        await set_commands(bot)
    except TelegramAPIError as exc:
        log.warning("could not set the command menu: %s", exc)
    me = await bot.me()
    log.info("ready: @%s is answering", me.username)


async def on_shutdown(
    dispatcher: DurableDispatcher,
    in_flight: InFlight,
    answering: AnsweringService,
    journal: Journal,
    backends: Backends,
    watch: IndexWatch,
) -> None:
    """Let the answers in flight reach their chats before the session closes."""
    await watch.stop()
    await dispatcher.deliveries.close()
    if in_flight.count:
        log.info("stopping: waiting for %d answers in flight", in_flight.count)
    if not await in_flight.wait_idle(SHUTDOWN_GRACE_SECONDS):
        log.warning("stopping with %d answers unfinished", in_flight.count)
    await answering.close()
    journal.close()
    await backends.close_redis()


async def reload_from_disk(answering: AnsweringService, settings: Settings) -> None:
    """SIGHUP: pick up an index built meanwhile (`python -m embeddings build`), or rebuild a stale one."""
    if answering.reloading:
        log.info("SIGHUP: a reload is already running")
        return
    try:
        await answering.reload(settings, rebuild_index=False)
    except EmbeddingsError as exc:
        log.error("SIGHUP: could not load the index, keeping the current one: %s", exc)


async def serve(settings: Settings, pipeline: Pipeline, *, handle_signals: bool = True) -> None:
    """Long polling, or the webhook server when `WEBHOOK_URL` is set, until SIGINT/SIGTERM."""
    backends = create_backends(settings)
    bot = create_bot(settings, backends)
    answering = create_answering(pipeline, settings, backends)
    dispatcher = create_dispatcher(answering, settings, backends)
    reloads: set[asyncio.Task[None]] = set()
    if handle_signals:

        def on_sighup() -> None:
            task = asyncio.create_task(reload_from_disk(answering, settings))
            reloads.add(task)
            task.add_done_callback(reloads.discard)

        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_sighup)
    if settings.webhook_url is None:
        async with health_server(dispatcher, bot, settings):
            await dispatcher.start_polling(bot, handle_signals=handle_signals, close_bot_session=True)
        return
    stop = asyncio.Event()
    if handle_signals:
        stop_on_signals(stop)
    await serve_webhook(dispatcher, bot, settings, stop)


def run_bot(settings: Settings) -> int:
    """`python -m bot run` with a token: load everything once, then poll or serve the webhook."""
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
    asyncio.run(serve(settings, pipeline))
    return 0
