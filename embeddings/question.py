"""What kind of answer a question asks for, and whether a text can hold one.

Classic answer typing: "how many" wants a number, "when" a date, "how much
does it cost" an amount of money, "how old" an age. Evidence without the
wanted kind of answer does not answer the question, however close its words
are. Russian, English and Kazakh cue words; anything else is `ANY`.
"""

from __future__ import annotations

import enum
import re


class AnswerType(enum.Enum):
    """The kind of answer a question wants."""

    ANY = "any"
    NUMBER = "number"
    DATE = "date"
    MONEY = "money"
    AGE = "age"


_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    # "За сколько лет", "через сколько лет" ask for a span of time, not an age.
    (
        AnswerType.AGE,
        re.compile(
            r"(?<!за )(?<!через )(?<!на )\bсколько (ему |ей |им )?лет\b|\bвозраст|\bhow old\b|\bжасы\b|\bнеше жаста",
            re.I,
        ),
    ),
    (
        AnswerType.MONEY,
        re.compile(
            r"\bсколько стои|\bстоимост|\bна какую сумму\b|\bсумм[аеуы]\b|\bцен[аыуе]\b|\bзарплат"
            r"|\bhow much (does|do|did|is|are)\b.*\bcost|\bprice\b"
            r"|\bsalary\b|\bбағас|\bқанша тұрады",
            re.I,
        ),
    ),
    (
        AnswerType.DATE,
        re.compile(
            r"\bкогда\b|\bв какой день\b|\bкакого числа\b|\bв каком году\b"
            r"|\bwhen\b|\bwhat date\b|\bқашан\b|\bқай жылы\b",
            re.I,
        ),
    ),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\bсколько\b|\bскольк|\bкакое количество\b|\bкакой объ[её]м\b|\bhow many\b|\bhow much\b"
            r"|\bwhat is the (number|volume|amount)\b|\bқанша\b",
            re.I,
        ),
    ),
)

_NUMBER = re.compile(
    r"\d|\b(одн|один|два|две|двух|дву|три|трех|трёх|четыр|пят|шест|сем[ьи]|восем|девят|десят|двадцат|тридцат|сорок|сто\b|"
    r"сот|тысяч|миллион|миллиард|млн|млрд|половин|наполовину|процент|дважды|трижды|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|percent)",
    re.I,
)
_DATE = re.compile(
    r"\b\d{4}\b|\b(январ|феврал|март|апрел|ма[йяе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"накануне|вчера|сегодня|завтра|в эти дни|весной|летом|осенью|зимой)",
    re.I,
)
_MONEY = re.compile(r"доллар|рубл|тенге|евро|\$|€|₸|\busd\b|\bdollar|\beur\b", re.I)
_AGE = re.compile(r"\d+\s*(лет|год)|\bродил|\byears? old\b|\bborn\b|\bжаста", re.I)

_CHECKS = {
    AnswerType.ANY: None,
    AnswerType.NUMBER: _NUMBER,
    AnswerType.DATE: _DATE,
    AnswerType.MONEY: _MONEY,
    AnswerType.AGE: _AGE,
}


def answer_type(question: str) -> AnswerType:
    """The kind of answer `question` asks for (`ANY` when no cue is found)."""
    for kind, cue in _CUES:
        if cue.search(question):
            return kind
    return AnswerType.ANY


def holds(text: str, kind: AnswerType) -> bool:
    """True when `text` contains an answer of the wanted kind."""
    check = _CHECKS[kind]
    return check is None or bool(check.search(text))
