"""Russian words: parses and lemmas (pymorphy3's OpenCorpora dictionary) and meaning (navec vectors).

Both load lazily, once per process: pymorphy3's 15 MB of dictionaries in
about a tenth of a second, natasha's navec news vectors (250,000 words,
quantised) in about half a second.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

# pymorphy3's tags of proper names: first names, surnames and patronymics; with places, organisations, trademarks.
PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
NAME_TAGS = PERSON_TAGS | {"Geox", "Orgn", "Trad"}
# pymorphy3's parts of speech that agree with a noun they stand before: adjectives, participles, numerals.
MODIFIERS = frozenset({"ADJF", "PRTF", "NUMR"})
VERBS = frozenset(("VERB", "INFN", "PRTS", "GRND"))  # parts of speech that say what happened

_analyser_lock = threading.Lock()
_vectors_lock = threading.Lock()  # its own: navec loads slowly, and must not hold up parsing meanwhile
_analyser: Any = None
_vectors: Any = None


def morph() -> Any:
    """The process's pymorphy3 analyser."""
    global _analyser
    if _analyser is not None:
        return _analyser
    with _analyser_lock:
        if _analyser is None:
            import pymorphy3

            _analyser = pymorphy3.MorphAnalyzer()
        return _analyser


@lru_cache(maxsize=131_072)
def parses(word: str) -> tuple[Any, ...]:
    """Every parse of a folded word, likeliest first."""
    return tuple(morph().parse(word))


def best_parse(word: str) -> Any:
    """The likeliest parse of a folded word."""
    return parses(word)[0]


@lru_cache(maxsize=131_072)
def lemma(word: str) -> str:
    """The dictionary form of a folded word's likeliest reading (the word itself for a number or a foreign word)."""
    return str(best_parse(word).normal_form)


def is_role_noun(parse: Any) -> bool:
    """An animate common noun ("министр", "депутаты"): what a role is said with."""
    return parse.tag.POS == "NOUN" and "anim" in parse.tag.grammemes and not (PERSON_TAGS & parse.tag.grammemes)


def is_verb(word: str) -> bool:
    """A verb, infinitive, short participle or gerund by the likeliest parse of a folded word: what happened."""
    return best_parse(word).tag.POS in VERBS


def navec() -> Any:
    """natasha's navec news embedding (shipped inside the natasha wheel)."""
    global _vectors
    if _vectors is not None:
        return _vectors
    with _vectors_lock:
        if _vectors is None:
            from natasha import NewsEmbedding

            _vectors = NewsEmbedding()
        return _vectors


@lru_cache(maxsize=131_072)
def similarity(first: str, second: str) -> float:
    """The cosine of two lemmas' navec vectors (1.0 for the same lemma, 0.0 when either is unknown)."""
    if first == second:
        return 1.0
    vectors = navec()
    a, b = vectors.get(first), vectors.get(second)
    if a is None or b is None:
        return 0.0
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def has_meaning(word: str) -> bool:
    """Whether navec knows the lemma `word` (so `similarity` can compare it with another)."""
    return navec().get(word) is not None


# Russian verbal prefixes: a closed class of the language's word formation.
VERB_PREFIXES = (
    "по", "за", "на", "про", "при", "пере", "под", "от", "об", "о", "у", "вы", "до", "из", "рас", "раз", "с", "со",
    "вз", "воз", "вс", "в", "недо", "пре",
)  # fmt: skip
MIN_ROOT = 6  # letters a stem keeps without its prefix ("говор" is no "договор", "ставк" no "поставк")


@lru_cache(maxsize=131_072)
def prefixed(stem: str, other: str) -> bool:
    """Whether stem `other` is stem `stem` with a verbal prefix ("поблагодар" of "благодар")."""
    if len(stem) < MIN_ROOT or not other.endswith(stem):
        return False
    return other[: len(other) - len(stem)] in VERB_PREFIXES


