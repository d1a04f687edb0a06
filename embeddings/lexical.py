"""BM25 over Snowball-stemmed tokens, with an inverted index.

Russian and English words are stemmed with PyStemmer (Kazakh words, which
Snowball has no stemmer for, are kept whole). A query touches only the
postings of its own terms, so the cost grows with the matches, not with the
corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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
    words = _WORD.findall(text.lower().replace("ё", "е"))
    tokens: list[str] = []
    for word in words:
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if _CYRILLIC.search(word):
            tokens.append(_stemmer("russian").stemWord(word))
        elif _LATIN.search(word):
            tokens.append(_stemmer("english").stemWord(word))
        else:
            tokens.append(word)
    return tokens


@dataclass(frozen=True)
class Postings:
    """Documents containing one term, with that term's precomputed BM25 weight."""

    docs: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]


class BM25:
    """Okapi BM25 with `k1`, `b`; weights are computed once at build time."""

    def __init__(self, documents: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(documents)
        tokenized = [tokenize(doc) for doc in documents]
        lengths = np.array([len(toks) for toks in tokenized], dtype=np.float32)
        average = float(lengths.mean()) if self.size and lengths.mean() > 0 else 1.0
        raw: dict[str, tuple[list[int], list[float]]] = {}
        for doc_id, toks in enumerate(tokenized):
            norm = k1 * (1 - b + b * lengths[doc_id] / average)
            for term, tf in Counter(toks).items():
                docs, weights = raw.setdefault(term, ([], []))
                docs.append(doc_id)
                weights.append(tf * (k1 + 1) / (tf + norm))
        self._postings = {
            term: Postings(np.array(d, dtype=np.int32), np.array(w, dtype=np.float32)) for term, (d, w) in raw.items()
        }

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (stemmed) term; 0 for unknown terms."""
        postings = self._postings.get(term)
        if postings is None:
            return 0.0
        df = len(postings.docs)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def __contains__(self, term: object) -> bool:
        return term in self._postings

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every document for `query` (zeros where nothing matches)."""
        total = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query)):
            postings = self._postings.get(term)
            if postings is not None:
                total[postings.docs] += self.idf(term) * postings.weights
        return total

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best documents with a positive score, best first."""
        scores = self.scores(query)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        best = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in best]
