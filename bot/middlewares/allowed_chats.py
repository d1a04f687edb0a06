"""`ALLOWED_CHATS`: the bot leaves any other group and ignores its updates."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, TelegramObject

from bot.middlewares.base import NextHandler, update_id

log = logging.getLogger(__name__)


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
