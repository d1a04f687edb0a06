"""Follow-ups that change one part of the previous question, and names the quote must stand with."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.conversation import Plan
from bot.render import partial_note, reply_blocks
from embeddings.annotate.spans import Kind, Span
from embeddings.answer.constraints import named_stems, on_article_date, spelled_out
from embeddings.pipeline import Pipeline
from embeddings.retrieve.followup import rewrite
from embeddings.text import stem
from tests.conftest import ANSWER_ALL
from tests.support.stories import one_article_pipeline


@pytest.mark.parametrize(
    ("fragment", "question", "expected"),
    [
        # a place in the same case replaces the last one; the question keeps its preposition
        (
            "а с Россией?",
            "Какой товарооборот между Беларусью и Казахстаном?",
            "Какой товарооборот между Беларусью и Россией?",
        ),
        # a place said with a preposition replaces one said so
        ("а в Хатыни?", "Когда Кошанов был на БЕЛАЗе?", "Когда Кошанов был в Хатыни?"),
        # a person replaces a person
        ("а Кочанова?", "Что сказал Сергеенко о цифровизации?", "Что сказал Кочанова о цифровизации?"),
        # a time the question has none of is added
        (
            "а в прошлом году?",
            "Сколько тракторов продали в Казахстан?",
            "Сколько тракторов продали в Казахстан в прошлом году?",
        ),
        ("а вчера?", "Что сказал Лукашенко?", "Что сказал Лукашенко вчера?"),
    ],
)
def test_the_part_a_follow_up_names_takes_the_place_of_its_kind(fragment: str, question: str, expected: str) -> None:
    changed = rewrite(fragment, question)
    assert changed is not None
    assert changed.question == expected


@pytest.mark.parametrize(
    "fragment",
    [
        "а когда?",
        "а что он сказал?",
        "а сколько стоил мост?",
        "подробнее",
        "а с Россией и Китаем?",
        "а не в прошлом году?",  # a negation is no part to put in
        "а кроме России?",  # nor what is set aside
        "а в Хатыни?",  # a place said with a preposition has none to replace in "между ... и Казахстаном"
        "а с Казахстаном?",  # the question holds it already
    ],
)
def test_a_follow_up_that_is_not_one_part_to_put_in_is_left_to_the_topic(fragment: str) -> None:
    assert rewrite(fragment, "Какой товарооборот между Беларусью и Казахстаном?") is None
    assert rewrite("а с Россией?", "What is the trade between Belarus and Kazakhstan?") is None  # another script


TRADE = (
    " date 2026-03-02 Беларусь и Казахстан подвели итоги года\n\n"
    "Товарооборот между Беларусью и Казахстаном в прошлом году превысил 1 млрд долларов.\n\n"
    "Беларусь поставляет в Казахстан тракторы и комбайны.\n\n"
    "Казахстан закупает в Беларуси молочную продукцию.\n\n"
    "Беларусь и Казахстан договорились открыть новые совместные производства.\n\n"
    "В Казахстане работают десять сборочных предприятий.\n\n"
    "Беларусь и Казахстан обсудили цифровизацию.\n\n"
    "Министры Беларуси и Казахстана встретятся осенью.\n\n"
    "Казахстан и Беларусь готовят форум регионов.\n\n"
    "Такой форум Беларусь уже проводила с Россией.\n"
)


@pytest.fixture
def trade(tmp_path: Path) -> Pipeline:
    return one_article_pipeline(tmp_path, "001_trade.txt", TRADE, ANSWER_ALL)


@pytest.mark.parametrize(
    ("met", "unmet", "reason", "missing"),
    [
        # a name the articles give once must stand with the quote; the partners named all through go without saying
        ("Какой товарооборот между Беларусью и Казахстаном?", "Какой товарооборот между Беларусью и Россией?",
         "absent_constraint", "Россия"),
        # a time must be said with the quote
        ("Какой товарооборот между Беларусью и Казахстаном в прошлом году?",
         "Сколько сборочных предприятий работает в Казахстане на прошлой неделе?", "absent_time", "на прошлой неделе"),
    ],
)  # fmt: skip
def test_a_name_or_time_the_question_gives_must_stand_with_the_quote(
    trade: Pipeline, met: str, unmet: str, reason: str, missing: str
) -> None:
    own = trade.ask(met)
    assert own.status.value == "answer"
    assert "1 млрд долларов" in own.evidence[0].text
    other = trade.ask(unmet)
    assert (other.status.value, other.reason, other.missing) == ("partial", reason, missing)


def test_a_partial_answer_names_the_name_or_the_time_it_lacks(trade: Pipeline) -> None:
    russia = trade.ask("Какой товарооборот между Беларусью и Россией?")
    assert partial_note(russia, "en") == (
        "The articles say nothing of this in connection with «Россия». Here is what they do say:"
    )
    week = trade.ask("Сколько сборочных предприятий работает в Казахстане на прошлой неделе?")
    assert partial_note(week, "ru").startswith("В статьях не сказано, сколько сборочных предприятий работает")
    assert partial_note(week, "en").startswith("The articles give nothing for that time («на прошлой неделе»)")


def test_a_month_of_the_articles_date_is_their_own(trade: Pipeline) -> None:
    dated = trade.ask("Сколько сборочных предприятий работает в Казахстане в марте?")  # the article's month
    assert dated.reason != "absent_time"
    assert trade.ask("Сколько сборочных предприятий работает в Казахстане в мае?").reason == "absent_time"


def test_a_changed_follow_up_says_how_it_was_read_and_becomes_the_topic(trade: Pipeline) -> None:
    answer = trade.ask("Какой товарооборот между Беларусью и Россией?")
    planned = Plan(
        "follow_up", "Какой товарооборот между Беларусью и Россией?", "Какой товарооборот?", changed="с Россией"
    )
    assert planned.next_topic == "Какой товарооборот между Беларусью и Россией?"
    note = reply_blocks(planned, answer, "ru")[0].plain
    assert note == "Понимаю вопрос так: «Какой товарооборот между Беларусью и Россией?». Новая тема — /new"
    assert Plan("follow_up", "а кто? Какой товарооборот?", "Какой товарооборот?").next_topic == "Какой товарооборот?"


def test_a_name_typed_in_lower_case_is_a_constraint_too(trade: Pipeline) -> None:
    other = trade.ask("какой товарооборот между беларусью и россией")
    assert (other.status.value, other.reason) == ("partial", "absent_constraint")


def test_a_time_in_the_askers_introduction_is_no_constraint(trade: Pipeline) -> None:
    answer = trade.ask("Я в прошлом месяце писал курсовую. Сколько сборочных предприятий работает в Казахстане?")
    assert answer.reason != "absent_time"


def test_an_acronym_is_spelled_out_by_adjacent_words_only() -> None:
    assert spelled_out("змк", "на Заречном мостовом комбинате")
    assert not spelled_out("змк", "в Заречье, мостовом комбинате")  # punctuation between
    assert not spelled_out("ос", "о стройке")  # two letters: chance would spell them


def test_a_month_or_year_is_the_articles_own_and_an_odd_date_is_none() -> None:
    may = Span(Kind.DATE, 0, 3, "мае")
    assert on_article_date(may, "2026-05-02")
    assert not on_article_date(may, "2026-03-02")
    assert not on_article_date(may, "not a date")


def test_only_names_in_the_names_of_places_and_organisations_are_constraints(trade: Pipeline) -> None:
    named = named_stems(trade.index)
    assert stem("россией") in named
    assert stem("и") not in named


def test_an_acronym_typed_in_lower_case_is_met_where_the_articles_spell_it_out(tmp_path: Path) -> None:
    text = (
        " date 2026-03-02 Беларусь и Казахстан подвели итоги года\n\n"
        "Казахстан помог Беларуси вступить в Шанхайскую организацию сотрудничества, сказал президент.\n\n"
        "Беларусь поставляет в Казахстан тракторы и комбайны.\n\n"
        "Казахстан закупает в Беларуси молочную продукцию.\n\n"
        "Беларусь председательствует в ШОС с осени.\n\n"
        "В Казахстане работают десять сборочных предприятий.\n"
    )
    pipeline = one_article_pipeline(tmp_path, "001_sco.txt", text, ANSWER_ALL)
    answer = pipeline.ask("кто помог беларуси вступить в шос")
    assert answer.evidence
    assert "Шанхайскую" in answer.evidence[0].text
    assert (answer.status.value, answer.reason) == ("answer", "answer")


FORUMS = (
    " date 2026-03-02 Регионы готовят форум\n\n"
    "Второй форум регионов прошёл в мае в Гродно.\n\n"
    "Третий форум регионов пройдёт в 2027 году в Минске.\n"
)


def test_an_ordinal_the_question_gives_is_no_other_one_the_quotes_give(tmp_path: Path) -> None:
    forums = one_article_pipeline(tmp_path, "001_forums.txt", FORUMS, ANSWER_ALL)
    third = forums.ask("Когда пройдёт третий форум регионов?")
    assert third.status.value == "answer"
    assert "2027" in third.evidence[0].text
    first = forums.ask("Когда прошёл первый форум регионов?")
    assert (first.status.value, first.reason, first.missing) == ("partial", "absent_constraint", "первый форум")
