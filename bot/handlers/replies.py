"""Telegram replies: the conversation around a question, the answer with its buttons, pages of passages.

The last part of an answer carries its buttons (👍 / 👎, more passages); the
answer is remembered under a short id so that the buttons, a reply to it, a
"подробнее" and an edit of its question can find it again. The answering
itself is the service's (`bot/answering/service.py`); this module turns what
it returns into messages, new or edited in place.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.answering.conversation import Plan, Topic
from bot.answering.service import AnsweringService, Reply
from bot.config import Settings
from bot.handlers.context import context_button
from bot.keyboards import answer_keyboard, more_button
from bot.reader import small_talk_blocks
from bot.render import Block, passages_blocks, reply_blocks, to_messages
from bot.sending.typing import ChatTyping
from bot.state.shown import Answers, ShownAnswer
from bot.texts import Lang
from embeddings.answer.record import Answer

log = logging.getLogger(__name__)


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


def _shown(
    message: Message,
    planned: Plan,
    answer: Answer,
    lang: Lang,
    *,
    answer_id: str,
    question: str,
    context: str | None,
    context_button: str | None,
) -> ShownAnswer:
    """What is remembered about the answer to `question` in `message`, read against `context`."""
    return ShownAnswer(
        id=answer_id,
        query=planned.query,
        topic=planned.next_topic,
        found=answer.found,
        source_ids=tuple(c.article.id for c in answer.citations),
        chat_id=message.chat.id,
        chat_type=message.chat.type,
        lang=lang,
        question=question,
        context=context,
        question_id=message.message_id,
        context_button=context_button,
    )


def digest(html: str) -> str:
    """A short fingerprint of a message's HTML: an edit leaves the parts that already read so alone."""
    return hashlib.sha1(html.encode()).hexdigest()[:12]  # a fingerprint, not a secret


async def send_answer(
    message: Message,
    planned: Plan,
    answer: Answer,
    registry: Answers,
    lang: Lang,
    *,
    answer_id: str,
    question: str,
    context: str | None,
    context_button: str | None,
) -> ShownAnswer:
    """Send the answer to `question` as a reply to `message`, with its buttons; remember it under `answer_id`.

    `context` is the topic the question was read against: an edit of the
    question is read against the same one. `context_button` is the
    `callback_data` of its "Context" button, when it quotes.
    """
    shown = _shown(
        message,
        planned,
        answer,
        lang,
        answer_id=answer_id,
        question=question,
        context=context,
        context_button=context_button,
    )
    await registry.add(shown)  # before sending: a button can be pressed at once
    markup = answer_keyboard(shown.id, lang, more=answer.found, context=context_button)
    blocks = reply_blocks(planned, answer, lang)
    sent = await send_blocks(message, blocks, reply=True, markup=markup)
    shown.message_ids.extend(part.message_id for part in sent)
    shown.parts.extend(part.message_id for part in sent)
    shown.part_digests.extend(digest(html) for html in to_messages(blocks))
    await registry.add(shown)
    return shown


async def edit_answer(
    message: Message,
    bot: Bot,
    planned: Plan,
    answer: Answer,
    registry: Answers,
    lang: Lang,
    *,
    old: ShownAnswer,
    question: str,
    context_button: str | None,
) -> ShownAnswer:
    """Show the answer to the edited `question` of `message` in the messages of `old`, its earlier answer.

    The new answer has an id of its own, so votes on the earlier one never
    count for it; the earlier one keeps only its pages of passages, and a
    reply to one of its former messages now continues the new answer.
    """
    shown = _shown(
        message,
        planned,
        answer,
        lang,
        answer_id=registry.new_id(),
        question=question,
        context=old.context,
        context_button=context_button,
    )
    parts, digests = list(old.parts), list(old.part_digests)
    old.message_ids = [m for m in old.message_ids if m not in parts]
    old.parts, old.part_digests, old.question_id = [], [], None
    await registry.add(old)
    await registry.add(shown)  # before editing: a button can be pressed at once
    markup = answer_keyboard(shown.id, lang, more=answer.found, context=context_button)
    htmls = to_messages(reply_blocks(planned, answer, lang))
    shown.parts = await show_in_place(message, bot, parts, digests, htmls, markup=markup)
    shown.part_digests = [digest(html) for html in htmls]
    shown.message_ids = list(shown.parts)
    await registry.add(shown)
    return shown


