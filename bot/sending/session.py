"""The Bot API as the bot sees it: its failures named by code, and whether it answers right now.

aiogram raises `ClientDecodeError`, which is no `TelegramAPIError`, when the
server answers with something that is not JSON, as Telegram's front does
with an HTML "502 Bad Gateway" page; and it keeps no status code for a 5xx.
`BotApiSession` turns both into `BotApiServerError`, which says its code,
and a timeout into `BotApiTimeoutError`, so that the rest of the bot tells these
failures (worth sending again) from the ones that are not (400, 403, ...).
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    ClientDecodeError,
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

log = logging.getLogger(__name__)


class BotApiServerError(TelegramServerError):
    """A 5xx, or an answer that is not JSON (an HTML error page), with its HTTP status."""

    def __init__(self, method: TelegramMethod[TelegramType], message: str, status: int) -> None:
        super().__init__(method=method, message=message)
        self.status = status


class BotApiTimeoutError(TelegramNetworkError):
    """The Bot API did not answer within the session's timeout."""


class BotApiSession(AiohttpSession):
    """aiogram's session, whose failures say their HTTP status (see the module's docstring)."""

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """aiogram's check, with a 5xx or a page that is not JSON raised as `BotApiServerError`."""
        try:
            return super().check_response(bot=bot, method=method, status_code=status_code, content=content)
        except ClientDecodeError as exc:
            raise BotApiServerError(method, f"HTTP {status_code}: the answer is not JSON", status_code) from exc
        except TelegramServerError as exc:
            raise BotApiServerError(method, exc.message, status_code) from exc

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        """aiogram's request, with a timeout raised as `BotApiTimeoutError`."""
        try:
            return await super().make_request(bot, method, timeout)
        except TelegramNetworkError as exc:
            if isinstance(exc.__cause__, asyncio.TimeoutError):
                raise BotApiTimeoutError(method, "Request timeout error") from exc
            raise


_CODES: tuple[tuple[type[TelegramAPIError], str], ...] = (
    (TelegramRetryAfter, "429"),
    (TelegramEntityTooLarge, "413"),
    (TelegramBadRequest, "400"),
    (TelegramUnauthorizedError, "401"),
    (TelegramForbiddenError, "403"),
    (TelegramNotFound, "404"),
    (TelegramConflictError, "409"),
    (TelegramServerError, "5xx"),
    (BotApiTimeoutError, "timeout"),
    (TelegramNetworkError, "network"),
)


def error_code(exc: TelegramAPIError) -> str:
    """The HTTP status of a Bot API failure (`timeout`, `network` when there is none), for the metrics."""
    if isinstance(exc, BotApiServerError):
        return str(exc.status)
    return next((code for kind, code in _CODES if isinstance(exc, kind)), "other")


def unavailable(exc: BaseException) -> bool:
    """Whether a failure says the Bot API is not answering now (5xx, a page not JSON, the network, a timeout).

    Such a call may succeed later and is worth making again; a refusal (400,
    403, 429, 413, ...) is an answer and is not.
    """
    if isinstance(exc, TelegramEntityTooLarge):
        return False
    return isinstance(exc, TelegramServerError | TelegramNetworkError)


class ApiHealth:
    """Whether the Bot API answers: one WARNING when it starts failing, one INFO when it answers again."""

    def __init__(self) -> None:
        self.failing_since: float | None = None
        self.back = asyncio.Event()  # set each time the API answers again after failing

    @property
    def failing(self) -> bool:
        """Whether the last call failed as `unavailable`."""
        return self.failing_since is not None

    def ok(self) -> None:
        """A call was answered (an answer of any kind: even a refusal is the API answering)."""
        if self.failing_since is None:
            return
        log.info("the Bot API answers again, after %.1f s", time.monotonic() - self.failing_since)
        self.failing_since = None
        self.back.set()

    def failed(self, exc: TelegramAPIError) -> None:
        """A call failed; an `unavailable` failure marks the API failing."""
        if not unavailable(exc):
            self.ok()
            return
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            self.back.clear()
            log.warning(
                "the Bot API is failing (%s on %s): messages are sent again until it answers",
                error_code(exc), exc.method.__api_method__ if exc.method else "?",
            )  # fmt: skip
