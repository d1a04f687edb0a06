"""Russian verbs the articles do not use, mapped onto words of like meaning they do use (navec).

"Куда ездили депутаты?" asks what the articles say with "приезжаю";
"торгуют", with "торговли". After the spelling rules (`vocabulary.py`) a
Russian question verb still unmatched is compared, by its
lemma's navec vector (natasha's news embedding, made for Russian), with the
lemmas of the articles' words; the closest one (or, of those close enough,
the closest of the same root: "пригласил" → "приглашению", not "посетили"),
when its cosine reaches `Bridge.meaning_low`, is a match whose strength grows to `Bridge.meaning_most`
at `Bridge.meaning_high`: never a sure match, and never searched, because
navec puts opposites close too ("сократился" by "вырос"). An unmatched verb
is evidence of absence only when nothing close is found.

A question verb the articles do use keeps its other article words of like
meaning too (`near`): a sentence that says it in other words still says it,
less surely, when evidence windows are scored.

Nouns are left unmatched: a noun names what is asked about, and the nearest
article noun ("спорт" for "хоккей", "нефть" for "газ") is a near miss more
often than a paraphrase.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from embeddings.lexicon import is_verb, lemma, navec
from embeddings.params import Bridge
from embeddings.retrieve.bridge import Bridged
from embeddings.text import fold, is_cyrillic, stem

NEAR_REMEMBERED = 65_536  # question words whose near article stems are kept
SAME_ROOT = 5  # leading letters a word shares with an article word of its root ("пригла")


class MeaningBridge:
    """The navec vectors of the articles' word lemmas, and the mapping of unmatched Russian words onto them."""

    def __init__(self, forms: Sequence[str], params: Bridge) -> None:
        self.forms = list(forms)
        self.params = params
        self._matrix: npt.NDArray[np.float32] | None = None
        self._stems: list[str] = []
        self._lock = threading.Lock()
        self._near: dict[str, dict[str, float]] = {}

    def _vectors(self) -> tuple[npt.NDArray[np.float32], list[str]]:
        """The unit navec vectors of the articles' lemmas and their stems, made on the first use."""
        with self._lock:
            if self._matrix is None:
                vectors = navec()
                rows, stems = [], []
                for form in self.forms:
                    word = fold(form)
                    vector = vectors.get(lemma(word)) if is_cyrillic(word) else None
                    if vector is not None:
                        rows.append(np.asarray(vector, dtype=np.float32))
                        stems.append(stem(word) or word)
                matrix = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
                norms = np.linalg.norm(matrix, axis=1, keepdims=True) if rows else np.ones((0, 1))
                self._matrix, self._stems = (matrix / np.maximum(norms, 1e-9)).astype(np.float32), stems
            return self._matrix, self._stems

    def near(self, words: Sequence[str]) -> dict[str, dict[str, float]]:
        """For each Russian verb of `words` (folded) that the articles use, the other article stems close to it in
        meaning, with the strength of each: where a sentence says it in other words ("купили": "приобрели") it
        still says it, though less surely than in the question's own."""
        found: dict[str, dict[str, float]] = {}
        for word in dict.fromkeys(words):
            close = self._near.get(word)
            if close is None:  # a plain dict: a race only computes a word twice
                if len(self._near) >= NEAR_REMEMBERED:
                    self._near.clear()
                close = self._near[word] = self._near_one(word)
            if close:
                found[word] = close
        return found

    def _near_one(self, word: str) -> dict[str, float]:
        matrix, stems = self._vectors()
        vector = navec().get(lemma(word)) if len(stems) and is_cyrillic(word) and is_verb(word) else None
        close: dict[str, float] = {}
        if vector is None:
            return close
        own = stem(word) or word
        cosines = matrix @ (np.asarray(vector, dtype=np.float32) / max(float(np.linalg.norm(vector)), 1e-9))
        for i in np.flatnonzero(cosines >= self.params.meaning_low).tolist():
            if stems[i] != own:
                close[stems[i]] = max(close.get(stems[i], 0.0), self._strength(float(cosines[i])))
        return close

    def _strength(self, cosine: float) -> float:
        p = self.params
        return p.meaning_most * min(1.0, max(0.0, (cosine - p.meaning_low) / (p.meaning_high - p.meaning_low)))

    def map(self, words: Sequence[str]) -> dict[str, Bridged]:
        """The article word of closest meaning for each Russian verb of `words` (folded), when close enough; the
        match's `score` is its navec cosine."""
        matrix, stems = self._vectors()
        found: dict[str, Bridged] = {}
        if not len(stems):
            return found
        p = self.params
        for word in dict.fromkeys(words):
            vector = navec().get(lemma(word)) if is_cyrillic(word) and is_verb(word) else None
            if vector is None:
                continue
            cosines = matrix @ (np.asarray(vector, dtype=np.float32) / max(float(np.linalg.norm(vector)), 1e-9))
            best = int(np.argmax(cosines))
            # of the words close enough in meaning, one of the same root first ("пригласил": "приглашению")
            root = (stem(word) or word)[:SAME_ROOT]
            kin = [i for i in np.flatnonzero(cosines >= p.meaning_low).tolist() if stems[i].startswith(root)]
            if len(root) == SAME_ROOT and kin:
                best = max(kin, key=lambda i: float(cosines[i]))
            cosine = float(cosines[best])
            strength = self._strength(cosine)
            if strength > 0:
                found[word] = Bridged(word, stems[best], cosine, strength)
        return found
