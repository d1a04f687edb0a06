"""Counters over fixed time windows, in memory or in Redis (shared by every replica).

Throttling ("how many questions did this user ask this minute?") and the
sender's pacing ("how many messages went out this second?") both count hits
per key and window. With Redis, every replica counts in the same place, so
two replicas behind one webhook enforce one limit.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from redis.asyncio import Redis


class WindowCounter(Protocol):
    """Counts hits of a key within the current window of `window` seconds."""

    async def hit(self, key: str, window: float) -> tuple[int, float]:
        """Count one hit; returns the hits so far in this window and the seconds until it ends."""
        ...


def _window(window: float, now: float) -> tuple[int, float]:
    number = math.floor(now / window)
    return number, (number + 1) * window - now


class MemoryCounter:
    """Window counters of one process, forgetting windows that have passed."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, float, int], tuple[int, float]] = {}  # -> (hits, window's end)
        self._sweep_at = 0.0

    async def hit(self, key: str, window: float) -> tuple[int, float]:
        """Count one hit; returns the hits so far in this window and the seconds until it ends."""
        now = time.time()
        number, remaining = _window(window, now)
        if now >= self._sweep_at:
            self._sweep_at = now + 10.0
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        count = self._counts.get((key, window, number), (0, 0.0))[0] + 1
        self._counts[(key, window, number)] = (count, now + remaining)
        return count, remaining


class RedisCounter:
    """Window counters in Redis: INCR on a key per window, expiring with it."""

    def __init__(self, redis: Redis, prefix: str = "newsqa") -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, key: str, window: float) -> tuple[int, float]:
        """Count one hit; returns the hits so far in this window and the seconds until it ends."""
        number, remaining = _window(window, time.time())
        name = f"{self.prefix}:count:{key}:{window:g}:{number}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, math.ceil(window) + 1)
            count, _ = await pipe.execute()
        return int(count), remaining
