"""The articles' content words, one written form per stem, and their vectors: built with the index.

They let a question word in another language be matched to the articles'
own words (see `retrieve/bridge.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from embeddings.encode.encoders import Encoder, Vectors
from embeddings.text import STOPWORDS, stem

MIN_WORD = 4  # shorter article words are not bridged to
BATCH = 64
FORMS_FILE = "forms.txt"
VECTORS_FILE = "vectors.npy"


def article_forms(words: Iterable[tuple[str, int]]) -> list[str]:
    """One written form per stem of the articles' content words: the most frequent, then the first in order."""
    best: dict[str, tuple[str, int]] = {}
    for word, count in words:
        if len(word) < MIN_WORD or not word.isalpha() or word in STOPWORDS:
            continue
        key = stem(word) or word
        if key not in best or count > best[key][1]:
            best[key] = (word, count)
    return sorted(form for form, _ in best.values())


def build_word_vectors(
    forms: Sequence[str], encoder: Encoder, folder: Path, advance: Callable[[int], None] | None = None
) -> None:
    """Encode the articles' word forms into `folder` (forms as lines, vectors as `.npy`); `advance` counts them."""
    folder.mkdir(parents=True, exist_ok=True)
    vectors = np.lib.format.open_memmap(
        folder / VECTORS_FILE, mode="w+", dtype=np.float32, shape=(len(forms), encoder.spec.dim)
    )
    for row in range(0, len(forms), BATCH):
        batch = list(forms[row : row + BATCH])
        vectors[row : row + len(batch)] = encoder.encode_queries(batch)
        if advance:
            advance(len(batch))
    vectors.flush()
    del vectors
    (folder / FORMS_FILE).write_text("\n".join(forms), encoding="utf-8")


def load_word_vectors(folder: Path) -> tuple[list[str], Vectors]:
    """The forms and memory-mapped vectors written by `build_word_vectors`."""
    text = (folder / FORMS_FILE).read_text(encoding="utf-8")
    forms = text.split("\n") if text else []
    vectors = np.load(folder / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
    if len(forms) != len(vectors):
        msg = f"{folder.name}: {len(forms)} word forms but {len(vectors)} vectors"
        raise ValueError(msg)
    return forms, vectors
