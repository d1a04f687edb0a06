"""An answer edited in place when it needs more messages, fewer, or the same: the real Bot over HTTP, no model."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import create_bot
from bot.config import Settings
from bot.handlers.replies import digest, show_in_place
from tests.support.botapi_buttons import buttons
from tests.support.botapi_manners import NOT_MODIFIED
from tests.support.botapi_stub import TOKEN, BotAPIStub

CHAT = -100600
QUESTION_ID = 900


def keyboard(label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=f"a:up:{label}:0")]])


@pytest.fixture
async def bot(stub: BotAPIStub) -> AsyncIterator[Bot]:
    made = create_bot(Settings(_env_file=None, bot_token=TOKEN, telegram_api_url=stub.url))
    yield made
    await made.session.close()


def question(bot: Bot) -> Message:
    """The group question the answer replies to."""
    message = {
        "message_id": QUESTION_ID,
        "date": int(time.time()),
        "chat": {"id": CHAT, "type": "supergroup", "title": "Test group"},
        "from": {"id": 5, "is_bot": False, "first_name": "U"},
        "text": "@NewsQaTestBot вопрос",
    }
    return Message.model_validate(message).as_(bot)


async def answer_in(bot: Bot, *htmls: str) -> list[int]:
    """Send an answer of `htmls`, the last part with the old buttons; the ids of its parts."""
    ids = []
    for number, html in enumerate(htmls):
        markup = keyboard("old") if number == len(htmls) - 1 else None
        ids.append((await bot.send_message(CHAT, html, reply_markup=markup)).message_id)
    return ids


async def test_a_longer_answer_edits_the_old_part_and_sends_the_rest_as_replies(stub: BotAPIStub, bot: Bot) -> None:
    (old,) = await answer_in(bot, "<b>old</b>")
    htmls = ["<i>one</i>", "two", "three"]
    ids = await show_in_place(question(bot), bot, [old], [digest("<b>old</b>")], htmls, markup=keyboard("new"))
    assert ids[0] == old
    first, second, third = (next(s for s in stub.sent if s.message_id == i) for i in ids)
    assert (first.text, buttons(first)) == ("one", [])  # the buttons move to the last part
    assert second.text == "two"
    assert second.reply_to == third.reply_to == QUESTION_ID
    assert [t for t, _ in buttons(third)] == ["new"]
    assert stub.rejected == []


async def test_a_shorter_answer_deletes_the_parts_left_over(stub: BotAPIStub, bot: Bot) -> None:
    old = await answer_in(bot, "one", "two", "three")
    ids = await show_in_place(question(bot), bot, old, [], ["only"], markup=keyboard("new"))
    assert ids == old[:1]
    (only,) = (s for s in stub.sent if s.message_id == old[0])
    assert only.text == "only"
    assert [t for t, _ in buttons(only)] == ["new"]
    assert stub.deleted == [(CHAT, old[1]), (CHAT, old[2])]
    assert len(stub.sent) == 3
    assert stub.rejected == []


async def test_parts_that_read_the_same_are_not_touched(stub: BotAPIStub, bot: Bot) -> None:
    old = await answer_in(bot, "same", "old end")
    digests = [digest("same"), digest("old end")]
    ids = await show_in_place(question(bot), bot, old, digests, ["same", "new end"], markup=keyboard("new"))
    assert ids == old
    assert stub.text_edits == [(CHAT, old[1], "new end")]
    assert stub.rejected == []


async def test_the_old_last_part_loses_its_buttons_even_when_its_text_stays(stub: BotAPIStub, bot: Bot) -> None:
    old = await answer_in(bot, "one", "two")
    digests = [digest("one"), digest("two")]
    ids = await show_in_place(question(bot), bot, old, digests, ["one", "two", "three"], markup=keyboard("new"))
    assert ids[:2] == old
    assert stub.text_edits == [(CHAT, old[1], "two")]  # the same text, without the old buttons
    assert buttons(stub.sent[1]) == []
    assert [t for t, _ in buttons(stub.sent[2])] == ["new"]
    assert stub.rejected == []


async def test_an_identical_edit_is_no_error(stub: BotAPIStub, bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    """Telegram refuses an edit that changes nothing; the answer already reads so, which is all that was asked."""
    (old,) = await answer_in(bot, "<b>same</b>")
    with caplog.at_level(logging.INFO):
        ids = await show_in_place(question(bot), bot, [old], [], ["<b>same</b>"], markup=keyboard("old"))
    assert ids == [old]
    assert stub.rejected == [("editMessageText", NOT_MODIFIED)]
    assert len(stub.sent) == 1
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_a_part_deleted_meanwhile_is_sent_anew(stub: BotAPIStub, bot: Bot) -> None:
    old = await answer_in(bot, "one", "two")
    await bot.delete_message(CHAT, old[1])
    ids = await show_in_place(question(bot), bot, old, [], ["uno", "dos"], markup=keyboard("new"))
    assert ids[0] == old[0]
    assert ids[1] not in old
    assert stub.sent[-1].text == "dos"
    assert stub.sent[-1].reply_to == QUESTION_ID
    assert stub.rejected == [("editMessageText", "message to edit not found")]
