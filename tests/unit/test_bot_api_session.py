"""The Bot API session against the stand-in failing as Telegram's front does: every failure says its code."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendMessage

from bot.sending.session import ApiHealth, BotApiServerError, BotApiSession, error_code, unavailable
from bot.sending.typing import ChatTyping
from tests.support.botapi_stub import TOKEN, BotAPIStub


def real_bot(stub: BotAPIStub) -> Bot:
    return Bot(TOKEN, session=BotApiSession(api=TelegramAPIServer.from_base(stub.url)))


async def test_a_500_and_an_html_502_are_server_errors_with_their_codes(stub: BotAPIStub) -> None:
    bot = real_bot(stub)
    stub.fail_for(60)
    codes = []
    for _ in range(2):
        with pytest.raises(BotApiServerError) as failure:
            await bot.send_message(1, "hello")
        assert unavailable(failure.value)
        codes.append(error_code(failure.value))
    assert codes == ["500", "502"]
    stub.fail_for(0)
    with pytest.raises(TelegramBadRequest) as refused:
        await bot.send_message(1, "")  # a refusal is an answer: not worth sending again
    assert not unavailable(refused.value)
    assert error_code(refused.value) == "400"
    await bot.session.close()


async def test_the_typing_status_stops_quietly_when_the_bot_api_fails(
    stub: BotAPIStub, caplog: pytest.LogCaptureFixture
) -> None:
    bot = real_bot(stub)
    stub.fail_for(60)
    async with ChatTyping().pending(bot, 1):
        await stub.wait_for(lambda: stub.failed_calls != [])
        await asyncio.sleep(0.05)
    assert stub.failed_calls == [("sendChatAction", 500)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    await bot.session.close()


def test_the_api_health_says_once_that_it_fails_and_once_that_it_is_back(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    health = ApiHealth()
    failure = BotApiServerError(SendMessage(chat_id=1, text="x"), "Bad Gateway", 502)
    for _ in range(3):
        health.failed(failure)
    assert health.failing
    assert not health.back.is_set()
    health.ok()
    health.ok()
    assert not health.failing
    assert health.back.is_set()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "the Bot API is failing (502 on sendMessage): messages are sent again until it answers",
        lines[1],
    ]
    assert lines[1].startswith("the Bot API answers again, after")
