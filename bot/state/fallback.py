"""The shared stores, each in Redis while it answers and in this replica's memory while it is lost.

- Conversation context and the shown answers are written to both, and
  read from Redis while it answers: when it is lost, a conversation this
  replica served goes on from its memory. What was written only to memory
  stays there when Redis is back (and Redis, restarted, may have forgotten
  the rest): a follow-up may then be read as a new question.
- The question limits count in memory while Redis is lost, per replica.
- The send budget, while Redis is lost, is a memory budget of this
  replica's share of the limits: each of the replicas alive at the last
  heartbeat takes an equal part, so together they stay within Telegram's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.sending.budget import Grant, MemorySendBudget, SendBudget, SendLimits, Target
from bot.state.limits import RateLimiter, Verdict
from bot.state.redis_link import RedisLink
from bot.state.shown import Answers, ShownAnswer


class FallbackStorage(BaseStorage):
    """aiogram's FSM storage: Redis and memory written, Redis read while it answers."""

    def __init__(self, shared: BaseStorage, local: BaseStorage, link: RedisLink) -> None:
        self.shared, self.local, self.link = shared, local, link

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Remember the state of `key`."""
        await self.local.set_state(key, state)
        await self.link.call(lambda: self.shared.set_state(key, state), _nothing)

    async def get_state(self, key: StorageKey) -> str | None:
        """The state of `key`, if remembered."""
        return await self.link.call(lambda: self.shared.get_state(key), lambda: self.local.get_state(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Remember the data of `key`."""
        await self.local.set_data(key, data)
        await self.link.call(lambda: self.shared.set_data(key, data), _nothing)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """The data of `key` ({} when forgotten)."""
        return await self.link.call(lambda: self.shared.get_data(key), lambda: self.local.get_data(key))

    async def close(self) -> None:
        """Close both."""
        await self.local.close()
        await self.shared.close()


class FallbackAnswers:
    """The shown answers: Redis and memory written, Redis read while it answers."""

    def __init__(self, shared: Answers, local: Answers, link: RedisLink) -> None:
        self.shared, self.local, self.link = shared, local, link

    def new_id(self) -> str:
        """A fresh answer id."""
        return self.local.new_id()

    async def add(self, answer: ShownAnswer) -> None:
        """Remember `answer` (again, after a change)."""
        await self.local.add(answer)
        await self.link.call(lambda: self.shared.add(answer), _nothing)

    async def attach_message(self, answer_id: str, chat_id: int, message_id: int) -> None:
        """Note that message `message_id` of `chat_id` shows (part of) answer `answer_id`."""
        await self.local.attach_message(answer_id, chat_id, message_id)
        await self.link.call(lambda: self.shared.attach_message(answer_id, chat_id, message_id), _nothing)

    async def get(self, answer_id: str) -> ShownAnswer | None:
        """The answer with this id, if still remembered."""
        return await self.link.call(lambda: self.shared.get(answer_id), lambda: self.local.get(answer_id))

    async def by_message(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The answer that message `message_id` of `chat_id` belongs to, if remembered."""
        return await self.link.call(
            lambda: self.shared.by_message(chat_id, message_id), lambda: self.local.by_message(chat_id, message_id)
        )

    async def by_question(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The latest answer to the question in message `message_id` of `chat_id`, if remembered."""
        return await self.link.call(
            lambda: self.shared.by_question(chat_id, message_id), lambda: self.local.by_question(chat_id, message_id)
        )


class FallbackLimiter:
    """The question limits: in Redis while it answers, in memory while it is lost."""

    def __init__(self, shared: RateLimiter, local: RateLimiter, link: RedisLink) -> None:
        self.shared, self.local, self.link = shared, local, link

    async def acquire(self, key: str, limit: int, window: float) -> Verdict:
        """Record an act of `key` if the limit allows it; say when it would."""
        return await self.link.call(
            lambda: self.shared.acquire(key, limit, window), lambda: self.local.acquire(key, limit, window)
        )


def share(limits: SendLimits, replicas: int) -> SendLimits:
    """One of `replicas` equal parts of `limits`, rounded down (but never less than one message)."""
    if replicas <= 1:
        return limits
    return SendLimits(
        per_second=limits.per_second / replicas,
        chat_per_second=limits.chat_per_second / replicas,
        chat_burst=max(1, limits.chat_burst // replicas),
        group_per_minute=max(1, math.floor(limits.group_per_minute / replicas)),
    )


class FallbackSendBudget:
    """The send budget: in Redis while it answers; while it is lost, this replica's share in memory."""

    def __init__(self, shared: SendBudget, link: RedisLink) -> None:
        self.shared, self.link = shared, link
        self._local: MemorySendBudget | None = None
        self._local_for = -1  # the loss of Redis the memory budget was made for

    @property
    def limits(self) -> SendLimits:
        """The limits this replica keeps to now."""
        return self.shared.limits if self.link.up else self._memory().limits

    def _memory(self) -> MemorySendBudget:
        if self._local is None or self._local_for != self.link.losses:
            self._local = MemorySendBudget(share(self.shared.limits, self.link.replicas))
            self._local_for = self.link.losses
        return self._local

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        return await self.link.call(lambda: self.shared.take(target), lambda: self._memory().take(target))

    async def done(self, target: Target, receipt: str) -> None:
        """The granted message's request was answered: the windows count it from now on."""
        await self.link.call(lambda: self.shared.done(target, receipt), lambda: self._memory().done(target, receipt))

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        await self.link.call(lambda: self.shared.pause(target, seconds), lambda: self._memory().pause(target, seconds))


async def _nothing() -> None:
    """What a write does in memory when it was written there already."""
