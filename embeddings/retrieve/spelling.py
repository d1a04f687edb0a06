"""Typos in questions, corrected against the articles' own vocabulary.

A question word whose stem the articles never use, but which is one edit
(a letter dropped, added, changed or two swapped) away from a word they
write, or a word with their stem, or a dictionary word whose lemma they use,
is rewritten to it ("петрав": "петров", "тирминале": "терминале"); else,
one edit from a stem they use, to that stem with the word's own ending:
"возлажили цвиты" becomes "возложили цветы", "фистиваль" "фестиваль".
Everything downstream -- the encoder, BM25, the evidence scoring -- then
sees the words of the articles.

Guards against "correcting" a word that is simply not in the articles: a
word of the Russian or English dictionary is left as it is ("примет" is not
a typo of "привет"), the first letter is kept (typos there are rare and
wrong corrections common), short stems are left alone, Kazakh words (which
have no stemmer and a different spelling) are never touched, and among several candidates the
most frequent in the articles wins. A vocabulary larger than
`MAX_VOCABULARY` turns correction off rather than holding it all in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from embeddings.index.bm25 import BM25
from embeddings.lexicon import lemma
from embeddings.retrieve.vocabulary import one_edit
from embeddings.retrieve.words import is_english_word, is_russian_word, misspelt, russian_name
from embeddings.text import STOPWORDS, WORD, fold, is_cyrillic, is_kazakh, tokenize

MIN_STEM = 4
MAX_VOCABULARY = 300_000
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def _in_dictionary(word: str) -> bool:
    """A real word of the language it is written in: not a typo, even when the articles never use it."""
    return is_russian_word(word) if is_cyrillic(word) else is_english_word(word)


class Speller:
    """Rewrites question words the articles never use to the closest words they do."""

    def __init__(self, bm25: BM25) -> None:
        self.bm25 = bm25
        self.enabled = len(bm25.vocabulary) <= MAX_VOCABULARY
        # Read once at start: correction then costs set lookups, not bisections of the memory-mapped vocabulary.
        self.known = frozenset(bm25.vocabulary) if self.enabled else frozenset()

    def correct(self, question: str, keep: Callable[[str], bool] | None = None) -> str:
        """`question` with each correctable word replaced; the rest (and words `keep` says to keep) unchanged."""
        if not self.enabled:
            return question

        def fixed(word: str) -> str:
            if keep is not None and keep(word):
                return self._written(word) or word  # "петрав": matched by a rule, but one edit from "петров"
            return self._word(word)

        return WORD.sub(lambda m: fixed(m.group()), question)

    @lru_cache(maxsize=16_384)  # noqa: B019 - one Speller per pipeline; question words repeat
    def _word(self, word: str) -> str:
        lower = fold(word)
        if lower in STOPWORDS or is_kazakh(lower) or not word.isalpha():
            return word
        if _in_dictionary(lower):
            doubled = self._doubled(lower) if is_cyrillic(lower) else None
            return word if doubled is None else (doubled.capitalize() if word[0].isupper() else doubled)
        stems = tokenize(lower)
        if len(stems) != 1 or len(stems[0]) < MIN_STEM or stems[0] in self.known or not lower.startswith(stems[0]):
            return word
        stem = stems[0]
        alphabet = _CYRILLIC if "а" <= stem[0] <= "я" else _LATIN
        fixed = self._inflected(lower, alphabet)
        if fixed is None:
            candidates = [c for c in one_edit(stem, alphabet) if c in self.known]
            if not candidates:
                # a common word the articles never use, a vowel slip off ("вазили"): the dictionary's spelling
                return (misspelt(lower) or word) if word.islower() else word
            best = min(candidates, key=lambda c: (self.bm25.idf(c), c))  # the most frequent, then a fixed order
            fixed = best + lower[len(stem) :]
        return fixed.capitalize() if word[0].isupper() else fixed

    def _doubled(self, lower: str) -> str | None:
        """The word the articles use that a dictionary word they do not use stands for with one letter written once
        instead of twice, or twice instead of once ("сума": "сумма"), the commonest slip of Russian spelling; None
        when there is none, or the articles use the word as written."""
        if _stem_of(lower) in self.known or len(lower) < MIN_STEM:
            return None
        variants = {lower[: i + 1] + lower[i:] for i in range(len(lower))}
        variants |= {lower[:i] + lower[i + 1 :] for i in range(len(lower) - 1) if lower[i] == lower[i + 1]}
        found = [(self.bm25.idf(_stem_of(v)), v) for v in variants if _stem_of(v) in self.known and _in_dictionary(v)]
        return min(found)[1] if found else None

    @lru_cache(maxsize=16_384)  # noqa: B019 - as above
    def _written(self, word: str) -> str | None:
        """The word the articles write one edit from a word no dictionary knows (its capital kept), if any."""
        lower = fold(word)
        if lower in STOPWORDS or is_kazakh(lower) or not word.isalpha() or _in_dictionary(lower):
            return None
        if self.bm25.words.get(lower) is not None or len(lower) <= MIN_STEM:
            return None
        if _stem_of(lower) in self.known and russian_name(lower) is not None:
            return None  # another case of a name they write ("Петрову"), not a typo ("организацый")
        alphabet = _CYRILLIC if is_cyrillic(lower) else _LATIN
        near = [
            (self.bm25.idf(_stem_of(c)), c) for c in one_edit(lower, alphabet) if self.bm25.words.get(c) is not None
        ]
        if not near:
            return None
        best = min(near)[1]
        return best.capitalize() if word[0].isupper() else best

    def _inflected(self, lower: str, alphabet: str) -> str | None:
        """A word one edit from `lower` that the articles write, or a dictionary word with their stem or lemma.

        The typo may be in the ending the stem keeps ("петрав": "петров"), or stems may not see it:
        "тирминале" is one edit from "терминале", which the articles never write, and its stem is not that of
        the "терминал" they do write; the lemma is the same. A string that is neither is no correction.
        """
        found = []
        for candidate in one_edit(lower, alphabet):
            written = self.bm25.words.get(candidate) is not None
            if not written and not _in_dictionary(candidate):
                continue
            known = _stem_of(candidate)
            if known not in self.known and alphabet == _CYRILLIC:
                known = _lemma_stem(candidate)
            if known in self.known:
                found.append((not written, self.bm25.idf(known), candidate))  # a form they write first
        return min(found)[-1] if found else None


def _stem_of(word: str) -> str:
    """The stem of a folded word ("" for a stopword)."""
    stems = tokenize(word)
    return stems[0] if len(stems) == 1 else ""


@lru_cache(maxsize=65_536)
def _lemma_stem(word: str) -> str:
    """The stem of a folded word's dictionary form."""
    return _stem_of(lemma(word))
