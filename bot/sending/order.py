"""Answers in the order of their questions, chat by chat.

Answers are computed concurrently, and a cached answer is ready long
before a fresh one: without an order, a user who asks two questions can
get the second answer first. Each incoming message takes a place in its
chat's order, by message id (Telegram numbers a chat's messages in
sequence). A reply to it waits until every earlier message of the chat
has queued its first reply (or was handled without one); from then on the
chat's line in the outgoing queue keeps the order. A handler that runs on
after its first reply (a /reindex) does not hold the chat up. The order is
per process: replicas behind a webhook order the messages each handles.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

from bot.middlewares.base import NextHandler
from bot.texts import Lang

log = logging.getLogger(__name__)

# Safety valve: a message that has not replied for this long no longer holds back the chat's later replies.
ORDER_WAIT_LIMIT_SECONDS = 60.0


@dataclass(frozen=True)
class Question:
    """The message being handled: where it came from, who asked, when it arrived (event loop time)."""

    chat_id: int
    message_id: int
    thread_id: int | None
    lang: Lang
    arrived: float


# The message the current task is handling; the sender reads it to keep the order and to address notices.
current_question: ContextVar[Question | None] = ContextVar("current_question", default=None)


class ChatOrder:
    """The messages of each chat being handled, by message id; each one's turn comes when the earlier replied."""

    def __init__(self) -> None:
        self._ids: dict[int, list[int]] = {}
        self._turns: dict[tuple[int, int], asyncio.Future[None]] = {}

    def __len__(self) -> int:
        return len(self._turns)

    @contextlib.contextmanager
    def holding(self, question: Question) -> Iterator[None]:
        """Hold the question's place in its chat's order for the duration of the block."""
        chat, key = question.chat_id, (question.chat_id, question.message_id)
        if key in self._turns:  # the same message delivered again while the first is handled
            yield
            return
        ids = self._ids.setdefault(chat, [])
        bisect.insort(ids, question.message_id)
        self._turns[key] = turn = asyncio.get_running_loop().create_future()
        if ids[0] == question.message_id:
            turn.set_result(None)
        try:
            yield
        finally:
            self.release(question)

    def release(self, question: Question) -> None:
        """The question's first reply is queued (or it is handled): the chat's next message may reply."""
        chat, key = question.chat_id, (question.chat_id, question.message_id)
        if self._turns.pop(key, None) is None:
            return
        ids = self._ids[chat]
        ids.remove(question.message_id)
        if ids:
            first = self._turns[(chat, ids[0])]
            if not first.done():
                first.set_result(None)
        else:
            del self._ids[chat]

    async def wait_turn(self, question: Question) -> None:
        """Wait until every earlier message of the chat has queued its reply (at most the safety valve's time)."""
        turn = self._turns.get((question.chat_id, question.message_id))
        if turn is None or turn.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(turn), ORDER_WAIT_LIMIT_SECONDS)
        except TimeoutError:
            log.warning("chat %s: an earlier message has not replied yet; replying anyway", question.chat_id)


class KeepOrder(BaseMiddleware):
    """An outer middleware for messages: each one holds its place in its chat's order while it is handled."""

    def __init__(self, order: ChatOrder) -> None:
        self.order = order

    async def __call__(self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message):
            return await handler(event, data)
        question = Question(
            chat_id=event.chat.id,
            message_id=event.message_id,
            thread_id=event.message_thread_id if event.is_topic_message else None,
            lang=data.get("lang", "ru"),
            arrived=asyncio.get_running_loop().time(),
        )
        with self.order.holding(question):
            token = current_question.set(question)
            try:
                return await handler(event, data)
            finally:
                current_question.reset(token)
