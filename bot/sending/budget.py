"""The send budget: may the next message go into a chat now, within Telegram's limits?

Three limits, checked together and taken together (a message refused by
one limit spends nothing of the others):

- overall, a token bucket: `per_second` messages a second, evenly spread,
  with a burst of a fifth of a second's worth to catch up after a stall,
  and never more than `per_second` in any sliding second, so that a
  catch-up cannot crowd a second (Telegram counts by the second);
- per chat, a token bucket: `chat_per_second`, with a burst of `chat_burst`;
- per group, a budget: at most `group_per_minute` messages in any sliding
  window of `GROUP_WINDOW_SECONDS`. A bucket cannot both let a group's
  first answers go at once and promise "never more than 20 in a minute";
  the window can, and the chat bucket already spreads a group's messages.

A 429 pauses a scope (the whole bot, or one chat) for its `retry_after`;
the pauses are part of the budget, so that every replica waits them out.
In memory the budget is one process's; in Redis one Lua script decides for
every replica at once, on the Redis server's clock.
"""

from __future__ import annotations

import math
import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

# The overall bucket holds this many seconds of sends: enough to catch up
# after the event loop was busy for a moment (the one-second window keeps
# the catch-up within the rate).
OVERALL_BURST_SECONDS = 0.2
# Telegram counts 20 a minute into a group; the extra second covers
# messages still in flight when the bot's own minute ends.
GROUP_WINDOW_SECONDS = 61.0


@dataclass(frozen=True)
class Target:
    """Where a message goes: a chat (a user's, a group's) and, in forums, a topic."""

    chat_id: int | str
    thread_id: int | None = None

    @property
    def key(self) -> str:
        """The chat's name in the budget and the queue."""
        return str(self.chat_id)

    @property
    def group(self) -> bool:
        """Group and channel ids are negative (or an @username); users' are positive."""
        if isinstance(self.chat_id, int):
            return self.chat_id < 0
        return self.chat_id.startswith(("@", "-"))


@dataclass(frozen=True)
class SendLimits:
    """The rates the bot keeps to, below Telegram's."""

    per_second: float = 25.0
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: int = 20

    @property
    def burst(self) -> int:
        """Messages the overall bucket lets go back to back."""
        return max(1, math.ceil(self.per_second * OVERALL_BURST_SECONDS))

    @property
    def per_any_second(self) -> int:
        """Messages allowed in any sliding second, overall."""
        return max(1, math.floor(self.per_second))


@dataclass(frozen=True)
class Grant:
    """Whether the message may go now; if not, how long the whole bot and this chat must still wait."""

    allowed: bool
    overall_wait: float = 0.0
    chat_wait: float = 0.0


class SendBudget(Protocol):
    """Takes a message's share of every limit at once, or says how long to wait."""

    limits: SendLimits

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        ...

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        ...


@dataclass
class _Bucket:
    """A token bucket as GCRA: the time at which the bucket would be full again."""

    interval: float
    tolerance: float
    full_at: float = 0.0

    def wait(self, now: float) -> float:
        return max(0.0, max(self.full_at, now) - self.tolerance - now)

    def spend(self, now: float) -> None:
        self.full_at = max(self.full_at, now) + self.interval


def _bucket(rate: float, burst: int) -> _Bucket:
    interval = 1.0 / rate
    return _Bucket(interval, (burst - 1) * interval)


class MemorySendBudget:
    """The budget of one process."""

    def __init__(self, limits: SendLimits) -> None:
        self.limits = limits
        self._overall = _bucket(limits.per_second, limits.burst)
        self._second: deque[float] = deque()
        self._chats: dict[str, _Bucket] = {}
        self._groups: dict[str, deque[float]] = {}
        self._paused: dict[str | None, float] = {}
        self._sweep_at = 0.0

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        now = time.monotonic()
        if now >= self._sweep_at:
            self._sweep(now)
        chat = self._chats.get(target.key) or _bucket(self.limits.chat_per_second, self.limits.chat_burst)
        overall_wait = max(self._overall.wait(now), self._paused.get(None, now) - now)
        while self._second and self._second[0] <= now - 1.0:
            self._second.popleft()
        if len(self._second) >= self.limits.per_any_second:
            overall_wait = max(overall_wait, self._second[0] + 1.0 - now)
        chat_wait = max(chat.wait(now), self._paused.get(target.key, now) - now)
        sent = self._groups.get(target.key, deque()) if target.group else None
        if sent is not None:
            while sent and sent[0] <= now - GROUP_WINDOW_SECONDS:
                sent.popleft()
            if len(sent) >= self.limits.group_per_minute:
                chat_wait = max(chat_wait, sent[0] + GROUP_WINDOW_SECONDS - now)
        if overall_wait > 0 or chat_wait > 0:
            return Grant(False, max(overall_wait, 0.0), max(chat_wait, 0.0))
        self._overall.spend(now)
        self._second.append(now)
        chat.spend(now)
        self._chats[target.key] = chat
        if sent is not None:
            sent.append(now)
            self._groups[target.key] = sent
        return Grant(True)

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        key = None if target is None else target.key
        self._paused[key] = max(self._paused.get(key, 0.0), time.monotonic() + seconds)

    def _sweep(self, now: float) -> None:
        """Forget chats whose limits are back to full, so memory stays bounded."""
        self._sweep_at = now + 60.0
        self._chats = {k: b for k, b in self._chats.items() if b.full_at > now}
        self._groups = {k: s for k, s in self._groups.items() if s and s[-1] > now - GROUP_WINDOW_SECONDS}
        self._paused = {k: t for k, t in self._paused.items() if t > now}


