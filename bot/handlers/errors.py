"""The last resort: log the failure (never the token) and apologise to the user."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from bot.texts import lang_of_user, text

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The error handler's router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.error.register(on_error)
    return router


async def on_error(event: ErrorEvent, bot: Bot) -> None:
    """Log with the update id; reply with a one-line apology where there is a chat."""
    log.error(
        "update %s failed: %s: %s",
        event.update.update_id,
        type(event.exception).__name__,
        event.exception,
        exc_info=event.exception,
    )
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
        log.warning("could not apologise for update %s: %s", event.update.update_id, exc)
