"""The outgoing queue: every message into a chat waits for its turn within the send budget.

- Each chat has its own line, sent in order with at most one request in
  flight, so answers to one chat never overtake each other.
- Chats take turns: under a burst every asker gets a first answer before
  anyone gets a fourth. Urgent messages (the "your answer is coming"
  notice) go before the chats' turns.
- One scheduler task asks the budget for the next chat whose turn it is;
  the sender itself then makes the request.
- A 429 pauses the scope it hit for its `retry_after` (one chat; the whole
  bot when a second chat is refused while the first is still paused), and
  the message goes out again first in its chat when the pause is over;
  after `max_retries` the message is given up, logged and counted, and the
  sender gets the error.
- When the Bot API is not answering (a 5xx, a page that is not JSON, a
  network error, a timeout), the whole queue holds, for a backoff that
  doubles while the failures go on, and the message goes out again first in
  its chat: the chat's order is kept. After `retry_seconds` of failures the
  message is given up and the sender gets the error (the update is then kept
  in the inbox, `bot.delivery`). A refusal (400, 403, ...) is not sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TypeVar

from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter

from bot.metrics import Metrics
from bot.sending.budget import SendBudget, Target
from bot.sending.session import error_code, unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

# A message that waits in a crowded queue longer than this for its turn shows its chat the typing status.
TYPING_AFTER_SECONDS = 0.5
# The send rate a process has had over this many seconds estimates how long its queue will take.
RATE_WINDOW_SECONDS = 2.0
# While the Bot API is not answering, the queue holds this long after the first failure, twice as long
# after each next one, at most RETRY_MAX_DELAY: a few tries a minute, and a quick start once it is back.
RETRY_FIRST_DELAY = 0.5
RETRY_MAX_DELAY = 5.0


def _now() -> float:
    return asyncio.get_running_loop().time()


@dataclass(eq=False)
class Ticket:
    """One message's place in its chat's line."""

    target: Target
    urgent: bool
    queued_at: float
    turn: asyncio.Future[None]
    granted: bool = False
    receipt: str = ""
    refusals: int = 0
    waited: float = field(default=0.0)
    failing_since: float | None = None  # when its first try failed with the Bot API not answering


class Outbox:
    """Messages waiting for their turn, chat by chat, within one `SendBudget`."""

    def __init__(
        self,
        budget: SendBudget,
        *,
        metrics: Metrics,
        max_retries: int = 5,
        max_retry_after: float = 60.0,
        retry_seconds: float = 120.0,
        retry_first_delay: float = RETRY_FIRST_DELAY,
    ) -> None:
        self.budget = budget
        self.metrics = metrics
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.retry_seconds = retry_seconds
        self.retry_first_delay = retry_first_delay
        self._failures = 0  # failures in a row of the Bot API not answering
        self._hold_until = 0.0  # no turn is granted before this: the Bot API is not answering
        self._lines: dict[str, deque[Ticket]] = {}
        self._in_flight: set[str] = set()
        self._turns: list[tuple[float, int, str]] = []  # (not before, order, chat): chats' turns
        self._urgent: list[tuple[float, int, str]] = []  # the same, for chats whose next message is urgent
        self._scheduled: dict[str, int] = {}  # chat -> the order of its valid turn in a heap
        self._order = itertools.count()
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._last_sent: dict[str, float] = {}
        self._paused_by_429: dict[str, float] = {}  # chat -> until when a 429 paused it
        self._waiting = 0
        self._queued_since: float | None = None  # since when messages have been waiting without a break
        self._granted: deque[float] = deque()  # when the last RATE_WINDOW_SECONDS' messages got their turns
        metrics.send_queue.set_function(lambda: float(self._waiting))

    # -- what senders use ------------------------------------------------------

    def enqueue(self, target: Target, *, urgent: bool = False) -> Ticket:
        """A place at the end of the chat's line (urgent: the chat's turn comes before the others')."""
        ticket = Ticket(target, urgent, _now(), asyncio.get_running_loop().create_future())
        line = self._lines.setdefault(target.key, deque())
        line.append(ticket)
        self._more_waiting()
        if len(line) == 1 and target.key not in self._in_flight:
            self._schedule(target.key, ticket.queued_at)
        if self._scheduler is None or self._scheduler.done():
            self._scheduler = asyncio.create_task(self._schedule_turns(), name="outbox")
        return ticket

    async def deliver(
        self,
        ticket: Ticket,
        request: Callable[[], Awaitable[T]],
        waiting: Callable[[], AbstractAsyncContextManager[object]] | None = None,
    ) -> T:
        """Make `request` when the ticket's turn comes, again after a 429 or a failure of the Bot API (bounded).

        `waiting` wraps long waits for a turn.
        """
        try:
            while True:
                await self._turn(ticket, waiting)
                try:
                    result = await request()
                except TelegramRetryAfter as exc:
                    await self._answered(ticket)
                    await self._refused(ticket, exc)
                    continue
                except TelegramAPIError as exc:
                    await self._answered(ticket)
                    if not unavailable(exc):
                        raise
                    self._failed(ticket, exc)
                    continue
                except BaseException:
                    await self._answered(ticket)
                    raise
                await self._answered(ticket)
                self._failures = 0
                self._delivered(ticket)
                return result
        finally:
            self._leave(ticket)

    async def send(self, target: Target, request: Callable[[], Awaitable[T]], *, urgent: bool = False) -> T:
        """Enqueue and deliver in one call."""
        return await self.deliver(self.enqueue(target, urgent=urgent), request)

    def expected_wait(self, target: Target, quiet: float) -> float | None:
        """Seconds a message enqueued now for `target` would wait for its turn, roughly.

        None when the chat is already waiting for an earlier message, or heard
        from the bot within the last `quiet` seconds: it knows the bot is busy
        with it. Each chat ahead sends one message before this chat's turn.
        """
        key, now = target.key, _now()
        if self._lines.get(key) or now - self._last_sent.get(key, float("-inf")) < quiet:
            return None
        return len(self._scheduled) / self._rate(now)

    def crowded(self, target: Target) -> bool:
        """Whether a message enqueued now for `target` is likely to wait for its turn: its chat has
        messages ahead of it, or the chats ahead take longer than `TYPING_AFTER_SECONDS` to send."""
        if self._lines.get(target.key):
            return True
        return len(self._scheduled) / self._rate(_now()) >= TYPING_AFTER_SECONDS

    def _rate(self, now: float) -> float:
        """Messages a second this process sends: the budget's rate, or, when its queue has been long
        for a while, what it has been sending (replicas share the budget)."""
        while self._granted and self._granted[0] <= now - RATE_WINDOW_SECONDS:
            self._granted.popleft()
        rate = self.budget.limits.per_second
        if self._queued_since is not None and now - self._queued_since >= RATE_WINDOW_SECONDS:
            rate = min(rate, max(len(self._granted) / RATE_WINDOW_SECONDS, 1.0))
        return rate

    @property
    def waiting(self) -> int:
        """Messages waiting for their turn in this process."""
        return self._waiting

    async def close(self) -> None:
        """Stop the scheduler; messages still waiting fail with `CancelledError`."""
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        for line in self._lines.values():
            for ticket in line:
                ticket.turn.cancel()

    # -- the sender's side -------------------------------------------------------

    async def _turn(self, ticket: Ticket, waiting: Callable[[], AbstractAsyncContextManager[object]] | None) -> None:
        if not ticket.turn.done() and waiting is not None:
            await asyncio.wait({ticket.turn}, timeout=TYPING_AFTER_SECONDS)
            if not ticket.turn.done():
                async with waiting():
                    await ticket.turn
        await ticket.turn

    async def _refused(self, ticket: Ticket, exc: TelegramRetryAfter) -> None:
        """A 429: pause its scope; give the message up or put it back first in its chat's line."""
        key, now = ticket.target.key, _now()
        others = [chat for chat, until in self._paused_by_429.items() if until > now and chat != key]
        self._paused_by_429[key] = now + exc.retry_after
        scope = "overall" if others else "chat"
        self.metrics.send_refused.labels(scope=scope).inc()
        await self.budget.pause(None if others else ticket.target, exc.retry_after)
        ticket.refusals += 1
        if ticket.refusals > self.max_retries or exc.retry_after > self.max_retry_after:
            self.metrics.send_given_up.inc()
            log.error(
                "gave up a message to chat %s after %d refusals (429, retry_after=%s s)",
                key, ticket.refusals, exc.retry_after,
            )  # fmt: skip
            raise exc
        log.warning("429 for chat %s (%s scope): pausing %s s, then sending again", key, scope, exc.retry_after)
        self._requeue(ticket, now)

    def _failed(self, ticket: Ticket, exc: TelegramAPIError) -> None:
        """The Bot API did not answer: hold the whole queue a while, then send the message again, first in its chat.

        Past `retry_seconds` of failures the message is given up: the error goes to its sender.
        """
        now = _now()
        if ticket.failing_since is None:
            ticket.failing_since = now
        code = error_code(exc)
        if now - ticket.failing_since >= self.retry_seconds:
            self.metrics.send_given_up.inc()
            log.warning(
                "gave up a message to chat %s: the Bot API has not taken it for %.0f s (%s)",
                ticket.target.key, now - ticket.failing_since, code,
            )  # fmt: skip
            raise exc
        self._failures += 1
        delay = min(RETRY_MAX_DELAY, self.retry_first_delay * 2 ** (self._failures - 1))
        self._hold_until = max(self._hold_until, now + delay)
        self.metrics.send_retries.labels(code=code).inc()
        log.debug("chat %s: %s from the Bot API, sending again in %.1f s", ticket.target.key, code, delay)
        self._requeue(ticket, self._hold_until)

    def _requeue(self, ticket: Ticket, not_before: float) -> None:
        """Put a message that was not delivered back first in its chat's line, its turn from `not_before` on."""
        ticket.granted = False
        ticket.turn = asyncio.get_running_loop().create_future()
        self._more_waiting()
        self._in_flight.discard(ticket.target.key)
        self._schedule(ticket.target.key, not_before)

    async def _answered(self, ticket: Ticket) -> None:
        """Tell the budget the request is answered (the message counts from now); never fails the send."""
        receipt, ticket.receipt = ticket.receipt, ""
        if not receipt:
            return
        try:
            await self.budget.done(ticket.target, receipt)
        except Exception as exc:  # the budget (Redis) failed: it counts the message as in flight a while longer
            log.warning("send budget: could not record a message as answered: %s", exc)

    def _delivered(self, ticket: Ticket) -> None:
        self.metrics.sent.inc()
        self.metrics.send_wait.observe(ticket.waited)
        self._last_sent[ticket.target.key] = _now()
        if len(self._last_sent) > 10_000:
            horizon = _now() - 600.0
            self._last_sent = {k: t for k, t in self._last_sent.items() if t > horizon}

    def _leave(self, ticket: Ticket) -> None:
        """The ticket is done (delivered, given up, failed or cancelled): the chat's next message may go."""
        key = ticket.target.key
        line = self._lines.get(key)
        if line is not None and ticket in line:
            line.remove(ticket)
        if ticket.granted:
            self._in_flight.discard(key)
        else:
            self._fewer_waiting()
        if line and key not in self._in_flight and key not in self._scheduled:
            self._schedule(key, _now())
        if not line:
            self._lines.pop(key, None)
            self._wake.set()  # the scheduler stops when no chat is waiting
        paused = self._paused_by_429.get(key)
        if paused is not None and paused <= _now():
            del self._paused_by_429[key]

    # -- the scheduler -------------------------------------------------------------

    def _schedule(self, key: str, not_before: float) -> None:
        """Give the chat a turn from `not_before` on, after the chats already waiting."""
        order = next(self._order)
        self._scheduled[key] = order
        line = self._lines.get(key)
        heap = self._urgent if line and line[0].urgent else self._turns
        heapq.heappush(heap, (not_before, order, key))
        self._wake.set()

    def _next_turn(self, now: float) -> tuple[float, int, str] | float | None:
        """The turn that is due, or how long until one is (None: no chat is waiting)."""
        for heap in (self._urgent, self._turns):
            while heap and self._scheduled.get(heap[0][2]) != heap[0][1]:
                heapq.heappop(heap)  # superseded
        ready = [heap for heap in (self._urgent, self._turns) if heap and heap[0][0] <= now]
        if ready:
            turn = heapq.heappop(ready[0])
            del self._scheduled[turn[2]]
            return turn
        upcoming = [heap[0][0] for heap in (self._urgent, self._turns) if heap]
        return min(upcoming) - now if upcoming else None

    async def _schedule_turns(self) -> None:
        """Grant turns as the budget allows, until no chat is waiting."""
        while self._lines:
            if (hold := self._hold_until - _now()) > 0:  # the Bot API is not answering: no message tries now
                await asyncio.sleep(hold)
                continue
            turn = self._next_turn(_now())
            if not isinstance(turn, tuple):
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), turn)
                continue
            key = turn[2]
            ticket = self._first(key)
            if ticket is None:
                continue
            try:
                grant = await self.budget.take(ticket.target)
            except Exception as exc:  # the budget (Redis) failed: this message cannot be paced
                log.error("send budget unavailable for chat %s: %s", key, exc)
                if self._first(key) is ticket:
                    self._grant(ticket)
                    ticket.turn.set_exception(exc)
                continue
            if self._first(key) is not ticket:  # its sender left meanwhile (and rescheduled the chat)
                if grant.allowed:
                    with contextlib.suppress(Exception):
                        await self.budget.done(ticket.target, grant.receipt)
                continue
            if grant.allowed:
                self._grant(ticket)
                ticket.receipt = grant.receipt
                ticket.turn.set_result(None)
                continue
            if grant.chat_wait > 0:
                self._schedule(key, _now() + grant.chat_wait)
            else:  # only the whole bot's budget held it: the chat keeps its place
                self._scheduled[key] = turn[1]
                heapq.heappush(self._urgent if ticket.urgent else self._turns, turn)
            if grant.overall_wait > 0:
                await asyncio.sleep(grant.overall_wait)
        self._scheduler = None

    def _first(self, key: str) -> Ticket | None:
        """The chat's next message, if it is waiting for its turn (not in flight, not abandoned)."""
        line = self._lines.get(key)
        if not line or key in self._in_flight or line[0].turn.done():
            return None
        return line[0]

    def _grant(self, ticket: Ticket) -> None:
        ticket.granted = True
        ticket.waited = _now() - ticket.queued_at
        self._granted.append(ticket.queued_at + ticket.waited)
        while self._granted[0] <= self._granted[-1] - RATE_WINDOW_SECONDS:
            self._granted.popleft()
        self._fewer_waiting()
        self._in_flight.add(ticket.target.key)

    def _more_waiting(self) -> None:
        if self._waiting == 0:
            self._queued_since = _now()
        self._waiting += 1

    def _fewer_waiting(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self._queued_since = None
