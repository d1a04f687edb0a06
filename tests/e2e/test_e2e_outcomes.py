"""The three outcomes of a question, through the real bot, the real model and the Bot API stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import BotAPIStub
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow


async def test_answer_partial_and_not_found_read_differently(
    stub: BotAPIStub, real_pipeline: Pipeline, real_seeds: Path, real_index_dir: Path
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir)
    questions = {
        81: ("Что Лукашенко сказал о Зеленском?", "ru"),
        82: ("Сколько лет Кошанову?", "ru"),
        83: ("Хатынь", "ru"),
        84: ("what did lukashenko say about zelensky", "en"),
        85: ("How old is Koshanov?", "en"),
    }
    async with running_bot(stub, real_pipeline, settings):
        for user, (question, lang) in questions.items():
            stub.message(question, user_id=user, language_code=lang)
        sent = await stub.wait_sent(len(questions))
    said = {s.chat_id: s.text for s in sent}
    assert said[81].startswith("В статьях, которые я знаю, не упоминается «Зеленский»")
    assert "«" not in said[81].split("»", 1)[1]  # no quote follows
    assert said[82].startswith("В статьях не сказано, сколько лет Кошанову. Вот что в них об этом есть:")
    assert "Кошанов" in said[82].split("\n", 1)[1]
    assert "Источники:" in said[82]
    assert "Хатынь" in said[83]
    assert "[1]" in said[83]
    assert said[84].startswith("The articles I know do not mention “zelensky”")
    assert said[85].startswith("The articles do not say how old they are. Here is what they do say about it:")
    assert "Sources:" in said[85]
    assert stub.rejected == []
