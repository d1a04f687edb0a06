"""Sending answers: typing while the pipeline works, then the reply split to Telegram's limit.

The last part of an answer carries its buttons (👍 / 👎, more passages); the
answer is remembered under a short id so that the buttons, a reply to it and
a "подробнее" can find it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.answering.conversation import Reading, Topic, read
from bot.answering.service import QAService
from bot.keyboards import answer_keyboard, more_button
from bot.metrics import Metrics
from bot.middlewares.observe import current_outcome
from bot.render import Block, answer_blocks, note_block, passages_blocks, to_messages
from bot.sending.typing import ChatTyping
from bot.state.journal import Journal
from bot.state.shown import Answers, ShownAnswer
from bot.texts import Lang, text

log = logging.getLogger(__name__)

TOPIC_NOTE_CHARS = 80


@dataclass(frozen=True)
class Services:
    """What answering needs besides the message: passed to handlers by the dispatcher."""

    qa: QAService
    registry: Answers
    journal: Journal
    metrics: Metrics
    more_page_size: int = 3
    more_max_passages: int = 12
    context_ttl: float = 300.0
    typing: ChatTyping = field(default_factory=ChatTyping)


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


def shorten(value: str, limit: int) -> str:
    """`value` cut to `limit` characters at a word boundary, with an ellipsis."""
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0] + "…"


async def answer_question(
    message: Message,
    bot: Bot,
    services: Services,
    reading: Reading,
    lang: Lang,
    *,
    reply: bool,
    answer_id: str | None = None,
) -> ShownAnswer:
    """Answer `reading.query` from the articles, showing "typing" meanwhile (not for remembered answers)."""
    qa = services.qa
    thread = message.message_thread_id if message.is_topic_message else None
    started = time.perf_counter()
    answer = qa.cached(reading.query)
    cached = answer is not None
    if answer is None:
        async with services.typing.pending(bot, message.chat.id, thread):
            answer = await qa.ask(reading.query)
    latency = time.perf_counter() - started
    latency_ms = latency * 1000
    outcome = current_outcome()
    outcome.found, outcome.cached, outcome.kind, outcome.answer_ms = answer.found, cached, reading.kind, latency_ms
    services.metrics.answers.labels(found=str(answer.found).lower()).inc()
    services.metrics.answer_latency.observe(latency)
    if cached:
        services.metrics.cache_hits.inc()
    await services.journal.record_question(message.chat.type, answer.found, latency_ms, cached)
    blocks = answer_blocks(answer, lang)
    if reading.kind == "follow_up" and reading.topic:
        blocks.insert(0, note_block(text("follow_up_note", lang, topic=shorten(reading.topic, TOPIC_NOTE_CHARS))))
    shown = ShownAnswer(
        id=answer_id or services.registry.new_id(),
        query=reading.query,
        topic=reading.topic or reading.query,
        found=answer.found,
        source_ids=tuple(c.article.id for c in answer.citations),
        chat_id=message.chat.id,
        chat_type=message.chat.type,
        lang=lang,
    )
    await services.registry.add(shown)  # before sending: a button can be pressed at once
    sent = await send_blocks(message, blocks, reply=reply, markup=answer_keyboard(shown.id, lang, more=answer.found))
    shown.message_ids.extend(part.message_id for part in sent)
    await services.registry.add(shown)
    return shown


async def send_more(message: Message, services: Services, shown: ShownAnswer, page: int, *, reply: bool) -> None:
    """Page `page` of the passages for an answer, with a button for the next page when there is one."""
    size = services.more_page_size
    passages = await services.qa.passages(shown.query, services.more_max_passages)
    chosen = passages[page * size : (page + 1) * size]
    blocks = passages_blocks(chosen, page * size + 1, len(passages), shown.lang)
    markup = None
    if chosen and (page + 1) * size < len(passages):
        markup = InlineKeyboardMarkup(inline_keyboard=[[more_button(shown.id, page + 1, shown.lang)]])
    sent = await send_blocks(message, blocks, reply=reply, markup=markup)
    for part in sent:
        await services.registry.attach_message(shown.id, part.chat.id, part.message_id)


async def converse(
    message: Message,
    bot: Bot,
    services: Services,
    state: FSMContext,
    question: str,
    lang: Lang,
    *,
    reply: bool,
    replied: ShownAnswer | None = None,
) -> None:
    """Answer `question` as part of the conversation kept in `state`.

    The topic is the conversation's last standalone question (or, for a
    reply to one of the bot's answers, that answer's topic). A question that
    reads as a follow-up and that the articles do not answer on its own is
    searched together with the topic; "more" pages through the last answer's
    passages.
    """
    data = await state.get_data()
    stored = Topic.from_data(data, services.context_ttl)
    topic = replied.topic if replied is not None else (stored.question if stored else None)
    reading = read(question, topic, names_subject=services.qa.names_subject(question))
    if reading.kind == "more":
        shown = replied or await services.registry.get(str(data.get("answer_id", "")))
        if shown is None:  # forgotten: page through the topic afresh
            shown = ShownAnswer(
                services.registry.new_id(),
                reading.query,
                reading.query,
                True,
                (),
                message.chat.id,
                message.chat.type,
                lang,
            )
        await state.set_data({**Topic(shown.topic, time.time()).as_data(), "answer_id": shown.id})
        page = shown.passages_shown // services.more_page_size
        shown.passages_shown = (page + 1) * services.more_page_size  # a quick second "more" gets the next page
        await services.registry.add(shown)
        await send_more(message, services, shown, page, reply=reply)
        return
    # The conversation moves on before the (slower) answer: a /new or a quick next question sees it.
    answer_id = services.registry.new_id()
    await state.set_data({**Topic(reading.topic or reading.query, time.time()).as_data(), "answer_id": answer_id})
    await answer_question(message, bot, services, reading, lang, reply=reply, answer_id=answer_id)
