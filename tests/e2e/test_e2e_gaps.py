"""What readers asked that the articles could not answer: /gaps and `python -m bot gaps` show it grouped."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from embeddings.pipeline import Pipeline
from tests.conftest import ROOT
from tests.support.botapi_stub import BotAPIStub
from tests.support.running import RunningBot, ask, bot_settings, reply_to

pytestmark = pytest.mark.slow

ADMIN = 4343
THEMES = {
    "football": [
        "Кто выиграл чемпионат мира по футболу?",
        "Какой счёт был в финале чемпионата мира по футболу?",
        "Какая сборная стала чемпионом мира по футболу?",
        "Где прошёл последний чемпионат мира по футболу?",
        "Кто забил больше всех голов на чемпионате мира по футболу?",
    ],
    "bitcoin": [
        "Сколько стоит биткоин?",
        "Какой сейчас курс биткоина к доллару?",
        "Вырастет ли цена биткоина?",
        "Почему упал биткоин?",
        "Где купить биткоин?",
    ],
    "recipe": [
        "Как приготовить бешбармак?",
        "Какой рецепт бешбармака?",
        "Сколько варить мясо для бешбармака?",
        "Какое тесто нужно для бешбармака?",
        "Что кладут в бешбармак?",
    ],
    "weather": [
        "Какая погода будет завтра в Алматы?",
        "Будет ли дождь в Алматы на выходных?",
        "Какая температура воздуха в Алматы завтра?",
        "Ждать ли снега в Алматы на этой неделе?",
        "Какой прогноз погоды для Алматы?",
    ],
}


@pytest.fixture
def settings(stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline) -> Settings:
    del real_pipeline
    return bot_settings(stub, real_seeds, real_index_dir, admin_ids=frozenset({ADMIN}))


def cli_gaps(journal: Path) -> str:
    env = {**os.environ, "JOURNAL_PATH": str(journal), "BOT_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "gaps"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


async def test_unanswered_questions_are_grouped_for_the_editors(
    stub: BotAPIStub, running: RunningBot, settings: Settings
) -> None:
    askers = [6001 + n for n in range(len(THEMES))]  # one reader per theme, all asking at once
    for round_ in range(5):
        asked = [stub.message(q[round_], user_id=user) for user, q in zip(askers, THEMES.values(), strict=True)]
        replies = await asyncio.gather(*(reply_to(stub, message) for message in asked))
        assert all("В статьях, которые я знаю" in r.text for r in replies), [r.text for r in replies]
    answered = await ask(stub, "Где депутаты возложили цветы?", user_id=6100)
    stub.press(answered, "👎", user_id=6100)
    await stub.wait_for(lambda: len(stub.callback_answers) == 1)
    shown = (await ask(stub, "/gaps", user_id=ADMIN)).text
    lines = shown.splitlines()
    assert lines[0].startswith("На что статьи не ответили за 30 дн.: группы 1–5 из 5")
    assert [line.split("×")[0] for line in lines[1:]] == ["1. 5", "2. 5", "3. 5", "4. 5", "5. 1"]
    for theme in ("чемпион", "биткоин", "бешбармак", "Алматы"):
        assert sum(theme in line for line in lines[1:5]) == 1
    assert lines[5] == "5. 1× «Где депутаты возложили цветы?» — 👎 1"
    assert (await asyncio.to_thread(cli_gaps, settings.journal_path)).strip() == shown.strip()
    refused = await ask(stub, "/gaps", user_id=6001)
    assert "только для администраторов" in refused.text
    assert stub.rejected == []
