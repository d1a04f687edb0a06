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

The windows count a message until a second (a minute) after its request
was answered, not after it was granted: a message delayed on its way
arrives within the window that counts it, however long the delay, so
Telegram's own count can never be ahead of the bot's.

A 429 pauses a scope (the whole bot, or one chat) for its `retry_after`;
the pauses are part of the budget, so that every replica waits them out.
In memory the budget is one process's; in Redis one Lua script decides for
every replica at once, on the Redis server's clock.
"""

from __future__ import annotations

import itertools
import math
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis

# The overall bucket holds this many seconds of sends: enough to catch up
# after the event loop was busy for a moment (the one-second window keeps
# the catch-up within the rate).
OVERALL_BURST_SECONDS = 0.2
# Telegram counts 20 a minute into a group; the bot counts over a second more, a margin.
GROUP_WINDOW_SECONDS = 61.0
# A message in flight counts as arriving at the latest this long after it was granted (a replica
# that dies mid-request must not hold a window's place for ever).
IN_FLIGHT_SECONDS = 10.0
# A window full of messages still in flight frees a place when one is answered: look again this soon.
IN_FLIGHT_POLL_SECONDS = 0.05


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
    """Whether the message may go now; if not, how long the whole bot and this chat must still wait.

    A granted message's `receipt` goes back to `SendBudget.done` when its request is answered.
    """

    allowed: bool
    overall_wait: float = 0.0
    chat_wait: float = 0.0
    receipt: str = ""


class SendBudget(Protocol):
    """Takes a message's share of every limit at once, or says how long to wait."""

    @property
    def limits(self) -> SendLimits:
        """The limits kept to."""
        ...

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        ...

    async def done(self, target: Target, receipt: str) -> None:
        """The granted message's request was answered: the windows count it from now on."""
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


@dataclass
class _Window:
    """At most `limit` messages in any `seconds`: each message's time (a future one while in flight)."""

    seconds: float
    limit: int
    times: dict[str, float] = field(default_factory=dict)

    def wait(self, now: float) -> float:
        self.times = {receipt: at for receipt, at in self.times.items() if at > now - self.seconds}
        if len(self.times) < self.limit:
            return 0.0
        oldest = min(self.times.values())
        return IN_FLIGHT_POLL_SECONDS if oldest > now else oldest + self.seconds - now


class MemorySendBudget:
    """The budget of one process."""

    def __init__(self, limits: SendLimits) -> None:
        self.limits = limits
        self._overall = _bucket(limits.per_second, limits.burst)
        self._second = _Window(1.0, limits.per_any_second)
        self._chats: dict[str, _Bucket] = {}
        self._groups: dict[str, _Window] = {}
        self._paused: dict[str | None, float] = {}
        self._receipts = itertools.count()
        self._sweep_at = 0.0

    async def take(self, target: Target) -> Grant:
        """Spend one message of each limit that applies to `target` if all allow it."""
        now = time.monotonic()
        if now >= self._sweep_at:
            self._sweep(now)
        chat = self._chats.get(target.key) or _bucket(self.limits.chat_per_second, self.limits.chat_burst)
        overall_wait = max(self._overall.wait(now), self._second.wait(now), self._paused.get(None, now) - now)
        chat_wait = max(chat.wait(now), self._paused.get(target.key, now) - now)
        group = None
        if target.group:
            group = self._groups.get(target.key) or _Window(GROUP_WINDOW_SECONDS, self.limits.group_per_minute)
            chat_wait = max(chat_wait, group.wait(now))
        if overall_wait > 0 or chat_wait > 0:
            return Grant(False, max(overall_wait, 0.0), max(chat_wait, 0.0))
        receipt = str(next(self._receipts))
        self._overall.spend(now)
        self._second.times[receipt] = now + IN_FLIGHT_SECONDS
        chat.spend(now)
        self._chats[target.key] = chat
        if group is not None:
            group.times[receipt] = now + IN_FLIGHT_SECONDS
            self._groups[target.key] = group
        return Grant(True, receipt=receipt)

    async def done(self, target: Target, receipt: str) -> None:
        """The granted message's request was answered: the windows count it from now on."""
        now = time.monotonic()
        for window in (self._second, self._groups.get(target.key)):
            if window is not None and receipt in window.times:
                window.times[receipt] = now

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        key = None if target is None else target.key
        self._paused[key] = max(self._paused.get(key, 0.0), time.monotonic() + seconds)

    def _sweep(self, now: float) -> None:
        """Forget chats whose limits are back to full, so memory stays bounded."""
        self._sweep_at = now + 60.0
        self._chats = {k: b for k, b in self._chats.items() if b.full_at > now}
        self._groups = {k: w for k, w in self._groups.items() if any(at > now - w.seconds for at in w.times.values())}
        self._paused = {k: t for k, t in self._paused.items() if t > now}


