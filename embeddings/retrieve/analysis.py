"""What a question asks for: the kind of answer it expects, and the noun that answer is of.

Classic answer typing over lemmas. A question word sets the kind ("кто" a
person, "где" a place, "когда" a date, "сколько" a number, "почему" a
reason); "сколько" takes the noun it counts ("сколько производств": a
number of <noun>; "сколько лет": a duration, or an age when it asks it of
someone); "какой <noun>" / "which <noun>" wants an instance or a value
of that noun, and the noun's own meaning narrows it: a place noun wants a
place, a time noun a date, a money noun an amount of money. Question words are a
closed class of each language, so they are the only words listed here;
every other word is told by its pymorphy3 parse.

`Analysis.kinds` are the span kinds (`annotate.spans.Kind`) that can
answer; `strict` kinds must be found in the quoted evidence, or the answer
is partial.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from razdel import sentenize

from embeddings.annotate.phrases import QUANTITY_LEMMAS, SAYING, TIME_UNITS
from embeddings.annotate.spans import Kind
from embeddings.lexicon import (
    MIN_ROOT,
    MODIFIERS,
    PERSON_TAGS,
    VERBS,
    best_parse,
    is_role_noun,
    lemma,
    parses,
    similarity,
)
from embeddings.retrieve.vocabulary import kazakh_roots
from embeddings.retrieve.words import english_kinds, english_lemmas
from embeddings.text import STOPWORDS, WORD, fold, is_cyrillic, is_kazakh


class Asks(enum.Enum):
    """The kind of answer a question wants (its value names the part a partial answer lacks; bot/render.py)."""

    OPEN = "any"
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"  # "какая компания": an organisation the articles name
    DATE = "date"
    MONEY = "money"
    NUMBER = "number"
    DURATION = "duration"
    AGE = "age"
    REASON = "reason"
    AMOUNT = "amount"  # "какой бюджет": an amount of a measure the articles give in numbers
    VALUE = "value"  # "какой статус": a value or an instance of the named noun
    ROLE = "role"  # "кто такой X": what X is
    NAME = "name"  # "как называется X": the name the articles give an X (read by `Analysis.typed`)


_KINDS: dict[Asks, frozenset[Kind]] = {
    Asks.OPEN: frozenset(),
    Asks.PERSON: frozenset({Kind.PER, Kind.ORG, Kind.ROLE}),
    Asks.PLACE: frozenset({Kind.LOC, Kind.SITE}),
    Asks.ORGANISATION: frozenset({Kind.ORG}),
    Asks.DATE: frozenset({Kind.DATE}),
    Asks.MONEY: frozenset({Kind.MONEY}),
    Asks.NUMBER: frozenset({Kind.NUMBER, Kind.MONEY, Kind.DURATION}),
    Asks.DURATION: frozenset({Kind.DURATION}),
    Asks.AGE: frozenset({Kind.DURATION, Kind.NUMBER}),
    Asks.AMOUNT: frozenset({Kind.NUMBER, Kind.MONEY}),
    Asks.REASON: frozenset({Kind.REASON}),
    Asks.VALUE: frozenset(
        {Kind.NUMBER, Kind.MONEY, Kind.DURATION, Kind.DATE, Kind.PER, Kind.ORG, Kind.LOC, Kind.LIST}
    ),  # a list answers only "какие X", asking for several
    Asks.ROLE: frozenset({Kind.ROLE}),
    Asks.NAME: frozenset(),  # an X the articles never give a name in apposition to: none of them answers
}
_STRICT = frozenset(
    {
        Asks.PERSON,
        Asks.PLACE,
        Asks.ORGANISATION,
        Asks.DATE,
        Asks.MONEY,
        Asks.NUMBER,
        Asks.AMOUNT,
        Asks.DURATION,
        Asks.AGE,
        Asks.ROLE,
        Asks.NAME,
    }
)

# Question words, by lemma (Russian) or as written (English, Kazakh): the closed class every language has.
_QUESTION_WORDS: dict[str, Asks] = {
    **dict.fromkeys(("кто", "чей", "who", "whom", "whose"), Asks.PERSON),
    **dict.fromkeys(("где", "куда", "откуда", "where", "қайда", "қайдан"), Asks.PLACE),
    **dict.fromkeys(("когда", "када", "when", "қашан"), Asks.DATE),
    **dict.fromkeys(("сколько", "скока", "скок", "қанша", "неше"), Asks.NUMBER),
    **dict.fromkeys(("почему", "зачем", "why", "неге", "неліктен"), Asks.REASON),
    **dict.fromkeys(("что", "чем", "чём", "как", "насколько", "ли", "how", "жайлы", "туралы"), Asks.OPEN),
    **dict.fromkeys(
        ("какой", "каков", "каково", "какова", "каковы", "который", "which", "what", "қандай", "қай"), Asks.VALUE
    ),
}
QUESTION_WORDS = frozenset(_QUESTION_WORDS)


class Function(enum.Enum):
    """The grammatical part a function word plays in a question."""

    COPULA = "copula"  # "является", "is", "такой": links the subject to what is asked of it
    AUXILIARY = "auxiliary"  # an English question opening with one asks yes or no
    WHETHER = "whether"  # a yes/no particle: "ли", Kazakh "ма"; "разве", "правда" opening a question
    TOPIC = "topic"  # a preposition that names what a question is about: "о", "about", Kazakh "туралы"
    MEANING = "meaning"  # "что значит X", "X нені білдіреді": asks what a word means
    TELL = "tell"  # "расскажи", "tell me", "what is known": asks what the articles say
    EXCEPT = "except"  # "кроме X", "besides X", Kazakh "X-тан басқа": X is known to the asker, not asked for
    FILLER = "filler"  # says nothing of the content: a parenthetical ("вообще", "короче"), particle or interjection


_FUNCTION_WORDS: dict[str, Function] = {
    **dict.fromkeys(
        ("быть", "являться", "это", "такой", "таков", "is", "are", "was", "were", "s", "ол", "деген"), Function.COPULA
    ),
    **dict.fromkeys(
        ("do", "does", "did", "has", "have", "had", "can", "could", "will", "would", "should", "shall", "may"),
        Function.AUXILIARY,
    ),
    **dict.fromkeys(
        ("ли", "разве", "неужели", "правда", "верно", "ма", "ме", "ба", "бе", "па", "пе"), Function.WHETHER
    ),
    **dict.fromkeys(
        ("о", "об", "обо", "про", "насчет", "относительно", "about", "regarding", "concerning", "туралы", "жайлы"),
        Function.TOPIC,
    ),
    **dict.fromkeys(("значить", "значит", "означать", "за", "білдіреді", "мағынасы"), Function.MEANING),
    **dict.fromkeys(("кроме", "помимо", "except", "besides", "excluding", "басқа"), Function.EXCEPT),
    **dict.fromkeys(
        ("известный", "писать", "знать", "говориться", "tell", "know", "known", "me", "you", "мне"), Function.TELL
    ),
}


def function(word: str) -> Function | None:
    """The part a folded word plays as a function word (by its lemma for Russian), or None."""
    found = _FUNCTION_WORDS.get(word)
    if found is None and is_cyrillic(word):
        found = _FUNCTION_WORDS.get(lemma(word))
        parse = best_parse(word)
        grammemes = parse.tag.grammemes if parse.is_known else frozenset()  # "бидай" (Kazakh: wheat) is no verb
        if found is None and lemma(word) in SAYING:
            found = Function.TELL if "impr" in grammemes or "PRTS" in grammemes else None  # "расскажи", "сказано"
        if found is None and {"impr", "excl"} <= grammemes:
            found = Function.TELL  # "подскажите", "назовите": the asker's request to the reader, not what is asked
        if found is None and _filler(word):
            found = Function.FILLER
    return found


def _filler(word: str) -> bool:
    """A Russian word pymorphy reads as a particle or an interjection, or may read as a parenthetical."""
    return best_parse(word).tag.POS in ("PRCL", "INTJ") or any("Prnt" in p.tag.grammemes for p in parses(word))


EXCEPTED_WORDS = 4  # the most words "кроме" / "except" sets aside
_CLAUSE_END = re.compile(r"[?!.,;:…()—–]")
_ABLATIVE = ("дан", "ден", "тан", "тен", "нан", "нен")  # Kazakh: "Тихоновтан басқа", from whom apart


def set_aside(text: str) -> tuple[str, str]:
    """`text` without what it sets aside ("С кем, кроме Тихонова, ..."), and the words set aside.

    Russian takes the noun phrase after "кроме" / "помимо" (modifiers, then one
    noun or name, by their pymorphy3 parse; "X и Y" both); English the name
    after "besides" / "except" (its capitalised words, else one word); Kazakh
    "басқа" the word before it in the ablative ("Тихоновтан басқа").
    """
    matches = list(WORD.finditer(text))
    for i, match in enumerate(matches):
        word = fold(match.group())
        if function(word) is not Function.EXCEPT:
            continue
        if word == "басқа":
            before = matches[i - 1] if i else None
            if before is None or not fold(before.group()).endswith(_ABLATIVE):
                return text, ""
            return _cut(text, before.start(), match.end()), before.group()
        taken = _phrase(text, matches[i + 1 : i + 1 + EXCEPTED_WORDS], match.end())
        if not taken:
            return text, ""
        return _cut(text, match.start(), taken[-1].end()), text[taken[0].start() : taken[-1].end()]
    return text, ""


def _phrase(text: str, following: list[re.Match[str]], end: int) -> list[re.Match[str]]:
    """The words of the phrase an "except" word governs, from `following` (the words after it)."""
    taken: list[re.Match[str]] = []
    for candidate in following:
        if _CLAUSE_END.search(text[(taken[-1].end() if taken else end) : candidate.start()]):
            break
        word = fold(candidate.group())
        if question_word(word) is not None or function(word) is not None:
            break
        if not is_cyrillic(word):  # English: a run of capitalised words, else the one word
            if taken and not (candidate.group()[:1].isupper() and taken[-1].group()[:1].isupper()):
                break
            taken.append(candidate)
            continue
        pos = best_parse(word).tag.POS
        if pos == "CONJ" and taken and len(word) <= 3:  # "кроме Гродно и Бреста"
            taken.append(candidate)
            continue
        if (
            taken
            and not _joins(fold(taken[-1].group()))
            and best_parse(fold(taken[-1].group())).tag.POS not in MODIFIERS
        ):
            break  # the phrase's noun came already
        if pos not in MODIFIERS | {"NOUN", "NPRO", None}:
            break
        taken.append(candidate)
    while taken and _joins(fold(taken[-1].group())):
        taken.pop()
    return taken


def _cut(text: str, start: int, end: int) -> str:
    """`text` without `start`..`end`, and without the commas that set that part off."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if after.startswith(","):
        after = after[1:].lstrip()
        before = before.removesuffix(",")
    elif before.endswith(",") and not after[:1].isalnum():
        before = before[:-1]
    return f"{before} {after}".strip() if after[:1].isalnum() else f"{before}{after}"


