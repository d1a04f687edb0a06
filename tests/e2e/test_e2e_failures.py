"""Nothing lost when a dependency fails: Redis killed, the Bot API failing, the bot killed mid-answer.

The real bot (processes for the webhook replicas and the restart, in this
process for the Bot API outages) against the stand-in and a real
redis-server. Every question is answered, once, in each chat's order; the
logs hold lines, not tracebacks; /metrics counts what happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES
from tests.e2e.test_e2e_features import MEETINGS, NOTE_RU
from tests.e2e.test_e2e_process import bot_process, env_for
from tests.e2e.test_e2e_webhook import PUBLIC_URL, answer_to, replica
from tests.support.botapi_stub import TOKEN, BotAPIStub
from tests.support.questions import load_questions
from tests.support.redis_server import RedisProcess, free_port
from tests.support.running import RunningBot, bot_settings, running_bot

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 10.0


def once_each(stub: BotAPIStub, asked: list[dict[str, Any]]) -> None:
    """Every message in `asked` has exactly one reply, and nothing else was sent."""
    replies = Counter(s.reply_to for s in stub.sent)
    assert {m["message_id"]: replies[m["message_id"]] for m in asked} == {m["message_id"]: 1 for m in asked}
    assert len(stub.sent) == len(asked)


def no_tracebacks(log: str) -> None:
    assert "Traceback" not in log
    assert '"exc":' not in log


async def get(url: str) -> tuple[int, str]:
    async with ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def metric(exposition: str, line: str) -> float:
    """The value of the sample `line` (name and labels) in a Prometheus exposition, 0 when absent."""
    for text in exposition.splitlines():
        if text.startswith(line + " "):
            return float(text.rsplit(" ", 1)[1])
    return 0.0


async def test_with_redis_killed_two_replicas_answer_everything_and_share_context_again_once_it_is_back(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    del real_pipeline  # the index is built
    redis = RedisProcess()
    redis.start()
    env = env_for(
        real_seeds, real_index_dir,
        BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url, WEBHOOK_URL=PUBLIC_URL, REDIS_URL=redis.url, LOG_FORMAT="json",
    )  # fmt: skip
    try:
        async with (
            replica(env, free_port(), tmp_path / "a.sqlite3") as (first, first_url),
            replica(env, free_port(), tmp_path / "b.sqlite3") as (second, second_url),
        ):
            hooks = [f"{first_url}/tg/webhook", f"{second_url}/tg/webhook"]
            everything: list[dict[str, Any]] = []

            async def deliver(text: str, user_id: int, to: list[str]) -> dict[str, Any]:
                everything.append(stub.message(text, user_id=user_id))
                (update,) = stub.take_updates()
                await stub.deliver(update, to)
                return everything[-1]

            # One update delivered to both replicas at once: answered once.
            everything.append(stub.message(MEETINGS, user_id=600))
            (update,) = stub.take_updates()
            assert set(await asyncio.gather(*(stub.deliver(update, [hook]) for hook in hooks))) == set(hooks)
            await answer_to(stub, everything[-1])

            # Twenty questions, one every 0.2 s to the replicas in turn; Redis is killed after the fifth.
            questions, asked = load_questions(), []
            for n in range(20):
                if n == 5:
                    redis.kill()
                    killed_at = time.monotonic()
                asked.append((await deliver(questions[n], 610 + n, [hooks[n % 2], hooks[1 - n % 2]]), time.monotonic()))
                await asyncio.sleep(0.2)
            slowest = 0.0
            for message, at in asked:
                reply = await answer_to(stub, message, within=max(0.1, at + 30 - time.monotonic()))
                slowest = max(slowest, reply.at - at)
            for url in (first_url, second_url):
                status, body = await get(f"{url}/healthz")
                assert (status, json.loads(body)["status"], json.loads(body)["redis"]) == (200, "degraded", False)

            # Redis back, empty: both replicas use it again, with no restart.
            redis.start()
            back_at = time.monotonic()
            for url in (first_url, second_url):
                await wait_until_ok(f"{url}/healthz")
            back_after = time.monotonic() - back_at
            await answer_to(stub, await deliver(MEETINGS, 650, hooks[:1]))
            follow = await deliver("А кто ещё там был?", 650, hooks[1:])
            assert f"{NOTE_RU}: «{MEETINGS}»" in (await answer_to(stub, follow)).text  # the context is shared again

            await stub.settle(quiet=1.0)
            once_each(stub, everything)
            expositions = [(await get(f"{url}/metrics"))[1] for url in (first_url, second_url)]
        with capsys.disabled():
            print(
                f"\n[failures] Redis killed under 2 replicas: 20 questions, the slowest answered in {slowest:.1f} s; "
                f"healthy again {back_after:.1f} s after Redis came back ({time.monotonic() - killed_at:.0f} s in all)"
            )
    finally:
        redis.stop()
    assert sum(metric(e, "newsqa_duplicate_updates_total") for e in expositions) == 1
    for exposition in expositions:
        assert metric(exposition, "newsqa_redis_errors_total") >= 1
        assert metric(exposition, "newsqa_redis_up") == 1
    for process in (first, second):
        assert process.process.returncode == 0, process.log
        no_tracebacks(process.log)
        assert process.log.count("Redis is lost") == 1
        assert process.log.count("Redis is back") == 1


async def wait_until_ok(url: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while json.loads((await get(url))[1])["status"] != "ok":
        assert time.monotonic() < deadline, f"{url} not ok within {within} s"
        await asyncio.sleep(0.2)


async def test_while_the_bot_api_fails_for_10_s_every_question_is_answered_once_in_each_chats_order(
    stub: BotAPIStub, running: RunningBot, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.INFO)
    chats, questions, asked = (801, 802, 803), load_questions(), []
    for chat in chats:  # answered while the API fails: their sends are retried
        asked.append(stub.message(questions[len(asked)], user_id=chat))
    stub.fail_for(OUTAGE_SECONDS, from_first="sendMessage")  # 500 with JSON, 502 with an HTML page, in turn
    await stub.wait_for(lambda: stub.failing)
    ends = time.monotonic() + OUTAGE_SECONDS
    while time.monotonic() < ends - 2:  # asked during the outage: fetched once getUpdates works again
        await asyncio.sleep(2.5)
        for chat in chats:
            asked.append(stub.message(questions[len(asked)], user_id=chat))
    await stub.wait_for(lambda: len(stub.sent) >= len(asked), within=ends + 60 - time.monotonic())
    last = max(s.at for s in stub.sent) - ends
    await stub.settle(quiet=1.0)
    once_each(stub, asked)
    for chat in chats:  # each chat's answers in the order of its questions
        replied = [s.reply_to for s in stub.sent if s.chat_id == chat]
        assert replied == [m["message_id"] for m in asked if m["chat"]["id"] == chat]
    metrics = running.dispatcher["backends"].metrics.registry
    errors = {
        code: metrics.get_sample_value("newsqa_telegram_api_errors_total", {"method": "sendMessage", "code": code})
        for code in ("500", "502")
    }
    assert all(errors.values()), errors
    assert (metrics.get_sample_value("newsqa_send_retries_total", {"code": "500"}) or 0) >= 1
    assert {m for m, _ in stub.failed_calls} >= {"sendMessage", "getUpdates"}
    assert not [r for r in caplog.records if r.exc_info]
    assert "Traceback" not in caplog.text
    with capsys.disabled():
        print(
            f"\n[failures] Bot API down {OUTAGE_SECONDS:.0f} s: {len(asked)} questions in 3 chats answered once, "
            f"in order; the last {last:.1f} s after the outage; {len(stub.failed_calls)} calls failed"
        )


async def test_an_answer_the_bot_api_does_not_take_in_time_is_kept_and_sent_once_it_is_back(
    stub: BotAPIStub,
    real_pipeline: Pipeline,
    real_seeds: Path,
    real_index_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    settings: Settings = bot_settings(stub, real_seeds, real_index_dir, send_retry_seconds=1)
    async with running_bot(stub, real_pipeline, settings) as running:
        message = stub.message(JOINT_VENTURES, user_id=830)
        stub.fail_for(4, from_first="sendMessage")
        await answer_to(stub, message, within=60)
        await stub.settle(quiet=1.0)
        metrics = running.dispatcher["backends"].metrics.registry
    once_each(stub, [message])
    assert metrics.get_sample_value("newsqa_send_given_up_total") == 1
    assert metrics.get_sample_value("newsqa_redelivered_updates_total") == 1
    assert caplog.text.count("kept for when it is back") == 1
    assert not [r for r in caplog.records if r.exc_info]


async def test_questions_in_flight_when_the_bot_is_killed_are_answered_once_after_the_restart(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    del real_pipeline  # the index is built
    env = env_for(
        real_seeds, real_index_dir,
        BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url, JOURNAL_PATH=str(tmp_path / "bot.sqlite3"), LOG_FORMAT="json",
    )  # fmt: skip
    stub.hold_messages()
    async with bot_process(env) as killed:
        await stub.wait_for(lambda: "getUpdates" in stub.methods(), within=120)
        asked = [stub.message(q, user_id=900 + n) for n, q in enumerate(load_questions()[:3])]
        await stub.wait_for(lambda: stub.held == 3, within=60)  # three answers on their way
        assert stub.updates == []  # confirmed to Telegram: it will not deliver them again
        killed.process.kill()
        await killed.process.wait()
    stub.release_held(deliver=False)  # they never arrived
    restarted_at = time.monotonic()
    async with bot_process(env) as restarted:
        for message in asked:
            await answer_to(stub, message, within=120)
        answered_after = time.monotonic() - restarted_at
        await stub.settle(quiet=1.0)
        _, exposition = await get(f"http://127.0.0.1:{env['WEB_PORT']}/metrics")
    once_each(stub, asked)
    assert metric(exposition, "newsqa_redelivered_updates_total") == 3
    assert restarted.process.returncode == 0, restarted.log
    assert restarted.log.count("answering it again") == 3
    no_tracebacks(killed.log + restarted.log)
    with capsys.disabled():
        print(
            f"\n[failures] killed with 3 answers on their way: all 3 answered {answered_after:.1f} s after the restart"
        )
