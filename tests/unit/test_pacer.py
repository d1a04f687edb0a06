"""The request middleware on a real aiogram Bot (fake session): answers in question order, typing, the notice."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from aiogram import Bot
from aiogram.methods import SendChatAction, SendMessage
from aiogram.types import Chat, Message

from bot.metrics import Metrics
from bot.sending.budget import MemorySendBudget, SendLimits
from bot.sending.order import ChatOrder, KeepOrder, Question, current_question
from bot.sending.outbox import Outbox
from bot.sending.pacer import Pacer
from bot.sending.typing import ChatTyping
from tests.support.fake_session import FakeSession, fake_bot


def paced_bot(per_second: float, busy_notice_after: float = 0.0) -> tuple[Bot, FakeSession, Outbox, ChatOrder]:
    bot, session = fake_bot()
    outbox = Outbox(MemorySendBudget(SendLimits(per_second=per_second, chat_per_second=100)), metrics=Metrics())
    order = ChatOrder()
    session.middleware(Pacer(outbox, order, ChatTyping(), metrics=outbox.metrics, busy_notice_after=busy_notice_after))
    return bot, session, outbox, order


def question(message_id: int, chat_id: int = 7) -> Message:
    return Message(message_id=message_id, date=dt.datetime.now(dt.UTC), chat=Chat(id=chat_id, type="private"))


async def test_answers_go_out_in_the_order_of_their_questions_whichever_is_ready_first() -> None:
    bot, session, _, order = paced_bot(per_second=1000)
    keep_order = KeepOrder(order)

    async def answer(message: Message, after: float) -> None:
        async def handler(event: Any, data: dict[str, Any]) -> None:
            await asyncio.sleep(after)  # the answer takes this long to compute
            await bot.send_message(message.chat.id, f"answer to {message.message_id}")

        await keep_order(handler, message, {"lang": "en"})

    await asyncio.gather(answer(question(10), 0.1), answer(question(11), 0.05), answer(question(12), 0))
    assert [m.text for m in session.sent()] == ["answer to 10", "answer to 11", "answer to 12"]
    assert len(order) == 0


async def test_a_message_waiting_for_its_turn_shows_typing_until_it_is_sent() -> None:
    bot, session, _, _ = paced_bot(per_second=1)
    await asyncio.gather(*(bot.send_message(chat, "answer") for chat in (1, 2, 3)))
    await asyncio.sleep(0.1)
    paced = (SendMessage, SendChatAction)
    events = [(type(r).__name__, int(r.chat_id)) for r in session.requests if isinstance(r, paced)]
    assert ("SendChatAction", 1) not in events  # sent at once: no status
    for chat in (2, 3):  # waited a second or two: "typing" first, once, then the message
        assert [e for e in events if e[1] == chat] == [("SendChatAction", chat), ("SendMessage", chat)]


async def test_an_asker_facing_a_long_queue_is_told_at_once_that_the_answer_is_coming() -> None:
    bot, session, outbox, _ = paced_bot(per_second=10, busy_notice_after=0.5)
    others = [asyncio.create_task(bot.send_message(chat, "answer")) for chat in range(1, 13)]
    await asyncio.sleep(0.05)

    async def answer_question() -> None:
        current_question.set(Question(99, 5, None, "en", asyncio.get_running_loop().time()))
        await bot.send_message(99, "the answer")

    await asyncio.gather(answer_question(), *others)
    sent = session.sent()
    to_99 = [(n, m) for n, m in enumerate(sent) if m.chat_id == 99]
    (first, notice), (last, answer) = to_99
    assert notice.text.startswith("Many questions right now. Your answer is coming — in about")
    assert notice.reply_parameters is not None
    assert notice.reply_parameters.message_id == 5
    assert first <= 2  # ahead of the chats already waiting
    assert answer.text == "the answer"
    assert last == len(sent) - 1  # the answer itself waits its turn
    assert outbox.metrics.registry.get_sample_value("newsqa_busy_notices_total") == 1


async def test_no_notice_when_the_answer_itself_goes_out_at_once() -> None:
    bot, session, outbox, _ = paced_bot(per_second=1000, busy_notice_after=0.5)
    # The answer took long to compute, but nothing waits in the queue: the answer is the news.
    current_question.set(Question(99, 5, None, "en", asyncio.get_running_loop().time() - 2.0))
    await bot.send_message(99, "the answer")
    assert [m.text for m in session.sent()] == ["the answer"]
    assert outbox.metrics.registry.get_sample_value("newsqa_busy_notices_total") == 0
