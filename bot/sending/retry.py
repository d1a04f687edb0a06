"""Resending a call that is not a message into a chat (a callback answer, a chat action) after a 429, bounded.

Messages into chats wait in the outgoing queue instead (`bot.sending.outbox`),
where a 429 pauses its whole scope rather than one call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramRetryAfter

log = logging.getLogger(__name__)

T = TypeVar("T")


async def resend_after_429(
    request: Callable[[], Awaitable[T]], *, name: str, max_retries: int = 5, max_wait: float = 60.0
) -> T:
    """Make `request`; on 429 wait `retry_after` seconds and make it again, at most `max_retries` times."""
    attempt = 0
    while True:
        try:
            return await request()
        except TelegramRetryAfter as exc:
            attempt += 1
            if attempt > max_retries or exc.retry_after > max_wait:
                log.error("%s: giving up after %d tries (retry_after=%s)", name, attempt, exc.retry_after)
                raise
            log.warning("%s: 429, resending in %s s (try %d)", name, exc.retry_after, attempt)
            await asyncio.sleep(exc.retry_after)
