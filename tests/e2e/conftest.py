"""The bot as the end-to-end tests run it: the real pipeline, polling the Bot API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import BotAPIStub
from tests.support.running import RunningBot, bot_settings, running_bot


@pytest.fixture
def settings(stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline) -> Settings:
    """The bot's settings against `stub` (a test module may override them)."""
    del real_pipeline  # built first, so the bot finds a fresh index
    return bot_settings(stub, real_seeds, real_index_dir)


@pytest.fixture
async def running(stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot, polling `stub` with `settings`."""
    async with running_bot(stub, real_pipeline, settings) as bot:
        yield bot
