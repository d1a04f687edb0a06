"""What kind of answer a question asks for, and whether a text can hold one.

Classic answer typing: "how many" wants a number, "when" a date, "how much
does it cost" an amount of money, "how old" an age. Evidence without the
wanted kind of answer does not answer the question, however close its words
are. Russian, English and Kazakh cue words; anything else is `ANY`.

"How many deputies" also names what is counted: a number elsewhere in the
evidence ("in the next three years") does not count deputies. The counted
words are taken right after the cue, and only when the articles use them (a
word they never use cannot be checked, and a typo must not fail a question).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from embeddings.text import STOPWORDS, tokenize


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
            r"\bсколько\b|\bскольк|\bкакое количество\b|\bhow many\b|\bhow much\b"
            # "какой товарооборот", "каково население": a quantity asked for by its name
            r"|\b(как(ой|ая|ое|ов|ова|ово)|велик\w*)\s+(у\s+\w+\s+)?(товар\w*оборот|оборот|объ[её]м|численност|населени"
            r"|бюджет|тираж|выручк|прибыл|доля|площадь)"
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

_WORD = re.compile(r"\w+")
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


# "Сколько <what>", "сколько стоит <what>", "how many <what>": the words right after the cue.
_COUNTED_CUE = re.compile(r"\b(?:сколько|how many)\s+(?:(?:стои\w*|costs?)\s+)?", re.I)
_UNIT_TEXT = "лет год года раз процентов процента дней дня часов минут недель месяцев км метров"
_UNITS = frozenset(_UNIT_TEXT.split())
_COUNTED_WORDS = 2
NEAR = 4  # words between a number and what it counts


@dataclass(frozen=True)
class Wanted:
    """The kind of answer a question wants and the stems of what it counts, if it says."""

    kind: AnswerType
    counted: tuple[str, ...] = ()

    def met_by(self, text: str) -> bool:
        """True when `text` holds an answer of the wanted kind, next to a counted word if there are any."""
        if not holds(text, self.kind):
            return False
        if not self.counted:
            return True
        check = _CHECKS[self.kind]
        assert check is not None
        words = _WORD.findall(text.lower().replace("ё", "е"))
        answers = [i for i, w in enumerate(words) if check.search(w)]
        subjects = [i for i, w in enumerate(words) if any(stem in w for stem in self.counted)]
        return any(abs(i - j) <= NEAR for i in answers for j in subjects)


def wanted(question: str, known: Callable[[str], bool]) -> Wanted:
    """What `question` wants; `known` tells which stems the articles use."""
    kind = answer_type(question)
    if kind not in (AnswerType.NUMBER, AnswerType.MONEY):
        return Wanted(kind)
    cue = _COUNTED_CUE.search(question)
    if cue is None:
        return Wanted(kind)
    counted: list[str] = []
    for word in _WORD.findall(question[cue.end() :].lower().replace("ё", "е"))[: _COUNTED_WORDS + 1]:
        if word in _UNITS and not counted:
            return Wanted(kind)  # "сколько лет": any number of years answers
        if _NUMBER.match(word):
            continue  # "сколько стоит один самосвал"
        if word in STOPWORDS or len(counted) == _COUNTED_WORDS:
            break
        counted.extend(stem for stem in tokenize(word) if known(stem))
    return Wanted(kind, tuple(counted))
