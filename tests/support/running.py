"""Harness for end-to-end tests: the real bot polling the local Bot API stand-in over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher

from bot.answering.service import AnsweringService
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.state.backends import create_backends
from bot.state.journal import Journal
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import TOKEN, BotAPIStub, Sent


@dataclass
class RunningBot:
    """A polling bot and the stand-in it talks to."""

    stub: BotAPIStub
    bot: Bot
    dispatcher: Dispatcher
    task: asyncio.Task[None]
    answering: AnsweringService


def bot_settings(stub: BotAPIStub, seeds: Path, index: Path, **overrides: Any) -> Settings:
    """Settings of a bot that talks to `stub`, with a journal of its own."""
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "telegram_api_url": stub.url,
        "seeds_dir": seeds,
        "index_dir": index,
        "journal_path": Path(tempfile.mkdtemp(prefix="journal-")) / "bot.sqlite3",
        **overrides,
    }
    return Settings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def running_bot(
    stub: BotAPIStub,
    pipeline: Pipeline,
    settings: Settings,
    service: type[AnsweringService] = AnsweringService,
    **service_options: Any,
) -> AsyncIterator[RunningBot]:
    """Start polling against `stub`, yield once the first getUpdates arrived, stop gracefully.

    The answering service is a `service` (a test may pass a subclass) with the
    bot's journal and metrics. The shared pipeline's answer cache is emptied
    first: each test starts as a freshly started bot.
    """
    pipeline.cache.clear()
    backends = create_backends(settings)
    journal = Journal(settings.journal_path, settings.gaps_retention_days)
    answering = service(
        pipeline, load_story(settings.seeds_dir), journal=journal, metrics=backends.metrics, **service_options
    )
    bot = create_bot(settings, backends)
    dispatcher = create_dispatcher(answering, settings, backends)
    task = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=2))
    for _ in range(200):
        if "getUpdates" in stub.methods():
            break
        if task.done():
            await task  # start-up failed: show why
        await asyncio.sleep(0.02)
    try:
        yield RunningBot(stub, bot, dispatcher, task, answering)
    finally:
        with contextlib.suppress(RuntimeError):
            await dispatcher.stop_polling()
        await asyncio.wait_for(task, 60)


async def ask(stub: BotAPIStub, text: str, **kwargs: Any) -> Sent:
    """Send a message and wait for the one reply to it."""
    before = len(stub.sent)
    stub.message(text, **kwargs)
    return (await stub.wait_sent(before + 1))[before]


async def reply_to(stub: BotAPIStub, message: dict[str, Any], within: float = 30.0) -> Sent:
    """The bot's reply to `message` (replies quote what they answer), however many are being answered at once."""
    await stub.wait_for(lambda: any(s.reply_to == message["message_id"] for s in stub.sent), within)
    return next(s for s in stub.sent if s.reply_to == message["message_id"])
