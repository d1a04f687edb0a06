"""A fake aiogram session: records the requests the bot makes and answers them in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User

from tests.support.botapi_stub import BOT_USER, TOKEN


class FakeSession(BaseSession):
    """Answers every method without a network: sendMessage echoes a Message, others True."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self._next_id = 1

    async def close(self) -> None:
        """Nothing to close."""

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None) -> Any:
        self.requests.append(method)
        if isinstance(method, GetMe):
            return User(**BOT_USER)
        if isinstance(method, SendMessage):
            self._next_id += 1
            chat_id = int(method.chat_id)
            return Message(
                message_id=self._next_id,
                date=dt.datetime.now(dt.UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                text=method.text,
            )
        return True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - no files here
        yield b""

    def sent(self) -> list[SendMessage]:
        """The sendMessage requests, in order."""
        return [r for r in self.requests if isinstance(r, SendMessage)]


def fake_bot() -> tuple[Bot, FakeSession]:
    """A Bot whose requests never leave the process."""
    session = FakeSession()
    from aiogram.client.default import DefaultBotProperties
    from aiogram.enums import ParseMode

    bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    return bot, session
