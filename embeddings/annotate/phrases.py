"""Spans found by morphology: numbers with the noun they count, durations, roles, reasons, speech.

pymorphy3 says what each word is: a numeral, a noun and its lemma, an
animate noun. The closed word classes a grammar of Russian lists (units of
time, the conjunctions of cause and purpose, verbs of saying, days of the
week) are the only words named here; every open-class word is told by its
parse.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from natasha.grammars.date import MONTHS

from embeddings.annotate.spans import Kind, Span
from embeddings.lexicon import best_parse, is_role_noun, parses
from embeddings.text import WORD, fold

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# Words that multiply or stand for a quantity but parse as nouns.
QUANTITY_LEMMAS = frozenset(
    [
        "тысяча",
        "миллион",
        "миллиард",
        "триллион",
        "млн",
        "млрд",
        "трлн",
        "тыс",
        "десяток",
        "сотня",
        "половина",
        "треть",
        "четверть",
    ]
)


class Time(enum.Enum):
    """What a word of time is: a unit ("год"), a name of the calendar ("апрель", "осень"), or a day relative to now."""

    UNIT = "unit"
    CALENDAR = "calendar"
    RELATIVE = "relative"


# Words of time, one closed class each: units, the calendar's names (weekdays, months, seasons), relative days.
_TIME_WORDS: dict[str, Time] = {
    **dict.fromkeys(
        ["секунда", "минута", "час", "сутки", "день", "неделя", "месяц", "год", "десятилетие", "век"],
        Time.UNIT,
    ),
    **dict.fromkeys(
        [
            "понедельник",
            "вторник",
            "среда",
            "четверг",
            "пятница",
            "суббота",
            "воскресенье",
            *MONTHS,  # natasha's names of the months
            "зима",
            "весна",
            "лето",
            "осень",
        ],
        Time.CALENDAR,
    ),
    **dict.fromkeys(["вчера", "сегодня", "завтра", "позавчера", "послезавтра", "накануне"], Time.RELATIVE),
}
TIME_UNITS = frozenset(w for w, kind in _TIME_WORDS.items() if kind is Time.UNIT)
_REASONS = re.compile(
    r"\b(чтобы|потому что|поскольку|так как|из-за|благодаря|ради|в целях|с целью|для того|в связи с|"
    r"because|in order to|so that|due to)\b",
    re.IGNORECASE,
)
SAYING = frozenset(
    [
        "сказать",
        "заявить",
        "отметить",
        "подчеркнуть",
        "сообщить",
        "добавить",
        "пояснить",
        "рассказать",
        "заметить",
        "говорить",
        "отмечать",
        "подчёркивать",
        "подчеркивать",
        "заявлять",
        "считать",
        "выразить",
        "признаться",
        "напомнить",
    ]
)
_QUOTATION = re.compile(r"[«\"“„].{12,}?[»\"”“]|^\s*[—–-]\s")
_SITE_PREPOSITIONS = {
    "в": ("loct", "loc2"),
    "во": ("loct", "loc2"),
    "на": ("loct", "loc2"),
    "к": ("datv",),
    "у": ("gent",),
    "возле": ("gent",),
    "около": ("gent",),
}
COUNTED_REACH = 3  # words after a number in which the noun it counts may stand


def _tokens(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), fold(match.group())


def _is_quantity(word: str) -> bool:
    if word[0].isdigit():
        return True
    parse = best_parse(word)
    return parse.tag.POS == "NUMR" or str(parse.normal_form) in QUANTITY_LEMMAS


def _site(tokens: list[tuple[int, int, str]], i: int) -> tuple[int, str] | None:
    """The end and noun lemma of a place said with a preposition ("на участке") starting at token i, if any."""
    cases = _SITE_PREPOSITIONS.get(tokens[i][2])
    if cases is None:
        return None
    for _, end, word in tokens[i + 1 : i + 3]:
        parse = best_parse(word)
        if parse.tag.POS == "NOUN" and "anim" not in parse.tag.grammemes:
            # "области" is genitive, dative or locative: the preposition decides, any reading may do
            fits = any(p.tag.POS == "NOUN" and p.tag.case in cases for p in parses(word))
            return (end, str(parse.normal_form)) if fits else None
        if parse.tag.POS not in ("ADJF", "PRTF"):
            return None
    return None


ADJECTIVE_SUFFIX = 3  # letters of the suffix and ending a noun takes as an adjective ("лет-ний", "этаж-ный")


def _compounded(text: str, tokens: list[tuple[int, int, str]], last: int) -> str:
    """The noun a number joined by a hyphen to an adjective counts: the noun the adjective is made of ("67-летняя":
    "год", "5-этажный": "этаж", "100-местный": "место"); "" for none."""
    if last + 1 >= len(tokens) or text[tokens[last][1] : tokens[last + 1][0]] != "-":
        return ""
    parse = best_parse(tokens[last + 1][2])
    if parse.tag.POS != "ADJF":
        return ""
    root = str(parse.normal_form)[:-ADJECTIVE_SUFFIX]
    noun = next((p for p in parses(root) if p.tag.POS == "NOUN" and p.is_known), None)
    return str(noun.normal_form) if noun is not None else ""


NUMERAL_STEM = 3, 8  # the shortest and longest numeral a compound adjective opens with ("двух", "двадцати")


@lru_cache(maxsize=65_536)  # each adjective of the articles is tried at several splits, and adjectives recur
def _numeral_compound(word: str) -> str:
    """The noun an adjective opening with a numeral counts, as "5-этажный" does with digits: "двухпалатный"
    ("двух" + "палатный": "палата"), "трёхэтажный" ("этаж"); "" for any other word."""
    shortest, longest = NUMERAL_STEM
    for split in range(shortest, min(longest, len(word) - ADJECTIVE_SUFFIX - 1) + 1):
        if not any(p.tag.POS == "NUMR" and p.tag.case == "gent" for p in parses(word[:split])):
            continue
        rest = best_parse(word[split:])
        if rest.tag.POS != "ADJF" or not rest.is_known:
            continue
        noun = next((p for p in parses(str(rest.normal_form)[:-ADJECTIVE_SUFFIX]) if p.tag.POS == "NOUN"), None)
        if noun is not None and noun.is_known:
            return str(noun.normal_form)
    return ""


def _counts_vaguely(word: str) -> bool:
    """A word that may count without a figure: one pymorphy may read as a numeral ("много", "несколько"), or the
    pronominal numeral "один"."""
    return any(p.tag.POS == "NUMR" or {"Apro", "Anum"} <= set(p.tag.grammemes) for p in parses(word))


def _places_in_time(word: str) -> bool:
    """An adjective that says which one ("следующем", "прошлой", "этом"); not how many, which number or what kind
    ("каждый", "весь", "первый", "круглый")."""
    if any("Anph" in p.tag.grammemes for p in parses(word)):
        return True
    tag = best_parse(word).tag
    return tag.POS in ("ADJF", "PRTF") and not {"Anum", "Apro", "Qual"} & set(tag.grammemes)


def phrases(text: str) -> list[Span]:
    """Numbers (with what they count), durations, roles, relative dates, reasons and speech of one sentence."""
    tokens = list(_tokens(text))
    found: list[Span] = []
    i = 0
    while i < len(tokens):
        start, end, word = tokens[i]
        if not _is_quantity(word):
            parse = best_parse(word)
            lemma = str(parse.normal_form)
            counted = _numeral_compound(word) if parse.tag.POS == "ADJF" else ""
            if counted:
                kind = Kind.DURATION if counted in TIME_UNITS else Kind.NUMBER
                found.append(Span(kind, start, end, text[start:end], counted))
            site = _site(tokens, i)
            if site is not None:
                found.append(Span(Kind.SITE, start, site[0], text[start : site[0]], site[1]))
            if is_role_noun(parse):
                found.append(Span(Kind.ROLE, start, end, text[start:end], lemma))
            elif _TIME_WORDS.get(lemma) is Time.CALENDAR or _TIME_WORDS.get(word) is Time.RELATIVE:
                found.append(Span(Kind.DATE, start, end, text[start:end], lemma))
            elif lemma in TIME_UNITS and i > 0 and _places_in_time(tokens[i - 1][2]):
                # "в следующем году", "на прошлой неделе", "в этом году": a unit of time its adjective places
                begin = tokens[i - 1][0]
                found.append(Span(Kind.DATE, begin, end, text[begin:end], lemma))
            elif (
                lemma in TIME_UNITS
                and i > 0
                and _counts_vaguely(tokens[i - 1][2])
                and not _is_quantity(tokens[i - 1][2])
            ):
                # "не один год", "много лет", "несколько месяцев": how long, without a figure
                begin = tokens[i - 1][0]
                found.append(Span(Kind.DURATION, begin, end, text[begin:end], lemma))
            i += 1
            continue
        last = i
        while (
            last + 1 < len(tokens)
            and _is_quantity(tokens[last + 1][2])
            and not text[tokens[last][1] : tokens[last + 1][0]].strip()  # "2023–2025" are two numbers
        ):
            last += 1
        stop = tokens[last][1]
        percent = text[stop:].lstrip().startswith("%")  # "40%" reads "40 процентов"
        counted = "процент" if percent else _compounded(text, tokens, last)
        after = () if counted else tokens[last + 1 : last + 1 + COUNTED_REACH]
        for _, _, following in after:
            parse = best_parse(following)
            if parse.tag.POS == "NOUN":
                counted = str(parse.normal_form)
                break
            if parse.tag.POS not in ("ADJF", "PRTF", "ADJS"):
                break
        kind = Kind.DURATION if counted in TIME_UNITS else Kind.NUMBER
        stop = text.index("%", stop) + 1 if percent else stop
        found.append(Span(kind, start, stop, text[start:stop], counted))
        i = last + 1
    for match in _REASONS.finditer(text):
        found.append(Span(Kind.REASON, match.start(), match.end(), match.group(), fold(match.group())))
    quotation = _QUOTATION.search(text)
    saying = None if quotation else next((t for t in tokens if str(best_parse(t[2]).normal_form) in SAYING), None)
    if quotation is not None:
        found.append(Span(Kind.SPEECH, quotation.start(), quotation.end(), quotation.group(), ""))
    elif saying is not None:
        found.append(Span(Kind.SPEECH, saying[0], saying[1], text[saying[0] : saying[1]], ""))
    return found


def with_preposition(text: str, span: Span) -> str:
    """A span of `text` as said, with the preposition right before it if there is one ("в прошлом году")."""
    before = list(WORD.finditer(text[: span.start]))
    if before and best_parse(fold(before[-1].group())).tag.POS == "PREP":
        return text[before[-1].start() : span.end]
    return span.text


def symbol_nouns(spans: Sequence[Span]) -> str:
    """The nouns a sentence's numbers count but write as a symbol ("18%": "процент"), for search to count
    beside its words: a question says "на сколько процентов"."""
    return " ".join(
        s.value for s in spans if s.kind is Kind.NUMBER and s.value and not any(c.isalpha() for c in s.text)
    )