# KEYS: overall bucket, chat bucket, group window, overall pause, chat pause, overall second.
# ARGV: overall interval and tolerance (ms), chat interval and tolerance (ms),
#       group limit (0: not a group), group window (ms), a unique member, overall per second.
# A bucket stores the time (ms, Redis clock) at which it is full again; a window, its messages' times.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function window_wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < limit then return 0 end
  return tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]) + window - now
end
local overall_wait = math.max(redis.call('PTTL', KEYS[4]), 0)
local chat_wait = math.max(redis.call('PTTL', KEYS[5]), 0)
local overall_full = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
local chat_full = math.max(tonumber(redis.call('GET', KEYS[2])) or now, now)
overall_wait = math.max(overall_wait, overall_full - tonumber(ARGV[2]) - now)
overall_wait = math.max(overall_wait, window_wait(KEYS[6], tonumber(ARGV[8]), 1000))
chat_wait = math.max(chat_wait, chat_full - tonumber(ARGV[4]) - now)
local group_limit, window = tonumber(ARGV[5]), tonumber(ARGV[6])
if group_limit > 0 then
  chat_wait = math.max(chat_wait, window_wait(KEYS[3], group_limit, window))
end
if overall_wait > 0 or chat_wait > 0 then
  return {0, string.format('%.3f', overall_wait), string.format('%.3f', chat_wait)}
end
overall_full = overall_full + tonumber(ARGV[1])
chat_full = chat_full + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.3f', overall_full), 'PX', math.ceil(overall_full - now) + 1)
redis.call('SET', KEYS[2], string.format('%.3f', chat_full), 'PX', math.ceil(chat_full - now) + 1)
redis.call('ZADD', KEYS[6], now, ARGV[7])
redis.call('PEXPIRE', KEYS[6], 1000)
if group_limit > 0 then
  redis.call('ZADD', KEYS[3], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[3], math.ceil(window))
end
return {1, '0', '0'}
"""

# KEYS[1]: the pause; ARGV[1]: its length (ms). A shorter pause never cuts a longer one.
_PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
"""


class RedisSendBudget:
    """The budget in Redis, shared by every replica."""

    def __init__(self, redis: Redis, limits: SendLimits, prefix: str = "newsqa") -> None:
        self.limits = limits
        self.prefix = f"{prefix}:send"
        self._take = redis.register_script(_TAKE)
        self._pause = redis.register_script(_PAUSE)
        self._origin = secrets.token_hex(6)  # group window members stay unique across replicas
        self._serial = 0
        overall = _bucket(limits.per_second, limits.burst)
        chat = _bucket(limits.chat_per_second, limits.chat_burst)
        self._args = [overall.interval * 1000, overall.tolerance * 1000, chat.interval * 1000, chat.tolerance * 1000]

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        self._serial += 1
        p, key = self.prefix, target.key
        group_limit = self.limits.group_per_minute if target.group else 0
        allowed, overall_ms, chat_ms = await self._take(
            keys=[
                f"{p}:overall", f"{p}:chat:{key}", f"{p}:group:{key}", f"{p}:pause", f"{p}:pause:{key}",
                f"{p}:second",
            ],
            args=[
                *self._args, group_limit, GROUP_WINDOW_SECONDS * 1000, f"{self._origin}:{self._serial}",
                self.limits.per_any_second,
            ],
        )  # fmt: skip
        return Grant(bool(allowed), float(overall_ms) / 1000, float(chat_ms) / 1000)

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        key = f"{self.prefix}:pause" if target is None else f"{self.prefix}:pause:{target.key}"
        await self._pause(keys=[key], args=[max(1, math.ceil(seconds * 1000))])
