from __future__ import annotations

import pytest

from embeddings.retrieve.question import AnswerType, Wanted, answer_type, holds, wanted


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Сколько совместных производств?", AnswerType.NUMBER),
        ("How many joint ventures are there?", AnswerType.NUMBER),
        ("Қанша бірлескен өндіріс бар?", AnswerType.NUMBER),
        ("Когда прошли переговоры?", AnswerType.DATE),
        ("When did they meet?", AnswerType.DATE),
        ("Сколько стоит самосвал?", AnswerType.MONEY),
        ("Сколько лет Кошанову?", AnswerType.AGE),
        ("Сколько лет было Кошанову, когда он стал спикером?", AnswerType.AGE),
        ("Сколько лет законодатели налаживали контакты?", AnswerType.NUMBER),  # how long, not how old
        ("О чём когда-то мечтал Лукашенко?", AnswerType.ANY),  # "когда-то" asks no date
        ("За сколько лет страна станет цифровой?", AnswerType.NUMBER),
        ("На какую сумму торгуют страны?", AnswerType.MONEY),
        ("Кто возглавляет палату?", AnswerType.PERSON),
        ("Где возложили цветы?", AnswerType.PLACE),
        ("Какой товарооборот у двух стран?", AnswerType.NUMBER),
        ("Каково население Казахстана?", AnswerType.NUMBER),
        ("Какой статус у визита?", AnswerType.ANY),
    ],
)
def test_answer_type_of_question(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_evidence_must_hold_the_wanted_kind() -> None:
    assert holds("около десяти совместных производств", AnswerType.NUMBER)
    assert holds("превысила 1 млрд долларов", AnswerType.MONEY)
    assert not holds("Депутаты возложили цветы", AnswerType.NUMBER)
    assert holds("Переговоры 5 февраля прошли", AnswerType.DATE)
    assert not holds("около десяти производств", AnswerType.MONEY)
    assert holds("что угодно", AnswerType.ANY)


CORPUS_STEMS = {"депутат", "мажилис", "палат", "парламент", "совместн", "производств", "белаз", "пок"}


def known(stem: str) -> bool:
    return stem in CORPUS_STEMS


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("Сколько депутатов в Мажилисе?", ("депутат",)),
        ("Сколько совместных производств работает?", ("совместн", "производств")),
        ("Сколько стоит один самосвал БЕЛАЗ?", ("белаз",)),  # the numeral is skipped, the unknown word too
        ("Сколько палат пока что в парламенте?", ("палат", "пок")),
        ("За сколько лет страна станет цифровой?", ("лет", "год")),  # a unit: a number of years answers
        ("Сколько дипутатов в Мажилисе?", ()),  # a typo cannot be checked
        ("На какую сумму торгуют страны?", ()),
        ("Кто возглавляет палату?", ()),
    ],
)
def test_what_a_question_counts(question: str, counted: tuple[str, ...]) -> None:
    assert wanted(question, known).counted == counted


def test_a_number_must_stand_next_to_what_is_counted() -> None:
    deputies = wanted("Сколько депутатов в Мажилисе?", known)
    assert deputies.met_by("В Мажилисе работают 98 депутатов.")
    assert not deputies.met_by(
        "Председатель Мажилиса сообщил, что задача поставлена на ближайшие три года. "
        "В этой связи депутатами разработаны новые законы."
    )
    chambers = wanted("Сколько палат пока что в парламенте?", known)
    assert chambers.met_by("один из спикеров пока еще двухпалатного парламента")  # the number inside the word


def test_without_counted_words_the_kind_alone_decides() -> None:
    assert Wanted(AnswerType.NUMBER).met_by("через три года")
    assert not Wanted(AnswerType.NUMBER).met_by("депутаты возложили цветы")
    assert Wanted(AnswerType.ANY).met_by("что угодно")


def test_a_number_of_days_or_years_must_count_days_or_years() -> None:
    days = wanted("Сколько дней длился визит?", lambda _: True)
    assert not days.met_by("Переговоры 5 февраля прошли в Палате представителей.")  # a date, not a duration
    assert days.met_by("Визит длился три дня.")
    years = wanted("Сколько лет законодатели налаживали контакты?", lambda _: True)
    assert years.met_by("Законодатели налаживали контакты не один год.")
