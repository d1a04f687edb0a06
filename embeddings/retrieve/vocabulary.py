"""The articles' vocabulary, and which of its stems a question word stands for.

A question word matches a stem of the articles when, in this order:
its own Snowball stem is one; it is a Kazakh form of an article word
("Гродноға", "Тихоновпен": a root followed by Kazakh case endings); it
shares most of its letters, from the start, with a word of the articles
("Китай" and "Китая", "культура" and "культурного"); it is a clipped
word the dictionary lacks that only one article word family completes
("совм", "тихон"); it is another form of the same dictionary word
("уголь" and "угля"); it is a dictionary word of the family of an article
word, the same root with another prefix or suffix and a meaning navec puts
close ("жаловался" and "пожаловался", "стройку" and "строительства"); it is
spelled with Kazakh letters ("Қытай"); it is the initialism of a name the
articles spell out ("рк": "Республика Казахстан"); it is a word no dictionary knows one
typo away from a stem (words of five letters and more), or sounding like
one when spoken ("калег" and "коллег": unstressed о and а, е and и alike,
doubled letters single). A Latin word is tried as written, then as Russian
typed in Latin letters ("traktory", "Tikhonov"). Every rule looks at
spelling and the language's own resources only, so it holds for any corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Protocol

from embeddings.lexicon import (
    FAMILY_ROOT,
    VERB_PREFIXES,
    aspect_roots,
    has_meaning,
    kin,
    lemma,
    parses,
    similarity,
    unprefixed,
)
from embeddings.retrieve.words import (
    abbreviation,
    cyrillic_spellings,
    is_russian_word,
    lemmas,
    may_be_one_word,
    russian_name,
)
from embeddings.text import STOPWORDS, is_cyrillic, is_kazakh, is_latin, stem

# Kazakh endings (case, plural, possessive, and "of"/"-ish" forms), tried longest first.
_KAZAKH_ENDING_TEXT = """
        ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н да де та те нда нде ында інде
        дан ден тан тен нан нен мен бен пен ша ше лар лер дар дер тар тер ы і сы сі ым ім ың ің ымыз
        ларды лерді дарды дерді тарды терді лардың лердің лары лері дары дері тары тері дағы дегі тағы
        тегі ндағы ндегі ныңда нің ға ге ке қа мен ны ні ларға лерге ларда лерде ларын лерін ынан інен
        сын сін ын ін ой ей
"""
_KAZAKH_ENDINGS = sorted(set(_KAZAKH_ENDING_TEXT.split()), key=len, reverse=True)
_KAZAKH_TO_RUSSIAN = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
_KAZAKH_SPELLING = str.maketrans(_KAZAKH_TO_RUSSIAN)
MIN_ROOT = 3
ROOT_SHARE = 0.5
MIN_PREFIX = 4
PREFIX_SHARE = 0.6
MIN_EDIT = 5
LEMMA_PREFIX = 2  # letters a word and another form of it surely share ("уголь", "угля")
_ALPHABET_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_SOUND = str.maketrans({"о": "а", "е": "и", "ё": "и", "э": "и", "я": "и", "ы": "и", "ь": None, "ъ": None})
_DOUBLE = re.compile(r"(.)\1+")
SOUND_CANDIDATES = 4096  # article words read per beginning when looking for one that sounds alike


class WordList(Protocol):
    """The articles' words as written (folded), searchable by their beginning."""

    def prefixed(self, prefix: str, limit: int = 64) -> list[str]:
        """Up to `limit` words that begin with `prefix`."""
        ...


