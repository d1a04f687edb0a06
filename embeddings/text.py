"""The one place that normalises text and splits it into words and stems.

Questions and articles are folded the same way everywhere: Unicode
normalised, lower case, ё as е. Words are stemmed with Snowball (Russian and
English); words of other scripts are kept whole.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
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
    this these those it its there their they he she his her them tell me please any
    какую каком какого какому какими чей чья чье чьё чьи чьих чьим чьей кого кому кем ком насколько
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenizer_identity() -> str:
    """A fingerprint of the tokenizer (stop words and stemmers), recorded in the index manifest."""
    words = " ".join(sorted(STOPWORDS)) + "|snowball:russian,english"
    return hashlib.sha256(words.encode()).hexdigest()[:16]


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content tokens of `text` (stop words dropped)."""
    tokens = [_token(word) for word in _WORD.findall(text.lower().replace("ё", "е"))]
    return [t for t in tokens if t]


@lru_cache(maxsize=262_144)
def _token(word: str) -> str:
    """The stem of a lower-cased word; empty for a stop word (words repeat, so stems are remembered)."""
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    if _CYRILLIC.search(word):
        return str(_stemmer("russian").stemWord(word))
    if _LATIN.search(word):
        return str(_stemmer("english").stemWord(word))
    return word


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(question: str) -> str:
    """Case, spacing, punctuation and ё/е folded away: the questions a reader sees as equal."""
    text = unicodedata.normalize("NFKC", question).lower().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", text).split())
