"""Who said it over a small story with the fake encoder: the speaker wherever a quote is shown, /quotes inline."""

from __future__ import annotations

from pathlib import Path

from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_reader import press_for_message
from tests.support.botapi_stub import BotAPIStub
from tests.support.fakes import FakeEncoder
from tests.support.running import ask, bot_settings, running_bot

SAID = "— Иван Петров, Министр торговли [1]"


async def test_the_speaker_follows_the_quote_in_answers_context_and_inline(
    stub: BotAPIStub, tiny_seeds: Path, tmp_path: Path
) -> None:
    engine = EngineSettings(seeds_dir=tiny_seeds, index_dir=tmp_path / "index", _env_file=None)
    pipeline = Pipeline.open(engine, encoder=FakeEncoder())
    async with running_bot(stub, pipeline, bot_settings(stub, tiny_seeds, tmp_path / "index")):
        answer = await ask(stub, "Что сказал Петров о заводах?", user_id=801)
        assert f'тракторов в трёх областях."» {SAID}' in answer.text
        context = await press_for_message(stub, answer, "📄 Контекст", user_id=801)
        assert 'в трёх областях." — Иван Петров, Министр торговли' in context.text
        query_id = stub.inline("Что сказал Петров о заводах?", user_id=802)
        await stub.wait_for(lambda: query_id in stub.inline_answers)
        first = stub.inline_answers[query_id]["results"][0]
        assert '"» — Иван Петров' in first["description"]
        assert SAID in first["input_message_content"]["message_text"]
    assert stub.rejected == []


async def test_inline_quotes_offers_a_speakers_quotes_by_any_form_of_the_name(
    stub: BotAPIStub, tiny_seeds: Path, tmp_path: Path
) -> None:
    engine = EngineSettings(seeds_dir=tiny_seeds, index_dir=tmp_path / "index", _env_file=None)
    pipeline = Pipeline.open(engine, encoder=FakeEncoder())
    async with running_bot(stub, pipeline, bot_settings(stub, tiny_seeds, tmp_path / "index")):
        latin = stub.inline("цитаты Petrov", user_id=811)
        case = stub.inline("quotes Петрову", user_id=812, language_code="en")
        nobody = stub.inline("дәйексөздер", user_id=813, language_code="kk")
        await stub.wait_for(lambda: {latin, case, nobody} <= set(stub.inline_answers))
    (quote,) = stub.inline_answers[latin]["results"]
    assert quote["title"] == "Цитаты: Иван Петров"
    message = quote["input_message_content"]["message_text"]
    assert message.startswith('«Министр торговли Иван Петров: "Мы откроем новые заводы')
    assert "» — Иван Петров, Министр торговли\n<i>— Торговля выросла, 1 марта 2026</i>" in message
    assert [r["title"] for r in stub.inline_answers[case]["results"]] == ["Quotes: Иван Петров"]
    (listed,) = stub.inline_answers[nobody]["results"]  # no name: each speaker's first page
    assert listed["title"] == "Дәйексөздер: Иван Петров"
    assert listed["input_message_content"]["message_text"].startswith("<b>Дәйексөздер: Иван Петров, Министр торговли")
    assert stub.rejected == []
