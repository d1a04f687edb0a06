"""What a speaker said: the sentence that holds the asked topic, with the speaker's next sentence when it goes on."""

from __future__ import annotations

from pathlib import Path

from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from tests.support.fakes import FakeEncoder

RIVER = (
    " date 2026-05-10 В Заречье открыли новый мост\n\n"
    "Главный инженер треста Олег Марков рассказал журналистам о весенних паводках. "
    "Он подчеркнул, что конструкция выдержит любую большую воду. "
    "Погода в день открытия была солнечной и тёплой.\n"
)


def test_a_speakers_answer_takes_in_the_sentence_in_which_they_go_on(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_river.txt").write_text(RIVER, encoding="utf-8")
    settings = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    pipeline = Pipeline.open(settings, encoder=FakeEncoder())
    answer = pipeline.ask("Что говорил Марков о паводках?")
    assert answer.reason == "speaker"
    assert [e.text for e in answer.evidence] == [
        "Главный инженер треста Олег Марков рассказал журналистам о весенних паводках. "
        "Он подчеркнул, что конструкция выдержит любую большую воду."
    ]
    assert answer.evidence[0].speaker == "Олег Марков"
