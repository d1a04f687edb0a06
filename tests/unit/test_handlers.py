"""Handlers through `Dispatcher.feed_update` with a fake session and the fake encoder: fast."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.methods import EditMessageText
from aiogram.types import Update

from bot.answering.service import AnsweringService
from bot.app import create_dispatcher
from bot.config import Settings
from bot.state.backends import create_backends
from bot.state.journal import Journal
from embeddings.config import EngineSettings
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline
from tests.conftest import ANSWER_ALL
from tests.support.botapi_stub import BOT_USER, TOKEN
from tests.support.fake_session import FakeSession, fake_bot


@pytest.fixture
def dispatcher(tiny_pipeline: Pipeline, tiny_settings: EngineSettings, tmp_path: Path) -> Dispatcher:
    pipeline = Pipeline(tiny_pipeline.index, tiny_pipeline.encoder, params=ANSWER_ALL)
    settings = Settings(bot_token=TOKEN, journal_path=tmp_path / "bot.sqlite3", _env_file=None)
    backends = create_backends(settings)
    journal = Journal(settings.journal_path)
    answering = AnsweringService(
        pipeline, load_story(tiny_settings.seeds_dir), journal=journal, metrics=backends.metrics, workers=1
    )
    return create_dispatcher(answering, settings, backends)


def update(
    text: str | None, *, chat_type: str = "private", chat_id: int = 5, update_id: int = 1, **extra: Any
) -> Update:
    message: dict[str, Any] = {
        "message_id": 100 + update_id,
        "date": dt.datetime.now(dt.UTC),
        "chat": {"id": chat_id, "type": chat_type},
        "from": {"id": 5, "is_bot": False, "first_name": "U", "language_code": "ru"},
        **extra,
    }
    if text is not None:
        message["text"] = text
    return Update.model_validate({"update_id": update_id, "message": message})


async def feed(dispatcher: Dispatcher, upd: Update) -> FakeSession:
    bot, session = fake_bot()
    await dispatcher.feed_update(bot, upd)
    return session


async def test_private_text_is_answered_with_citations(dispatcher: Dispatcher) -> None:
    session = await feed(dispatcher, update("Сколько зрителей собрал фестиваль?"))
    (sent,) = session.sent()
    assert "десять тысяч зрителей" in sent.text
    assert "[1]" in sent.text
    assert sent.reply_parameters is not None


async def test_html_in_questions_and_links_is_escaped(dispatcher: Dispatcher) -> None:
    session = await feed(dispatcher, update("<b>тракторов</b> & заводы?"))
    (sent,) = session.sent()
    assert "тракторов в трёх областях" in sent.text
    assert '<a href="https://example.org/trade?a=1&amp;b=2">' in sent.text


async def test_group_without_mention_is_silent(dispatcher: Dispatcher) -> None:
    session = await feed(dispatcher, update("фестиваль?", chat_type="supergroup", chat_id=-1))
    assert session.sent() == []


async def test_group_mention_is_stripped_before_retrieval(dispatcher: Dispatcher) -> None:
    text = f"@{BOT_USER['username']} фестиваль оркестры"
    upd = update(text, chat_type="supergroup", chat_id=-1, entities=[{"type": "mention", "offset": 0, "length": 14}])
    session = await feed(dispatcher, upd)
    (sent,) = session.sent()
    assert "оркестры" in sent.text


async def test_commands_for_other_bots_are_ignored(dispatcher: Dispatcher) -> None:
    session = await feed(dispatcher, update("/sources@other_bot", chat_type="group", chat_id=-2))
    assert session.sent() == []
    session = await feed(dispatcher, update(f"/sources@{BOT_USER['username']}", chat_type="group", chat_id=-2))
    (sent,) = session.sent()
    assert "Test Gazette" in sent.text


async def test_sticker_gets_a_text_only_hint(dispatcher: Dispatcher) -> None:
    sticker = {
        "file_id": "x",
        "file_unique_id": "y",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    session = await feed(dispatcher, update(None, sticker=sticker))
    (sent,) = session.sent()
    assert "текстовые" in sent.text


def edit_of(
    original: Update, text: str, *, after: float = 30.0, update_id: int = 2, entities: list[Any] | None = None
) -> Update:
    """The `edited_message` update Telegram sends when the sender of `original` edits it `after` seconds later."""
    assert original.message is not None
    message = original.message.model_dump(mode="json", exclude_none=True, by_alias=True)
    message.update(text=text, edit_date=int(original.message.date.timestamp() + after))
    message.pop("entities", None)
    if entities:
        message["entities"] = entities
    return Update.model_validate({"update_id": update_id, "edited_message": message})


def edits(session: FakeSession) -> list[EditMessageText]:
    return [r for r in session.requests if isinstance(r, EditMessageText)]


async def test_an_edited_question_gets_its_answer_edited_in_place(dispatcher: Dispatcher) -> None:
    bot, session = fake_bot()
    asked = update("Сколько зрителей собрал фестиваль?")
    await dispatcher.feed_update(bot, asked)
    (answer,) = session.sent()
    await dispatcher.feed_update(bot, edit_of(asked, "Что откроют в трёх областях?"))
    (edit,) = edits(session)
    assert len(session.sent()) == 1  # nothing new was sent
    assert edit.message_id == 2  # the fake session's id of the answer
    assert "тракторов в трёх областях" in edit.text
    assert "десять тысяч" not in edit.text
    assert edit.reply_markup is not None
    assert edit.reply_markup != answer.reply_markup  # buttons of the new answer
    stats = await dispatcher["journal"].stats()
    assert stats.questions == 2


async def test_edits_that_change_nothing_or_come_too_late_or_unanswered_are_left_alone(dispatcher: Dispatcher) -> None:
    bot, session = fake_bot()
    asked = update("Сколько зрителей собрал фестиваль?")
    await dispatcher.feed_update(bot, asked)
    await dispatcher.feed_update(bot, edit_of(asked, "сколько  зрителей собрал фестиваль??", update_id=2))
    await dispatcher.feed_update(bot, edit_of(asked, "Что откроют в трёх областях?", after=601, update_id=3))
    chatter = update("фестиваль?", chat_type="supergroup", chat_id=-1, update_id=4)
    await dispatcher.feed_update(bot, chatter)
    mention = [{"type": "mention", "offset": 0, "length": 14}]
    await dispatcher.feed_update(
        bot, edit_of(chatter, f"@{BOT_USER['username']} фестиваль?", update_id=5, entities=mention)
    )
    assert edits(session) == []
    assert len(session.sent()) == 1
    stats = await dispatcher["journal"].stats()
    assert stats.questions == 1


async def test_automatic_forwards_from_a_channel_are_not_questions(dispatcher: Dispatcher) -> None:
    text = f"@{BOT_USER['username']} фестиваль оркестры"
    channel = {"id": -1009, "type": "channel", "title": "News"}
    forward = update(
        text,
        chat_type="supergroup",
        chat_id=-1,
        entities=[{"type": "mention", "offset": 0, "length": 14}],
        sender_chat=channel,
        is_automatic_forward=True,
        forward_origin={"type": "channel", "chat": channel, "message_id": 3, "date": 0},
        **{"from": {"id": 777000, "is_bot": False, "first_name": "Telegram"}},
    )
    session = await feed(dispatcher, forward)
    assert session.sent() == []