def _joins(word: str) -> bool:
    """A conjunction that may join two nouns of one phrase ("кроме Гродно и Бреста")."""
    return is_cyrillic(word) and len(word) <= 3 and best_parse(word).tag.POS == "CONJ"


_KAZAKH_PERSON = "кім"  # with its case endings: "кімге", "кіммен"
# "Как зовут ...", "как называется ...", "the name of ...": a name is asked, a person's or a thing's (`_named_thing`)
_NAME = re.compile(
    r"\b(как (?:его |её |ее |их )?(?:зовут|звали|называ\w*)|what(?: is|'s|s) (?:his |her |the |its )?name|название"
    r"|наименование|есімі кім|аты кім)\b"
)
_AGE = re.compile(r"\b(жаста|жасы|возраст\w*)\b")
# Nouns after "какой" / "which" whose own meaning is the kind of answer.
_CATEGORY_NOUNS: dict[str, Asks] = {
    **dict.fromkeys(
        ["город", "страна", "область", "регион", "район", "столица", "село", "посёлок", "поселок", "улица"],
        Asks.PLACE,
    ),
    **dict.fromkeys(["city", "country", "place", "region", "town", "қала", "облыс", "аудан"], Asks.PLACE),
    **dict.fromkeys(["год", "день", "число", "дата", "месяц"], Asks.DATE),
    **dict.fromkeys(["year", "date", "day", "month", "жыл", "күн"], Asks.DATE),
    **dict.fromkeys(
        ["сумма", "стоимость", "цена", "деньги", "деньга", "средство", "инвестиция", "вложение"], Asks.MONEY
    ),
    **dict.fromkeys(["cost", "price", "sum", "money", "funds", "investment"], Asks.MONEY),
    **dict.fromkeys(["должность", "пост", "профессия", "position", "post", "job"], Asks.ROLE),
    **dict.fromkeys(
        ["объём", "объем", "размер", "количество", "цифра", "уровень", "показатель", "величина"], Asks.AMOUNT
    ),
    **dict.fromkeys(["volume", "amount", "figure", "size", "level", "total"], Asks.AMOUNT),
}
# Words that make "сколько" / "how much" ask an amount of money: what something costs, what was put into it.
_COST = frozenset(
    [
        "стоить",
        "стоимость",
        "цена",
        "обойтись",
        "вложить",
        "инвестировать",
        "потратить",
        "cost",
        "costs",
        "price",
        "invest",
        "invested",
        "spend",
        "spent",
        "тұрады",
        "бағасы",
    ]
)
_ENGLISH_HOW = {
    "many": Asks.NUMBER,
    "much": Asks.NUMBER,
    "long": Asks.DURATION,
    "old": Asks.AGE,
    "far": Asks.NUMBER,
    "big": Asks.AMOUNT,
    "large": Asks.AMOUNT,
}
_PURPOSE = re.compile(r"\b(для чего|с какой целью|what for|не үшін)\b")
_INDEFINITE = re.compile(r"\w+-(?:то|либо|нибудь)\b")
NOUN_REACH = 3  # words after a question word in which its noun may stand


