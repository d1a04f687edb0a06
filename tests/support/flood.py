"""Telegram's flood limits as the stand-in enforces them: arrivals counted strictly, 429 with `retry_after`.

Telegram documents about 30 messages a second overall, about one a second
into one chat ("short bursts" allowed), and 20 a minute into one group. The
stand-in counts every message it accepts at the moment it arrives:

- overall: at most `per_second` in any sliding second;
- per chat: a token bucket of `chat_per_second` with a burst of `chat_burst`;
- per group: at most `group_per_minute` in any sliding 60 seconds.

A refused message is not counted (it was not delivered) and is answered
429 with the whole seconds until it would be accepted, as Telegram does.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

# What Telegram counts: messages put into a chat.
COUNTED_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "copyMessage"})


@dataclass(frozen=True)
class FloodLimits:
    """The limits the stand-in enforces (Telegram's, not the bot's: the bot keeps below them)."""

    per_second: int = 30
    chat_per_second: float = 1.0
    chat_burst: int = 4
    group_per_minute: int = 20


@dataclass(frozen=True)
class Refusal:
    """A message refused: when, into which chat, by which limits, and the `retry_after` given."""

    at: float
    chat_id: int
    scopes: tuple[str, ...]
    retry_after: int


@dataclass
class FloodControl:
    """The counters of one stand-in."""

    limits: FloodLimits = field(default_factory=FloodLimits)
    accepted: list[tuple[float, int]] = field(default_factory=list)  # (arrival, chat) of every accepted message
    refusals: list[Refusal] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._second: deque[float] = deque()
        self._chat_full_at: dict[int, float] = {}
        self._group_minute: dict[int, deque[float]] = {}

    def admit(self, chat_id: int, now: float) -> Refusal | None:
        """Count a message arriving `now` into `chat_id`, or refuse it."""
        limits = self.limits
        waits: dict[str, float] = {}
        while self._second and self._second[0] <= now - 1.0:
            self._second.popleft()
        if len(self._second) >= limits.per_second:
            waits["overall"] = self._second[0] + 1.0 - now
        interval = 1.0 / limits.chat_per_second
        full_at = max(self._chat_full_at.get(chat_id, now), now)
        if full_at - (limits.chat_burst - 1) * interval > now:
            waits["chat"] = full_at - (limits.chat_burst - 1) * interval - now
        minute = self._group_minute.setdefault(chat_id, deque()) if chat_id < 0 else None
        if minute is not None:
            while minute and minute[0] <= now - 60.0:
                minute.popleft()
            if len(minute) >= limits.group_per_minute:
                waits["group"] = minute[0] + 60.0 - now
        if waits:
            refusal = Refusal(now, chat_id, tuple(waits), max(1, math.ceil(max(waits.values()))))
            self.refusals.append(refusal)
            return refusal
        self._second.append(now)
        self._chat_full_at[chat_id] = full_at + interval
        if minute is not None:
            minute.append(now)
        self.accepted.append((now, chat_id))
        return None

    def most_in_any(self, seconds: float, chat_id: int | None = None) -> int:
        """The most messages accepted within any `seconds` (into `chat_id`, or overall)."""
        times = [at for at, chat in self.accepted if chat_id is None or chat == chat_id]
        most, start = 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - seconds:
                start += 1
            most = max(most, end - start + 1)
        return most
