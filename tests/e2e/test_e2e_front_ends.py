"""Every front end answers through the one answering service: one journal row, the same metrics, one search."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.console import chat
from bot.metrics import Metrics
from bot.state.journal import Journal
from embeddings.answer.record import Answer
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.support.botapi_stub import BotAPIStub
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow


class CountingService(AnsweringService):
    """The real service, counting how often the pipeline searches and answers."""

    searches = 0

    async def _compute(self, question: str) -> Answer:
        type(self).searches += 1
        return await super()._compute(question)


def answers_counted(metrics: Metrics) -> float:
    """Questions the metrics counted, found or not."""
    return sum(
        sample.value
        for family in metrics.answers.collect()
        for sample in family.samples
        if sample.name.endswith("_total")
    )


@pytest.fixture
def settings(stub: BotAPIStub, real_seeds: Path, real_index_dir: Path) -> Settings:
    return bot_settings(stub, real_seeds, real_index_dir)


async def test_private_group_and_inline_each_record_one_question(
    stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings
) -> None:
    async with running_bot(stub, real_pipeline, settings) as running:
        journal, metrics = running.answering.journal, running.answering.metrics
        assert journal is not None
        assert metrics is not None
        stub.message(JOINT_VENTURES, user_id=71)
        await stub.wait_sent(1)
        text = f"@NewsQaTestBot {JOINT_VENTURES}"
        stub.message(text, user_id=72, chat_id=-700, chat_type="supergroup", entities=mention(text))
        await stub.wait_sent(2)
        query = stub.inline("Где депутаты возложили цветы?", user_id=73)
        await stub.wait_for(lambda: query in stub.inline_answers)
        stats = await journal.stats()
        assert stats.questions == 3
        assert answers_counted(metrics) == 3
        assert stats.cached == 1  # the group asked what the private chat had asked: remembered
    assert stub.rejected == []


async def test_the_console_chat_records_like_the_bot_and_follows_up(
    real_pipeline: Pipeline, real_seeds: Path, tmp_path: Path
) -> None:
    real_pipeline.cache.clear()
    journal, metrics = Journal(tmp_path / "journal.sqlite3"), Metrics()
    answering = AnsweringService(real_pipeline, load_story(real_seeds), journal=journal, metrics=metrics)
    lines = "С кем встречался Кошанов в Минске?\nА о чём они говорили?\nподробнее\n/new\n\n"
    out = io.StringIO()
    try:
        await chat(answering, inp=io.StringIO(lines), out=out)
        stats = await journal.stats()
    finally:
        await answering.close()
        journal.close()
    shown = out.getvalue()
    assert "Отвечаю с учётом предыдущего вопроса: «С кем встречался Кошанов в Минске?»" in shown
    assert "Фрагменты статей (1–3" in shown  # "подробнее" paged the passages
    assert "начнём заново" in shown
    assert stats.questions == 2  # "подробнее" and /new are no questions
    assert answers_counted(metrics) == 2


async def test_a_follow_up_searches_once(stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings) -> None:
    CountingService.searches = 0
    async with running_bot(stub, real_pipeline, settings, CountingService):
        stub.message("Кто председатель Совета Республики?", user_id=74)
        await stub.wait_sent(1)
        stub.message("А о чём они говорили?", user_id=74)
        (_, follow) = await stub.wait_sent(2)
    assert "Отвечаю с учётом предыдущего вопроса" in follow.text  # the pronoun points back
    assert CountingService.searches == 2


@pytest.mark.parametrize(
    ("question", "topic", "kind"),
    [
        ("kto takoj koshanov", "кто такой Сергеенко", "new"),  # who is a name: whole, in Latin letters too
        ("какой курс доллара", "кто такой Сергеенко", "new"),  # a question word and two words of its own
        ("А о чём они говорили?", "Кто председатель Совета Республики?", "follow_up"),
        ("а когда?", "С кем встречался Кошанов в Минске?", "follow_up"),
        ("А Кочанова?", "С кем встречался Кошанов в Минске?", "follow_up"),
        ("Кто такой Токаев?", "С кем встречался Кошанов в Минске?", "new"),
    ],
)
def test_the_service_plans_from_the_reading_of_the_question(
    real_pipeline: Pipeline, real_seeds: Path, question: str, topic: str, kind: str
) -> None:
    answering = AnsweringService(real_pipeline, load_story(real_seeds))
    assert answering.plan(question, topic).kind == kind


def test_a_follow_up_in_latin_letters_is_searched_in_cyrillic(real_pipeline: Pipeline, real_seeds: Path) -> None:
    answering = AnsweringService(real_pipeline, load_story(real_seeds))
    planned = answering.plan("Kogda on priekhal?", "С кем встречался Кошанов в Минске?")
    assert planned.kind == "follow_up"
    assert planned.query == "Когда он приехал? С кем встречался Кошанов в Минске?"
