"""One "typing" status per chat, however many of its questions are being answered."""

from __future__ import annotations

import asyncio

from aiogram.methods import SendChatAction

from bot.sending.typing import ChatTyping
from tests.support.fake_session import FakeSession, fake_bot


def actions(session: FakeSession) -> list[tuple[int, int | None]]:
    return [(int(r.chat_id), r.message_thread_id) for r in session.requests if isinstance(r, SendChatAction)]


async def test_questions_in_flight_in_one_chat_share_one_status() -> None:
    bot, session = fake_bot()
    typing = ChatTyping()
    release = asyncio.Event()

    async def question(chat_id: int, thread_id: int | None = None) -> None:
        async with typing.pending(bot, chat_id, thread_id):
            await release.wait()

    tasks = [asyncio.create_task(question(-100)) for _ in range(5)]
    tasks += [asyncio.create_task(question(7)), asyncio.create_task(question(-100, 42))]
    await asyncio.sleep(0.05)
    assert len(typing) == 3
    assert sorted(actions(session), key=str) == sorted([(-100, None), (7, None), (-100, 42)], key=str)
    release.set()
    await asyncio.gather(*tasks)
    assert len(typing) == 0


async def test_the_status_lasts_until_the_last_question_of_the_chat_is_answered() -> None:
    bot, session = fake_bot()
    typing = ChatTyping()
    first_done, second_done = asyncio.Event(), asyncio.Event()

    async def question(done: asyncio.Event) -> None:
        async with typing.pending(bot, 7):
            await done.wait()

    first, second = asyncio.create_task(question(first_done)), asyncio.create_task(question(second_done))
    await asyncio.sleep(0.02)
    first_done.set()
    await first
    assert len(typing) == 1  # the second question still keeps it on
    second_done.set()
    await second
    assert len(typing) == 0
    async with typing.pending(bot, 7):  # a later question starts a new status
        await asyncio.sleep(0.02)
    assert actions(session) == [(7, None), (7, None)]


async def test_an_error_inside_the_block_still_ends_the_status() -> None:
    bot, _ = fake_bot()
    typing = ChatTyping()
    try:
        async with typing.pending(bot, 7):
            raise RuntimeError("retrieval failed")
    except RuntimeError:
        pass
    assert len(typing) == 0
