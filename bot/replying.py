"""Sending answers: typing while the pipeline works, then the reply split to Telegram's limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from aiogram import Bot
from aiogram.types import Message
from aiogram.utils.chat_action import ChatActionSender

from bot.qa import QAService
from bot.render import Block, answer_blocks, to_messages
from bot.texts import Lang

log = logging.getLogger(__name__)


async def send_blocks(message: Message, blocks: Sequence[Block], *, reply: bool) -> None:
    """Send `blocks` to the chat of `message`; the first part replies to it when `reply`."""
    for number, html in enumerate(to_messages(blocks)):
        if reply and number == 0:
            await message.reply(html)
        else:
            await message.answer(html)


async def answer_question(message: Message, bot: Bot, qa: QAService, question: str, lang: Lang, *, reply: bool) -> None:
    """Answer `question` from the articles, showing "typing" meanwhile (not for remembered answers)."""
    thread = message.message_thread_id if message.is_topic_message else None
    started = time.perf_counter()
    answer = qa.cached(question)
    if answer is None:
        async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id, message_thread_id=thread):
            answer = await qa.ask(question)
    log.info(
        "answered chat_type=%s found=%s confidence=%.3f latency_ms=%.1f",
        message.chat.type,
        answer.found,
        answer.confidence,
        (time.perf_counter() - started) * 1000,
    )
    await send_blocks(message, answer_blocks(answer, lang), reply=reply)
