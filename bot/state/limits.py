"""Sliding-window rate limits, in memory or in Redis (shared by every replica).

Throttling ("at most N questions a minute per user") and the sender's pacing
("at most 30 messages a second") both ask: may this key act now, given what
it did in the last `window` seconds? Only granted acts are recorded, so a
flood that is refused does not push the window further out, and waiting
senders do not starve each other. With Redis, one Lua script decides
atomically for all replicas, on the Redis server's clock.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis


@dataclass(frozen=True)
class Verdict:
    """May the act go ahead; if not, in how many seconds, and whether this is the first refusal."""

    allowed: bool
    retry_in: float = 0.0
    first_refusal: bool = False


class RateLimiter(Protocol):
    """Grants at most `limit` acts of a key per sliding `window` seconds."""

    async def acquire(self, key: str, limit: int, window: float) -> Verdict:
        """Record an act of `key` if the limit allows it; say when it would."""
        ...


class MemoryRateLimiter:
    """The limits of one process: the granted acts' times per key."""

    def __init__(self) -> None:
        self._acts: dict[str, deque[float]] = {}
        self._told_until: dict[str, float] = {}
        self._sweep_at = 0.0

    async def acquire(self, key: str, limit: int, window: float) -> Verdict:
        """Record an act of `key` if the limit allows it; say when it would."""
        now = time.monotonic()
        if now >= self._sweep_at:
            self._sweep(now)
        acts = self._acts.setdefault(key, deque())
        while acts and acts[0] <= now - window:
            acts.popleft()
        if len(acts) < limit:
            acts.append(now)
            return Verdict(True)
        retry_in = acts[0] + window - now
        first = self._told_until.get(key, 0.0) <= now
        if first:
            self._told_until[key] = now + retry_in
        return Verdict(False, retry_in, first)

    def _sweep(self, now: float, horizon: float = 3600.0) -> None:
        """Forget keys idle for an hour (longer than any window), so memory stays bounded."""
        self._sweep_at = now + 60.0
        self._acts = {k: v for k, v in self._acts.items() if v and v[-1] > now - horizon}
        self._told_until = {k: t for k, t in self._told_until.items() if t > now}


# KEYS[1]: the key's sorted set of granted acts; ARGV: limit, window (ms), a unique member.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0, 0}
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
local retry = math.max(oldest + window - now, 1)
local first = redis.call('SET', KEYS[1] .. ':told', '1', 'NX', 'PX', retry)
return {0, retry, first and 1 or 0}
"""


class RedisRateLimiter:
    """The limits in Redis: a sorted set of granted acts per key, decided by one Lua script."""

    def __init__(self, redis: Redis, prefix: str = "newsqa") -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_ACQUIRE)
        self._origin = secrets.token_hex(6)  # members stay unique across replicas
        self._serial = 0

    async def acquire(self, key: str, limit: int, window: float) -> Verdict:
        """Record an act of `key` if the limit allows it; say when it would."""
        self._serial += 1
        member = f"{self._origin}:{self._serial}"
        allowed, retry_ms, first = await self._script(
            keys=[f"{self.prefix}:limit:{key}"], args=[limit, int(window * 1000), member]
        )
        return Verdict(bool(allowed), int(retry_ms) / 1000, bool(first))
