"""One log line and the metrics for every update: its type, chat type, latency, and what came of it.

A handler that answered a question returns the service's `Reply`, and the
middleware that timed the whole update reads it from there: whether the
answer was found, remembered, a follow-up. The line is written once. Texts
of messages are never logged: only ids, types and figures.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update

from bot.answering.service import Reply
from bot.metrics import Metrics
from bot.middlewares.base import NextHandler

log = logging.getLogger("bot.updates")


def reply_fields(result: object) -> dict[str, Any]:
    """The log fields of an update whose handler answered a question (none for any other result)."""
    if not isinstance(result, Reply):
        return {}
    fields: dict[str, Any] = {"kind": result.plan.kind}
    if result.answer is not None:
        fields.update(
            found=result.answer.found,
            outcome=result.answer.status.value,
            cached=result.cached,
            answer_ms=round(result.latency_ms, 1),
        )
    return fields


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
        started = time.perf_counter()
        status = "ok"
        fields: dict[str, Any] = {}
        self.metrics.in_flight.inc()
        try:
            result = await handler(event, data)
            fields = reply_fields(result)
            return None if isinstance(result, Reply) else result
        except Exception:
            status = "error"
            raise
        finally:
            self.metrics.in_flight.dec()
            latency = time.perf_counter() - started
            self.metrics.update_latency.observe(latency)
            chat: Chat | None = data.get("event_chat")
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
