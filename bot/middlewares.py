"""Middlewares: allowed chats, the reader's language, answers in flight, and resending after a 429."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, TelegramObject, Update, User

from bot.texts import lang_of_user

log = logging.getLogger(__name__)

# What an update/message middleware calls to go on.
NextHandler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LanguageMiddleware(BaseMiddleware):
    """Puts `lang` ("ru" or "en") into the handler data, from the user's Telegram language."""

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        data["lang"] = lang_of_user(user.language_code if user else None)
        return await handler(event, data)


class AllowedChats(BaseMiddleware):
    """With `ALLOWED_CHATS` set: leaves any other group or channel, and ignores its updates.

    Private chats and inline queries are not chats the bot was added to: they are always served.
    """

    def __init__(self, allowed: frozenset[int]) -> None:
        self.allowed = allowed

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if not self.allowed or chat is None or chat.type == "private" or chat.id in self.allowed:
            return await handler(event, data)
        log.warning("update=%s from chat %s (%s), not in ALLOWED_CHATS: leaving", update_id(data), chat.id, chat.type)
        bot: Bot = data["bot"]
        try:
            await bot.leave_chat(chat.id)
        except TelegramAPIError as exc:  # e.g. no longer a member
            log.info("could not leave chat %s: %s", chat.id, exc)
        return None


class InFlight(BaseMiddleware):
    """Counts updates being handled, so that a stop can wait for their answers."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    @property
    def count(self) -> int:
        """Updates being handled right now."""
        return self._count

    async def wait_idle(self, grace: float) -> bool:
        """Wait until no update is being handled; False when `grace` seconds ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            return False
        return True


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


def update_id(data: dict[str, Any]) -> int | None:
    """The id of the update being handled, for logs."""
    update = data.get("event_update")
    return update.update_id if isinstance(update, Update) else None
