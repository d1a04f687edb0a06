from __future__ import annotations

import pytest

from embeddings.question import AnswerType, answer_type, holds


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
        ("За сколько лет страна станет цифровой?", AnswerType.NUMBER),
        ("На какую сумму торгуют страны?", AnswerType.MONEY),
        ("Кто возглавляет палату?", AnswerType.ANY),
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
