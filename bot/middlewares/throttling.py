"""Per-user and per-group question limits over a sliding minute (in Redis when replicas share it).

Over the limit, the bot says once, politely, when it will answer again,
and then stays silent until then: a flood gets one reply, not one per
message. Refused messages do not count, so the wait never grows.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, Message, TelegramObject, User

from bot.metrics import Metrics
from bot.middlewares.base import NextHandler, update_id
from bot.state.limits import RateLimiter
from bot.texts import Lang, text

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0


class Throttle(BaseMiddleware):
    """An inner middleware for messages: lets at most so many per minute reach a handler."""

    def __init__(self, limiter: RateLimiter, *, per_user: int, per_group: int, metrics: Metrics) -> None:
        self.limiter = limiter
        self.per_user = per_user
        self.per_group = per_group
        self.metrics = metrics

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        limits: list[tuple[str, str, int]] = []
        if user is not None and self.per_user:
            limits.append(("user", f"user:{user.id}", self.per_user))
        if chat is not None and chat.type in {"group", "supergroup"} and self.per_group:
            limits.append(("group", f"chat:{chat.id}", self.per_group))
        for scope, key, limit in limits:
            verdict = await self.limiter.acquire(key, limit, WINDOW_SECONDS)
            if verdict.allowed:
                continue
            self.metrics.throttled.labels(scope=scope).inc()
            log.info(
                "throttled update=%s scope=%s limit=%d retry_in=%.1f", update_id(data), scope, limit, verdict.retry_in
            )
            if verdict.first_refusal and isinstance(event, Message):
                await self._say_slow_down(event, scope, math.ceil(verdict.retry_in), data.get("lang", "ru"))
            return None
        return await handler(event, data)

    async def _say_slow_down(self, message: Message, scope: str, seconds: int, lang: Lang) -> None:
        key = "slow_down" if scope == "user" else "group_slow_down"
        try:
            await message.reply(text(key, lang, seconds=max(seconds, 1)))
        except TelegramAPIError as exc:
            log.warning("could not say 'slow down': %s", exc)
