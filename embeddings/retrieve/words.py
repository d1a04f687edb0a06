"""What a word is, beyond the articles: a Russian or English dictionary word, a name, Russian typed in Latin.

The articles' own vocabulary says whether a word occurs in them; these
dictionaries say what a word that does not occur is. A common word the
articles never use ("подарил", "погода") may be a paraphrase or a topic they
lack, which the answer decision weighs; a name, an acronym or a term that
no dictionary knows ("Зеленский", "МТЗ", "iPhone") and that the articles
never use means the question asks about something they do not mention.

Russian words are analysed with pymorphy3's OpenCorpora dictionary (it
tells names, surnames and places by their tags); English ones are looked up
in GCIDE's word list, which has almost no proper names. Both load lazily,
once per process, in about a tenth of a second.
"""

from __future__ import annotations

import itertools
import threading
from functools import lru_cache

from breame.spelling import get_american_spelling
from lemminflect import getAllLemmas

from embeddings.lexicon import NAME_TAGS, PERSON_TAGS, morph

_lock = threading.Lock()
_english: frozenset[str] | None = None


def _english_words() -> frozenset[str]:
    global _english
    with _lock:
        if _english is None:
            from english_words import get_english_words_set  # loaded when first needed

            _english = frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))
        return _english


@lru_cache(maxsize=65_536)
def is_russian_word(word: str) -> bool:
    """True when a folded Cyrillic word is in the Russian dictionary (in any of its forms)."""
    return bool(morph().word_is_known(word))


# Vowels written for one another where unstressed ("вазили" for "возили", "санкцыи" for "санкции").
_VOWEL_SLIPS = {"а": "о", "о": "а", "е": "и", "и": "еы", "ы": "и", "я": "е"}


@lru_cache(maxsize=65_536)
def misspelt(word: str) -> str | None:
    """The dictionary word a folded word no dictionary knows is one vowel slip from ("вазили": "возили"), when
    that word is no name; None otherwise."""
    if is_russian_word(word):
        return None
    for at, letter in enumerate(word):
        for other in _VOWEL_SLIPS.get(letter, ""):
            spelt = f"{word[:at]}{other}{word[at + 1 :]}"
            if is_russian_word(spelt) and russian_name(spelt) is None:
                return spelt
    return None


@lru_cache(maxsize=65_536)
def abbreviation(word: str) -> bool:
    """True when the dictionary knows a folded word as an abbreviation only ("рк", "рф")."""
    parses = morph().parse(word)
    return bool(parses) and all("Abbr" in p.tag for p in parses)


@lru_cache(maxsize=65_536)
def russian_name(word: str) -> str | None:
    """The dictionary form of a folded word whose likeliest reading is a proper name; None otherwise."""
    parses = morph().parse(word)
    if not parses:
        return None
    best = parses[0]
    if NAME_TAGS & set(best.tag.grammemes):
        return str(best.normal_form)
    return None


@lru_cache(maxsize=65_536)
def name_form(word: str) -> str:
    """The dictionary form of a folded word read as a name where it can be ("зеленском" -> "зеленский").

    A person's name first, then a word declined like an adjective (as Russian
    surnames in -ский are), then any other name; the word itself otherwise.
    """
    parses = morph().parse(word)
    for wanted in (PERSON_TAGS, frozenset({"ADJF"}), NAME_TAGS):
        for parse in parses:
            if wanted & set(parse.tag.grammemes):
                return str(parse.normal_form)
    return word


@lru_cache(maxsize=65_536)
def dictionary_form(word: str) -> str:
    """The dictionary form of a folded Russian word, as a noun where it can be one ("хоккее" -> "хоккей")."""
    parses = morph().parse(word)
    noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
    return str((noun or parses[0]).normal_form) if parses else word


@lru_cache(maxsize=65_536)
def is_noun_like(word: str) -> bool:
    """True when the likeliest reading of a folded Russian word names a thing (noun or adjective), or none is known."""
    parses = morph().parse(word)
    return not parses or parses[0].tag.POS in ("NOUN", "ADJF", "ADJS", None) or not is_russian_word(word)


@lru_cache(maxsize=65_536)
def lemmas(word: str) -> frozenset[str]:
    """The dictionary forms a folded Russian word may be a form of (empty for a word the dictionary lacks)."""
    if not is_russian_word(word):
        return frozenset()
    return frozenset(str(p.normal_form) for p in morph().parse(word))


def may_be_one_word(a: str, b: str) -> bool:
    """False when two folded words are both in the Russian dictionary and are forms of different words."""
    first, second = lemmas(a), lemmas(b)
    return not first or not second or bool(first & second)


def looks_like_name(word: str) -> bool:
    """True when the likeliest reading of a folded Russian word is a proper name, known to the dictionary or
    guessed from its shape."""
    return russian_name(word) is not None


