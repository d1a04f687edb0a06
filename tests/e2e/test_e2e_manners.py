"""Telegram manners end to end: edited questions get their answers edited; channels' posts are left alone.

The real bot, model and FAISS over HTTP against the stand-in, which checks
every edit as Telegram does (the bot's own message, valid HTML, at most 4096
characters, and "message is not modified" for an edit that changes nothing).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.e2e.test_e2e_features import MEETINGS, NOTE_RU
from tests.support.botapi_buttons import buttons
from tests.support.botapi_manners import CHANNEL_BOT, channel
from tests.support.botapi_stub import BOT_USER, BotAPIStub, Sent
from tests.support.running import RunningBot, ask, running_bot

pytestmark = pytest.mark.slow

HANDLE = "@" + str(BOT_USER["username"])
GROUP = -100888
FLOWERS = "Где депутаты возложили цветы?"


@pytest.fixture
async def running(
    stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[RunningBot]:
    caplog.set_level(logging.INFO)
    async with running_bot(stub, real_pipeline, settings) as bot:
        yield bot


def assert_clean(running: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    """No request the Bot API refused, no Bot API failure counted, no error logged."""
    assert running.stub.rejected == []
    assert running.answering.metrics is not None
    failures = running.answering.metrics.telegram_errors.collect()[0].samples
    assert [s for s in failures if s.name.endswith("_total") and s.value] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def counted(running: RunningBot, found: str) -> float:
    """Questions the metrics counted as answered (`found`: "true" or "false")."""
    assert running.answering.metrics is not None
    value = running.answering.metrics.registry.get_sample_value("newsqa_answers_total", {"found": found})
    return value or 0.0


async def questions(running: RunningBot) -> int:
    """Today's questions in the journal."""
    assert running.answering.journal is not None
    return (await running.answering.journal.stats()).questions


async def wait_edited(stub: BotAPIStub, answer: Sent) -> None:
    """Wait until the bot edited `answer` (the stand-in updates it in place)."""
    await stub.wait_for(lambda: any(e[:2] == (answer.chat_id, answer.message_id) for e in stub.text_edits))


async def test_a_private_question_edited_gets_its_answer_edited_in_place(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    stub = running.stub
    asked = stub.message(FLOWERS, user_id=81)
    (answer,) = await stub.wait_sent(1)
    assert "Монументу Победы" in answer.text
    old_buttons = buttons(answer)
    stub.edit(asked, MEETINGS)
    await wait_edited(stub, answer)
    assert "Лукашенко" in answer.text  # the new quotes
    assert "Монументу Победы" not in answer.text
    assert "Источники:" in answer.text
    assert "[1]" in answer.text
    assert answer.reply_to == asked["message_id"]
    assert [t for t, _ in buttons(answer)] == ["👍", "👎", "📄 Контекст", "Ещё фрагменты ▸"]
    assert buttons(answer) != old_buttons  # the buttons of the new answer, its quote's context among them
    assert dict(buttons(answer))["📄 Контекст"] != dict(old_buttons)["📄 Контекст"]
    assert await stub.settle() == [answer]  # nothing new was sent
    # The journal and the metrics count the edit as a question.
    assert await questions(running) == 2
    assert counted(running, "true") == 2
    # Its buttons are the new answer's, and the conversation goes on from the edited question.
    query_id = stub.press(answer, "👍", user_id=81)
    await stub.wait_for(lambda: query_id in stub.callback_answers)
    assert stub.callback_answers[query_id]["text"] == "Спасибо за оценку!"
    follow = await ask(stub, "А кто ещё там был?", user_id=81)
    assert f"{NOTE_RU}: «{MEETINGS}»" in follow.text
    assert_clean(running, caplog)


async def test_a_group_question_that_mentions_the_bot_edited_gets_its_answer_edited(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    stub = running.stub
    text = f"{HANDLE} {FLOWERS}"
    asked = stub.message(text, user_id=82, chat_id=GROUP, chat_type="supergroup", entities=mention(text))
    (answer,) = await stub.wait_sent(1)
    assert "Монументу Победы" in answer.text
    text = f"{JOINT_VENTURES} {HANDLE}"
    stub.edit(asked, text, entities=mention(text))
    await wait_edited(stub, answer)
    assert "около десяти совместных производств" in answer.text
    assert "Монументу Победы" not in answer.text
    assert "5 февраля 2026" in answer.text  # its source
    assert answer.chat_id == GROUP
    assert answer.reply_to == asked["message_id"]
    assert await stub.settle() == [answer]
    assert await questions(running) == 2
    assert_clean(running, caplog)


async def test_edits_past_the_window_unchanged_or_never_answered_get_nothing(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    stub = running.stub
    asked = stub.message(FLOWERS, user_id=83)
    (answer,) = await stub.wait_sent(1)
    first = answer.text
    stub.edit(asked, MEETINGS, after=601)  # the window is 10 minutes
    stub.edit(asked, "где  ДЕПУТАТЫ возложили цветы ??", after=60)  # the same question once cleaned
    chatter = stub.message("Кто-нибудь видел новости?", user_id=84, chat_id=GROUP, chat_type="supergroup")
    text = f"{HANDLE} {MEETINGS}"  # a mention added to a message the bot never answered
    stub.edit(chatter, text, entities=mention(text))
    assert await stub.settle(quiet=1.5) == [answer]
    assert stub.text_edits == []
    assert answer.text == first
    assert await questions(running) == 1
    stub.edit(asked, MEETINGS, after=599)  # still within the window
    await wait_edited(stub, answer)
    assert "Лукашенко" in answer.text
    assert_clean(running, caplog)


async def test_channel_posts_are_left_alone_and_a_person_posting_as_their_channel_is_answered(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    stub = running.stub
    text = f"Спросите {HANDLE}: {JOINT_VENTURES}"
    forward = stub.automatic_forward(text, chat_id=GROUP, entities=mention(text))
    command = f"/sources@{BOT_USER['username']}"
    stub.automatic_forward(command, chat_id=GROUP)
    stub.automatic_forward(f"{text} (обновлено)", chat_id=GROUP, entities=mention(text), edited_from=forward)
    stub.channel_post(text, entities=mention(text))
    by_hand = {"type": "channel", "chat": channel(), "message_id": 8, "date": forward["date"]}
    stub.message(
        text, user_id=85, chat_id=GROUP, chat_type="supergroup", entities=mention(text),
        extra={"forward_origin": by_hand},
    )  # fmt: skip
    assert await stub.settle(quiet=1.5) == []
    as_channel = stub.message(
        text, user_id=int(CHANNEL_BOT["id"]), chat_id=GROUP, chat_type="supergroup", entities=mention(text),
        is_bot=True, extra={"sender_chat": channel(-1005555, "A reader's channel")},
    )  # fmt: skip
    (answer,) = await stub.wait_sent(1)
    assert answer.reply_to == as_channel["message_id"]
    assert "около десяти совместных производств" in answer.text
    assert await questions(running) == 1
    assert_clean(running, caplog)


async def test_the_bot_asks_telegram_for_edited_messages(running: RunningBot) -> None:
    polls = [params for method, params in running.stub.requests if method == "getUpdates"]
    assert {"message", "edited_message"} <= set(polls[0]["allowed_updates"])
    assert "channel_post" not in polls[0]["allowed_updates"]
