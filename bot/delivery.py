"""Each update from its arrival to its answer, at least once, through the inbox (`bot/state/inbox.py`).

- **Arrival.** `accept` journals the update before Telegram is told it
  arrived: when polling, before the next getUpdates confirms it; behind a
  webhook, before the 200. An update the inbox knows already (answered,
  or being answered here or by another replica) is skipped.
- **Answer.** The update is handled as aiogram does; it is marked done
  when handled, unless the Bot API would not take its answer within
  `SEND_RETRY_SECONDS`: the error handler then marks it kept.
- **Again.** At start and every few seconds, the inbox is asked for what is
  left unfinished: the updates of a process that crashed, or of a replica
  that died, and the kept ones. Those younger than
  `REDELIVERY_WINDOW_SECONDS` are answered, once the Bot API answers; the
  older ones are given up, one log line each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncGenerator, Coroutine
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import GetMe
from aiogram.types import Update

from bot.metrics import Metrics
from bot.sending.session import ApiHealth
from bot.state.inbox import Entry, Inbox
from bot.state.redis_link import REDIS_ERRORS

log = logging.getLogger(__name__)

# How often the inbox is asked for unfinished updates, when nothing calls for it sooner.
SWEEP_SECONDS = 5.0


@dataclass
class Delivery:
    """The update being handled; the error handler marks it `kept` when its answer could not be sent."""

    update_id: int
    kept: bool = False


class Deliveries:
    """The updates of one bot process between the inbox and the dispatcher."""

    def __init__(self, inbox: Inbox, metrics: Metrics, api: ApiHealth, *, sweep_every: float = SWEEP_SECONDS) -> None:
        self.inbox = inbox
        self.metrics = metrics
        self.api = api
        self.sweep_every = sweep_every
        self.handling: set[int] = set()  # accepted here and not finished
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def accept(self, update: Update) -> bool:
        """Journal `update`; False when it is known already (it is then not to be handled)."""
        new = update.update_id not in self.handling  # else: being handled here
        if new:
            self.handling.add(update.update_id)  # before the write: a sweep meanwhile must not take it
            try:
                new = await self.inbox.accept(update.update_id, update.model_dump_json(exclude_unset=True))
            except asyncio.CancelledError:
                self.handling.discard(update.update_id)
                raise
            except Exception as exc:  # better answered without the journal than not at all
                log.error("update %s: could not journal it (%s); answering it all the same", update.update_id, exc)
                return True
            if not new:
                self.handling.discard(update.update_id)
        if not new:
            self.metrics.duplicate_updates.inc()
            log.info("update %s is known already: not answered twice", update.update_id)
        return new

    async def finish(self, delivery: Delivery) -> None:
        """The update was handled: done, or kept for later when its answer could not be sent."""
        try:
            if not delivery.kept:
                await self.inbox.done(delivery.update_id)
        except Exception as exc:  # the update stays unfinished: it may be answered again, never lost
            log.warning("update %s: could not mark it answered in the inbox: %s", delivery.update_id, exc)
        finally:  # only now: a sweep meanwhile would answer it again
            self.handling.discard(delivery.update_id)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` (an update's handling) in the background, kept until it ends."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self, grace: float) -> None:
        """Wait up to `grace` seconds for the updates handled in the background."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)

    def start(self, dispatcher: DurableDispatcher, bot: Bot) -> None:
        """Answer what was left unfinished, now and every `sweep_every` seconds (sooner when the API is back)."""
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep_forever(dispatcher, bot), name="inbox-sweeper")

    async def close(self) -> None:
        """Stop sweeping."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    async def _sweep_forever(self, dispatcher: DurableDispatcher, bot: Bot) -> None:
        while True:
            try:
                await self.sweep(dispatcher, bot)
            except Exception as exc:  # the sweeper must go on; a failure of the inbox's store is one line
                expected = isinstance(exc, (*REDIS_ERRORS, sqlite3.Error))
                log.warning("could not look for unfinished updates: %s", exc, exc_info=not expected)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.api.back.wait(), self.sweep_every)
            self.api.back.clear()

    async def sweep(self, dispatcher: DurableDispatcher, bot: Bot) -> None:
        """Answer the unfinished updates the inbox gives this process; give up the old ones."""
        found = await self.inbox.unfinished(self.handling)
        now = time.time()
        for entry in found.given_up:
            self.metrics.updates_given_up.inc()
            log.warning(
                "update %s given up: unanswered for %.0f s, longer than REDELIVERY_WINDOW_SECONDS",
                entry.update_id, now - entry.received,
            )  # fmt: skip
        if not found.to_answer or not await self._api_answers(bot):
            return  # taken by this process: looked at again next time
        for entry in found.to_answer:
            await self._redeliver(dispatcher, bot, entry, now)

    async def _api_answers(self, bot: Bot) -> bool:
        """Whether the Bot API answers, asking it when it was failing."""
        if not self.api.failing:
            return True
        with contextlib.suppress(TelegramAPIError):
            await bot(GetMe())
        return not self.api.failing

    async def _redeliver(self, dispatcher: DurableDispatcher, bot: Bot, entry: Entry, now: float) -> None:
        if entry.update_id in self.handling:
            return
        try:
            update = Update.model_validate_json(entry.body, context={"bot": bot})
        except ValueError as exc:
            log.error("update %s in the inbox is unreadable, given up: %s", entry.update_id, exc)
            self.metrics.updates_given_up.inc()
            await self.finish(Delivery(entry.update_id))
            return
        self.handling.add(entry.update_id)
        self.metrics.redelivered.inc()
        log.info("update %s: answering it again (received %.0f s ago)", entry.update_id, now - entry.received)
        self.spawn(dispatcher.process(bot, update))


class DurableDispatcher(Dispatcher):
    """aiogram's `Dispatcher`, its updates going through `Deliveries` (polling, webhook, redelivery alike)."""

    def __init__(self, *, deliveries: Deliveries, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deliveries = deliveries

    async def process(self, bot: Bot, update: Update, **kwargs: Any) -> bool:
        """Handle an accepted update and finish it in the inbox (see `Deliveries.finish`)."""
        delivery = Delivery(update.update_id)
        try:
            handled = await super()._process_update(bot, update, delivery=delivery, **kwargs)
        except asyncio.CancelledError:  # stopped mid-answer: unfinished, answered after the restart
            self.deliveries.handling.discard(update.update_id)
            raise
        await self.deliveries.finish(delivery)
        return handled

    async def _process_update(self, bot: Bot, update: Update, call_answer: bool = True, **kwargs: Any) -> bool:
        # Polling hands each update here.
        return await self.process(bot, update, call_answer=call_answer, **kwargs)

    async def _listen_updates(  # type: ignore[override]  # aiogram's is a classmethod
        self, bot: Bot, **kwargs: Any
    ) -> AsyncGenerator[Update, None]:
        # aiogram confirms an update (the next getUpdates' offset) once the one after it is asked for:
        # each is journaled before it is passed on, so before it is confirmed.
        async for update in super()._listen_updates(bot, **kwargs):
            if await self.deliveries.accept(update):
                yield update
