"""The story in brief is chosen at build time, stored with the index, and quotes the index's own sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embeddings.config import EngineSettings
from embeddings.errors import IndexFolderError, StaleIndexError
from embeddings.index.brief import BRIEF_FILE, BriefParams, choose_brief
from embeddings.index.load import LoadedIndex, load_index
from embeddings.index.manifest import check_fresh
from embeddings.pipeline import Pipeline
from tests.support.fakes import FakeEncoder
from tests.support.stories import write_bridge_story


@pytest.fixture
def bridge(tmp_path: Path) -> LoadedIndex:
    settings = EngineSettings(
        seeds_dir=write_bridge_story(tmp_path / "seeds"), index_dir=tmp_path / "index", _env_file=None
    )
    return Pipeline.open(settings, encoder=FakeEncoder()).index


def quoted(index: LoadedIndex) -> list[str]:
    return [index.sentences[item.sentence].text for item in index.brief]


def test_the_brief_is_stored_with_the_index_and_its_method_in_the_manifest(bridge: LoadedIndex) -> None:
    assert 1 <= len(bridge.brief) <= 6
    record = bridge.manifest["brief"]
    assert record["method"] == "headline-led concept coverage"
    assert record["sentences"] == len(bridge.brief)
    assert record["max_sentences"] == 6
    assert choose_brief(bridge.store, bridge.window_vectors) == list(bridge.brief)


def test_the_brief_keeps_the_story_order_and_one_sentence_a_paragraph(bridge: LoadedIndex) -> None:
    sentences = [bridge.sentences[item.sentence] for item in bridge.brief]
    order = [(bridge.articles[s.article_id].date, s.article_id, s.start) for s in sentences]
    assert order == sorted(order)
    paragraphs = set()
    for s in sentences:
        article = bridge.articles[s.article_id]
        paragraphs.add((s.article_id, next(i for i, p in enumerate(article.paragraphs) if p.start <= s.start < p.end)))
    assert len(paragraphs) == len(sentences)


def test_quotations_and_headlines_are_not_quoted_in_the_brief(bridge: LoadedIndex) -> None:
    texts = quoted(bridge)
    assert not any("разгрузит" in t or "ждали этот мост" in t for t in texts)  # a quotation, a dash interview
    assert not any(t.startswith(("В Гродно открыли", "Мост через Неман принял")) for t in texts)  # headlines


def test_the_same_fact_in_two_articles_is_quoted_once_with_both(bridge: LoadedIndex) -> None:
    (item,) = [i for i in bridge.brief if "420 метров" in bridge.sentences[i.sentence].text]
    (also,) = item.also
    assert "420 метров" in bridge.sentences[also].text
    assert bridge.sentences[also].article_id != bridge.sentences[item.sentence].article_id
    assert sum("420 метров" in t for t in quoted(bridge)) == 1


def test_an_abbreviation_and_the_words_it_stands_for_are_one_concept(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        " date 2026-01-01 Депутаты обсудили ИИ и цифровизацию\n\n"
        "Депутаты долго спорили о бюджете города на будущий год и о ремонте дорог.\n\n"
        "Депутаты приняли закон об искусственном интеллекте и цифровой кодекс страны.\n\n"
        "Депутаты посетили завод и встретились с рабочими цехов в пятницу утром.\n",
        encoding="utf-8",
    )
    settings = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    index = Pipeline.open(settings, encoder=FakeEncoder()).index
    params = BriefParams(max_sentences=2)  # one headline fact, then one by coverage
    first = index.sentences[choose_brief(index.store, index.window_vectors, params)[0].sentence]
    assert "искусственном интеллекте" in first.text


def test_a_brief_of_another_method_makes_the_index_stale(bridge: LoadedIndex) -> None:
    keys = ("format", "encoder", "chunking", "sparse", "tokenizer", "annotator", "corpus_hash")
    expected = {key: bridge.manifest[key] for key in keys}
    check_fresh(bridge.manifest, expected)
    changed = {**bridge.manifest, "brief": {**bridge.manifest["brief"], "name_weight": 9.0}}
    with pytest.raises(StaleIndexError, match="brief method"):
        check_fresh(changed, expected)


def test_a_brief_naming_a_sentence_the_index_lacks_is_a_corrupted_index(tmp_path: Path, bridge: LoadedIndex) -> None:
    folder = tmp_path / "index"
    (folder / BRIEF_FILE).write_text(json.dumps({"items": [{"sentence": 10_000, "also": []}]}), encoding="utf-8")
    with pytest.raises(IndexFolderError, match="corrupted"):
        load_index(folder)


def test_the_pipeline_gives_the_brief_with_the_articles_that_state_each_sentence(tmp_path: Path) -> None:
    settings = EngineSettings(
        seeds_dir=write_bridge_story(tmp_path / "seeds"), index_dir=tmp_path / "index", _env_file=None
    )
    pipeline = Pipeline.open(settings, encoder=FakeEncoder())
    lines = pipeline.brief()
    (both,) = [line for line in lines if "420 метров" in line.sentence.text]
    assert [a.id for a in both.articles] == ["001_bridge", "002_bridge"]
    assert all(line.articles[0].id == line.sentence.article_id for line in lines)
    position = pipeline.article_position("002_bridge")
    article = pipeline.article_at(position)
    assert article is not None
    assert article.id == "002_bridge"
    assert pipeline.article_at(99) is None