# KEYS: overall bucket, chat bucket, group window, overall pause, chat pause, overall second.
# ARGV: overall interval and tolerance (ms), chat interval and tolerance (ms), group limit
#       (0: not a group), group window (ms), a unique receipt, overall per second, in flight (ms), poll (ms).
# A bucket stores the time (ms, Redis clock) at which it is full again; a window, its messages' times,
# a time still to come while a message is in flight.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function window_wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < limit then return 0 end
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  if oldest > now then return tonumber(ARGV[10]) end
  return oldest + window - now
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
local arrives = now + tonumber(ARGV[9])
overall_full = overall_full + tonumber(ARGV[1])
chat_full = chat_full + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.3f', overall_full), 'PX', math.ceil(overall_full - now) + 1)
redis.call('SET', KEYS[2], string.format('%.3f', chat_full), 'PX', math.ceil(chat_full - now) + 1)
redis.call('ZADD', KEYS[6], arrives, ARGV[7])
redis.call('PEXPIRE', KEYS[6], math.ceil(arrives - now + 1000))
if group_limit > 0 then
  redis.call('ZADD', KEYS[3], arrives, ARGV[7])
  redis.call('PEXPIRE', KEYS[3], math.ceil(arrives - now + window))
end
return {1, '0', '0'}
"""

# KEYS: the windows that counted a message; ARGV[1]: its receipt. It counts from now on.
_DONE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now, ARGV[1])
end
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
        self._done = redis.register_script(_DONE)
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
        receipt = f"{self._origin}:{self._serial}"
        group_limit = self.limits.group_per_minute if target.group else 0
        allowed, overall_ms, chat_ms = await self._take(
            keys=[
                f"{p}:overall", f"{p}:chat:{key}", f"{p}:group:{key}", f"{p}:pause", f"{p}:pause:{key}",
                f"{p}:second",
            ],
            args=[
                *self._args, group_limit, GROUP_WINDOW_SECONDS * 1000, receipt, self.limits.per_any_second,
                IN_FLIGHT_SECONDS * 1000, IN_FLIGHT_POLL_SECONDS * 1000,
            ],
        )  # fmt: skip
        return Grant(bool(allowed), float(overall_ms) / 1000, float(chat_ms) / 1000, receipt if allowed else "")

    async def done(self, target: Target, receipt: str) -> None:
        """The granted message's request was answered: the windows count it from now on."""
        keys = [f"{self.prefix}:second"] + ([f"{self.prefix}:group:{target.key}"] if target.group else [])
        await self._done(keys=keys, args=[receipt])

    async def pause(self, target: Target | None, seconds: float) -> None:
        """After a 429: nothing goes to `target` (None: to any chat) for `seconds`."""
        key = f"{self.prefix}:pause" if target is None else f"{self.prefix}:pause:{target.key}"
        await self._pause(keys=[key], args=[max(1, math.ceil(seconds * 1000))])
