"""Words of another language mapped onto the articles' words by the encoder itself.

An English or Kazakh question about Russian articles shares few words with
them: "trade", "flowers", "алғыс" never occur, "торговли", "цветы",
"поблагодарил" do. The multilingual encoder places a word near its
translation, so each content word of the articles (one written form per
stem) is encoded once, when the index is built (`index/words.py`), and a
foreign question word is encoded when it is asked and compared with all of
them. Words already seen are remembered.

Raw cosines of single words crowd together (0.85-0.95 for related and
unrelated words alike), so a match is judged by how far its cosine stands
out from the word's cosines to the whole vocabulary (a standard score):
"flowers" -> "цветы" stands 8.4 deviations out, "погода" -> "временем" 5.2,
"подарил" -> "дает" 3.8. The score maps to a strength between 0 and 1
(`Bridge.z_low` .. `Bridge.z_high`).

An English word the dictionary knows (`retrieve/dictionary.py`) is matched
by its translations first: of the articles' words that translate it, the one
the encoder places closest, when it stands out at all (`Bridge.sense`), is
a match of at least `Bridge.translated` ("chair" -> "председатель", not
"стул", in a story about a parliament). Otherwise, or for a word the
dictionary lacks, the encoder's closest word as above; but when that word
is a name (pymorphy's tags), only if the Latin word may be its spelling:
the encoder puts names of a kind close together ("canada", "Казахстан"),
and a name is only itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.encode.encoders import Encoder, Vectors
from embeddings.lexicon import aspect_roots, lemma
from embeddings.params import Bridge
from embeddings.retrieve.dictionary import russian_for
from embeddings.retrieve.words import cyrillic_spellings, looks_like_name
from embeddings.text import fold, is_latin, stem

CACHE = 16_384
SPELLED_START = 4  # letters a Latin word and the Cyrillic name it is matched to begin with alike


@dataclass(frozen=True)
class Bridged:
    """Where a question word lands among the articles' words."""

    word: str
    stem: str  # the article stem of the closest word
    score: float  # standard score of that cosine among all the word's cosines
    strength: float  # 0 (no match) .. 1 (a sure match)


class WordBridge:
    """The articles' word vectors, loaded from the index, and the mapping of foreign words onto them."""

    def __init__(self, forms: Sequence[str], vectors: Vectors, encoder: Encoder, params: Bridge) -> None:
        self.forms = list(forms)
        self.stems = [stem(f) or f for f in self.forms]
        self._rows_of: dict[str, list[int]] | None = None  # lemma -> rows of the articles' words, made when needed
        self.vectors = vectors
        self.encoder = encoder
        self.params = params
        self._cache: OrderedDict[str, Bridged | None] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.forms)

    def map(self, words: Sequence[str]) -> dict[str, Bridged]:
        """The article word each of `words` (folded) stands for, when the encoder places it close enough."""
        unseen = [w for w in dict.fromkeys(words) if self._cached(w) is _MISSING]
        if unseen and len(self.forms) > 1:
            vectors = self.encoder.encode_queries(unseen)
            for word, row in zip(unseen, vectors @ np.asarray(self.vectors).T, strict=True):
                self._remember(word, self._judge(word, row))
        found = {}
        for word in words:
            hit = self._cached(word)
            if isinstance(hit, Bridged) and hit.strength > 0:
                found[word] = hit
        return found

    def _judge(self, word: str, cosines: Vectors) -> Bridged | None:
        spread = float(cosines.std())
        if spread <= 0:
            return None
        p = self.params
        mean = float(cosines.mean())
        best = int(np.argmax(cosines))
        translated = self._translations(word)
        if translated:
            sense = max(translated, key=lambda row: float(cosines[row]))
            if (float(cosines[sense]) - mean) / spread >= p.sense:  # a sense the encoder also finds plausible
                best = sense
        score = (float(cosines[best]) - mean) / spread
        strength = min(1.0, max(0.0, (score - p.z_low) / (p.z_high - p.z_low)))
        if best in translated:
            strength = max(strength, p.translated)
        elif is_latin(word) and looks_like_name(fold(self.forms[best])) and not _spelled_as(word, self.forms[best]):
            return None  # a name is only itself: "canada" is not the articles' "Казахстан", however near in meaning
        return Bridged(word, self.stems[best], score, strength)

    def _translations(self, word: str) -> list[int]:
        """The rows of the articles' words that translate an English `word` (none when the dictionary lacks it)."""
        russian = russian_for(word) if is_latin(word) else ()
        if not russian:
            return []
        rows_of = self._lemma_rows()
        keys = {key for r in russian for key in (r, stem(r), *(_ASPECT + root for root in aspect_roots(r)))}
        return sorted({row for key in keys for row in rows_of.get(key, ())})

    def _lemma_rows(self) -> dict[str, list[int]]:
        """The rows of the articles' words by lemma and by stem, made on the first English question."""
        with self._lock:
            if self._rows_of is None:
                rows_of: dict[str, list[int]] = {}
                for row, form in enumerate(self.forms):
                    own = lemma(fold(form))
                    for key in {own, self.stems[row], *(_ASPECT + root for root in aspect_roots(own))}:
                        rows_of.setdefault(key, []).append(row)
                self._rows_of = rows_of
            return self._rows_of

    def _cached(self, word: str) -> Bridged | object | None:
        with self._lock:
            if word not in self._cache:
                return _MISSING
            self._cache.move_to_end(word)
            return self._cache[word]

    def _remember(self, word: str, hit: Bridged | None) -> None:
        with self._lock:
            self._cache[word] = hit
            while len(self._cache) > CACHE:
                self._cache.popitem(last=False)


def _spelled_as(word: str, form: str) -> bool:
    """Whether a Latin word may be the start of an article word written in Cyrillic ("kazakh": "Казахстан")."""
    start = fold(form)[:SPELLED_START]
    return any(spelling.startswith(start) for spelling in cyrillic_spellings(word))


_MISSING = object()
_ASPECT = "aspect:"  # keys of the rows by the root of a verb's aspect pair, apart from lemmas and stems
