"""Sending within Telegram's flood limits, through the real bot against a stand-in that enforces them.

The stand-in counts every message as it arrives (30 a second overall,
1 a second per chat with a burst of 4, 20 a minute per group) and answers
429 with `retry_after` over a limit. The bot runs with its default
settings (25 a second, 1 a second per chat with a burst of 3, 20 a minute
per group). Figures are printed for docs/sending.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update

from bot.answering.service import QAService
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.sending.outbox import Outbox
from bot.state.backends import Backends, create_backends
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import mention
from tests.support.botapi_stub import BotAPIStub, Sent
from tests.support.flood import FloodControl
from tests.support.questions import load_questions
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow

USERS = 250
QUESTIONS = 1000
BUSY_RU = "Сейчас много вопросов"
GROUP = -100777
GROUP_NOTICE_RU = "В этом чате сейчас слишком много вопросов"


@pytest.fixture
async def flood_stub() -> AsyncIterator[BotAPIStub]:
    """The stand-in, enforcing Telegram's flood limits."""
    server = BotAPIStub(flood=FloodControl())
    await server.start()
    yield server
    await server.stop()


def ask_burst(stub: BotAPIStub) -> dict[int, tuple[int, float]]:
    """1000 questions from 250 users, all at once: question id -> (chat, when asked)."""
    questions = load_questions()
    asked = {}
    for n in range(QUESTIONS):
        message = stub.message(questions[n % len(questions)], user_id=10_000 + n % USERS)
        asked[message["message_id"]] = (int(message["chat"]["id"]), time.monotonic())
    return asked


def answers(stub: BotAPIStub) -> list[Sent]:
    """The bot's answers (every message but the "your answer is coming" notices)."""
    return [s for s in stub.sent if not s.text.startswith(BUSY_RU)]


@contextlib.asynccontextmanager
async def watching(outboxes: Sequence[Outbox], every: float = 0.05) -> AsyncIterator[list[tuple[float, int]]]:
    """Sample how many messages wait in the bots' outgoing queues: (when, how many)."""
    samples: list[tuple[float, int]] = []

    async def sample() -> None:
        while True:
            samples.append((time.monotonic(), sum(box.waiting for box in outboxes)))
            await asyncio.sleep(every)

    task = asyncio.create_task(sample())
    try:
        yield samples
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def measure(
    stub: BotAPIStub, asked: dict[int, tuple[int, float]], waiting: list[tuple[float, int]], rate: float
) -> dict[str, float]:
    """Sends, 429s, throughput, the busiest second, notices, latencies (and every question answered once).

    Throughput counts the messages sent while at least a second's worth waited in the queue: before
    that the bot is still computing the first answers, and what it sends depends on the answering,
    not on the sending (tests/e2e/test_e2e_load.py measures that).
    """
    flood = stub.flood
    assert flood is not None
    replies = Counter(s.reply_to for s in answers(stub))
    assert set(replies) == set(asked)
    assert set(replies.values()) == {1}
    notices = Counter(s.chat_id for s in stub.sent if s.text.startswith(BUSY_RU))
    times = [at for at, _ in flood.accepted]
    backlog = [at for at, count in waiting if count >= rate]
    start, end = backlog[0], max(at for at, count in waiting if count > 0)
    during = [at for at in times if start <= at <= end]
    seconds = Counter(int(at - start) for at in during)
    whole = sorted(seconds[n] for n in range(int(end - start)))
    latencies = sorted(s.at - asked[s.reply_to][1] for s in answers(stub) if s.reply_to is not None)
    asked_at: dict[int, float] = {}
    for chat, at in asked.values():
        asked_at.setdefault(chat, at)
    first: dict[int, float] = {}
    for s in stub.sent:  # the first message each asker got, answer or notice
        first.setdefault(s.chat_id, s.at - asked_at[s.chat_id])
    return {
        "sends": len(times),
        "refused": len(flood.refusals),
        "refused overall": sum("overall" in r.scopes for r in flood.refusals),
        "throughput": len(during) / (end - start),
        "first to last": (len(times) - 1) / (times[-1] - times[0]),
        "backlog from": start - min(asked_at.values()),
        "slowest second": whole[0],
        "median second": statistics.median(whole),
        "busiest second": flood.most_in_any(1.0),
        "notices": sum(notices.values()),
        "most notices to a chat": max(notices.values(), default=0),
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "max": latencies[-1],
        "first p95": sorted(first.values())[int(0.95 * (len(first) - 1))],
    }


