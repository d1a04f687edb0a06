"""The request middleware between the bot and Telegram: messages into chats wait in the outgoing queue.

Every message into a chat (a send, an edit) goes through the `Outbox`, in
its chat's line and within the send budget shared by the replicas; the
messages sent while a question is handled also keep the order of the
chat's questions. Two things keep a waiting asker informed: the typing
status while a message waits for its turn in a crowded queue (a slow
moment of the event loop is no reason for one), and, when the queue is long
and the chat has heard nothing for `busy_notice_after` seconds, one notice
that the answer is coming. Other calls (callback answers, chat actions,
getUpdates) are not queued; they are resent after a 429, bounded. Failed
calls are counted by method and error code, and every call tells the
`ApiHealth` whether the Bot API answered.
"""

from __future__ import annotations

import asyncio
import logging
import math
from functools import partial

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Message, ReplyParameters

from bot.metrics import Metrics
from bot.sending.budget import Target
from bot.sending.order import ChatOrder, Question, current_question
from bot.sending.outbox import Outbox
from bot.sending.retry import resend_after_429
from bot.sending.session import ApiHealth, error_code
from bot.sending.typing import ChatTyping
from bot.texts import text

log = logging.getLogger(__name__)

# Methods that put a message (or an edit of one) into a chat.
PACED_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument", "copyMessage",
     "forwardMessage"}
)  # fmt: skip
# The notice rounds its estimate up to this many seconds: it is an estimate.
NOTICE_ROUNDING_SECONDS = 5


def target_of(method: TelegramMethod[TelegramType]) -> Target | None:
    """Where a method puts its message, or None (an inline message edit names no chat)."""
    chat_id = getattr(method, "chat_id", None)
    if not isinstance(chat_id, int | str):
        return None
    thread_id = getattr(method, "message_thread_id", None)
    return Target(chat_id, thread_id if isinstance(thread_id, int) else None)


class Pacer(BaseRequestMiddleware):
    """Puts messages into chats through the outgoing queue; resends other calls after a 429."""

    def __init__(
        self,
        outbox: Outbox,
        order: ChatOrder,
        typing: ChatTyping,
        *,
        metrics: Metrics,
        api: ApiHealth | None = None,
        max_retries: int = 5,
        busy_notice_after: float = 10.0,
    ) -> None:
        self.outbox = outbox
        self.api = api or ApiHealth()
        self.order = order
        self.typing = typing
        self.metrics = metrics
        self.max_retries = max_retries
        self.busy_notice_after = busy_notice_after
        self._notices: set[asyncio.Task[Response[Message]]] = set()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__

        async def request() -> Response[TelegramType]:
            try:
                response = await make_request(bot, method)
            except TelegramAPIError as exc:
                self.metrics.telegram_errors.labels(method=name, code=error_code(exc)).inc()
                self.api.failed(exc)
                raise
            self.api.ok()
            return response

        target = target_of(method) if name in PACED_METHODS else None
        if target is None:
            return await resend_after_429(request, name=name, max_retries=self.max_retries)
        question = current_question.get()
        if question is not None and question.chat_id == target.chat_id:
            await self.order.wait_turn(question)
            self._tell_if_busy(make_request, bot, target, question)
        waiting = None
        if name == "sendMessage" and isinstance(target.chat_id, int) and self.outbox.crowded(target):
            waiting = partial(self.typing.pending, bot, target.chat_id, target.thread_id)
        ticket = self.outbox.enqueue(target)
        if question is not None and question.chat_id == target.chat_id:
            self.order.release(question)  # the chat's line keeps the order from here
        return await self.outbox.deliver(ticket, request, waiting)

    def _tell_if_busy(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, target: Target, question: Question
    ) -> None:
        """Queue the one "your answer is coming" notice, ahead of the other chats, when the wait will be long."""
        if self.busy_notice_after <= 0:
            return
        wait = self.outbox.expected_wait(target, quiet=self.busy_notice_after)
        if wait is None:
            return
        expected = asyncio.get_running_loop().time() - question.arrived + wait
        # Worth a message only when it comes well before the answer would.
        if expected < self.busy_notice_after or wait < self.busy_notice_after / 2:
            return
        seconds = NOTICE_ROUNDING_SECONDS * math.ceil(expected / NOTICE_ROUNDING_SECONDS)
        notice = SendMessage(
            chat_id=target.chat_id,
            text=text("busy", question.lang, seconds=seconds),
            message_thread_id=target.thread_id,
            reply_parameters=ReplyParameters(message_id=question.message_id, allow_sending_without_reply=True),
        )
        # The session's own request function sends any method; only its annotation is bound to this call's.
        send_notice: NextRequestMiddlewareType[Message] = make_request  # type: ignore[assignment]

        async def request() -> Response[Message]:
            try:
                response = await send_notice(bot, notice)
            except TelegramAPIError as exc:
                self.metrics.telegram_errors.labels(method="sendMessage", code=error_code(exc)).inc()
                self.api.failed(exc)
                raise
            self.api.ok()
            return response

        ticket = self.outbox.enqueue(target, urgent=True)
        task = asyncio.create_task(self.outbox.deliver(ticket, request))
        self._notices.add(task)
        task.add_done_callback(self._notice_done)
        self.metrics.busy_notices.inc()
        log.info("chat %s: the answer waits about %d s in the queue; telling the asker", target.chat_id, seconds)

    def _notice_done(self, task: asyncio.Task[Response[Message]]) -> None:
        self._notices.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not send the 'answer is coming' notice: %s", task.exception())
