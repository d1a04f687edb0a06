"""Whether Redis answers, for every store that keeps its state there.

Each shared store (context, shown answers, limits, the send budget, the
inbox) calls Redis through `RedisLink.call`, naming what to do in memory
instead. The first Redis error marks Redis lost: one WARNING, and from then
on the stores work from this replica's memory without trying Redis, so an
update costs no timeout and logs no traceback. A background task pings
Redis every second while it is lost and says once (INFO) when it answers
again; the stores use it again from then on, without a restart.

While Redis answers, the same task keeps this replica's heartbeat there:
the inbox tells a live replica's updates from a dead one's by it, and the
number of live replicas sets the share of the send budget each replica
takes while Redis is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.metrics import Metrics

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a Redis call raises when Redis is gone, restarting or too slow.
REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, asyncio.TimeoutError)
CHECK_SECONDS = 1.0
# A replica whose heartbeat is older than this is dead: its unfinished updates are another's to answer.
# Well above CHECK_SECONDS, so that a busy moment of the event loop does not look like a death.
ALIVE_SECONDS = 15.0

# KEYS[1]: the replicas' heartbeats (token -> Redis time, ms); ARGV: this replica's token, ALIVE_SECONDS (ms).
_BEAT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])
"""


class RedisLink:
    """Redis as every shared store reaches it: up or lost, this replica's heartbeat, the replicas alive."""

    def __init__(self, redis: Redis, metrics: Metrics, *, prefix: str = "newsqa") -> None:
        self.redis = redis
        self.metrics = metrics
        self.replicas_key = f"{prefix}:replicas"
        self.token = secrets.token_hex(8)  # this process, in the heartbeats and as the owner of its updates
        self.up = True
        self.replicas = 1  # alive at the last heartbeat, this one included
        self.losses = 0  # how often Redis was lost: a store's memory share is made anew for each loss
        self.on_back: list[Callable[[], Awaitable[None]]] = []  # what to do when Redis answers again
        self.back_at: float | None = None  # when Redis last came back (monotonic)
        self._beat = redis.register_script(_BEAT)
        self._task: asyncio.Task[None] | None = None
        metrics.redis_up.set(1)

    async def call(self, shared: Callable[[], Awaitable[T]], local: Callable[[], Awaitable[T]]) -> T:
        """`shared()` while Redis answers; `local()` while it is lost, or when `shared()` fails."""
        if self.up:
            try:
                return await shared()
            except REDIS_ERRORS as exc:
                self.lost(exc)
        return await local()

    def lost(self, exc: BaseException) -> None:
        """A Redis call failed: count it; the first failure says so once and turns the stores to memory."""
        self.metrics.redis_errors.inc()
        if not self.up:
            return
        self.up = False
        self.losses += 1
        self.metrics.redis_up.set(0)
        log.warning(
            "Redis is lost (%s: %s): context, limits, the send budget and the inbox work from this "
            "replica's memory until it is back", type(exc).__name__, exc,
        )  # fmt: skip

    @property
    def settled(self) -> bool:
        """Redis answers, and has for `ALIVE_SECONDS`: every live replica's heartbeat is fresh in it again."""
        return self.up and (self.back_at is None or time.monotonic() - self.back_at >= ALIVE_SECONDS)

    async def ping(self) -> bool:
        """Whether Redis answers now (a lost Redis that answers is back)."""
        try:
            await self.redis.ping()  # type: ignore[misc]  # redis' stubs: sync or async
        except REDIS_ERRORS as exc:
            self.lost(exc)
            return False
        if not self.up:
            await self._back()
        return True

    async def beat(self) -> None:
        """Tell Redis this replica is alive, and learn how many are."""
        try:
            count = await self._beat(keys=[self.replicas_key], args=[self.token, int(ALIVE_SECONDS * 1000)])
        except REDIS_ERRORS as exc:
            self.lost(exc)
            return
        self.replicas = max(1, int(count))

    async def _back(self) -> None:
        self.up = True
        self.back_at = time.monotonic()
        self.metrics.redis_up.set(1)
        log.info("Redis is back: context, limits, the send budget and the inbox are shared again")
        for hook in self.on_back:
            try:
                await hook()
            except REDIS_ERRORS as exc:
                self.lost(exc)
                return

    def start(self) -> None:
        """Keep the heartbeat while Redis answers, and ping it every second while it is lost."""
        if self._task is None:
            self._task = asyncio.create_task(self._watch(), name="redis-link")

    async def _watch(self) -> None:
        while True:
            if self.up:
                await self.beat()
            else:
                await self.ping()
            await asyncio.sleep(CHECK_SECONDS)

    async def close(self) -> None:
        """Stop watching, and leave the heartbeats: the other replicas may take this one's updates at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.up:
            with contextlib.suppress(*REDIS_ERRORS):
                await self.redis.zrem(self.replicas_key, self.token)