async def show_in_place(
    message: Message,
    bot: Bot,
    part_ids: Sequence[int],
    part_digests: Sequence[str],
    htmls: Sequence[str],
    *,
    markup: InlineKeyboardMarkup | None,
) -> list[int]:
    """Show `htmls` in the bot's messages `part_ids` (in the chat of `message`), edited in place, first to last.

    The last message carries `markup`. When more messages are needed than
    before, the rest are sent as replies to `message`; when fewer, the ones
    left over are deleted, so nothing of the earlier text stays under the
    question. A part that already reads so (by `part_digests`, the
    fingerprints of the old parts) is not touched. Returns the ids of the
    messages that now show `htmls`.
    """
    chat_id = message.chat.id
    shown_in: list[int] = []
    for number, html in enumerate(htmls):
        last = number == len(htmls) - 1
        keyboard = markup if last else None
        if number < len(part_ids):
            # Only the old last part had buttons; any other that reads the same needs no edit.
            had_buttons = number == len(part_ids) - 1
            unchanged = not last and not had_buttons and part_digests[number : number + 1] == [digest(html)]
            if unchanged or await _edit(bot, chat_id, part_ids[number], html, keyboard):
                shown_in.append(part_ids[number])
                continue
        sent = await message.reply(html, reply_markup=keyboard)
        shown_in.append(sent.message_id)
    for left_over in part_ids[len(htmls) :]:
        await _delete(bot, chat_id, left_over)
    return shown_in


async def _edit(bot: Bot, chat_id: int, message_id: int, html: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Edit one of the bot's messages to read `html`; False when it is gone and must be sent anew."""
    try:
        await bot.edit_message_text(text=html, chat_id=chat_id, message_id=message_id, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "message is not modified" in exc.message:
            return True  # it already reads so: nothing to do
        log.warning("could not edit message %s of chat %s, sending it anew: %s", message_id, chat_id, exc.message)
        return False
    return True


async def _delete(bot: Bot, chat_id: int, message_id: int) -> None:
    """Delete a message of the bot that an edited answer no longer needs."""
    try:
        await bot.delete_message(chat_id=chat_id, message_id=message_id)
    except TelegramBadRequest as exc:  # already deleted, or too old to delete
        log.warning("could not delete message %s of chat %s: %s", message_id, chat_id, exc.message)


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
) -> Reply:
    """Answer `question` as part of the conversation kept in `state`.

    The topic is the conversation's last standalone question (or, for a
    reply to one of the bot's answers, that answer's topic, whoever asked
    it); "more" pages through the last answer's passages.
    """
    replied = None
    if message.reply_to_message is not None:
        replied = await registry.by_message(message.chat.id, message.reply_to_message.message_id)
    data = await state.get_data()
    stored = Topic.from_data(data, settings.context_ttl_seconds)
    topic = replied.topic if replied is not None else (stored.question if stored else None)
    planned = answering.plan(question, topic)
    if planned.kind == "small_talk":
        assert planned.small_talk is not None
        await send_blocks(message, small_talk_blocks(planned.small_talk, answering.story, lang), reply=True)
        return Reply(planned, None)  # the conversation stays where it was
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
    await state.set_data({**Topic(planned.next_topic, time.time()).as_data(), "answer_id": answer_id})
    thread = message.message_thread_id if message.is_topic_message else None
    done = await answering.answer_planned(
        planned, chat_type=message.chat.type, waiting=lambda: typing.pending(bot, message.chat.id, thread)
    )
    assert done.answer is not None
    await send_answer(
        message,
        planned,
        done.answer,
        registry,
        lang,
        answer_id=answer_id,
        question=question,
        context=topic,
        context_button=context_button(answering, done.answer),
    )
    return done
