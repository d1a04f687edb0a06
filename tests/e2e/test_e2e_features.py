"""Conversation features end to end: the real bot, model and FAISS over HTTP against the stand-in.

Follow-ups, /new, context per user in groups, the more-passages and vote
buttons (callback queries), inline mode, and the admin commands.
"""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.console import feedback_report
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.support.botapi_buttons import buttons
from tests.support.botapi_stub import BOT_USER, BotAPIStub, Sent
from tests.support.running import RunningBot, ask, bot_settings, running_bot

pytestmark = pytest.mark.slow

ADMIN = 4242
GROUP = -100777
MEETINGS = "С кем встречался Кошанов в Минске?"
NOTE_RU = "Отвечаю с учётом предыдущего вопроса"


@pytest.fixture
def settings(stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline) -> Settings:
    del real_pipeline  # built first, so the bot finds a fresh index
    return bot_settings(stub, real_seeds, real_index_dir, admin_ids=frozenset({ADMIN}))


def as_reply_to(sent: Sent) -> dict[str, Any]:
    """The `reply_to_message` Telegram includes when a user replies to the bot's message."""
    chat_type = "private" if sent.chat_id > 0 else "supergroup"
    chat = {"id": sent.chat_id, "type": chat_type}
    return {"message_id": sent.message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": sent.text}


async def test_a_follow_up_is_read_with_the_previous_question_until_new(running: RunningBot) -> None:
    stub = running.stub
    first = await ask(stub, MEETINGS, user_id=21)
    assert "Лукашенко" in first.text
    assert NOTE_RU not in first.text
    follow = await ask(stub, "А кто ещё там был?", user_id=21)
    assert f"{NOTE_RU}: «{MEETINGS}»" in follow.text
    assert "[1]" in follow.text
    assert "/new" in follow.text
    # A pronoun for a subject points back; a question naming its own subject starts a new topic.
    pronoun = await ask(stub, "А о чём они говорили?", user_id=21)
    assert f"{NOTE_RU}: «{MEETINGS}»" in pronoun.text
    own = await ask(stub, "А что Лукашенко сказал про БЕЛАЗ?", user_id=21)
    assert NOTE_RU not in own.text
    assert "БЕЛАЗ" in own.text
    forgot = await ask(stub, "/new", user_id=21)
    assert "начнём заново" in forgot.text
    alone = await ask(stub, "А кто ещё там был?", user_id=21)
    assert NOTE_RU not in alone.text
    assert "нет ответа" in alone.text
    # Another user's conversation was never touched.
    other = await ask(stub, "А кто ещё там был?", user_id=22)
    assert "нет ответа" in other.text
    assert stub.rejected == []


async def test_a_follow_up_that_changes_one_part_asks_the_question_so_changed(running: RunningBot) -> None:
    stub = running.stub
    await ask(stub, "Какой товарооборот между Беларусью и Казахстаном?", user_id=25)
    russia = await ask(stub, "а с Россией?", user_id=25)
    assert "Понимаю вопрос так: «Какой товарооборот между Беларусью и Россией?»" in russia.text
    assert "по теме «Россия»" in russia.text  # the articles give no figure for Russia, and the reply says so
    assert "[1]" in russia.text  # with what they do say
    year = await ask(stub, "а в прошлом году?", user_id=25)  # builds on the changed question
    assert "«Какой товарооборот между Беларусью и Россией в прошлом году?»" in year.text
    assert stub.rejected == []


async def test_english_follow_ups_read_english(running: RunningBot) -> None:
    stub = running.stub
    await ask(stub, "What digital laws has Kazakhstan adopted?", user_id=23, language_code="en")
    follow = await ask(stub, "And what about Belarus?", user_id=23, language_code="en")
    assert "Answering in the light of your previous question: “What digital laws has Kazakhstan adopted?”" in (
        follow.text
    )


async def test_the_context_expires_after_the_silence(
    stub: BotAPIStub, real_pipeline: Pipeline, real_seeds: Path, real_index_dir: Path
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir, context_ttl_seconds=1.0)
    async with running_bot(stub, real_pipeline, settings):
        await ask(stub, MEETINGS, user_id=24)
        await asyncio.sleep(1.3)
        late = await ask(stub, "А кто ещё там был?", user_id=24)
    assert NOTE_RU not in late.text
    assert "нет ответа" in late.text


async def test_in_groups_context_is_per_user_and_a_reply_continues_that_answer(running: RunningBot) -> None:
    stub = running.stub
    handle = f"@{BOT_USER['username']}"
    text = f"{handle} {MEETINGS}"
    answer = await ask(stub, text, user_id=31, chat_id=GROUP, chat_type="supergroup", entities=mention(text))
    assert "Лукашенко" in answer.text
    text = f"{handle} А кто ещё там был?"
    stranger = await ask(stub, text, user_id=32, chat_id=GROUP, chat_type="supergroup", entities=mention(text))
    assert NOTE_RU not in stranger.text
    replying = await ask(
        stub, "А кто ещё там был?", user_id=32, chat_id=GROUP, chat_type="supergroup", reply_to=as_reply_to(answer)
    )
    assert f"{NOTE_RU}: «{MEETINGS}»" in replying.text
    text = f"{handle} А кто ещё там был?"
    asker = await ask(stub, text, user_id=31, chat_id=GROUP, chat_type="supergroup", entities=mention(text))
    assert f"{NOTE_RU}: «{MEETINGS}»" in asker.text
    assert stub.rejected == []


async def test_the_more_button_and_podrobnee_page_through_passages(running: RunningBot) -> None:
    stub = running.stub
    answer = await ask(stub, JOINT_VENTURES, user_id=41)
    assert [t for t, _ in buttons(answer)] == ["👍", "👎", "📄 Контекст", "Ещё фрагменты ▸"]
    assert all(len(d.encode()) <= 64 for _, d in buttons(answer))
    query_id = stub.press(answer, "Ещё", user_id=41)
    (page,) = (await stub.wait_sent(2))[1:]
    await stub.wait_for(lambda: query_id in stub.callback_answers)
    assert page.reply_to == answer.message_id
    assert page.text.startswith("Фрагменты статей (1–3 из ")
    assert page.text.count("«") == 3
    assert "около десяти совместных производств" in page.text
    assert "5 февраля 2026" in page.text
    stub.press(page, "Ещё", user_id=41)
    (second,) = (await stub.wait_sent(3))[2:]
    assert second.text.startswith("Фрагменты статей (4–6 из ")
    typed = await ask(stub, "подробнее", user_id=41)  # goes on where the button stopped
    assert typed.text.startswith("Фрагменты статей (7–9 из ")
    typed = await ask(stub, "Подробнее!", user_id=41)
    assert typed.text.startswith("Фрагменты статей (10–12 из 12)")
    last = await ask(stub, "ещё", user_id=41)
    assert last.text == "Больше подходящих фрагментов нет."
    fresh = await ask(stub, "tell me more", user_id=44, language_code="en")  # nothing before it to go on with
    assert fresh.text.startswith("Ask a question first")
    assert stub.rejected == []


async def test_refusals_have_votes_but_no_more_button(running: RunningBot) -> None:
    refusal = await ask(running.stub, "Как приготовить узбекский плов?", user_id=42)
    assert [t for t, _ in buttons(refusal)] == ["👍", "👎"]


async def test_votes_count_once_per_user_and_show_on_the_buttons(running: RunningBot, settings: Settings) -> None:
    stub = running.stub
    answer = await ask(stub, JOINT_VENTURES, user_id=51)

    async def press(button: str, user_id: int, language_code: str = "ru") -> dict[str, Any]:
        query_id, edits = stub.press(answer, button, user_id=user_id, language_code=language_code), len(stub.edits)
        await stub.wait_for(lambda: query_id in stub.callback_answers)
        if not stub.callback_answers[query_id]["text"].startswith("Вы уже"):  # the buttons change: wait for it
            await stub.wait_for(lambda: len(stub.edits) > edits)  # an edit waits its turn in the chat's line
        return stub.callback_answers[query_id]

    assert (await press("👍", 51))["text"] == "Спасибо за оценку!"
    assert [t for t, _ in buttons(answer)][:2] == ["👍 1", "👎"]
    assert (await press("👍", 51))["text"] == "Вы уже так оценили этот ответ."
    assert len(stub.edits) == 1
    assert (await press("👎", 51))["text"] == "Оценка изменена."
    assert [t for t, _ in buttons(answer)][:2] == ["👍", "👎 1"]
    assert (await press("👎", 52, "en"))["text"] == "Thanks for the feedback!"
    assert [t for t, _ in buttons(answer)] == ["👍", "👎 2", "📄 Контекст", "Ещё фрагменты ▸"]
    report = io.StringIO()
    feedback_report(settings.journal_path, 5, report)
    assert "👍 0   👎 2   answers rated: 1" in report.getvalue()
    assert f"(👍 0 / 👎 2)  {JOINT_VENTURES}" in report.getvalue()
    assert stub.rejected == []


async def test_a_button_of_a_forgotten_answer_says_so(running: RunningBot) -> None:
    stub = running.stub
    answer = await ask(stub, JOINT_VENTURES, user_id=53)
    markup = {"inline_keyboard": [[{"text": "👍", "callback_data": "a:up:gone0000:0"}]]}
    old = Sent(answer.message_id, answer.chat_id, answer.text, answer.html, {"reply_markup": markup}, answer.at)
    query_id = stub.press(old, "👍", user_id=53)
    await stub.wait_for(lambda: query_id in stub.callback_answers)
    assert stub.callback_answers[query_id]["show_alert"] is True
    assert "устарел" in stub.callback_answers[query_id]["text"]


async def test_inline_mode_offers_the_answer_then_passages(running: RunningBot, settings: Settings) -> None:
    stub = running.stub
    query_id = stub.inline(JOINT_VENTURES, user_id=61)
    await stub.wait_for(lambda: query_id in stub.inline_answers)
    answered = stub.inline_answers[query_id]
    results = answered["results"]
    assert 2 <= len(results) <= 5
    assert answered["cache_time"] == settings.inline_cache_seconds
    assert results[0]["title"] == "Ответ из статей"
    first = results[0]["input_message_content"]["message_text"]
    assert f"Вопрос: {JOINT_VENTURES}" in first
    assert "около десяти совместных производств" in first
    assert "[1]" in first
    for result in results[1:]:
        text = result["input_message_content"]["message_text"]
        assert text.startswith("«")
        assert result["title"] in text  # the passage names its article
    assert stub.rejected == []


async def test_inline_mode_empty_off_topic_and_english(running: RunningBot) -> None:
    stub = running.stub
    empty, off, english = (
        stub.inline("", user_id=62),
        stub.inline("рецепт плова", user_id=62),
        stub.inline("Where did the Kazakh deputies lay flowers?", user_id=63, language_code="en"),
    )
    await stub.wait_for(lambda: {empty, off, english} <= set(stub.inline_answers))
    examples = [r["title"] for r in stub.inline_answers[empty]["results"]]
    assert examples == [
        "Коротко о визите",
        "Сколько совместных производств белорусской техники работает в Казахстане?",
        "С кем встречался Кошанов в Минске?",
        "Какие законы о цифровизации приняли в Казахстане?",
    ]
    (refusal,) = stub.inline_answers[off]["results"]
    assert refusal["title"] == "В статьях нет ответа"
    assert stub.inline_answers[english]["results"][0]["title"] == "Answer from the articles"
    assert stub.rejected == []


async def test_admin_commands_are_for_admins_only(running: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    stub = running.stub
    await ask(stub, JOINT_VENTURES, user_id=71)
    await ask(stub, "Как приготовить узбекский плов?", user_id=71)
    refused = await ask(stub, "/stats", user_id=71)
    assert "только для администраторов" in refused.text
    refused = await ask(stub, "/reindex", user_id=71, language_code="en")
    assert refused.text == "This command is for the bot's administrators only."
    assert any("refused /reindex from user 71" in r.getMessage() for r in caplog.records)
    stats = await ask(stub, "/stats", user_id=ADMIN)
    assert "Вопросов: 2 (из кэша: 0)" in stats.text
    assert "Без ответа: 1 (50%)" in stats.text
    assert "Медианная задержка:" in stats.text
    assert "👍 0 · 👎 0" in stats.text