FAMILY_ROOT = 3  # letters of a root two words of one family share beyond any prefix ("стро": "стройка", "строить")
FAMILY_NEAR = 0.3  # navec cosine from which two words sharing a root are one family ("жаловаться", "пожаловаться")
FAMILY_FAR = 0.12  # ... and from which they are when they share five letters from the start ("частник", "частный")
FAMILY_START = 5  # letters shared from the start that let the lower cosine do


def _shared(first: str, second: str) -> int:
    """How many letters two words share from their beginnings."""
    shared = 0
    while shared < min(len(first), len(second)) and first[shared] == second[shared]:
        shared += 1
    return shared


def unprefixed(word: str) -> list[str]:
    """`word` and the words left when one of its verbal prefixes is taken off (with more than a root left)."""
    return [word, *(word[len(p) :] for p in VERB_PREFIXES if word.startswith(p) and len(word) - len(p) > FAMILY_ROOT)]


def _reflexive(lemma_: str) -> bool | None:
    """Whether a verb's lemma is reflexive ("учиться", none of "учить"); None for a word of another part of speech."""
    if best_parse(lemma_).tag.POS != "INFN":
        return None
    return lemma_.endswith(("ся", "сь"))


def _animacy(lemma_: str) -> str | None:
    """A noun's animacy ("anim", "inan"); None for a word of another part of speech."""
    tag = best_parse(lemma_).tag
    return str(tag.animacy) if tag.POS == "NOUN" and tag.animacy else None


@lru_cache(maxsize=131_072)
def kin(first: str, second: str) -> bool:
    """Whether two lemmas are words of one family: the same root with other prefixes or suffixes ("разрезать",
    "перерезать"; "федерация", "федеральный"; "стоить", "стоимость") and a meaning navec puts close enough.

    The root is what the two share from their beginnings (a prefix taken off either, or both), less a prefix they
    share: "продавать" and "продвигать" share only "про-" and "д", however close their meanings; words that only
    begin alike and mean apart ("благодарить", "благодаря") are none, and so are a verb and its reflexive, whose
    meanings part ("учить", "учиться"), and a noun of a person and one of a thing ("посол", "посольство"); a verb
    and a noun may be kin ("стоить", "стоимость").
    """
    closeness = similarity(first, second)
    reflexive = {_reflexive(first), _reflexive(second)}
    animacy = {_animacy(first), _animacy(second)}
    if closeness < FAMILY_FAR or reflexive == {True, False} or animacy == {"anim", "inan"}:
        return False
    for a in unprefixed(first):
        for b in unprefixed(second):
            shared = _shared(a, b)
            common = max((len(p) for p in VERB_PREFIXES if a.startswith(p) and b.startswith(p)), default=0)
            if shared - common < FAMILY_ROOT:
                continue
            if closeness >= FAMILY_NEAR and shared > FAMILY_ROOT:
                return True
            if a == first and b == second and shared >= FAMILY_START:
                return True
    return False


_SECONDARY_IMPERFECTIVE = ("ивать", "ывать")
_INFINITIVE_ENDINGS = ("ить", "еть", "ать", "ять")
ASPECT_ROOT = 4  # letters the shared root of an aspect pair has at least


def aspect_roots(infinitive: str) -> frozenset[str]:
    """The roots by which a verb's infinitive meets the other of its aspect pair ("договориться" and
    "договариваться": "договор"; "показать" and "показывать": "показ"); empty for any other word.

    A secondary imperfective takes -ива-/-ыва- and often turns the root's last "о" into "а".
    """
    word = infinitive.removesuffix("ся").removesuffix("сь")
    for suffix in _SECONDARY_IMPERFECTIVE:
        base = word.removesuffix(suffix)
        if base != word and len(base) >= ASPECT_ROOT:
            at = base.rfind("а")
            return frozenset({base, f"{base[:at]}о{base[at + 1 :]}"} if at >= 0 else {base})
    for ending in _INFINITIVE_ENDINGS:
        base = word.removesuffix(ending)
        if base != word and len(base) >= ASPECT_ROOT:
            return frozenset({base})
    return frozenset()
