"""The initialisms a reader may type for the articles' names of several words.

People write "РК", "рб" or "шос" for what the articles spell out: "Республика
Казахстан", "Республики Беларусь", "Шанхайской организации сотрудничества".
Every place and organisation natasha's NER found in the articles (`entities.py`)
gives the initials of its words; an initialism stands for the name's most
telling word, its last capitalised one ("казахстан", "шанхайск"), as the
articles' stem. Initials two different names share stand for neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from embeddings.annotate.spans import Kind, Span
from embeddings.text import WORD, fold, stem

_NAMED = (Kind.LOC, Kind.ORG)


def initialisms(annotations: Iterable[Sequence[Span]]) -> dict[str, str]:
    """Folded initials of the articles' places and organisations of two words or more, each with the stem of
    its name's last capitalised word."""
    found: dict[str, set[str]] = {}
    for spans in annotations:
        for span in spans:
            words = WORD.findall(span.text) if span.kind in _NAMED else []
            capitalised = [w for w in words if w[:1].isupper() and w.isalpha()]
            if len(words) < 2 or not capitalised or not all(w.isalpha() for w in words):
                continue
            telling = stem(fold(capitalised[-1]))
            if telling:
                found.setdefault("".join(fold(w[0]) for w in words), set()).add(telling)
    return {initials: next(iter(stems)) for initials, stems in found.items() if len(stems) == 1}
