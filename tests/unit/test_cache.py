from __future__ import annotations

from embeddings.answer.cache import AnswerCache
from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from embeddings.text import normalise
from tests.support.fakes import FakeEncoder


def test_normalise_folds_case_space_punctuation_and_yo() -> None:
    assert normalise("  Где   возложили ЦВЕТЫ?! ") == normalise("где возложили цветы")
    assert normalise("Ёлка") == normalise("елка")
    assert normalise("цветы") != normalise("цветы где")


def test_repeated_questions_skip_the_encoder(tiny_settings: EngineSettings) -> None:
    encoder = FakeEncoder()
    pipeline = Pipeline.open(tiny_settings, encoder=encoder)
    first = pipeline.ask("Сколько зрителей собрал фестиваль?")
    calls = encoder.calls
    again = pipeline.ask("сколько  зрителей собрал ФЕСТИВАЛЬ")
    assert encoder.calls == calls
    assert again.question == "сколько  зрителей собрал ФЕСТИВАЛЬ"
    assert again.evidence == first.evidence
    assert pipeline.cache.hits == 1


def test_a_new_index_version_never_sees_old_answers(tiny_settings: EngineSettings) -> None:
    encoder = FakeEncoder()
    old = Pipeline.open(tiny_settings, encoder=encoder)
    old.ask("фестиваль")
    (tiny_settings.seeds_dir / "003_new.txt").write_text(
        " date 2026-03-03 Фестиваль\n\nНовый фестиваль.", encoding="utf-8"
    )
    new = Pipeline.open(tiny_settings, encoder=encoder)
    new.cache = old.cache  # shared, as across a live reindex
    assert new.index.version != old.index.version
    assert new.cached("фестиваль") is None
    new.ask("фестиваль")
    assert new.cached("фестиваль") is not None


def test_the_cache_is_bounded() -> None:
    from embeddings.answer.decision import Status
    from embeddings.answer.record import Answer

    cache = AnswerCache(max_entries=3)
    for n in range(10):
        cache.put(f"q{n}", "v", Answer(question=f"q{n}", status=Status.NOT_FOUND))
    assert len(cache) == 3
    assert cache.get("q0", "v") is None
    assert cache.get("q9", "v") is not None
