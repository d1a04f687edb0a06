"""Russian words of like meaning: the synonyms of the Russian thesaurus LibreOffice ships.

`embeddings/resources/ru-synonyms.tsv.gz` is made from Debian's `mythes-ru`
by `tools/russian_synonyms.py` (see `embeddings/resources/README.md`): each
headword with its one-word synonyms. The thesaurus lists a pair under one
of its words only ("руководить: возглавлять ...", no "возглавлять"), so the
table is read both ways. Loaded once per process, when a question word the
articles do not use is first looked up.
"""

from __future__ import annotations

import gzip
import threading
from importlib import resources

_lock = threading.Lock()
_table: dict[str, tuple[str, ...]] | None = None


def _load() -> dict[str, tuple[str, ...]]:
    global _table
    if _table is not None:
        return _table
    with _lock:
        if _table is None:
            raw = resources.files("embeddings.resources").joinpath("ru-synonyms.tsv.gz").read_bytes()
            both: dict[str, dict[str, None]] = {}
            for line in gzip.decompress(raw).decode("utf-8").splitlines():
                head, _, words = line.partition("\t")
                for word in words.split():
                    both.setdefault(head, {})[word] = None
                    both.setdefault(word, {})[head] = None
            _table = {word: tuple(others) for word, others in both.items()}
        return _table


def synonyms_of(lemma: str) -> tuple[str, ...]:
    """The thesaurus's synonyms of a Russian lemma (folded: "е" for "ё"), in its order; () when it lists none."""
    return _load().get(lemma, ())