@lru_cache(maxsize=16_384)
def english_lemmas(word: str) -> tuple[str, ...]:
    """The English lemmas of a folded word, other than itself (lemminflect)."""
    lemmas = (lemma for forms in getAllLemmas(word).values() for lemma in forms)
    return tuple(dict.fromkeys(lemma for lemma in lemmas if lemma != word))


@lru_cache(maxsize=16_384)
def english_kinds(word: str) -> frozenset[str]:
    """The parts of speech a folded English word may be (lemminflect's: "NOUN", "VERB", "ADJ", ...)."""
    return frozenset(getAllLemmas(word))


@lru_cache(maxsize=65_536)
def is_english_word(word: str) -> bool:
    """True when a folded Latin word, or the word its prefix and ending suggest, is an English dictionary word."""
    known = _english_words()
    if word in known:
        return True
    american = get_american_spelling(word)  # "organisation"; the word lists spell the American way
    if american != word and american in known:
        return True
    if any(lemma in known for lemma in english_lemmas(word)):
        return True  # "planned": lemminflect's lemma
    bases = [word] + [word[len(p) :] for p in _ENGLISH_PREFIXES if word.startswith(p) and len(word) > len(p) + 3]
    if any(b in known for b in bases[1:]):
        return True
    candidates: list[str] = []
    for base in bases:
        for ending, replacements in _ENGLISH_ENDINGS:
            if base.endswith(ending) and len(base) > len(ending) + 2:
                candidates.extend(base[: -len(ending)] + r for r in replacements)
    return any(c in known for c in candidates)


_ENGLISH_PREFIXES = ("inter", "multi", "super", "under", "over", "anti", "post", "non", "pre", "sub", "re", "un", "co")


_ENGLISH_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ies", ("y",)),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ied", ("y",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
    ("er", ("", "e")),
    ("est", ("", "e")),
    ("'s", ("",)),
)

# Russian typed in Latin letters: the usual ways people write each sound, longest first.
_DIGRAPHS = (
    ("shch", ("щ",)),
    ("sch", ("щ", "ш")),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("ts", ("ц",)),
    ("tz", ("ц",)),
    ("ya", ("я",)),
    ("ja", ("я",)),
    ("ia", ("я", "иа")),
    ("yu", ("ю",)),
    ("ju", ("ю",)),
    ("iu", ("ю",)),
    ("yo", ("е",)),
    ("jo", ("е",)),
    ("ye", ("е",)),
    ("je", ("е",)),
    ("yj", ("ый",)),
    ("ij", ("ий",)),
    ("iy", ("ий",)),
    ("yy", ("ый",)),
)
_LETTERS = {
    "a": ("а",),
    "b": ("б",),
    "v": ("в",),
    "g": ("г",),
    "d": ("д",),
    "e": ("е", "э"),
    "z": ("з",),
    "i": ("и", "й"),
    "j": ("й", "ж"),
    "k": ("к",),
    "l": ("л",),
    "m": ("м",),
    "n": ("н",),
    "o": ("о",),
    "p": ("п",),
    "r": ("р",),
    "s": ("с",),
    "t": ("т",),
    "u": ("у",),
    "f": ("ф",),
    "h": ("х",),
    "c": ("ц", "к"),
    "y": ("ы", "й"),
    "w": ("в", "ш"),
    "q": ("к",),
    "x": ("кс",),
    "'": ("ь",),
    "’": ("ь",),
}
_FINAL_DIGRAPHS = frozenset({"yj", "ij", "iy", "yy"})  # adjective endings: only at the end of a word
_VOWELS = frozenset("aeiouy")
MAX_SPELLINGS = 32


@lru_cache(maxsize=16_384)
def cyrillic_spellings(word: str) -> tuple[str, ...]:
    """Cyrillic spellings of a folded Latin word, the most usual first (at most `MAX_SPELLINGS`)."""
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for latin, cyrillic in _DIGRAPHS:
            if word.startswith(latin, i) and (latin not in _FINAL_DIGRAPHS or i + len(latin) == len(word)):
                options.append(cyrillic)
                i += len(latin)
                break
        else:
            char = word[i]
            choices = _LETTERS.get(char, (char,))
            previous = word[i - 1] if i else ""
            following = word[i + 1] if i + 1 < len(word) else ""
            if char == "l" and following not in _VOWELS:  # before a consonant or at the end: often soft
                choices = ("ль", "л")
            elif char == "y" and (previous in _VOWELS):
                choices = ("й", "ы")
            elif char == "e" and i > 0:
                choices = ("е",)
            elif char == "i" and (i + 1 == len(word) or word[i + 1] not in _VOWELS) and previous not in _VOWELS:
                choices = ("и",)
            elif char == "c" and i + 1 < len(word) and word[i + 1] in "ei":
                choices = ("ц",)
            options.append(choices)
            i += 1
    spellings = ("".join(parts) for parts in itertools.product(*options))
    return tuple(itertools.islice(spellings, MAX_SPELLINGS))
