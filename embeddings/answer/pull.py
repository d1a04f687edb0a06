"""How the question's words that the best evidence lacks bear on the question's closeness to it.

A word of the question that the best window does not hold may be said
there in other words ("кто возглавляет": "председатель"), or name what the
articles do not say ("где родился"). Words and vectors alone do not tell
the two apart; the encoder does, in context: the question is encoded again
without those words, and the pull is how much closer to the window the
whole question is than what is left of it. A word said in other words
draws the question to the window; a relation the window lacks draws it
away, and the pull is negative. The same words are measured against the
next best windows too, and the strongest pull counts: the best window may
say "председатель" where the next one says "глава" for "возглавляет".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np

from embeddings.encode.encoders import Vectors
from embeddings.retrieve.reading import Term
from embeddings.text import WORD, fold

LACKING = 3  # the heaviest lacking words left out; a question rarely lacks more that matter
WINDOWS = 3  # the best windows the pull is measured against
SCALE = 100.0  # the pull in hundredths of a cosine, a scale like the support model's other features
PULL_MOST = 5.0  # the pull is held within this, so that its share of the support is bounded

Encode = Callable[[Sequence[str]], Vectors]


def without(text: str, words: Collection[str]) -> str:
    """`text` with the words whose folded form is one of `words` left out (punctuation stays)."""
    pieces, last = [], 0
    for match in WORD.finditer(text):
        if fold(match.group()) in words:
            pieces.append(text[last : match.start()].rstrip())
            last = match.end()
    return " ".join(" ".join([*pieces, text[last:]]).split())


def pull(
    encode: Encode, question: str, query_vector: Vectors, window_vectors: Vectors, lacking: Sequence[Term]
) -> float:
    """The strongest pull of the `lacking` terms (heaviest first) of `question` towards one of the windows (rows
    of `window_vectors`); 0 when there are none."""
    words = {term.word for term in lacking[:LACKING]}
    rest = without(question, words)
    if not words or not rest or rest == question:
        return 0.0
    rest_vector = encode([rest])[0]
    strongest = float(np.max(np.asarray(window_vectors).reshape(-1, len(query_vector)) @ (query_vector - rest_vector)))
    return float(np.clip(SCALE * strongest, -PULL_MOST, PULL_MOST))
