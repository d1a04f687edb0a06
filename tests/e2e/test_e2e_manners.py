"""Telegram manners end to end: channels' posts are left alone.

The real bot, model and FAISS over HTTP against the stand-in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.support.botapi_manners import CHANNEL_BOT, channel
from tests.support.botapi_stub import BOT_USER, BotAPIStub
from tests.support.running import RunningBot, bot_settings, running_bot

pytestmark = pytest.mark.slow

HANDLE = "@" + str(BOT_USER["username"])
GROUP = -100888


@pytest.fixture
def settings(stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline) -> Settings:
    del real_pipeline  # built first, so the bot finds a fresh index
    return bot_settings(stub, real_seeds, real_index_dir)


@pytest.fixture
async def running(
    stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[RunningBot]:
    caplog.set_level(logging.INFO)
    async with running_bot(stub, real_pipeline, settings) as bot:
        yield bot


def assert_clean(running: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    """No request the Bot API refused, no Bot API failure counted, no error logged."""
    assert running.stub.rejected == []
    assert running.answering.metrics is not None
    failures = running.answering.metrics.telegram_errors.collect()[0].samples
    assert [s for s in failures if s.name.endswith("_total") and s.value] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def questions(running: RunningBot) -> int:
    """Today's questions in the journal."""
    assert running.answering.journal is not None
    return (await running.answering.journal.stats()).questions


async def test_channel_posts_are_left_alone_and_a_person_posting_as_their_channel_is_answered(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    stub = running.stub
    text = f"Спросите {HANDLE}: {JOINT_VENTURES}"
    forward = stub.automatic_forward(text, chat_id=GROUP, entities=mention(text))
    command = f"/sources@{BOT_USER['username']}"
    stub.automatic_forward(command, chat_id=GROUP)
    stub.automatic_forward(f"{text} (обновлено)", chat_id=GROUP, entities=mention(text), edited_from=forward)
    stub.channel_post(text, entities=mention(text))
    by_hand = {"type": "channel", "chat": channel(), "message_id": 8, "date": forward["date"]}
    stub.message(
        text, user_id=85, chat_id=GROUP, chat_type="supergroup", entities=mention(text),
        extra={"forward_origin": by_hand},
    )  # fmt: skip
    assert await stub.settle(quiet=1.5) == []
    as_channel = stub.message(
        text, user_id=int(CHANNEL_BOT["id"]), chat_id=GROUP, chat_type="supergroup", entities=mention(text),
        is_bot=True, extra={"sender_chat": channel(-1005555, "A reader's channel")},
    )  # fmt: skip
    (answer,) = await stub.wait_sent(1)
    assert answer.reply_to == as_channel["message_id"]
    assert "около десяти совместных производств" in answer.text
    assert await questions(running) == 1
    assert_clean(running, caplog)
