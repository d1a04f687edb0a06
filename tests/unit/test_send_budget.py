"""The send budget, in memory and in a real Redis: buckets, the group window, pauses, one budget for replicas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from bot.sending.budget import (
    GROUP_WINDOW_SECONDS,
    IN_FLIGHT_POLL_SECONDS,
    Grant,
    MemorySendBudget,
    RedisSendBudget,
    SendBudget,
    SendLimits,
    Target,
)

USER, OTHER_USER, GROUP = Target(7), Target(8), Target(-100500)


async def send(budget: SendBudget, target: Target) -> Grant:
    """Take the budget for a message and, when granted, report it answered at once (as the outbox does)."""
    grant = await budget.take(target)
    if grant.allowed:
        await budget.done(target, grant.receipt)
    return grant


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
def budget_for(request: pytest.FixtureRequest, clients: Callable[[], Redis]) -> Callable[[SendLimits], SendBudget]:
    if request.param == "memory":
        return MemorySendBudget
    return lambda limits: RedisSendBudget(clients(), limits)


async def test_the_overall_bucket_lets_a_small_burst_go_then_spaces_messages_evenly(
    budget_for: Callable[[SendLimits], SendBudget],
) -> None:
    budget = budget_for(SendLimits(per_second=10, chat_per_second=1000, chat_burst=1000))
    assert budget.limits.burst == 2  # a fifth of a second's worth
    assert [(await send(budget, USER)).allowed for _ in range(2)] == [True, True]
    refused = await send(budget, OTHER_USER)
    assert not refused.allowed
    assert 0.05 < refused.overall_wait <= 0.1
    assert refused.chat_wait == 0
    await asyncio.sleep(refused.overall_wait + 0.005)
    assert (await send(budget, OTHER_USER)).allowed
    assert not (await send(budget, OTHER_USER)).allowed  # one at a time now, not another burst


async def test_no_second_carries_more_than_the_rate_even_with_the_burst(
    budget_for: Callable[[SendLimits], SendBudget],
) -> None:
    budget = budget_for(SendLimits(per_second=10, chat_per_second=1000, chat_burst=1000))
    loop = asyncio.get_running_loop()
    started, granted = loop.time(), []
    while loop.time() - started < 1.3:
        grant = await send(budget, Target(len(granted) + 1))
        if grant.allowed:
            granted.append(loop.time() - started)
        else:
            await asyncio.sleep(grant.overall_wait)
    # The bucket alone would let its burst of 2 go on top of the 10 a second.
    assert max(sum(1 for at in granted if start <= at < start + 1.0) for start in granted) == 10
    assert len(granted) >= 12


async def test_a_chat_gets_its_burst_then_one_a_second_and_a_refusal_spends_nothing(
    budget_for: Callable[[SendLimits], SendBudget],
) -> None:
    budget = budget_for(SendLimits(per_second=1000, chat_per_second=10, chat_burst=3))
    assert [(await send(budget, USER)).allowed for _ in range(3)] == [True, True, True]
    refused = await send(budget, USER)
    assert not refused.allowed
    assert 0.05 < refused.chat_wait <= 0.1
    assert refused.overall_wait == 0
    assert (await send(budget, OTHER_USER)).allowed  # another chat is not held back
    await asyncio.sleep(refused.chat_wait + 0.005)
    assert (await send(budget, USER)).allowed


async def test_a_group_gets_at_most_its_budget_in_any_window(
    budget_for: Callable[[SendLimits], SendBudget],
) -> None:
    budget = budget_for(SendLimits(per_second=1000, chat_per_second=1000, chat_burst=1000, group_per_minute=4))
    assert [(await send(budget, GROUP)).allowed for _ in range(4)] == [True] * 4
    refused = await send(budget, GROUP)
    assert not refused.allowed
    assert GROUP_WINDOW_SECONDS - 1 < refused.chat_wait <= GROUP_WINDOW_SECONDS
    assert all([(await send(budget, USER)).allowed for _ in range(6)])  # private chats have no such budget


async def test_a_pause_holds_one_chat_or_the_whole_bot(budget_for: Callable[[SendLimits], SendBudget]) -> None:
    budget = budget_for(SendLimits(per_second=1000, chat_per_second=1000, chat_burst=1000))
    await budget.pause(USER, 0.3)
    await budget.pause(USER, 0.1)  # a shorter pause does not cut the longer one
    held = await send(budget, USER)
    assert not held.allowed
    assert 0.2 < held.chat_wait <= 0.3
    assert (await send(budget, OTHER_USER)).allowed
    await budget.pause(None, 0.2)
    everyone = await send(budget, OTHER_USER)
    assert not everyone.allowed
    assert 0.1 < everyone.overall_wait <= 0.2
    await asyncio.sleep(0.31)
    assert (await send(budget, USER)).allowed


async def test_replicas_share_one_budget_through_redis(clients: Callable[[], Redis]) -> None:
    limits = SendLimits(per_second=10, chat_per_second=1, chat_burst=2, group_per_minute=2)
    first, second = RedisSendBudget(clients(), limits), RedisSendBudget(clients(), limits)
    assert (await send(first, USER)).allowed
    assert (await send(second, OTHER_USER)).allowed
    assert (await send(second, OTHER_USER)).overall_wait > 0  # the burst of two is spent by both together
    await asyncio.sleep(0.11)
    assert (await send(second, USER)).allowed
    assert (await send(first, USER)).chat_wait > 0.5  # the chat's burst of two as well
    for budget in (first, second):
        await asyncio.sleep(0.11)
        assert (await send(budget, GROUP)).allowed
    assert (await send(first, GROUP)).chat_wait > GROUP_WINDOW_SECONDS - 1  # the group's budget too
    await first.pause(None, 0.5)
    assert (await send(second, Target(9))).overall_wait > 0.3


async def test_a_message_in_flight_holds_its_place_in_the_windows_until_it_is_answered(
    budget_for: Callable[[SendLimits], SendBudget],
) -> None:
    budget = budget_for(SendLimits(per_second=1000, chat_per_second=1000, chat_burst=1000, group_per_minute=2))
    first, second = await budget.take(GROUP), await budget.take(GROUP)
    held = await budget.take(GROUP)
    assert held.chat_wait == pytest.approx(IN_FLIGHT_POLL_SECONDS)  # both in flight: look again soon
    await budget.done(GROUP, first.receipt)
    await budget.done(GROUP, second.receipt)
    counted_from_the_answer = await budget.take(GROUP)
    assert GROUP_WINDOW_SECONDS - 1 < counted_from_the_answer.chat_wait <= GROUP_WINDOW_SECONDS
