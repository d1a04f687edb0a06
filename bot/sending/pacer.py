"""Outgoing messages within Telegram's limits: wait for a slot instead of earning 429s.

Telegram accepts about 30 messages a second from a bot overall and about 20
a minute into one group. Every message the bot sends first takes a slot in
the sliding window (shared by the replicas when the limits live in Redis);
when the window is full it waits until a slot frees, so a burst of
questions becomes a steady stream of answers rather than a storm of 429s.
Failed Bot API calls are counted by method and error code.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.metrics import Metrics
from bot.state.limits import RateLimiter

log = logging.getLogger(__name__)

# Methods that put a message (or an edit of one) into a chat.
PACED_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument", "copyMessage",
     "forwardMessage"}
)  # fmt: skip
_CODES: tuple[tuple[type[TelegramAPIError], str], ...] = (
    (TelegramRetryAfter, "429"),
    (TelegramEntityTooLarge, "413"),
    (TelegramBadRequest, "400"),
    (TelegramUnauthorizedError, "401"),
    (TelegramForbiddenError, "403"),
    (TelegramNotFound, "404"),
    (TelegramConflictError, "409"),
    (TelegramServerError, "5xx"),
    (TelegramNetworkError, "network"),
)


def error_code(exc: TelegramAPIError) -> str:
    """The HTTP-like code of a Bot API failure, for the metrics."""
    return next((code for kind, code in _CODES if isinstance(exc, kind)), "other")


class Pacer(BaseRequestMiddleware):
    """A request middleware: paces messages to `per_second` overall and `group_per_minute` per group."""

    def __init__(self, limiter: RateLimiter, *, per_second: int, group_per_minute: int, metrics: Metrics) -> None:
        self.limiter = limiter
        self.per_second = per_second
        self.group_per_minute = group_per_minute
        self.metrics = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if name in PACED_METHODS:
            chat_id = getattr(method, "chat_id", None)
            started = time.perf_counter()
            if _is_group(chat_id):
                await self._take(f"send:{chat_id}", self.group_per_minute, 60.0)
            await self._take("send", self.per_second, 1.0)
            waited = time.perf_counter() - started
            self.metrics.send_wait.observe(waited)
            if waited > 1.0:
                log.info("%s waited %.1f s for Telegram's rate limits", name, waited)
        try:
            response = await make_request(bot, method)
        except TelegramAPIError as exc:
            self.metrics.telegram_errors.labels(method=name, code=error_code(exc)).inc()
            raise
        if name in PACED_METHODS:
            self.metrics.sent.inc()
        return response

    async def _take(self, key: str, limit: int, window: float) -> None:
        """Wait until `key` may send within `limit` per `window` seconds."""
        while True:
            verdict = await self.limiter.acquire(key, limit, window)
            if verdict.allowed:
                return
            await asyncio.sleep(verdict.retry_in)


def _is_group(chat_id: object) -> bool:
    """Group and channel ids are negative (or an @username); users' are positive."""
    return (isinstance(chat_id, int) and chat_id < 0) or (isinstance(chat_id, str) and chat_id.startswith("@"))
