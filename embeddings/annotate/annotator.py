"""Annotate the sentences of an article: the typed answer candidates stored in the index.

`annotate_article` runs natasha's NER and extractors over the whole article
(names need their context) and the morphology over each sentence, and hands
every sentence its spans, with offsets relative to the sentence. A number
overlapping an amount of money or a date is part of that amount or date.
"""

from __future__ import annotations

from collections.abc import Sequence

from embeddings.annotate.entities import entities
from embeddings.annotate.phrases import phrases
from embeddings.annotate.spans import Kind, Span
from embeddings.ingest.chunking import Sentence
from embeddings.text import document_language

ANNOTATOR_VERSION = 8  # recorded in the manifest: a change of what is annotated rebuilds the index
_WHOLE = (Kind.MONEY, Kind.DATE)  # spans that swallow the numbers inside them


def annotate_article(text: str, sentences: Sequence[Sentence]) -> list[tuple[Span, ...]]:
    """The spans of each sentence of one article (`sentences` in order, offsets into `text`)."""
    russian = document_language(text) == "ru"
    named = entities(text) if russian else []
    result: list[tuple[Span, ...]] = []
    for sentence in sentences:
        inside = [
            Span(s.kind, s.start - sentence.start, s.end - sentence.start, s.text, s.value)
            for s in named
            if sentence.start <= s.start and s.end <= sentence.end
        ]
        own = phrases(sentence.text) if russian else []
        wholes = [s for s in inside if s.kind in _WHOLE]
        own = [
            s
            for s in own
            if not (
                s.kind in (Kind.NUMBER, Kind.DURATION, Kind.DATE)
                and any(w.start < s.end and s.start < w.end for w in wholes)
            )
            and not (s.kind is Kind.ROLE and any(n.start <= s.start < n.end for n in inside if n.kind is Kind.PER))
        ]
        result.append(tuple(sorted((*inside, *own), key=lambda s: (s.start, s.kind.value))))
    return result
