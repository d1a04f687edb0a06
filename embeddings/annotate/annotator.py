"""Annotate the sentences of an article: the typed answer candidates stored in the index.

`annotate_article` runs natasha's NER and extractors over the whole article
(names need their context) and the morphology over each sentence, and hands
every sentence its spans, with offsets relative to the sentence. A number
overlapping an amount of money or a date is part of that amount or date; a
figure of a currency natasha's money extractor does not know ("6,8 млрд
тенге") is an amount of money, the currency told by navec.
"""

from __future__ import annotations

from collections.abc import Sequence

from embeddings.annotate.entities import entities
from embeddings.annotate.phrases import phrases
from embeddings.annotate.spans import Kind, Span
from embeddings.ingest.chunking import Sentence
from embeddings.lexicon import best_parse, lemma, similarity
from embeddings.text import WORD, document_language, fold

ANNOTATOR_VERSION = 11  # recorded in the manifest: a change of what is annotated rebuilds the index
CURRENCY = 0.35  # navec cosine to "валюта" and to "рубль" from which a counted word is a currency
CURRENCY_GAP = 1  # characters between a number and its currency
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
        own = [_as_money(sentence.text, s) if s.kind is Kind.NUMBER else s for s in own]
        result.append(tuple(sorted((*inside, *own), key=lambda s: (s.start, s.kind.value))))
    return result


def _as_money(text: str, number: Span) -> Span:
    """A number of a currency natasha's extractor does not know ("6,8 млрд тенге") as an amount of money: a figure
    followed by a currency (`_currency`)."""
    gap = len(text[number.end :]) - len(text[number.end :].lstrip())
    after = WORD.match(text, number.end + gap)
    if after is None or not 0 < gap <= CURRENCY_GAP:
        return number
    word = fold(after.group())
    if word.isascii() or not any(c.isdigit() for c in number.text) or not _currency(word):
        return number  # "обеих стран": no figure, no sum
    return Span(Kind.MONEY, number.start, after.end(), text[number.start : after.end()], f"{number.text} {word}")


def _currency(word: str) -> bool:
    """Whether navec puts a word (or its lemma) close both to "валюта" and to "рубль": a currency ("тенге",
    "юань"), not a thing merely spoken of with money ("рынок", "цена", "страна")."""
    known = best_parse(word).is_known  # its lemma then; a word pymorphy only guesses ("тенге") as written
    meant = lemma(word) if known else word
    return min(similarity(meant, "валюта"), similarity(meant, "рубль")) >= CURRENCY
