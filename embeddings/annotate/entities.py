"""Names, places, organisations, money and dates, found by natasha.

natasha's news NER model (slovnet over navec vectors) tags persons, places
and organisations; its yargy grammars extract amounts of money and dates;
its dependency parser tells what common nouns stand for (`nouns.py`).
The models ship inside the natasha wheel and load once per process, lazily.

A person's name is the same name all through one article: where the tagger
misses a mention it tags elsewhere ("Председатель совета Иван Петров
посетил ..." in a title), the mention is tagged as the name is elsewhere,
its words in any case ("Ивана Петрова"). Only a name the dictionary
knows as a name, or does not know at all, is carried over: the tagger's
slips ("Президента") are not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from embeddings.annotate.nouns import noun_spans
from embeddings.annotate.spans import NAMES, Kind, Span
from embeddings.lexicon import PERSON_TAGS, best_parse, navec
from embeddings.text import fold

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


CASE_ENDING = 2  # letters a name's case ending adds or changes ("Петров", "Петровым", "Петрова", "Петровой")
MIN_NAME = 3  # letters two words must share to be one name


def _missed_mentions(tokens: list[Any], spans: list[Span]) -> list[Span]:
    """Mentions of the persons among `spans` that the tagger did not tag: capitalised runs of `tokens` whose
    words are a tagged person's in any case (`_same_name`), overlapping no name span. A name tagged as another
    kind too is left."""
    people: dict[tuple[str, ...], str] = {}
    for span in spans:
        words = span.text.split()
        if span.kind is Kind.PER and all(_a_name(w) for w in words):
            people.setdefault(tuple(fold(w) for w in words), span.value)
    others = [tuple(fold(w) for w in s.text.split()) for s in spans if s.kind in NAMES and s.kind is not Kind.PER]
    people = {name: value for name, value in people.items() if not any(_same(name, other) for other in others)}
    taken = [(s.start, s.end) for s in spans if s.kind in NAMES]
    added: list[Span] = []
    words = [fold(t.text) if t.text[:1].isupper() else "" for t in tokens]  # only capitalised words may be names
    for at, word in enumerate(words):
        for name, value in people.items() if word else ():
            run = words[at : at + len(name)]
            if not word.startswith(name[0][:MIN_NAME]) or len(run) < len(name) or not all(run):
                continue
            start, stop = tokens[at].start, tokens[at + len(name) - 1].stop
            if _same(name, tuple(run)) and not any(a < stop and start < b for a, b in taken):
                added.append(Span(Kind.PER, start, stop, " ".join(t.text for t in tokens[at : at + len(name)]), value))
                taken.append((start, stop))
    return added


def _same(name: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether two runs of folded words are one name, each word in whatever case."""
    return len(name) == len(other) and all(_same_name(a, b) for a, b in zip(name, other, strict=True))


def _same_name(a: str, b: str) -> bool:
    """Whether two folded words are one name in two cases: they differ only in an ending of up to `CASE_ENDING`
    letters (names the dictionary does not know have no lemma to compare)."""
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    shorter, longer = sorted((len(a), len(b)))
    return shared >= max(MIN_NAME, shorter - 1) and longer - shared <= CASE_ENDING


def _a_name(word: str) -> bool:
    """Whether pymorphy reads a word as a person's name, or does not know it (a foreign one)."""
    parse = best_parse(fold(word))
    return bool(PERSON_TAGS & parse.tag.grammemes) or not parse.is_known


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
    found += _missed_mentions(doc.tokens, found)
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
        nouns = noun_spans(sentence.tokens, [s for s in named if sentence.start <= s.start < sentence.stop])
        found += [replace(s, text=text[s.start : s.end]) for s in nouns]
    return found
