"""What kind of answer a question asks for, and whether a text can hold one.

Classic answer typing: "how many" wants a number, "when" a date, "how much
does it cost" an amount of money, "how old" an age, "who" a person, "where"
a place, "who is X" what X is (a role next to the name). Evidence without the
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

from embeddings.retrieve.words import is_action, is_animate, is_locative, is_numeral, is_place, russian_name
from embeddings.text import STOPWORDS, WORD, fold, tokenize, words


class AnswerType(enum.Enum):
    """The kind of answer a question wants."""

    ANY = "any"
    NUMBER = "number"
    DATE = "date"
    MONEY = "money"
    AGE = "age"
    PERSON = "person"
    PLACE = "place"
    ROLE = "role"


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
            r"\bкогда\b(?!-)|\bв какой день\b|\bкакого числа\b|\bв каком году\b"
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
            r"|\bwhat is the (number|volume|amount)\b|\bқанша\b|\bнеше\b",
            re.I,
        ),
    ),
    (
        AnswerType.PLACE,
        re.compile(
            r"\b(где|куда|откуда)\b|\bв каком (городе|месте|регионе)\b|\bв какой (стране|области)\b"
            r"|\bwhere\b|\bwhich (city|country|place)\b|\bқайда\b|\bқай жерде\b|\bқай қалада\b",
            re.I,
        ),
    ),
    (
        AnswerType.PERSON,
        re.compile(r"\b(кто|кого|кому|кем|чей|чья|чьи|who|whom|whose|кім|кімге|кімді|кіммен|кімнің|кімдер)\b", re.I),
    ),
)

# A word that states a quantity: digits, a numeral, a number noun, or a compound that opens with a numeral.
_NUMBER = re.compile(
    r"\d|^(тысяч\w*|миллион\w*|миллиард\w*|триллион\w*|млн|млрд|трлн|тыс|сотн\w*|сотен|десят(ок|ка|ки|ков)\w*|"
    r"половин\w*|наполовину|процент\w*|дважды|трижды|вдвое|втрое|"
    r"(одно|двух|трех|четырех|пяти|десяти)[а-я]{4,}|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|million|billion|percent|"
    r"бір|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он|жүз|мың)$",
    re.I,
)
_DATE = re.compile(
    r"\b\d{4}\b|\b(январ|феврал|март|апрел|ма[йяе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"накануне)",
    re.I,
)
_PLACE_WORD = re.compile(r"\b(в|во|на|к|ко|у|из|возле|около)\s+[A-ZА-ЯЁ«\"]", re.U)
_PLACE_PREPOSITION = re.compile(r"\b(?:в|во|на)\s+(?:\w+\s+){0,2}?(\w+)", re.U)
_MONEY = re.compile(r"доллар|рубл|тенге|евро|\$|€|₸|\busd\b|\bdollar|\beur\b", re.I)
_AGE = re.compile(r"\d+\s*(лет|год)|\bродил|\byears? old\b|\bborn\b|\bжаста", re.I)

_CHECKS = {
    AnswerType.ANY: None,
    AnswerType.NUMBER: None,
    AnswerType.DATE: _DATE,
    AnswerType.MONEY: _MONEY,
    AnswerType.AGE: _AGE,
    AnswerType.PERSON: None,
    AnswerType.PLACE: None,
    AnswerType.ROLE: None,
}


def answer_type(question: str) -> AnswerType:
    """The kind of answer `question` asks for (`ANY` when no cue is found).

    "Сколько лет" followed by an action asks how long it went on, a number,
    not someone's age ("сколько лет депутаты налаживали контакты").
    """
    for kind, cue in _CUES:
        found = cue.search(question)
        if found:
            if kind is AnswerType.AGE and _asks_duration(question[found.end() :]):
                return AnswerType.NUMBER
            return kind
    return AnswerType.ANY


def _asks_duration(rest: str) -> bool:
    """Whether the clause after "сколько лет" holds an action ("налаживали"), not a person or "было"."""
    return any(is_action(word) for word in words(re.split(r"[,;:?!]", rest)[0]))


def is_number(word: str) -> bool:
    """True when a folded word states a quantity: digits, a numeral ("десяти"), "миллиард", "наполовину"..."""
    return bool(_NUMBER.search(word)) or is_numeral(word)


def holds(text: str, kind: AnswerType) -> bool:
    """True when `text` contains an answer of the wanted kind (a role is checked against a name: `Wanted`)."""
    if kind is AnswerType.NUMBER:
        return any(is_number(w) for w in words(text))
    if kind is AnswerType.PERSON:
        return any(is_animate(w) for w in words(text)) or any(_is_name(w) for w in _capitalised(text))
    if kind is AnswerType.PLACE:
        if _PLACE_WORD.search(text) or any(is_place(w) for w in words(text)):
            return True
        return any(is_locative(fold(m.group(1))) for m in _PLACE_PREPOSITION.finditer(text))
    check = _CHECKS[kind]
    return check is None or bool(check.search(text))


def _capitalised(text: str) -> list[str]:
    """Folded words of `text` written with a capital letter, except the first."""
    found = WORD.findall(text)[1:]
    return [fold(w) for w in found if w[0].isupper()]


def _is_name(word: str) -> bool:
    return russian_name(word) is not None


# "Сколько <what>", "сколько стоит <what>", "how many <what>": the words right after the cue.
_COUNTED_CUE = re.compile(r"\b(?:сколько|how many)\s+(?:(?:стои\w*|costs?)\s+)?", re.I)
# A unit after "сколько", and the stems a number of that unit is written with ("сколько лет" - "три года").
_UNITS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("лет", "год", "года", "годы"), ("лет", "год")),
    **dict.fromkeys(("дней", "дня", "день", "суток"), ("дн", "ден", "сут")),
    **dict.fromkeys(("недель", "недели", "неделю"), ("недел",)),
    **dict.fromkeys(("месяцев", "месяца", "месяц"), ("месяц",)),
    **dict.fromkeys(("часов", "часа", "час"), ("час",)),
    **dict.fromkeys(("минут", "минуты"), ("минут",)),
    **dict.fromkeys(("процентов", "процента"), ("процент", "%")),
    **dict.fromkeys(("раз", "раза"), ("раз",)),
    **dict.fromkeys(("км", "километров"), ("км", "километр")),
    **dict.fromkeys(("метров", "метра"), ("метр",)),
}
_COUNTED_WORDS = 2
NEAR = 4  # words between a number and what it counts


@dataclass(frozen=True)
class Wanted:
    """The kind of answer a question wants, and the stems of what it counts or of whom it asks, if it says."""

    kind: AnswerType
    counted: tuple[str, ...] = ()

    def met_by(self, text: str) -> bool:
        """True when `text` holds an answer of the wanted kind, next to a counted word if there are any.

        For a role ("who is X"), `counted` holds X's stems: a person noun
        ("председатель", "спикер") must stand within `NEAR` words of X.
        """
        if self.kind is AnswerType.ROLE:
            found = words(text)
            names = [i for i, w in enumerate(found) if any(w.startswith(s) for s in self.counted)]
            roles = [i for i, w in enumerate(found) if is_animate(w) and not _is_name(w)]
            return any(0 < abs(i - j) <= NEAR for i in names for j in roles)
        if not holds(text, self.kind):
            return False
        if not self.counted:
            return True
        found = words(text)
        answers = [i for i, w in enumerate(found) if _answers(w, self.kind)]
        subjects = [i for i, w in enumerate(found) if any(stem in w for stem in self.counted)]
        return any(abs(i - j) <= NEAR for i in answers for j in subjects)


def _answers(word: str, kind: AnswerType) -> bool:
    """Whether one folded word holds an answer of `kind` (a number, an amount, a date, an age)."""
    if kind is AnswerType.NUMBER:
        return is_number(word)
    check = _CHECKS[kind]
    return check is None or bool(check.search(word))


def wanted(question: str, known: Callable[[str], bool]) -> Wanted:
    """What `question` wants; `known` tells which stems the articles use."""
    kind = answer_type(question)
    if kind not in (AnswerType.NUMBER, AnswerType.MONEY):
        return Wanted(kind)
    cue = _COUNTED_CUE.search(question)
    if cue is None:
        return Wanted(kind)
    counted: list[str] = []
    for word in words(question[cue.end() :])[: _COUNTED_WORDS + 1]:
        if word in _UNITS and not counted:
            return Wanted(kind, _UNITS[word])  # "сколько дней": a number of days, not "5 февраля"
        if is_number(word):
            continue  # "сколько стоит один самосвал"
        if word in STOPWORDS or len(counted) == _COUNTED_WORDS:
            break
        counted.extend(stem for stem in tokenize(word) if known(stem))
    return Wanted(kind, tuple(counted))