@dataclass(frozen=True)
class Analysis:
    """What a question asks for: the kind, the noun it counts or names (lemmas; a role's name: stems), what a unit
    measures."""

    asks: Asks = Asks.OPEN
    noun: tuple[str, ...] = ()  # for a role: the article stems of the name asked about
    of: str = ""  # what a counted unit measures: "сыр" of "сколько тонн сыра"
    cases: frozenset[str] = frozenset()  # the pymorphy cases of an oblique question word: "с кем" wants "с Тихоновым"
    post: tuple[str, ...] = ()  # "кто мэр Заречья": the post's head lemma, then its other words' lemmas
    acting: str = ""  # "кто руководит заводом": the verb the post's head is made from, as written
    several: bool = False  # "какие отрасли", "с кем": the answer may be a list, from more than one place
    kind_noun: str = ""  # "в каком году", "what date", "во сколько обошлось": the word that names the kind asked

    @property
    def kinds(self) -> frozenset[Kind]:
        """The span kinds that answer."""
        return _KINDS[self.asks]

    def typed(
        self, measures: frozenset[str], classes: Mapping[str, Kind], translations: tuple[str, ...] = ()
    ) -> Analysis:
        """ "Какой <noun>" read by what the articles do with that noun (`annotate/nouns.py`).

        A noun a name stands in apposition to wants a name of that kind ("какая компания": an organisation; a
        noun navec puts close to one, alike: "фирма"); a noun they give in numbers ("5 млн рублей инвестиций",
        "зарплата составит ...") wants an amount. An English noun is read by its Russian `translations`.
        "Как называется <noun>" is read alike, and stays `Asks.NAME`, which nothing answers, when the articles
        never write a name in apposition to that noun or one like it.
        """
        if self.asks not in (Asks.VALUE, Asks.NAME):
            return self
        nouns = (*self.noun, *translations)
        for noun in nouns:
            kind = classes.get(noun) or _class_by_meaning(noun, classes)
            if kind is Kind.PER:
                return Analysis(Asks.PERSON, post=(noun,), several=self.several)
            if kind is not None:
                return Analysis(Asks.ORGANISATION if kind is Kind.ORG else Asks.PLACE, several=self.several)
        if self.asks is Asks.NAME:
            return self  # the articles name no X: what it is called is not in them
        if any(n in measures or any(_compound_of(m, n) for m in measures) for n in nouns):
            return Analysis(Asks.AMOUNT, self.noun)
        return self

    @property
    def strict(self) -> bool:
        """Whether evidence without such a span does not answer (the answer is then partial)."""
        return self.asks in _STRICT


