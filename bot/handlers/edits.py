"""Edited questions: the answer is edited in place to answer the new text.

A reader who fixes a question they already sent, in a private chat or in a
group message that addresses the bot, gets the answer under it rewritten:
its text, its sources and its buttons, in the same messages. The edited
question is answered through the answering service like any question, so the
journal and the metrics count it. Left alone: an edit made more than
`EDIT_WINDOW_SECONDS` after the question was sent, an edit of a question
whose answer the bot no longer remembers (or never gave), an edit that
leaves the question as it was once cleaned, and an edit into "подробнее".
"""

from __future__ import annotations

import logging
import time

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.answering.conversation import Plan, Topic
from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.filters import AddressedToBot, FromPerson, InChat, PrivateQuestion
from bot.handlers.context import context_button
from bot.handlers.replies import edit_answer
from bot.state.shown import Answers, ShownAnswer
from bot.texts import Lang
from embeddings.pipeline import clean_question
from embeddings.text import normalise

log = logging.getLogger(__name__)


def create_router() -> Router:
    """The edited questions' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.edited_message.filter(FromPerson())
    router.edited_message.register(edited_question, InChat("private"), PrivateQuestion())
    router.edited_message.register(edited_question, InChat("group", "supergroup"), AddressedToBot())
    return router


def edit_age(message: Message) -> float:
    """Seconds between sending `message` and its edit, by Telegram's clock."""
    edited_at = message.edit_date if message.edit_date is not None else time.time()
    return edited_at - message.date.timestamp()


def same_question(before: str, after: str) -> bool:
    """Whether two texts are one question once cleaned: case, spacing and punctuation aside."""
    return normalise(clean_question(before)[0]) == normalise(clean_question(after)[0])


async def edited_question(
    message: Message,
    bot: Bot,
    answering: AnsweringService,
    registry: Answers,
    settings: Settings,
    state: FSMContext,
    lang: Lang,
    question: str,
) -> Reply | None:
    """Answer the edited text again and edit the earlier answer in place; or leave it, saying nothing."""
    if not question.strip():
        return None
    age = edit_age(message)
    if age > settings.edit_window_seconds:
        log.info("edit of message %s made %.0f s after it was sent: left alone", message.message_id, age)
        return None
    old = await registry.by_question(message.chat.id, message.message_id)
    if old is None or not old.parts:
        log.info("edit of message %s: no answer to it is remembered", message.message_id)
        return None
    if same_question(old.question, question):
        return None
    planned = answering.plan(question, old.context)
    if planned.kind in ("more", "small_talk"):
        return None  # an answer is not turned into a page of passages or a greeting
    done = await answering.answer_planned(planned, chat_type=message.chat.type)
    assert done.answer is not None
    button = context_button(answering, done.answer)
    shown = await edit_answer(
        message, bot, planned, done.answer, registry, lang, old=old, question=question, context_button=button
    )
    await _move_conversation(state, old, shown, planned)
    return done


async def _move_conversation(state: FSMContext, old: ShownAnswer, new: ShownAnswer, planned: Plan) -> None:
    """When the edited question was the conversation's last, its topic is now the new text's."""
    data = await state.get_data()
    if data.get("answer_id") != old.id:
        return  # the conversation has moved on since: a follow-up there still reads the later question
    topic = Topic(planned.next_topic, time.time())
    await state.set_data({**data, **topic.as_data(), "answer_id": new.id})
