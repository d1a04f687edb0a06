"""Resending after a 429 Too Many Requests, bounded."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


class RetryAfter(BaseRequestMiddleware):
    """On 429 Too Many Requests, waits `retry_after` seconds and sends again (bounded)."""

    def __init__(self, max_retries: int = 5, max_wait: float = 60.0) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                attempt += 1
                if attempt > self.max_retries or exc.retry_after > self.max_wait:
                    log.error(
                        "%s: giving up after %d tries (retry_after=%s)", method.__api_method__, attempt, exc.retry_after
                    )
                    raise
                log.warning("%s: 429, resending in %s s (try %d)", method.__api_method__, exc.retry_after, attempt)
                await asyncio.sleep(exc.retry_after)
