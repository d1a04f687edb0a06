"""BM25 over Snowball-stemmed tokens, with an inverted index.

Russian and English words are stemmed with PyStemmer (Kazakh words, which
Snowball has no stemmer for, are kept whole). A query touches only the
postings of its own terms, so the cost grows with the matches, not with the
corpus.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import numpy.typing as npt
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
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


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


class BM25:
    """Okapi BM25 with `k1`, `b` over an inverted index held in flat arrays.

    Postings are stored CSR-style: one vocabulary (term -> row), and for every
    row a slice of document ids and their precomputed BM25 term weights. The
    build collects postings in compact typed buffers, not per-term Python
    lists, so memory grows by ~8 bytes per (term, document) pair.
    """

    def __init__(self, documents: Iterable[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._vocabulary: dict[str, int] = {}
        terms, docs, counts, lengths = array("i"), array("i"), array("H"), array("I")
        for doc_id, doc in enumerate(documents):
            tokens = tokenize(doc)
            lengths.append(len(tokens))
            for term, tf in Counter(tokens).items():
                terms.append(self._vocabulary.setdefault(term, len(self._vocabulary)))
                docs.append(doc_id)
                counts.append(min(tf, 65_535))
        self.size = len(lengths)
        length = np.frombuffer(lengths, dtype=np.uint32).astype(np.float32) if self.size else np.zeros(0, np.float32)
        average = float(length.mean()) if self.size and length.mean() > 0 else 1.0
        term_ids = np.frombuffer(terms, dtype=np.int32) if terms else np.zeros(0, np.int32)
        order = np.argsort(term_ids, kind="stable")
        self._docs = (np.frombuffer(docs, dtype=np.int32) if docs else np.zeros(0, np.int32))[order]
        frequency = (np.frombuffer(counts, dtype=np.uint16) if counts else np.zeros(0, np.uint16))[order]
        frequency = frequency.astype(np.float32)
        norm = k1 * (1 - b + b * length[self._docs] / average)
        self._weights = (frequency * (k1 + 1) / (frequency + norm)).astype(np.float32)
        self._starts = np.zeros(len(self._vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(self._vocabulary)), out=self._starts[1:])

    @property
    def postings(self) -> int:
        """How many (term, document) pairs the index holds."""
        return len(self._docs)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (stemmed) term; 0 for unknown terms."""
        row = self._vocabulary.get(term)
        if row is None:
            return 0.0
        df = int(self._starts[row + 1] - self._starts[row])
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def __contains__(self, term: object) -> bool:
        return term in self._vocabulary

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every document for `query` (zeros where nothing matches)."""
        total = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query)):
            row = self._vocabulary.get(term)
            if row is not None:
                start, end = self._starts[row], self._starts[row + 1]
                total[self._docs[start:end]] += self.idf(term) * self._weights[start:end]
        return total

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best documents with a positive score, best first."""
        scores = self.scores(query)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        best = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in best]
