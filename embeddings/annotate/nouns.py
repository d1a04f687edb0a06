"""What the articles' common nouns stand for, read from natasha's dependency parse.

Two facts a "какой <noun>" question needs, learnt from the articles themselves:

- a noun that *classes* a name: the head a name stands in apposition to
  ("компания «Альфа»", "город Заречье") is a noun of that name's kind, so
  "какая компания ...?" wants an organisation;
- a noun that is *measured*: the inanimate subject of a verb whose object
  is an amount of money or of a unit of something ("зарплата составит 62
  тысячи рублей", "мощность вырастет до 600 тонн молока"; not "закупила 24
  автоцистерны", which counts things) is given in numbers, and so is the
  noun it is the measure of ("объём торговли достиг ..."), so "какая
  зарплата ...?" wants an amount.

Each is stored as a span over the noun (`Kind.CLASS`, its value the kind of
the name; `Kind.MEASURE`, its value the noun's lemma), so the reader learns
the index's own nouns when it loads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from embeddings.annotate.spans import NAMES, Kind, Span
from embeddings.lexicon import best_parse, lemma
from embeddings.text import WORD

MEASURE_REACH = 2  # words between an amount and the noun it measures
LIST_ITEMS = 3  # coordinated nouns that make an enumeration: what "какие X" may be answered with


def noun_spans(tokens: Sequence[Any], named: Sequence[Span]) -> list[Span]:
    """`Kind.CLASS`, `Kind.MEASURE` and `Kind.LIST` spans of one parsed sentence (natasha tokens with `rel` and
    `head_id`); a list's text is left for the caller, who holds the sentence's.

    `named` are the sentence's persons, places, organisations and amounts of money, with offsets as the tokens'.
    """
    by_id = {token.id: token for token in tokens}
    children: dict[str, list[Any]] = {}
    for token in tokens:
        children.setdefault(token.head_id, []).append(token)
    first = tokens[0].id if tokens else None

    def common_noun(token: Any) -> bool:  # a noun no name covers, in lower case unless it opens the sentence
        return bool(
            token.pos == "NOUN"
            and (token.text[:1].islower() or token.id == first)
            and not any(s.start <= token.start < s.end for s in named)
        )

    found: list[Span] = []
    for token in tokens:
        head = by_id.get(token.head_id)
        if token.rel == "appos" and head is not None and common_noun(head):
            kind = next((s.kind for s in named if s.start <= token.start < s.end and s.kind in NAMES), None)
            if kind is not None:
                found.append(Span(Kind.CLASS, head.start, head.stop, head.text, kind.value))
        below = children.get(token.id, ())
        amount = any(child.rel.startswith("nummod") for child in below) and (
            any(s.kind is Kind.MONEY and s.start <= token.start < s.end for s in named)
            or any(child.rel == "nmod" for child in below)  # a unit of something: "тонн молока"
        )
        if amount and token.rel in ("obj", "obl") and head is not None and head.pos == "VERB":
            for subject in children.get(head.id, ()):
                if (
                    subject.rel == "nsubj"
                    and common_noun(subject)
                    and "anim" not in best_parse(subject.text.lower()).tag
                ):
                    # and what it is the measure of: "объём торговли достиг N" gives trade in numbers too
                    of = [c for c in children.get(subject.id, ()) if c.rel == "nmod" and _genitive(c, children)]
                    for noun in (subject, *of):
                        found.append(Span(Kind.MEASURE, noun.start, noun.stop, noun.text, lemma(noun.text.lower())))
        items = [c for c in children.get(token.id, ()) if c.rel == "conj" and common_noun(c)]
        if common_noun(token) and len(items) + 1 >= LIST_ITEMS:
            last = max(items, key=lambda c: c.stop)
            heads = " ".join(lemma(t.text.lower()) for t in (token, *items))
            found.append(Span(Kind.LIST, token.start, last.stop, "", heads))
    return list(dict.fromkeys(found))  # a head with two names in apposition is one class span


def _genitive(token: Any, children: dict[str, list[Any]]) -> bool:
    """A common noun in the genitive with no preposition of its own ("объём | торговли", not "между регионами")."""
    return (
        token.pos == "NOUN"
        and token.text[:1].islower()
        and best_parse(token.text.lower()).tag.case == "gent"
        and not any(child.rel == "case" for child in children.get(token.id, ()))
    )


def noun_classes(annotations: Iterable[Sequence[Span]]) -> dict[str, Kind]:
    """The kind of name each classing noun's lemma mostly stands before ("компания": `Kind.ORG`)."""
    votes: dict[str, Counter[Kind]] = {}
    for spans in annotations:
        for span in spans:
            if span.kind is Kind.CLASS:
                votes.setdefault(lemma(span.text.lower()), Counter())[Kind(span.value)] += 1
    return {noun: counts.most_common(1)[0][0] for noun, counts in votes.items()}


def measure_nouns(sentences: Sequence[str], annotations: Sequence[Sequence[Span]]) -> frozenset[str]:
    """The lemmas of the nouns the articles give in numbers: the `Kind.MEASURE` spans, and a noun in the genitive
    right after an amount ("5 млн рублей инвестиций": "инвестиция"; "двенадцать бригад" counts teams, so
    "бригада" is none)."""
    found = {span.value for spans in annotations for span in spans if span.kind is Kind.MEASURE}
    for text, spans in zip(sentences, annotations, strict=True):
        for span in spans:
            if span.kind not in (Kind.MONEY, Kind.NUMBER):
                continue
            for word in WORD.findall(text[span.end :])[:MEASURE_REACH]:
                parse = best_parse(word.lower())
                noun = str(parse.normal_form)
                if parse.tag.POS == "NOUN" and parse.tag.case == "gent" and noun != span.value:
                    found.add(noun)
                    break
    return frozenset(found)