class Vocabulary:
    """The stems of the articles, with the rules that map a question word onto them."""

    def __init__(self, stems: Iterable[str], words: WordList, initialisms: Mapping[str, str] | None = None) -> None:
        self.stems = frozenset(stems)
        self.words = words
        self.initialisms = dict(initialisms or {})  # "рк": "казахстан" (`annotate/initialisms.py`)

    def __contains__(self, stem_: object) -> bool:
        return stem_ in self.stems

    def __len__(self) -> int:
        return len(self.stems)

    @lru_cache(maxsize=65_536)  # noqa: B019 - one vocabulary per loaded index; question words repeat
    def match(self, word: str) -> str | None:
        """The article stem a folded word stands for, or None when the articles never use it."""
        if not word:
            return None
        if is_latin(word) and not is_cyrillic(word):
            own = self._match_cyrillic(word, fuzzy=False)
            if own is not None:
                return own
            for spelling in cyrillic_spellings(word):
                found = self._match_cyrillic(spelling, fuzzy=False)
                if found is not None:
                    return found
            return next((f for s in cyrillic_spellings(word)[:4] if (f := self._edit(stem(s) or s)) is not None), None)
        return self._match_cyrillic(word, fuzzy=True)

    @lru_cache(maxsize=65_536)  # noqa: B019 - as `match`
    def common(self, stem_: str) -> bool:
        """Whether the articles write `stem_` as a dictionary word, not a name ("фестиваля", not "Петрова")."""
        forms = [w for w in self.words.prefixed(stem_) if (stem(w) or w) == stem_]
        return any(is_russian_word(w) and russian_name(w) is None for w in forms if is_cyrillic(w))

    @lru_cache(maxsize=65_536)  # noqa: B019 - as `match`
    def spelled(self, word: str) -> bool:
        """Whether a folded word is one the articles use as it is spelled (any rule but the typo one)."""
        if is_latin(word) and not is_cyrillic(word):
            return self.match(word) is not None
        return self._match_cyrillic(word, fuzzy=True, typos=False) is not None

    def _match_cyrillic(self, word: str, *, fuzzy: bool, typos: bool = True) -> str | None:
        own = stem(word) or word
        if own in self.stems:
            return own
        if word in self.initialisms and (not is_russian_word(word) or abbreviation(word)):
            return self.initialisms[word]  # "рк", which the dictionary knows as an abbreviation only
        if is_kazakh(word) or fuzzy:
            root = self._kazakh_root(word)
            if root is not None:
                return root
        found = self._prefix(word, own) or self._lemma(word) or self._aspect(word) or self._clipped(word)
        if found is None and fuzzy:
            found = self._family(word)
        if found is not None or not fuzzy:
            return found
        if any(c in _KAZAKH_TO_RUSSIAN for c in word):  # "Қытайда": a name spelled with Kazakh letters
            found = self._match_cyrillic(word.translate(_KAZAKH_SPELLING), fuzzy=True, typos=typos)
            if found is None and typos:  # "Қазақстанға": its root one letter from the articles' "Казахстан"
                roots = (root.translate(_KAZAKH_SPELLING) for root in kazakh_roots(word))
                found = next((hit for root in roots if (hit := self._edit(stem(root) or root)) is not None), None)
            return found
        if not typos or (is_russian_word(word) and russian_name(word) is None):
            return None  # a word of the dictionary is no typo of another ("премьер" is no "пример")
        return self._edit(own) or self._sounds_like(word)

    def _kazakh_root(self, word: str) -> str | None:
        """The article stem of `word` with up to two Kazakh endings taken off."""
        for root in kazakh_roots(word):
            for candidate in (stem(root) or root, root):
                if candidate in self.stems and len(candidate) >= max(MIN_PREFIX, ROOT_SHARE * len(word)):
                    return candidate
        return None

    def _prefix(self, word: str, own: str) -> str | None:
        """The stem of the article word sharing the longest beginning with `word`, most of both their lengths."""
        for length in range(len(word), MIN_PREFIX - 1, -1):
            head = word[:length]
            if head in self.stems and length >= PREFIX_SHARE * len(word):
                return head
            for candidate in self.words.prefixed(head):
                if length >= PREFIX_SHARE * max(len(word), len(candidate)) and may_be_one_word(word, candidate):
                    return stem(candidate) or candidate
        return None

    def _clipped(self, word: str) -> str | None:
        """The stem of the one article word family a clipped word begins ("совм" of "совместных", "тихон" of
        "Тихоновец"): a word the dictionary does not know, or knows as a name only, that only one article stem
        completes."""
        if len(word) < MIN_PREFIX or is_kazakh(word) or (is_russian_word(word) and russian_name(word) is None):
            return None
        # declined as a noun ("губеров", "лукаша"): its ending off, as pymorphy guesses the lemma of a noun it lacks
        heads = [word, *sorted({str(p.normal_form) for p in parses(word) if p.tag.POS == "NOUN"} - {word})]
        for head in heads:
            if len(head) < MIN_PREFIX or not word.startswith(head):
                continue
            completions = {stem(c) or c for c in self.words.prefixed(head)}
            if len(completions) == 1:
                (completion,) = completions
                return completion if completion.startswith(head) else None
        return None

    def _lemma(self, word: str) -> str | None:
        """The stem of an article word that is a form of the same dictionary word ("уголь" and "угля"; "людей"
        and "человек", whose forms begin otherwise)."""
        own = lemmas(word)
        if not own:
            return None
        for prefix in dict.fromkeys([word[:LEMMA_PREFIX], *(form[:LEMMA_PREFIX] for form in sorted(own))]):
            for candidate in self.words.prefixed(prefix):
                if lemmas(candidate) & own:
                    return stem(candidate) or candidate
        return None

    def _aspect(self, word: str) -> str | None:
        """The stem of an article verb of the other aspect of the same pair ("договаривались", "договорились")."""
        roots = {r for verb in lemmas(word) for r in aspect_roots(verb)}
        for root in sorted(roots):
            for candidate in self.words.prefixed(root):
                if roots & {r for verb in lemmas(candidate) for r in aspect_roots(verb)}:
                    return stem(candidate) or candidate
        return None

    def _family(self, word: str) -> str | None:
        """The stem of the article word of the same family closest in meaning ("жаловался": "пожаловался";
        "стройку": "строительства"; `lexicon.kin`): for a dictionary word, which no typo rule then takes for
        another ("стройку" is no "стойку")."""
        if word in STOPWORDS or not is_russian_word(word) or russian_name(word) is not None:
            return None
        base = lemma(word)
        if not has_meaning(base):
            return None
        heads = {prefix + root[: FAMILY_ROOT + 1] for root in unprefixed(base) for prefix in ("", *VERB_PREFIXES)}
        best: tuple[float, str] | None = None
        for head in sorted(heads):
            for candidate in self.words.prefixed(head):
                other = lemma(candidate)
                if candidate in STOPWORDS or not is_cyrillic(candidate) or not kin(base, other):
                    continue
                if best is None or similarity(base, other) > best[0]:
                    best = (similarity(base, other), stem(candidate) or candidate)
        return best[1] if best is not None else None

    def _edit(self, own: str) -> str | None:
        """The most common article stem one typo away from `own` (first letter kept), if any."""
        if len(own) < MIN_EDIT or not is_cyrillic(own):
            return None
        candidates = sorted(c for c in one_edit(own, _ALPHABET_CYRILLIC) if c in self.stems)
        return candidates[0] if candidates else None

    def _sounds_like(self, word: str) -> str | None:
        """The stem of the first article word whose stem sounds like the stem of `word` (five letters and more)."""
        if len(word) < MIN_EDIT or not is_cyrillic(word):
            return None
        key, whole = sound_key(stem(word) or word), sound_key(word)
        seconds = [c for c in _ALPHABET_CYRILLIC if sound_key(c) == sound_key(word[1])]
        for second in seconds:
            for candidate in self.words.prefixed(word[0] + second, limit=SOUND_CANDIDATES):
                own = stem(candidate) or candidate
                if sound_key(own) == key or sound_key(candidate) == whole:  # the whole word: "появица", "появится"
                    return own
        return None


def sound_key(word: str) -> str:
    """Roughly how a folded Russian word sounds: о as а, е ё э я ы as и, no soft or hard sign, no double letters,
    "тс" as "ц" ("появица": "появится", "децкий": "детский")."""
    said = word.replace("ться", "ца").replace("тся", "ца").replace("тс", "ц")
    return _DOUBLE.sub(r"\1", said.translate(_SOUND))


def kazakh_roots(word: str) -> list[str]:
    """What is left of a folded word with one, then two Kazakh endings taken off, longest first."""
    roots: list[str] = []
    frontier = [word]
    for _ in range(2):
        following = [
            form[: -len(ending)]
            for form in frontier
            for ending in _KAZAKH_ENDINGS
            if form.endswith(ending) and len(form) - len(ending) >= MIN_ROOT
        ]
        roots.extend(following)
        frontier = following
    return roots


def one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one edit from `word` that keeps its first letter."""
    head, tail = word[0], word[1:]
    splits = [(tail[:i], tail[i:]) for i in range(len(tail) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in alphabet}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return {head + rest for rest in deletes | swaps | changes | inserts} - {word}
