"""Russian verbs the articles do not use, matched to article words of like meaning by navec; nouns are not."""

from __future__ import annotations

from embeddings.params import Bridge
from embeddings.retrieve.meaning import MeaningBridge

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
