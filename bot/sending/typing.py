"""The "typing…" status of a chat while the bot owes it answers: one per chat, not one per question."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.chat_action import ChatActionSender

log = logging.getLogger(__name__)


class _Typing(ChatActionSender):
    """aiogram's sender of the status, which stops quietly when the Bot API fails.

    aiogram's own lets the failure end its task, and nobody awaits that task:
    the error would be logged with a traceback when it is collected.
    """

    async def _worker(self) -> None:
        try:
            await super()._worker()
        except TelegramAPIError as exc:
            log.debug("chat %s: the typing status stopped: %s", self.chat_id, exc)


@dataclass
class _Pending:
    sender: ChatActionSender
    questions: int = field(default=1)


class ChatTyping:
    """Shows "typing" in a chat (or forum topic) while at least one of its questions is being answered.

    A busy group with twenty questions in flight gets one status request every
    five seconds rather than twenty: Telegram shows a single status per chat
    anyway, and under a burst every saved request is an answer sent sooner.
    """

    def __init__(self) -> None:
        self._chats: dict[tuple[int, int | None], _Pending] = {}

    def __len__(self) -> int:
        return len(self._chats)

    @contextlib.asynccontextmanager
    async def pending(self, bot: Bot, chat_id: int, thread_id: int | None = None) -> AsyncIterator[None]:
        """Keep the chat's status on for the duration of the block."""
        key = (chat_id, thread_id)
        entry = self._chats.get(key)
        if entry is None:
            # Registered (and counted) before the first await: a question that
            # arrives meanwhile joins this status instead of starting another.
            entry = self._chats[key] = _Pending(
                _Typing(bot=bot, chat_id=chat_id, message_thread_id=thread_id, action="typing")
            )
            await entry.sender.__aenter__()
        else:
            entry.questions += 1
        try:
            yield
        finally:
            entry.questions -= 1
            if entry.questions == 0:
                if self._chats.get(key) is entry:
                    del self._chats[key]
                await entry.sender.__aexit__(None, None, None)
