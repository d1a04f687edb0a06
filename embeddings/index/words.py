"""The articles' content words, one written form per stem, and their vectors: built with the index.

They let a question word in another language be matched to the articles'
own words (see `retrieve/bridge.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from embeddings.encode.encoders import Encoder, Vectors
from embeddings.index.postings import copy_range, load_npy
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
    forms: Sequence[str],
    encoder: Encoder,
    folder: Path,
    advance: Callable[[int], None] | None = None,
    known: tuple[Sequence[str], Vectors] | None = None,
) -> int:
    """Encode the articles' word forms into `folder` (forms as lines, vectors as `.npy`); `advance` counts them.

    The vectors of `known` forms (an older index's) are copied, not encoded
    again. Returns how many forms were encoded.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FORMS_FILE).write_text("\n".join(forms), encoding="utf-8")
    if known is not None:
        return _reuse_word_vectors(forms, encoder, folder / VECTORS_FILE, known)
    vectors = np.lib.format.open_memmap(
        folder / VECTORS_FILE, mode="w+", dtype=np.float32, shape=(len(forms), encoder.spec.dim)
    )
    for row in range(0, len(forms), BATCH):
        batch = list(forms[row : row + BATCH])
        vectors[row : row + len(batch)] = encoder.encode_queries(batch)
        if advance:
            advance(len(batch))
    del vectors
    return len(forms)


def _reuse_word_vectors(
    forms: Sequence[str], encoder: Encoder, path: Path, known: tuple[Sequence[str], Vectors]
) -> int:
    """Write the vectors of `forms` in order: runs of known forms copied file to file, the others encoded."""
    rows = {form: row for row, form in enumerate(known[0])}
    missing = [form for form in forms if form not in rows]
    encoded: dict[str, Vectors] = {}
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        encoded.update(zip(batch, encoder.encode_queries(batch), strict=True))
    older = known[1]
    row_bytes = encoder.spec.dim * np.dtype(np.float32).itemsize
    source = Path(older.filename) if isinstance(older, np.memmap) and older.filename else None
    run: list[int] = []  # [first source row, count] of known rows waiting to be copied

    def flush_run(handle: BinaryIO) -> None:
        if not run:
            return
        if source is not None and isinstance(older, np.memmap):
            handle.flush()
            at, count = handle.tell(), run[1] * row_bytes
            copy_range(source, older.offset + run[0] * row_bytes, count, handle, at)
            handle.seek(at + count)
        else:
            handle.write(np.ascontiguousarray(older[run[0] : run[0] + run[1]], dtype=np.float32).data)
        run.clear()

    with path.open("wb") as handle:
        fields = {"descr": "<f4", "fortran_order": False, "shape": (len(forms), encoder.spec.dim)}
        np.lib.format.write_array_header_1_0(handle, fields)
        for form in forms:
            row = rows.get(form)
            if row is not None and run and run[0] + run[1] == row:
                run[1] += 1
                continue
            flush_run(handle)
            if row is not None:
                run.extend((row, 1))
            else:
                handle.write(np.ascontiguousarray(encoded[form], dtype=np.float32).data)
        flush_run(handle)
    return len(missing)


def load_word_vectors(folder: Path) -> tuple[list[str], Vectors]:
    """The forms and memory-mapped vectors written by `build_word_vectors`."""
    text = (folder / FORMS_FILE).read_text(encoding="utf-8")
    forms = text.split("\n") if text else []
    vectors = load_npy(folder / VECTORS_FILE)
    if len(forms) != len(vectors):
        msg = f"{folder.name}: {len(forms)} word forms but {len(vectors)} vectors"
        raise ValueError(msg)
    return forms, vectors
