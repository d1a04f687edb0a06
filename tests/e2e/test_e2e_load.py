"""Load: 1000 questions from 250 users arriving at once, through the real Telegram path.

A benchmark as well as a test: it asserts that every question is answered
exactly once, and prints answers/s and latency without asserting on time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.answering.service import AnsweringService
from bot.config import Settings
from embeddings.answer.record import Answer
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import BotAPIStub
from tests.support.questions import load_questions
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow

USERS = 250
QUESTIONS = 1000


class NaiveService(AnsweringService):
    """The baseline: encodes on the event loop, one question at a time, no cache."""

    def remembered(self, question: str) -> Answer | None:
        return None

    async def _ask(self, question: str) -> Answer:
        cleaned, _ = self.pipeline.prepare(question)
        vector = self.pipeline.encode_questions([cleaned])[0] if cleaned else None
        return self.pipeline.ask_encoded(question, vector)


async def run_load(
    stub: BotAPIStub, pipeline: Pipeline, settings: Settings, service: type[AnsweringService]
) -> dict[str, float]:
    """Push the whole load at once; wait for every answer; check each came exactly once."""
    questions = load_questions()
    async with running_bot(stub, pipeline, settings, service) as running:
        asked_at: dict[int, float] = {}
        started = time.monotonic()
        for n in range(QUESTIONS):
            message = stub.message(questions[n % len(questions)], user_id=10_000 + n % USERS)
            asked_at[message["message_id"]] = time.monotonic()
        await stub.wait_sent(QUESTIONS, within=900)
        elapsed = time.monotonic() - started
        sent = await stub.settle(quiet=1.0)
        batch = running.answering.batcher.mean_batch
    replies = Counter(s.reply_to for s in sent)
    assert len(sent) == QUESTIONS
    assert set(replies) == set(asked_at)
    assert set(replies.values()) == {1}
    assert stub.rejected == []
    latencies = sorted(s.at - asked_at[s.reply_to] for s in sent if s.reply_to is not None)
    return {
        "rate": QUESTIONS / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "elapsed": elapsed,
        "batch": batch,
    }


async def test_a_thousand_questions_from_250_users_are_each_answered_once(
    real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = {}
    for name, service in (("bot", AnsweringService), ("naive", NaiveService)):
        real_pipeline.cache.clear()
        stub = BotAPIStub()
        await stub.start()
        try:
            # The bot's own throughput: sending within Telegram's limits is tested on its own (test_e2e_flood.py).
            settings = bot_settings(
                stub, real_seeds, real_index_dir, send_per_second=100_000, chat_sends_per_second=100_000
            )
            figures[name] = await run_load(stub, real_pipeline, settings, service)
        finally:
            await stub.stop()
    bot, naive = figures["bot"], figures["naive"]
    with capsys.disabled():
        print(f"\n[load] {QUESTIONS} questions from {USERS} users at once, {os.cpu_count()} cores")
        for name, f in figures.items():
            print(f"[load] {name:>5}: {f['rate']:6.1f} answers/s, latency p50 {f['p50']:.2f} s, p95 {f['p95']:.2f} s")
        print(
            f"[load] bot / naive: {bot['rate'] / naive['rate']:.1f}x answers/s; mean encoder batch {bot['batch']:.1f}"
        )
    # Measured in the same run on the same machine: batching, the cache and the thread pool must pay off.
    assert bot["rate"] >= 3 * naive["rate"]
