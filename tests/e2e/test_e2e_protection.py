"""Protection and observability through the real bot over HTTP: limits, pacing, allowed chats, logs, metrics."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.logs import JsonFormatter
from bot.state.backends import Backends
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.support.botapi_stub import BotAPIStub
from tests.support.questions import load_questions
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow

HANDLE = "@NewsQaTestBot"
QUESTIONS = load_questions()


def addressed(stub: BotAPIStub, question: str, *, chat_id: int, user_id: int) -> dict[str, Any]:
    text = f"{HANDLE} {question}"
    return stub.message(text, user_id=user_id, chat_id=chat_id, chat_type="supergroup", entities=mention(text))


async def test_a_user_asking_too_fast_gets_one_polite_slow_down_then_silence(
    stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir, user_questions_per_minute=3)
    async with running_bot(stub, real_pipeline, settings):
        for question in QUESTIONS[:7]:
            stub.message(question, user_id=81)
        stub.message(JOINT_VENTURES, user_id=82)
        sent = await stub.settle(quiet=1.5)
    mine = [s for s in sent if s.chat_id == 81]
    slow = [s for s in mine if "Слишком много вопросов" in s.text]
    assert len(slow) == 1
    assert "через" in slow[0].text
    assert len(mine) == 3 + 1  # three answers, one "slow down", then silence
    assert [s for s in sent if s.chat_id == 82]  # another user is not held back
    assert stub.rejected == []


async def test_one_busy_group_is_limited_without_holding_back_other_chats(
    stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir, group_questions_per_minute=2)
    async with running_bot(stub, real_pipeline, settings):
        for user, question in enumerate(QUESTIONS[:5]):
            addressed(stub, question, chat_id=-1001, user_id=90 + user)
        addressed(stub, JOINT_VENTURES, chat_id=-1002, user_id=99)
        sent = await stub.settle(quiet=1.5)
    busy = [s for s in sent if s.chat_id == -1001]
    assert len([s for s in busy if "В этом чате сейчас слишком много вопросов" in s.text]) == 1
    assert len(busy) == 2 + 1
    assert [s for s in sent if s.chat_id == -1002]


async def test_answers_are_paced_to_the_sending_limit_without_429s(
    stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline
) -> None:
    per_second = 4
    settings = bot_settings(stub, real_seeds, real_index_dir, send_per_second=per_second)
    async with running_bot(stub, real_pipeline, settings):
        for user, question in enumerate(QUESTIONS[:13]):
            stub.message(question, user_id=200 + user)
        sent = await stub.wait_sent(13, within=60)
    times = sorted(s.at for s in sent)
    # Any per_second + 1 consecutive messages span at least a second (less the clocks' jitter).
    spans = [later - earlier for earlier, later in zip(times, times[per_second:], strict=False)]
    assert min(spans) >= 0.95
    assert times[-1] - times[0] >= (13 - per_second) / per_second - 0.1
    assert stub.rejected == []


async def test_the_bot_leaves_groups_not_allowed_and_serves_the_rest(
    stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir, allowed_chats=frozenset({-1001}))
    async with running_bot(stub, real_pipeline, settings):
        addressed(stub, JOINT_VENTURES, chat_id=-1003, user_id=95)
        addressed(stub, JOINT_VENTURES, chat_id=-1001, user_id=96)
        stub.message(JOINT_VENTURES, user_id=97)
        sent = await stub.settle(quiet=1.5)
    assert stub.left_chats == [-1003]
    assert {s.chat_id for s in sent} == {-1001, 97}


async def test_each_update_logs_one_structured_line_and_feeds_the_metrics(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir)
    caplog.set_level(logging.INFO, logger="bot.updates")
    async with running_bot(stub, real_pipeline, settings) as running:
        stub.rate_limit = [1]  # the first call is refused with 429: counted, then sent again
        stub.message(JOINT_VENTURES, user_id=301)
        await stub.wait_sent(1)
        stub.message(JOINT_VENTURES, user_id=302)
        await stub.wait_sent(2)
        stub.message("Какая погода будет завтра в Токио?", user_id=303)
        await stub.wait_sent(3)
        await stub.settle(quiet=0.5)
        backends: Backends = running.dispatcher["backends"]
        exposition = backends.metrics.exposition().decode()
    lines = [r for r in caplog.records if r.name == "bot.updates"]
    assert len(lines) == 3
    found = [getattr(r, "found", None) for r in lines]
    cached = [getattr(r, "cached", None) for r in lines]
    assert found == [True, True, False]
    assert cached == [False, True, False]
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert entry["update_type"] == "message"
    assert entry["chat_type"] == "private"
    assert entry["latency_ms"] > 0
    assert isinstance(entry["update_id"], int)
    assert JOINT_VENTURES not in json.dumps(entry, ensure_ascii=False)  # texts are never logged
    assert 'newsqa_updates_total{type="message"} 3.0' in exposition
    assert 'newsqa_answers_total{found="true"} 2.0' in exposition
    assert 'newsqa_answers_total{found="false"} 1.0' in exposition
    assert "newsqa_cache_hits_total 1.0" in exposition
    assert "newsqa_answer_latency_seconds_count 3.0" in exposition
    assert "newsqa_encoder_batch_size_count" in exposition
    assert "newsqa_sent_messages_total 3.0" in exposition
    assert 'code="429"' in exposition
