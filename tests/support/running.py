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

from bot.answering.service import QAService
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.state.backends import create_backends
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import TOKEN, BotAPIStub


@dataclass
class RunningBot:
    """A polling bot and the stand-in it talks to."""

    stub: BotAPIStub
    bot: Bot
    dispatcher: Dispatcher
    task: asyncio.Task[None]


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
    stub: BotAPIStub, pipeline: Pipeline, settings: Settings, qa: QAService | None = None
) -> AsyncIterator[RunningBot]:
    """Start polling against `stub`, yield once the first getUpdates arrived, stop gracefully.

    The shared pipeline's answer cache is emptied first: each test starts as a freshly started bot.
    """
    pipeline.cache.clear()
    qa = qa or QAService(pipeline, load_story(settings.seeds_dir))
    backends = create_backends(settings)
    bot = create_bot(settings, backends)
    dispatcher = create_dispatcher(qa, settings, backends=backends)
    task = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=2))
    for _ in range(200):
        if "getUpdates" in stub.methods():
            break
        if task.done():
            await task  # start-up failed: show why
        await asyncio.sleep(0.02)
    try:
        yield RunningBot(stub, bot, dispatcher, task)
    finally:
        with contextlib.suppress(RuntimeError):
            await dispatcher.stop_polling()
        await asyncio.wait_for(task, 60)
