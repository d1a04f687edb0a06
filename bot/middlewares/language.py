"""The reader's language, from their Telegram settings, for every handler."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.middlewares.base import NextHandler
from bot.texts import lang_of_user


class LanguageMiddleware(BaseMiddleware):
    """Puts `lang` ("ru", "en" or "kk") into the handler data, from the user's Telegram language."""

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        data["lang"] = lang_of_user(user.language_code if user else None)
        return await handler(event, data)
