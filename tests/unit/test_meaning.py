"""Russian verbs the articles do not use, matched to article words of like meaning by navec; nouns are not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from embeddings.answer.evidence import FEATURES
from embeddings.index.load import window_text
from embeddings.params import Bridge, Evidence
from embeddings.retrieve.meaning import MeaningBridge
from embeddings.text import stem
from tests.conftest import ANSWER_ALL
from tests.support.stories import one_article_pipeline

FORMS = ["председатель", "приезжаю", "комбайны", "торговли", "вырос", "спорт"]


def test_an_unmatched_verb_finds_the_article_word_of_like_meaning() -> None:
    found = MeaningBridge(FORMS, Bridge()).map(["увеличился", "ездили"])
    assert found["увеличился"].stem == "вырос"
    assert found["ездили"].stem == "приезжа"


def test_a_match_by_meaning_is_never_sure_enough_to_be_searched() -> None:
    # navec puts opposites close: "сократился" lands on "вырос" as near as "увеличился" does
    params = Bridge()
    found = MeaningBridge(FORMS, params).map(["увеличился", "сократился"])
    assert all(hit.strength <= params.meaning_most < params.search for hit in found.values())


def test_a_noun_is_what_is_asked_about_and_is_not_stood_in_for() -> None:
    assert MeaningBridge(FORMS, Bridge()).map(["хоккей", "футбол"]) == {}  # "спорт" is near, and no answer


def test_a_weak_likeness_is_a_weak_match_and_none_below_the_floor() -> None:
    bridge = MeaningBridge(FORMS, Bridge())
    strength = bridge.map(["торгуют"])["торгуют"].strength
    assert 0.0 < strength < 1.0
    assert MeaningBridge(FORMS, Bridge(meaning_low=0.9, meaning_high=0.95)).map(["торгуют"]) == {}


def test_of_the_words_close_in_meaning_one_of_the_same_root_comes_first() -> None:
    # navec puts "посетить" nearer "пригласил" than "приглашению"; the root decides between the two
    found = MeaningBridge(["посетили", "приглашению", "благодаря"], Bridge()).map(["пригласил", "благодарил"])
    assert found["пригласил"].stem == "приглашен"
    assert "благодарил" not in found or found["благодарил"].stem != "благодар"  # a false friend is not near in navec


def test_a_verb_the_articles_use_has_their_other_words_of_like_meaning() -> None:
    forms = [*FORMS, "показал", "продемонстрировали"]
    near = MeaningBridge(forms, Bridge()).near(["показали", "вырос", "комбайны"])
    assert set(near) == {"показали"}  # its own stem is not "near"; a noun has none
    assert 0.0 < near["показали"][stem("продемонстрировали")] <= Bridge().meaning_most


def test_a_sentence_saying_the_verb_in_other_words_is_the_one_quoted(tmp_path: Path) -> None:
    text = (
        " date 2026-04-02 Новости района\n\n"
        "Гости осмотрели цеха завода.\n\n"
        "В районе открыли новую библиотеку.\n\n"
        "На заводе гостям продемонстрировали новый трактор.\n\n"
        "В городе отремонтировали дороги.\n\n"
        "Опрос показал рост интереса к технике.\n"
    )
    # windows ranked by the question's words alone: the two sentences with "гости" and "завод" tie but for the verb
    by_words = replace(Evidence(), **{name: 1.0 if name == "terms" else 0.0 for name in FEATURES})
    params = replace(ANSWER_ALL, evidence=by_words, evidence_dense=by_words)
    pipeline = one_article_pipeline(tmp_path, "001_plant.txt", text, params)
    reading, _ = pipeline.read("Что показали гостям на заводе?")
    assert reading is not None
    bridged = pipeline.bridged(reading)
    ranked = pipeline.answerer.ranker.rank(
        reading, pipeline.search(reading, bridged, 10), bridged, pipeline.near(reading)
    )
    index = pipeline.index
    assert "трактор" in window_text(index.chunks, index.windows[ranked[0].window_id], index.sentences)
