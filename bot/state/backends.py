"""Where the bot keeps its state: in this process, or in Redis shared by every replica.

Conversation context (aiogram's FSM storage), the shown answers behind the
buttons, the rate limits and the send budget all come from here, so that two
replicas behind one webhook give a user the same follow-up context, the
same limits, and stay together within Telegram's. Metrics, the outgoing
queue, the chats' answer order and typing statuses are always per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.config import Settings
from bot.metrics import Metrics
from bot.sending.budget import MemorySendBudget, RedisSendBudget, SendBudget, SendLimits
from bot.sending.order import ChatOrder
from bot.sending.outbox import Outbox
from bot.sending.typing import ChatTyping
from bot.state.fsm import BoundedMemoryStorage
from bot.state.limits import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from bot.state.shown import AnswerRegistry, Answers, RedisAnswers

REDIS_PREFIX = "newsqa"


@dataclass
class Backends:
    """The state stores of one bot process."""

    storage: BaseStorage
    answers: Answers
    limiter: RateLimiter
    metrics: Metrics
    outbox: Outbox
    redis: Redis | None = None
    order: ChatOrder = field(default_factory=ChatOrder)
    typing: ChatTyping = field(default_factory=ChatTyping)

    async def redis_reachable(self) -> bool | None:
        """True/False when Redis is configured (a PING), None when it is not."""
        if self.redis is None:
            return None
        try:
            return bool(await self.redis.ping())  # type: ignore[misc]  # redis' stubs: sync or async
        except (OSError, ConnectionError, TimeoutError, RedisError):
            return False

    async def close_redis(self) -> None:
        """Stop the outgoing queue and close the Redis connections (the dispatcher closes the FSM storage itself)."""
        await self.outbox.close()
        if self.redis is not None:
            await self.redis.aclose()


def create_backends(settings: Settings) -> Backends:
    """Redis-backed stores when `REDIS_URL` is set, bounded in-memory ones otherwise."""
    metrics = Metrics()
    limits = SendLimits(
        per_second=settings.send_per_second,
        chat_per_second=settings.chat_sends_per_second,
        chat_burst=settings.chat_send_burst,
        group_per_minute=settings.group_sends_per_minute,
    )

    def outbox(budget: SendBudget) -> Outbox:
        return Outbox(budget, metrics=metrics, max_retries=settings.max_send_retries)

    if settings.redis_url is None:
        return Backends(
            storage=BoundedMemoryStorage(max_keys=settings.context_max_chats, ttl=settings.context_ttl_seconds),
            answers=AnswerRegistry(),
            limiter=MemoryRateLimiter(),
            metrics=metrics,
            outbox=outbox(MemorySendBudget(limits)),
        )
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)
    ttl = int(settings.context_ttl_seconds) + 1
    storage = RedisStorage(
        redis, key_builder=DefaultKeyBuilder(prefix=f"{REDIS_PREFIX}:fsm"), state_ttl=ttl, data_ttl=ttl
    )
    return Backends(
        storage=storage,
        answers=RedisAnswers(redis, prefix=REDIS_PREFIX),
        limiter=RedisRateLimiter(redis, prefix=REDIS_PREFIX),
        metrics=metrics,
        outbox=outbox(RedisSendBudget(redis, limits, prefix=REDIS_PREFIX)),
        redis=redis,
    )
