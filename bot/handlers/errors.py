"""The last resort: log the failure (never the token) and apologise to the user.

A failure the bot expects (the Bot API refused or did not answer, Redis
failed) is one log line; anything else is logged with its traceback. When
the Bot API did not take the answer within `SEND_RETRY_SECONDS`, there is
no apology (it would not get through either): the update is kept in the
inbox, to be answered when the API is back (`bot/delivery.py`).
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from redis.exceptions import RedisError

from bot.delivery import Delivery
from bot.sending.session import unavailable
from bot.texts import lang_of_user, text

log = logging.getLogger(__name__)

EXPECTED = (TelegramAPIError, RedisError, ConnectionError, TimeoutError)


def create_router() -> Router:
    """The error handler's router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.error.register(on_error)
    return router


async def on_error(event: ErrorEvent, bot: Bot, delivery: Delivery | None = None) -> None:
    """Log with the update id; keep the update when its answer could not be sent, else apologise in its chat."""
    exc, update_id = event.exception, event.update.update_id
    if unavailable(exc):
        if delivery is not None:
            delivery.kept = True
        log.warning("update %s: the Bot API did not take its answer (%s); kept for when it is back", update_id, exc)
        return
    expected = isinstance(exc, EXPECTED)
    log.error("update %s failed: %s: %s", update_id, type(exc).__name__, exc, exc_info=None if expected else exc)
    message = event.update.message or event.update.edited_message
    if message is None:
        return
    lang = lang_of_user(message.from_user.language_code if message.from_user else None)
    try:
        await bot.send_message(
            message.chat.id,
            text("error", lang),
            message_thread_id=message.message_thread_id if message.is_topic_message else None,
        )
    except TelegramAPIError as exc:
        log.warning("could not apologise for update %s: %s", update_id, exc)
