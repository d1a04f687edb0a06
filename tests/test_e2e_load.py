"""Load: 1000 questions from 250 users arriving at once, through the real Telegram path.

A benchmark as well as a test: it asserts that every question is answered
exactly once, and prints answers/s and latency without asserting on time.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.botapi_stub import BotAPIStub
from tests.conftest import ROOT
from tests.e2e import bot_settings, running_bot

pytestmark = pytest.mark.slow

USERS = 250
QUESTIONS = 1000


@pytest.fixture
async def stub() -> AsyncIterator[BotAPIStub]:
    server = BotAPIStub()
    await server.start()
    yield server
    await server.stop()


async def test_a_thousand_questions_from_250_users_are_each_answered_once(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    capsys: pytest.CaptureFixture[str],
) -> None:
    questions = [
        json.loads(line)["q"] for line in (ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    settings: Settings = bot_settings(stub, real_seeds, real_index_dir)
    async with running_bot(stub, real_pipeline, settings):
        asked_at: dict[int, float] = {}
        started = time.monotonic()
        for n in range(QUESTIONS):
            message = stub.message(questions[n % len(questions)], user_id=10_000 + n % USERS)
            asked_at[message["message_id"]] = time.monotonic()
        sent = await stub.wait_sent(QUESTIONS, within=900)
        elapsed = time.monotonic() - started
        sent = await stub.settle(quiet=1.0)

    replies = Counter(s.reply_to for s in sent)
    assert len(sent) == QUESTIONS
    assert set(replies) == set(asked_at)
    assert set(replies.values()) == {1}
    assert stub.rejected == []
    latencies = sorted(s.at - asked_at[s.reply_to] for s in sent if s.reply_to is not None)
    p50, p95 = statistics.median(latencies), latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():
        print(
            f"\n[load] {QUESTIONS} questions from {USERS} users: {QUESTIONS / elapsed:.1f} answers/s, "
            f"latency p50 {p50:.2f} s, p95 {p95:.2f} s, all in {elapsed:.1f} s"
        )
