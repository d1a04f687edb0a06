"""Names, places, organisations, money and dates, found by natasha.

natasha's news NER model (slovnet over navec vectors) tags persons, places
and organisations; its yargy grammars extract amounts of money and dates;
its dependency parser tells what common nouns stand for (`nouns.py`).
The models ship inside the natasha wheel and load once per process, lazily.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from embeddings.annotate.nouns import noun_spans
from embeddings.annotate.spans import Kind, Span
from embeddings.lexicon import navec

_lock = threading.Lock()
_parts: _Natasha | None = None


@dataclass(frozen=True)
class _Natasha:
    segmenter: Any
    morph_vocab: Any
    ner: Any
    morph: Any
    money: Any
    dates: Any
    syntax: Any


def _natasha() -> _Natasha:
    global _parts
    with _lock:
        if _parts is None:
            from natasha import (  # about 40 MB of models, loaded when first needed
                DatesExtractor,
                MoneyExtractor,
                MorphVocab,
                NewsMorphTagger,
                NewsNERTagger,
                NewsSyntaxParser,
                Segmenter,
            )

            embedding = navec()
            vocab = _vocab(MorphVocab)
            _parts = _Natasha(
                Segmenter(),
                vocab,
                NewsNERTagger(embedding),
                NewsMorphTagger(embedding),
                MoneyExtractor(vocab),
                DatesExtractor(vocab),
                NewsSyntaxParser(embedding),
            )
        return _parts


_question_lock = threading.Lock()
_question: tuple[Any, Any, Any] | None = None


def question_parsers() -> tuple[Any, Any, Any]:
    """natasha's segmenter, NER tagger and syntax parser alone (no morphology or grammars): what reading a question
    needs; they share navec's vectors."""
    global _question
    with _question_lock:
        if _question is None:
            from natasha import NewsNERTagger, NewsSyntaxParser, Segmenter

            _question = Segmenter(), NewsNERTagger(navec()), NewsSyntaxParser(navec())
        return _question


def names(text: str) -> list[Span]:
    """Persons, places and organisations of a short Russian text (a question), as written, with offsets."""
    from natasha import Doc

    segmenter, ner, _ = question_parsers()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner)
    return [Span(Kind(span.type), span.start, span.stop, span.text, span.text) for span in doc.spans]


def _vocab(base: Any) -> Any:
    """natasha's `MorphVocab` with its dictionary named by path.

    Named by its path: pymorphy2 finds dictionaries through `pkg_resources`,
    which current setuptools no longer ships.
    """
    import pymorphy2_dicts_ru
    from natasha.morph.vocab import MorphForm
    from pymorphy2 import MorphAnalyzer

    class Vocab(base):  # type: ignore[misc]
        def __init__(self) -> None:
            MorphAnalyzer.__init__(self, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm)

    return Vocab()


def entities(text: str) -> list[Span]:
    """Persons, places, organisations, money and dates of a Russian text, with offsets into it; and the nouns that
    class a name or are given an amount of (`annotate/nouns.py`)."""
    from natasha import Doc

    parts = _natasha()
    doc = Doc(text)
    doc.segment(parts.segmenter)
    doc.tag_morph(parts.morph)
    doc.tag_ner(parts.ner)
    doc.parse_syntax(parts.syntax)
    found: list[Span] = []
    for span in doc.spans:
        span.normalize(parts.morph_vocab)
        found.append(Span(Kind(span.type), span.start, span.stop, span.text, span.normal or span.text))
    for match in parts.money(text):
        fact = match.fact
        found.append(
            Span(Kind.MONEY, match.start, match.stop, text[match.start : match.stop], f"{fact.amount} {fact.currency}")
        )
    for match in parts.dates(text):
        fact = match.fact
        value = "-".join(str(part) for part in (fact.year, fact.month, fact.day) if part)
        found.append(Span(Kind.DATE, match.start, match.stop, text[match.start : match.stop], value))
    named = list(found)
    for sentence in doc.sents:
        found += noun_spans(sentence.tokens, [s for s in named if sentence.start <= s.start < sentence.stop])
    return found