def _compound_of(compound: str, noun: str) -> bool:
    """Whether an article noun is a compound whose head is `noun` ("грузооборот" of "оборот")."""
    return len(noun) >= MIN_ROOT and compound.endswith(noun) and compound != noun


CLASS_MEANING = 0.45  # navec cosine from which a question's noun is of the kind of an article's classing noun


def _class_by_meaning(noun: str, classes: Mapping[str, Kind]) -> Kind | None:
    """The kind of the article noun closest in meaning to `noun`, when close enough."""
    if not is_cyrillic(noun) or not classes:
        return None
    score, closest = max((similarity(noun, other), other) for other in classes)
    return classes[closest] if score >= CLASS_MEANING else None


def names_kind(word: str, asks: Asks) -> bool:
    """Whether a folded word is a noun that names the kind of thing `asks` wants ("должности" for a role)."""
    return _category(word) is asks


def _category(noun: str) -> Asks | None:
    """What a noun asks for when it names a kind of answer ("город": a place), by its lemma ("countries")."""
    found = _CATEGORY_NOUNS.get(noun)
    if found is None and noun.isascii():
        found = next((_CATEGORY_NOUNS[w] for w in english_lemmas(noun) if w in _CATEGORY_NOUNS), None)
    elif found is None:
        found = _CATEGORY_NOUNS.get(lemma(noun))
    return found


