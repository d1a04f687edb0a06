"""The one place that normalises text, tells scripts and languages, and splits words into stems.

Questions and articles are folded the same way everywhere: Unicode
normalised, lower case, ё as е. Words are stemmed with Snowball (Russian and
English); words of other scripts, and Kazakh words, are kept whole. Kazakh
is told from Russian by its own letters (ә ғ қ ң ө ұ ү һ і) and by a few
function words written without them (ма, ме, мен, туралы ...).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Literal

import Stemmer

Script = Literal["cyrillic", "latin", "none"]
Language = Literal["ru", "en", "kk"]

WORD = re.compile(r"\w+", re.UNICODE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
KAZAKH_LETTERS = frozenset("әғқңөұүһі")

# Kazakh words written without Kazakh letters that still mark a Kazakh question.
_KAZAKH_WORD_TEXT = """
    ма ме ба бе па пе мен бен пен неше неге туралы және жоқ болды болады болған айтты барды
    деп деді жайлы бойынша арасында арасындағы кезде соң үшін осы сол бұл қалай кім қашан қанша қай
    қандай қайда қайдан неліктен ретінде
"""
KAZAKH_WORDS = frozenset(_KAZAKH_WORD_TEXT.split())

_STOPWORD_TEXT = """
    а и в во не что он на я с со как то все она так его но да ты к у же вы за бы по только ее её мне
    было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их
    чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой
    какая какие какое каких каким совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда
    зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего
    них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
    им более всегда конечно всю между сколько каков какова каковы почему зачем ли это эта также ли
    расскажи скажи подскажи пожалуйста the a an and or of to in on at for by with from about as is are
    was were be been being what which who whom whose when where why how did does do has have had that
    this these those it its there their they he she his her them tell me please any many much
    какую каком какого какому какими чей чья чье чьё чьи чьих чьим чьей кого кому кем ком насколько
    такой такая такое такие откуда скока сколка разве правда верно што шо чо че чё
    ма ме ба бе па пе мен бен пен не неше неге туралы және бұл осы сол қалай кім қашан қанша қай
    қандай қайда қайдан неліктен
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# What `visible` puts for a character of each invisible Unicode category.
_INVISIBLE_AS = {"Cf": "", "Cc": " ", "Co": " ", "Cs": " ", "Cn": " "}


def fold(text: str) -> str:
    """Unicode-normalised, lower-cased text with ё as е: the form every comparison uses."""
    return unicodedata.normalize("NFKC", text).lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return WORD.findall(fold(text))


def visible(text: str) -> str:
    """`text` without invisible and control characters, single-spaced.

    A format character (zero-width space, soft hyphen, direction mark: Unicode's Cf) may sit inside a
    word, so it goes without a trace; any other control character parts words.
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(_INVISIBLE_AS.get(unicodedata.category(c), c) for c in text)
    return " ".join(text.split())


def without_controls(text: str, keep: str = "\t\n") -> str:
    """`text` with each control character (Unicode's Cc) other than those in `keep` made a space."""
    return "".join(" " if c not in keep and unicodedata.category(c) == "Cc" else c for c in text)


def control_count(text: str, keep: str = "\t\n\r") -> int:
    """How many control characters (Unicode's Cc) other than those in `keep` `text` holds."""
    return sum(c not in keep and unicodedata.category(c) == "Cc" for c in text)


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    """The script a letter is written in, as the first word of its Unicode name ("CYRILLIC", "LATIN"); "" else."""
    return unicodedata.name(char, "").partition(" ")[0] if char.isalpha() else ""


def normalise(question: str) -> str:
    """Case, spacing, punctuation and ё/е folded away: the questions a reader sees as equal."""
    return " ".join(_NOT_WORD.sub(" ", fold(question)).split())


def cyrillic_share(text: str) -> float:
    """The share of the letters of `text` that are Cyrillic (0.0 when it has none)."""
    scripts = [_script(c) for c in text if c.isalpha()]
    return scripts.count("CYRILLIC") / len(scripts) if scripts else 0.0


def script_of(text: str) -> Script:
    """The script most of the letters of `text` are written in."""
    if not any(c.isalpha() for c in text):
        return "none"
    return "cyrillic" if cyrillic_share(text) >= 0.5 else "latin"


def is_cyrillic(word: str) -> bool:
    """True when `word` has a Cyrillic letter."""
    return any(_script(c) == "CYRILLIC" for c in word)


def is_latin(word: str) -> bool:
    """True when `word` has a Latin letter."""
    return any(_script(c) == "LATIN" for c in word)


def is_acronym(surface: str) -> bool:
    """True when a word as written is an acronym: two or more capitals, perhaps with a plural "s" ("MPs")."""
    capitals = "".join(c for c in surface if c.isalpha()).removesuffix("s")
    return len(capitals) >= 2 and capitals.isupper()  # "Is", "As": one capital and an "s" are no acronym


def is_kazakh(word: str) -> bool:
    """True when a folded word has a letter only Kazakh uses, or is a Kazakh function word."""
    return word in KAZAKH_WORDS or any(c in KAZAKH_LETTERS for c in word)


def is_kazakh_text(text: str) -> bool:
    """True when `text` is written in Kazakh rather than Russian."""
    return any(is_kazakh(word) for word in words(text))


def language_of(text: str) -> Language:
    """The language of a question: English in Latin script, Kazakh by any Kazakh word, else Russian."""
    if script_of(text) == "latin":
        return "en"
    return "kk" if is_kazakh_text(text) else "ru"


def document_language(text: str) -> Language:
    """The language of a whole article: as `language_of`, but Kazakh only when its letters are more than a trace.

    A Russian article quoting a Kazakh name ("Мәжіліс") stays Russian.
    """
    if script_of(text) == "latin":
        return "en"
    letters = [c for c in fold(text) if c.isalpha()]
    kazakh = sum(c in KAZAKH_LETTERS for c in letters)
    return "kk" if kazakh > len(letters) / 200 else "ru"


def tokenizer_identity() -> str:
    """A fingerprint of the tokenizer (stop words and stemmers), recorded in the index manifest."""
    spec = " ".join(sorted(STOPWORDS)) + "|snowball:russian,english|kazakh:whole"
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content tokens of `text` (stop words dropped)."""
    tokens = [stem(word) for word in words(text)]
    return [t for t in tokens if t]


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The stem of a folded word; empty for a stop word (words repeat, so stems are remembered)."""
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    if any(c in KAZAKH_LETTERS for c in word):
        return word
    if is_cyrillic(word):
        return str(_stemmer("russian").stemWord(word))
    if is_latin(word):
        return str(_stemmer("english").stemWord(word))
    return word
