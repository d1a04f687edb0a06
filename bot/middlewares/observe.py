"""One log line and the metrics for every update: its type, chat type, latency, and what came of it.

Handlers note what happened (answer found? from the cache?) on the current
update's `Outcome`, reached through a context variable, so the line is
written once, by the middleware that timed the whole update. Texts of
messages are never logged: only ids, types and figures.
"""

from __future__ import annotations

import contextvars
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update

from bot.metrics import Metrics
from bot.middlewares.base import NextHandler

log = logging.getLogger("bot.updates")


@dataclass
class Outcome:
    """What handling one update came to; None where it does not apply."""

    found: bool | None = None
    cached: bool | None = None
    kind: str | None = None  # new, follow_up, more
    answer_ms: float | None = None


_CURRENT: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar("outcome", default=None)


def current_outcome() -> Outcome:
    """The outcome of the update being handled (a throwaway one outside an update)."""
    return _CURRENT.get() or Outcome()


def update_type(update: Update) -> str:
    """`message`, `callback_query`, `inline_query`, ...: the field the update carries."""
    return update.event_type if update.event_type != "unknown" else "other"


class UpdateObserver(BaseMiddleware):
    """An outer update middleware: counts, times and logs each update in one structured line."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        kind = update_type(event)
        self.metrics.updates.labels(type=kind).inc()
        outcome = Outcome()
        token = _CURRENT.set(outcome)
        started = time.perf_counter()
        status = "ok"
        self.metrics.in_flight.inc()
        try:
            return await handler(event, data)
        except Exception:
            status = "error"
            raise
        finally:
            self.metrics.in_flight.dec()
            _CURRENT.reset(token)
            latency = time.perf_counter() - started
            self.metrics.update_latency.observe(latency)
            chat: Chat | None = data.get("event_chat")
            fields = {k: v for k, v in asdict(outcome).items() if v is not None}
            log.info(
                "update",
                extra={
                    "update_id": event.update_id,
                    "update_type": kind,
                    "chat_type": chat.type if chat else None,
                    "latency_ms": round(latency * 1000, 1),
                    "status": status,
                    **fields,
                },
            )