def _kazakh_category(word: str) -> Asks | None:
    """What a Kazakh noun asks for when it names a kind of answer, its endings taken off ("жылы": a date)."""
    return next((_CATEGORY_NOUNS[r] for r in (word, *kazakh_roots(word)) if r in _CATEGORY_NOUNS), None)


def question_word(word: str) -> Asks | None:
    """What a folded word asks for when it is a question word ("каких" as "какой", Kazakh "кімге" as "кім")."""
    asks = _QUESTION_WORDS.get(word)
    if asks is None and not word.isascii():
        asks = _QUESTION_WORDS.get(lemma(word))
    if asks is None and word.startswith(_KAZAKH_PERSON):
        asks = Asks.PERSON
    return asks


_BEFORE_NOUN = ("ADJF", "PRTF", "ADJS", "NUMR", "NPRO")  # pymorphy3's parts of speech a question's noun may follow


def _noun_after(words: list[str], position: int) -> str | None:
    """The lemma of the first noun within `NOUN_REACH` words after `position` (adjectives skipped)."""
    following = words[position + 1 : position + 1 + NOUN_REACH]
    if following and following[0].isascii():
        return _english_head(words[position + 1 :])
    for at, word in enumerate(following, start=position + 1):
        parse = best_parse(word)
        if parse.tag.POS == "NOUN":
            return str(parse.normal_form)
        if parse.tag.POS not in _BEFORE_NOUN and not word.isdigit():
            return None
        after = words[at + 1] if at + 1 < len(words) else ""
        if parse.tag.POS == "ADJF" and best_parse(after).tag.POS not in ("NOUN", *_BEFORE_NOUN):
            # an adjective no noun follows is one used as a noun ("сколько рабочих было"): its noun reading
            noun = next((p for p in parses(word) if p.tag.POS == "NOUN" and p.normal_form == parse.normal_form), None)
            if noun is not None:
                return str(noun.normal_form)
    return None


def _english_head(following: list[str]) -> str | None:
    """The noun an English question word asks of: the last noun of the run of nouns and adjectives that follows it
    ("what is the trade turnover between": "turnover"; "which architect bureau made": "bureau"), after a copula and
    stopwords; None when an auxiliary comes first ("what did he say")."""
    run: list[str] = []
    for word in following:
        if not run and function(word) is Function.AUXILIARY:
            return None
        if not run and (function(word) is Function.COPULA or word in STOPWORDS):
            continue
        kinds = english_kinds(word)
        if word in STOPWORDS or function(word) is not None or (run and not kinds & {"NOUN", "ADJ"}):
            break  # a verb, or a name the dictionary lacks ("what machinery Belarus offers"), ends the phrase
        run.append(word)
    nouns = [word for word in run if "NOUN" in english_kinds(word) or not english_kinds(word)]
    return nouns[-1] if nouns else (run[0] if run else None)


# Units of measure: "сколько тонн X" asks an amount of X ("сколько сотрудников компании" asks no amount of a company).
_UNITS = frozenset(["тонна", "килограмм", "центнер", "литр", "кубометр", "метр", "километр", "гектар", "процент"])


