"""Telegram replies: the conversation around a question, the answer with its buttons, pages of passages.

The last part of an answer carries its buttons (👍 / 👎, more passages); the
answer is remembered under a short id so that the buttons, a reply to it and
a "подробнее" can find it again. The answering itself is the service's
(`bot/answering/service.py`); this module turns what it returns into messages.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.answering.conversation import Plan, Topic
from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.handlers.context import context_button
from bot.keyboards import answer_keyboard, more_button
from bot.render import Block, passages_blocks, reply_blocks, to_messages
from bot.sending.typing import ChatTyping
from bot.state.shown import Answers, ShownAnswer
from bot.texts import Lang
from embeddings.answer.record import Answer


async def send_blocks(
    message: Message, blocks: Sequence[Block], *, reply: bool, markup: InlineKeyboardMarkup | None = None
) -> list[Message]:
    """Send `blocks` to the chat of `message`; the first part replies to it when `reply`, the last has `markup`."""
    parts = to_messages(blocks)
    sent: list[Message] = []
    for number, html in enumerate(parts):
        keyboard = markup if number == len(parts) - 1 else None
        if reply and number == 0:
            sent.append(await message.reply(html, reply_markup=keyboard))
        else:
            sent.append(await message.answer(html, reply_markup=keyboard))
    return sent


async def send_answer(
    message: Message,
    planned: Plan,
    answer: Answer,
    registry: Answers,
    lang: Lang,
    *,
    answer_id: str,
    context: str | None = None,
) -> ShownAnswer:
    """Send an answer as a reply to `message`, with its buttons, and remember it under `answer_id`.

    `context` is the `callback_data` of its "Context" button, when it quotes.
    """
    shown = ShownAnswer(
        id=answer_id,
        query=planned.query,
        topic=planned.topic or planned.query,
        found=answer.found,
        source_ids=tuple(c.article.id for c in answer.citations),
        chat_id=message.chat.id,
        chat_type=message.chat.type,
        lang=lang,
        context=context,
    )
    await registry.add(shown)  # before sending: a button can be pressed at once
    markup = answer_keyboard(shown.id, lang, more=answer.found, context=context)
    sent = await send_blocks(message, reply_blocks(planned, answer, lang), reply=True, markup=markup)
    shown.message_ids.extend(part.message_id for part in sent)
    await registry.add(shown)
    return shown


async def send_more(
    message: Message,
    answering: AnsweringService,
    registry: Answers,
    settings: Settings,
    shown: ShownAnswer,
    page: int,
    *,
    reply: bool,
) -> None:
    """Page `page` of the passages for an answer, with a button for the next page when there is one."""
    size = settings.more_page_size
    passages = await answering.passages(shown.query, settings.more_max_passages)
    chosen = passages[page * size : (page + 1) * size]
    blocks = passages_blocks(chosen, page * size + 1, len(passages), shown.lang)
    markup = None
    if chosen and (page + 1) * size < len(passages):
        markup = InlineKeyboardMarkup(inline_keyboard=[[more_button(shown.id, page + 1, shown.lang)]])
    sent = await send_blocks(message, blocks, reply=reply, markup=markup)
    for part in sent:
        await registry.attach_message(shown.id, part.chat.id, part.message_id)


async def converse(
    message: Message,
    bot: Bot,
    answering: AnsweringService,
    registry: Answers,
    typing: ChatTyping,
    settings: Settings,
    state: FSMContext,
    question: str,
    lang: Lang,
    *,
    replied: ShownAnswer | None = None,
) -> Reply:
    """Answer `question` as part of the conversation kept in `state`.

    The topic is the conversation's last standalone question (or, for a
    reply to one of the bot's answers, that answer's topic); "more" pages
    through the last answer's passages.
    """
    data = await state.get_data()
    stored = Topic.from_data(data, settings.context_ttl_seconds)
    topic = replied.topic if replied is not None else (stored.question if stored else None)
    planned = answering.plan(question, topic)
    if planned.kind == "more":
        shown = replied or await registry.get(str(data.get("answer_id", "")))
        if shown is None:  # forgotten: page through the topic afresh
            shown = ShownAnswer(
                id=registry.new_id(),
                query=planned.query,
                topic=planned.query,
                found=True,
                source_ids=(),
                chat_id=message.chat.id,
                chat_type=message.chat.type,
                lang=lang,
            )
        await state.set_data({**Topic(shown.topic, time.time()).as_data(), "answer_id": shown.id})
        page = shown.passages_shown // settings.more_page_size
        shown.passages_shown = (page + 1) * settings.more_page_size  # a quick second "more" gets the next page
        await registry.add(shown)
        await send_more(message, answering, registry, settings, shown, page, reply=True)
        return Reply(planned, None)
    # The conversation moves on before the (slower) answer: a /new or a quick next question sees it.
    answer_id = registry.new_id()
    await state.set_data({**Topic(planned.topic or planned.query, time.time()).as_data(), "answer_id": answer_id})
    thread = message.message_thread_id if message.is_topic_message else None
    done = await answering.answer_planned(
        planned, chat_type=message.chat.type, waiting=lambda: typing.pending(bot, message.chat.id, thread)
    )
    assert done.answer is not None
    context = context_button(answering, done.answer)
    await send_answer(message, planned, done.answer, registry, lang, answer_id=answer_id, context=context)
    return done
