"""The state stores, in memory and in a real Redis: window counters, shown answers, FSM context."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from bot.config import Settings
from bot.state.backends import create_backends
from bot.state.limits import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from bot.state.shown import RedisAnswers, ShownAnswer


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.fixture
async def clients(redis_url: str) -> AsyncIterator[Callable[[], Redis]]:
    """Makes Redis clients of the test's server, closing them all at the end."""
    made: list[Redis] = []

    def client() -> Redis:
        made.append(Redis.from_url(redis_url))
        return made[-1]

    yield client
    for each in made:
        await each.aclose()


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest, clients: Callable[[], Redis]) -> RateLimiter:
    return MemoryRateLimiter() if request.param == "memory" else RedisRateLimiter(clients())


async def test_a_limiter_grants_up_to_the_limit_per_key_then_refuses_until_the_window_slides(
    limiter: RateLimiter,
) -> None:
    window = 0.6
    granted = [await limiter.acquire("a", 3, window) for _ in range(3)]
    refused = [await limiter.acquire("a", 3, window) for _ in range(3)]
    assert all(v.allowed for v in granted)
    assert not any(v.allowed for v in refused)
    assert [v.first_refusal for v in refused] == [True, False, False]  # one "slow down", then silence
    assert 0 < refused[0].retry_in <= window
    assert (await limiter.acquire("b", 3, window)).allowed  # other keys are not affected
    await asyncio.sleep(refused[-1].retry_in + 0.05)
    assert (await limiter.acquire("a", 3, window)).allowed  # refused acts did not push the window out


async def test_two_redis_limiters_share_one_limit(clients: Callable[[], Redis]) -> None:
    first, second = RedisRateLimiter(clients()), RedisRateLimiter(clients())
    assert (await first.acquire("user:1", 2, 60)).allowed
    assert (await second.acquire("user:1", 2, 60)).allowed
    assert not (await first.acquire("user:1", 2, 60)).allowed
    assert not (await second.acquire("user:1", 2, 60)).allowed


async def test_shown_answers_in_redis_are_found_by_id_and_by_message_from_another_client(
    clients: Callable[[], Redis],
) -> None:
    writer, reader = RedisAnswers(clients()), RedisAnswers(clients())
    answer = ShownAnswer(writer.new_id(), "q", "q", True, ("a",), -100, "supergroup", "ru", message_ids=[7])
    await writer.add(answer)
    await writer.attach_message(answer.id, -100, 8)
    found = await reader.get(answer.id)
    assert found is not None
    assert found.message_ids == [7, 8]
    assert await reader.by_message(-100, 8) == found
    assert await reader.by_message(-100, 9) is None
    assert await reader.get("missing") is None
    assert 0 < await clients().ttl(f"newsqa:answer:{answer.id}") <= writer.ttl


async def test_shown_answers_in_redis_are_found_by_their_question_from_another_client(
    clients: Callable[[], Redis],
) -> None:
    writer, reader = RedisAnswers(clients()), RedisAnswers(clients())
    answer = ShownAnswer(
        writer.new_id(), "q", "q", True, ("a",), -100, "supergroup", "ru", message_ids=[7], question_id=6, parts=[7]
    )
    await writer.add(answer)
    assert await reader.by_question(-100, 6) == answer
    assert await reader.by_question(-100, 7) is None
    edited = ShownAnswer(
        writer.new_id(), "r", "r", True, ("a",), -100, "supergroup", "ru", message_ids=[7], question_id=6, parts=[7]
    )
    await writer.add(edited)
    assert await reader.by_question(-100, 6) == edited
    assert await reader.by_message(-100, 7) == edited


async def test_backends_use_redis_for_context_when_configured(redis_url: str) -> None:
    one, two = create_backends(settings(redis_url=redis_url)), create_backends(settings(redis_url=redis_url))
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    await one.storage.set_data(key, {"topic": "Где возложили цветы?"})
    assert await two.storage.get_data(key) == {"topic": "Где возложили цветы?"}
    assert await one.redis_reachable() is True
    for backends in (one, two):
        await backends.storage.close()
        await backends.close_redis()


async def test_backends_without_redis_stay_in_memory_and_report_no_redis() -> None:
    backends = create_backends(settings())
    assert backends.redis is None
    assert await backends.redis_reachable() is None


async def test_an_unreachable_redis_is_reported_not_raised() -> None:
    backends = create_backends(settings(redis_url="redis://127.0.0.1:1/0"))
    assert await backends.redis_reachable() is False
    await backends.close_redis()