def _measured(words: list[str], position: int, units: frozenset[str] = _UNITS) -> str:
    """What the unit after a question word measures, or what its quantity word counts: the genitive noun after
    it ("сколько тонн сыра": "сыр"; "сколько тысяч человек": "человек")."""
    following = words[position + 1 : position + 2 + NOUN_REACH]
    nouns = [w for w in following if not w.isascii() and best_parse(w).tag.POS == "NOUN"]
    if len(nouns) < 2 or lemma(nouns[0]) not in units:
        return ""
    genitive = any(p.tag.POS == "NOUN" and p.tag.case == "gent" for p in parses(nouns[1]))  # "человек" too
    return lemma(nouns[1]) if genitive else ""


def _priced(words: list[str], position: int) -> str:
    """What "сколько стоит ..." prices: the nominative noun after the verb "стоить" ("стоит билет": "билет"), the
    genitive after a unit ("литр молока": "молоко"); "" when the question says it otherwise."""
    at = next((i for i in range(position + 1, len(words)) if lemma(words[i]) == "стоить"), None)
    if at is None:
        return ""
    nouns = [w for w in words[at + 1 :] if not w.isascii() and best_parse(w).tag.POS == "NOUN"]
    if not nouns or not any(p.tag.case == "nomn" for p in parses(nouns[0])):  # "билет" reads nomn or accs
        return ""
    priced = lemma(nouns[0])
    if priced in _UNITS:
        return lemma(nouns[1]) if len(nouns) > 1 and best_parse(nouns[1]).tag.case == "gent" else ""
    return priced


def _uncounted(words: list[str], position: int) -> bool:
    """Whether the noun after "сколько" is a thing not counted: inanimate and singular ("торговли", "зерна"),
    where a counted one stands in the plural ("производств")."""
    for word in words[position + 1 : position + 1 + NOUN_REACH]:
        if word.isascii():
            return False
        tag = best_parse(word).tag
        if tag.POS == "NOUN":
            return tag.number == "sing" and "inan" in tag.grammemes
    return False


def _asked_of_someone(words: list[str], position: int) -> bool:
    """Around "сколько лет": a person in the dative ("сколько ему лет", "лет мэру"), asking an age, not a span."""
    for word in words[position : position + 1 + NOUN_REACH]:
        parse = best_parse(word)
        if parse.tag.case == "datv" and (parse.tag.POS == "NPRO" or "anim" in parse.tag.grammemes):
            return True
        if parse.tag.POS in ("VERB", "INFN") and str(parse.normal_form) not in ("быть", "исполниться"):
            return False
    return False


def asking_span(question: str) -> tuple[int, int]:
    """Where the sentence that asks stands in `question`: the first with a question mark, else the last
    ("Я из Караганды. Сколько ..."); the rest is background.

    A follow-up is read with its topic after it ("а когда? Сколько ..."): the first question is the new one.
    """
    sentences = [s for s in sentenize(question) if s.text.strip()]
    if not sentences:
        return 0, len(question)
    asking = [s for s in sentences if s.text.rstrip().endswith("?")]
    chosen = asking[0] if asking else sentences[-1]
    return chosen.start + _introduction(chosen.text), chosen.stop


def _introduction(sentence: str) -> int:
    """Where the ask starts in a sentence the asker opens by speaking of themself ("я из Шымкента, скажите ...",
    "я студентка из алматы подскажите ..."): after a clause in the first person, at the comma that ends it or at
    the imperative that turns to the reader; 0 when the sentence asks from its start."""
    first_person = False
    start = 0
    for match in WORD.finditer(sentence):
        word = fold(match.group())
        if question_word(word) is not None:
            break
        readings = [p for p in parses(word) if p.is_known] if is_cyrillic(word) else []
        if first_person and any("impr" in p.tag for p in readings):
            start = match.start()
        elif any(p.tag.person == "1per" for p in readings):
            first_person = True
        if first_person and sentence[match.end() :].lstrip().startswith(","):
            start = match.end() + sentence[match.end() :].index(",") + 1
    return start


def _asking_sentence(question: str) -> str:
    """The sentence that asks (`asking_span`)."""
    start, end = asking_span(question)
    return question[start:end]


