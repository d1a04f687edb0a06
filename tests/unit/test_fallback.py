"""Redis killed and started again under two replicas' stores: memory meanwhile, one line each way, shared again."""

from __future__ import annotations

import logging

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.config import Settings
from bot.sending.budget import SendLimits, Target
from bot.state.backends import Backends, create_backends
from bot.state.fallback import FallbackSendBudget, share
from bot.state.shown import ShownAnswer
from tests.support.redis_server import running_redis

KEY = StorageKey(bot_id=1, chat_id=5, user_id=5)


def sample(backends: Backends, name: str) -> float:
    return backends.metrics.registry.get_sample_value(name) or 0.0


async def test_with_redis_killed_the_stores_use_memory_and_redis_again_once_it_is_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    with running_redis() as server:
        settings = Settings(_env_file=None, redis_url=server.url)
        one, two = create_backends(settings), create_backends(settings)
        assert one.link is not None
        assert two.link is not None
        await two.link.beat()
        await one.link.beat()  # it has seen both
        await one.storage.set_data(KEY, {"topic": "Где возложили цветы?"})
        assert await two.storage.get_data(KEY) == {"topic": "Где возложили цветы?"}

        server.kill()
        # The conversation goes on from the replica's memory; limits, answers, the budget work there too.
        assert await one.storage.get_data(KEY) == {"topic": "Где возложили цветы?"}
        assert (await one.limiter.acquire("user:5", 1, 60)).allowed
        assert not (await one.limiter.acquire("user:5", 1, 60)).allowed
        answer = ShownAnswer(one.answers.new_id(), "q", "q", True, ("a",), 5, "private", "ru", message_ids=[7])
        await one.answers.add(answer)
        assert await one.answers.by_message(5, 7) == answer
        budget = one.outbox.budget
        assert isinstance(budget, FallbackSendBudget)
        assert (await budget.take(Target(5))).allowed
        assert budget.limits.per_second == settings.send_per_second / 2  # half: two replicas were alive
        assert await one.redis_reachable() is False
        lost = [r for r in caplog.records if "Redis is lost" in r.getMessage()]
        assert len(lost) == 1
        assert lost[0].levelno == logging.WARNING
        assert sample(one, "newsqa_redis_errors_total") >= 2  # the call that found it gone, the ping
        assert sample(one, "newsqa_redis_up") == 0

        server.start()  # again, empty
        for replica in (one, two):
            assert await replica.redis_reachable() is True
        await one.storage.set_data(KEY, {"topic": "С кем встречался Кошанов?"})
        assert await two.storage.get_data(KEY) == {"topic": "С кем встречался Кошанов?"}  # shared again
        assert budget.limits.per_second == settings.send_per_second
        assert [r.levelno for r in caplog.records if "Redis is back" in r.getMessage()] == [logging.INFO]
        assert not [r for r in caplog.records if r.exc_info]
        for replica in (one, two):
            await replica.storage.close()
            await replica.close_redis()


def test_each_replica_takes_an_equal_share_of_the_send_limits() -> None:
    limits = SendLimits(per_second=25, chat_per_second=1, chat_burst=3, group_per_minute=20)
    assert share(limits, 1) == limits
    assert share(limits, 2) == SendLimits(per_second=12.5, chat_per_second=0.5, chat_burst=1, group_per_minute=10)
    assert share(limits, 30).group_per_minute == 1
