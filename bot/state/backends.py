"""Where the bot keeps its state: in this process, or in Redis shared by every replica.

Conversation context (aiogram's FSM storage), the shown answers behind the
buttons, and the rate limits all come from here, so that two
replicas behind one webhook give a user the same follow-up context and the
same limits. Metrics are always per process (Prometheus scrapes each one).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.config import Settings
from bot.metrics import Metrics
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
    redis: Redis | None = None

    async def redis_reachable(self) -> bool | None:
        """True/False when Redis is configured (a PING), None when it is not."""
        if self.redis is None:
            return None
        try:
            return bool(await self.redis.ping())  # type: ignore[misc]  # redis' stubs: sync or async
        except (OSError, ConnectionError, TimeoutError, RedisError):
            return False

    async def close_redis(self) -> None:
        """Close the Redis connections (the dispatcher closes the FSM storage itself)."""
        if self.redis is not None:
            await self.redis.aclose()


def create_backends(settings: Settings) -> Backends:
    """Redis-backed stores when `REDIS_URL` is set, bounded in-memory ones otherwise."""
    metrics = Metrics()
    if settings.redis_url is None:
        return Backends(
            storage=BoundedMemoryStorage(max_keys=settings.context_max_chats, ttl=settings.context_ttl_seconds),
            answers=AnswerRegistry(),
            limiter=MemoryRateLimiter(),
            metrics=metrics,
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
        redis=redis,
    )