def _oblique(word: str) -> frozenset[str]:
    """The cases of a declined Russian question pronoun other than the nominative ("кем": the instrumental).

    The answer stands where the question word stands, so it takes its case ("С кем встречался X?" - "с Y-ом").
    """
    if word.isascii():
        return frozenset()
    cases = frozenset(str(p.tag.case) for p in parses(word) if p.tag.POS == "NPRO" and p.tag.case)
    return frozenset() if "nomn" in cases else cases


def analyse(question: str) -> Analysis:
    """What `question` asks for (`Asks.OPEN` when it has no question word)."""
    folded = _INDEFINITE.sub(" ", fold(_asking_sentence(question)))  # "когда-то", "кто-нибудь" ask nothing
    if _PURPOSE.search(folded):
        return Analysis(Asks.REASON)
    named = _NAME.search(folded)
    if named:
        following = WORD.findall(folded[named.end() :])
        thing = _named_thing(following, WORD.findall(folded[: named.start()]))
        if thing:  # "как называется суперкомпьютер"
            return Analysis(Asks.NAME, (thing,))
        return Analysis(Asks.PERSON, post=_post(following, -1))  # "как зовут директора завода": who holds it
    if _AGE.search(folded):
        return Analysis(Asks.AGE, ("год",))
    words = WORD.findall(folded)
    for position, word in enumerate(words):
        asks = question_word(word)
        if word == "how" and position + 1 < len(words) and words[position + 1] in _ENGLISH_HOW:
            asks = _ENGLISH_HOW[words[position + 1]]
            position += 1
        if asks is None:
            continue
        if asks is Asks.OPEN:
            return Analysis()  # the first question word asks: "что ..., когда ..." asks what, not when
        if asks is Asks.AGE:
            return Analysis(Asks.AGE, ("год",))
        after = words[position + 1 : position + 1 + NOUN_REACH]
        cost = next((w for w in after if w in _COST or lemma(w) in _COST), None)
        if asks in (Asks.NUMBER, Asks.VALUE) and cost is not None:
            # "во сколько обошлось": the sum is what is asked; the cost word need not stand beside it
            return Analysis(Asks.MONEY, of=_priced(words, position), kind_noun=cost)
        if asks is Asks.VALUE and is_kazakh(word) and position + 1 < len(words):
            kind = _kazakh_category(words[position + 1])  # "қай жылы": which year
            if kind is not None:
                return Analysis(kind, kind_noun=words[position + 1])
        noun = _noun_after(words, position)
        if asks is Asks.NUMBER and noun is not None and _category(noun) is Asks.MONEY:
            return Analysis(Asks.MONEY, kind_noun=noun)  # "сколько денег"
        if asks is Asks.NUMBER and noun is not None:
            if noun in QUANTITY_LEMMAS:
                # "сколько тысяч человек": the articles' "2 тысячи человек" counts people; "на сколько тысяч
                # выросло": any number may answer
                counted = _measured(words, position, QUANTITY_LEMMAS)
                return Analysis(Asks.NUMBER, (counted,) if counted else ())
            if noun in TIME_UNITS:
                return Analysis(Asks.AGE if _asked_of_someone(words, position + 1) else Asks.DURATION, (noun,))
            if noun not in _UNITS and _uncounted(words, position):
                return Analysis(Asks.AMOUNT, (noun,))  # "сколько торговли": how much of it, not how many
            return Analysis(Asks.NUMBER, (noun,), of=_measured(words, position))
        if asks is Asks.VALUE:
            if noun is None:
                return Analysis()  # "what did he say", "какой он был": a question word that asks for no noun
            several = best_parse(word).tag.number == "plur"  # "какие", "каких"
            narrowed = _category(noun)
            if narrowed is not None:
                return Analysis(narrowed, several=several, kind_noun=noun)
            return Analysis(Asks.VALUE, (noun,), several=several)
        if asks is Asks.PERSON and _as_what(words, position):
            return Analysis(Asks.ROLE)  # "кем работал X": as what, a post
        if asks is Asks.PERSON:
            cases = _oblique(word)
            post = _post(words, position) if word == "кто" else ()  # "с кем губернатор ..." asks no post
            acting = words[position + 1] if post and lemma(words[position + 1]) != post[0] else ""
            return Analysis(asks, cases=cases, post=post, acting=acting, several="ablt" in cases)  # "с кем": all met
        return Analysis(asks)
    return Analysis()