def report(title: str, figures: dict[str, float], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[flood] {title}, {os.cpu_count()} cores")
        print(
            f"[flood] {figures['sends']:.0f} sends, {figures['refused']:.0f} refused with 429 "
            f"({figures['refused overall']:.0f} by the overall limit), busiest second {figures['busiest second']:.0f}, "
            f"{figures['notices']:.0f} 'answer is coming' notices"
        )
        print(
            f"[flood] {figures['throughput']:.1f} sends/s while the queue was full (from "
            f"{figures['backlog from']:.1f} s; whole seconds: slowest {figures['slowest second']:.0f}, "
            f"median {figures['median second']:.0f}); first to last send {figures['first to last']:.1f}/s"
        )
        print(
            f"[flood] answer latency p50 {figures['p50']:.1f} s, p95 {figures['p95']:.1f} s, "
            f"max {figures['max']:.1f} s; first message to an asker p95 {figures['first p95']:.1f} s"
        )


def check(figures: dict[str, float], rate: float) -> None:
    """429s at most 1% of sends, throughput at least 90% of `rate`, at most one notice per asker."""
    assert figures["refused"] <= 0.01 * figures["sends"]
    assert figures["throughput"] >= 0.9 * rate
    assert figures["most notices to a chat"] <= 1


async def test_a_burst_of_1000_questions_from_250_users_is_answered_within_the_limits(
    flood_stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = bot_settings(flood_stub, real_seeds, real_index_dir)
    async with (
        running_bot(flood_stub, real_pipeline, settings) as running,
        watching([running.dispatcher["backends"].outbox]) as waiting,
    ):
        asked = ask_burst(flood_stub)
        await flood_stub.wait_for(lambda: len(answers(flood_stub)) >= QUESTIONS, within=240)
        await flood_stub.settle(quiet=1.5)
    figures = measure(flood_stub, asked, waiting, settings.send_per_second)
    report(f"{QUESTIONS} questions from {USERS} users at once, one bot", figures, capsys)
    check(figures, settings.send_per_second)
    by_chat: dict[int, list[int]] = defaultdict(list)
    for s in answers(flood_stub):
        assert s.reply_to is not None
        by_chat[s.chat_id].append(s.reply_to)
    assert all(ids == sorted(ids) for ids in by_chat.values())  # each asker's answers in question order


@contextlib.asynccontextmanager
async def replica(settings: Settings, qa: QAService) -> AsyncIterator[tuple[Bot, Dispatcher]]:
    """A bot process's parts, fed updates directly, as its webhook would (tests/e2e/test_e2e_webhook.py)."""
    backends: Backends = create_backends(settings)
    bot = create_bot(settings, backends)
    dispatcher = create_dispatcher(qa, settings, backends=backends)
    try:
        yield bot, dispatcher
    finally:
        await backends.close_redis()
        await bot.session.close()


async def feed(replicas: Sequence[tuple[Bot, Dispatcher]], updates: list[dict[str, Any]]) -> None:
    """Each update to the next replica in turn, as a load balancer does; all handled at once."""
    tasks = []
    for n, raw in enumerate(updates):
        bot, dispatcher = replicas[n % len(replicas)]
        update = Update.model_validate(raw, context={"bot": bot})
        tasks.append(asyncio.create_task(dispatcher.feed_update(bot, update)))
    await asyncio.gather(*tasks)


async def test_two_replicas_sharing_redis_stay_together_within_the_limits(
    flood_stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    redis_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_pipeline.cache.clear()
    # Each replica has its own bot, dispatcher, queue and Redis clients; in one test process they share
    # the answering service, so that computing the answers costs what it costs one bot.
    qa = QAService(real_pipeline, load_story(real_seeds))
    settings = [bot_settings(flood_stub, real_seeds, real_index_dir, redis_url=redis_url) for _ in range(2)]
    async with (
        replica(settings[0], qa) as first,
        replica(settings[1], qa) as second,
        watching([dispatcher["backends"].outbox for _, dispatcher in (first, second)]) as waiting,
    ):
        asked = ask_burst(flood_stub)
        await feed([first, second], flood_stub.take_updates())
        await flood_stub.settle(quiet=1.5)
    await qa.close()
    rate = settings[0].send_per_second
    figures = measure(flood_stub, asked, waiting, rate)
    report(f"{QUESTIONS} questions from {USERS} users at once, two replicas sharing Redis", figures, capsys)
    check(figures, rate)
    assert figures["first to last"] <= rate * 1.02  # one budget for both, not one each
    assert figures["busiest second"] <= 30


async def test_a_group_asking_more_than_its_budget_gets_answers_in_order_and_one_notice(
    flood_stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """40 questions within a minute into one group, whose budget is 20 messages a minute.

    The bot answers as many questions a minute as the budget leaves room for
    (19), in order, and tells the group once, in the 20th message, that it
    asks more than the bot can answer and when it will answer again. The
    questions over the budget are not answered later: they get that one
    notice, then silence until the minute has passed.
    """
    settings = bot_settings(flood_stub, real_seeds, real_index_dir)
    questions = load_questions()
    asked = []
    async with running_bot(flood_stub, real_pipeline, settings):
        for n in range(40):
            text = f"@NewsQaTestBot {questions[n]}"
            message = flood_stub.message(
                text, user_id=500 + n, chat_id=GROUP, chat_type="supergroup", entities=mention(text)
            )
            asked.append(message["message_id"])
            await asyncio.sleep(0.5)
        sent = await flood_stub.settle(quiet=3.0, within=120)
    flood = flood_stub.flood
    assert flood is not None
    assert flood.refusals == []  # no group 429s (and no other)
    in_group = [s for s in sent if s.chat_id == GROUP]
    notices = [s for s in in_group if s.text.startswith(GROUP_NOTICE_RU)]
    answered = [s.reply_to for s in in_group if s not in notices]
    assert len(notices) == 1
    assert answered == asked[: settings.group_question_limit]  # the first 19, in order
    assert notices[0].reply_to == asked[settings.group_question_limit]
    assert notices[0].at > max(s.at for s in in_group if s not in notices)  # the 20th message
    assert len(in_group) == settings.group_sends_per_minute
    assert flood.most_in_any(60.0, GROUP) <= settings.group_sends_per_minute
    with capsys.disabled():
        spread = in_group[-1].at - in_group[0].at
        print(f"\n[flood] group: 40 questions in 20 s, {len(answered)} answered + 1 notice over {spread:.1f} s")