def _as_what(words: list[str], position: int) -> bool:
    """Whether an instrumental "кем" with no preposition asks what someone works or serves as ("кем работал X",
    "кем стал X"): the predicate of an active verb, not the agent of a passive one ("кем построен")."""
    word = words[position]
    if "ablt" not in _oblique(word) or (position and best_parse(words[position - 1]).tag.POS == "PREP"):
        return False
    verbs = [p for p in map(best_parse, words[position + 1 : position + 1 + NOUN_REACH]) if p.tag.POS in VERBS]
    passive = any(p.tag.POS == "PRTS" or p.tag.voice == "pssv" for p in verbs)  # "кем был построен"
    return bool(verbs) and not passive


def _named_thing(following: list[str], before: list[str]) -> str:
    """The thing whose name a question asks ("как называется суперкомпьютер", "the name of the plant"; the noun
    before when none follows: "суперкомпьютер как называется"): its lemma, or the English noun; "" when the name
    is a person's ("как зовут директора", "what is his name") or no noun is found."""
    for word in (*[w for w in following if w not in STOPWORDS][:NOUN_REACH], *reversed(before[-NOUN_REACH:])):
        if word.isascii():
            # the dictionary reads the forms, which read this
            from embeddings.retrieve.dictionary import russian_for

            senses = russian_for(word)
            if not senses and "NOUN" in english_kinds(word):
                return word  # a noun the dictionary lacks is a thing ("supercomputer"); a role would be listed
            parse = best_parse(senses[0]) if senses and is_cyrillic(senses[0]) else None
        else:
            parse = best_parse(word)
        if parse is None or parse.tag.POS != "NOUN":
            continue
        if not parse.is_known or "anim" in parse.tag.grammemes or is_role_noun(parse):
            return ""
        return word if word.isascii() else str(parse.normal_form)
    return ""


def _post(words: list[str], position: int) -> tuple[str, ...]:
    """ "Кто (сейчас) директор завода «Заря»?": the lemma of the role noun right after the question word, which
    the answer must hold, then the lemmas of the nouns and names it governs ("завод", "заря"); () when a verb or
    anything else comes first ("кто выступал")."""
    for at, word in enumerate(words[position + 1 : position + 1 + NOUN_REACH], start=position + 1):
        parse = best_parse(word)
        if is_role_noun(parse) and parse.is_known:  # not a misspelt verb pymorphy guesses a noun
            return (str(parse.normal_form), *_governed(words[at + 1 :]))
        agent = _agent_noun(parse) if at == position + 1 else None
        if agent is not None:  # "кто руководит заводом": its "руководитель"; "" when the reader is to find it
            return (agent, *_governed(words[at + 1 :]))
        if not (parse.tag.POS in ("ADJF", "ADVB") or _filler(word)) or word.isascii():
            return ()  # only a modifier, an adverb or a particle may come between: "кто сейчас директор"
    return ()


def _agent_noun(parse: Any) -> str | None:
    """The role noun a verb makes with "-тель" ("руководить": "руководитель"), when the dictionary has one; ""
    for another verb (its post may share its root: "возглавлять", "глава"); None for any other word."""
    if parse.tag.POS != "VERB":
        return None
    base = str(parse.normal_form).removesuffix("ся").removesuffix("ть")
    agent = best_parse(f"{base}тель")
    return str(agent.normal_form) if agent.is_known and is_role_noun(agent) else ""


def _governed(words: list[str]) -> tuple[str, ...]:
    """The lemmas of the nouns (and words no dictionary knows: names) of the noun phrase `words` open, its
    adjectives skipped; it ends at any other word ("завода «Заря» в Ольховке": "завод", "заря")."""
    nouns = []
    for word in words:
        parse = best_parse(word)
        if PERSON_TAGS & parse.tag.grammemes:
            break  # "кто губернатор Петров": a person's name, not what the post is of
        if parse.tag.POS == "NOUN" or not parse.is_known:
            nouns.append(str(parse.normal_form))
        elif parse.tag.POS not in ("ADJF", "PRTF"):
            break
    return tuple(nouns)
