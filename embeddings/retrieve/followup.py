"""Follow-ups that change one part of the last question: "а с Россией?", "а в прошлом году?", "а Кочанова?".

The follow-up and the question it continues are annotated as the articles
are (`annotate/`: names, places said with a preposition, dates). When the
follow-up is one such part and nothing else, that part replaces the part of
the same kind in the question ("Какой товарооборот между Беларусью и
Казахстаном?" + "а с Россией?" -> "... между Беларусью и Россией?"), or,
for a time the question has none of, is added to it. The question so made is
answered as any other; when the articles hold nothing for the new part, the
answer says so (`answer/constraints.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from embeddings.annotate.entities import entities
from embeddings.annotate.phrases import phrases, with_preposition
from embeddings.annotate.spans import Kind, Span
from embeddings.lexicon import best_parse
from embeddings.retrieve.analysis import question_word
from embeddings.text import STOPWORDS, WORD, fold

# Kinds one follow-up part may replace: a name by a name, a place by a place, a time by a time.
_FAMILIES = ((Kind.PER,), (Kind.LOC, Kind.ORG, Kind.SITE), (Kind.DATE,))
_PARTS = frozenset(kind for family in _FAMILIES for kind in family)


@dataclass(frozen=True)
class Rewrite:
    """A follow-up read as a whole question: the question, and the part the follow-up put in."""

    question: str
    part: str


def _spans(text: str) -> list[Span]:
    """The parts of `text` a follow-up may name, the wider first where two overlap."""
    found = [s for s in (*entities(text), *phrases(text)) if s.kind in _PARTS]
    times = [s for s in found if s.kind is Kind.DATE]
    # "в прошлом году" is a time, though said with a preposition as a place is
    found = [s for s in found if not (s.kind is Kind.SITE and any(s.start <= t.start < s.end for t in times))]
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in found:
        if not any(k.start <= span.start and span.end <= k.end for k in kept):
            kept.append(span)
    return kept


def _family(kind: Kind) -> tuple[Kind, ...]:
    return next(family for family in _FAMILIES if kind in family)


def _case(span: Span) -> str | None:
    """The grammatical case of a span's last word (the head of a name or of a place phrase)."""
    words = WORD.findall(span.text)
    return str(best_parse(fold(words[-1])).tag.case) if words else None


def _only_part(fragment: str) -> Span | None:
    """The one part a follow-up names, when it names nothing else (its other words are function words)."""
    spans = _spans(fragment)
    if len(spans) != 1:
        return None
    part = spans[0]
    rest = fragment[: part.start] + " " + fragment[part.end :]
    for word in WORD.findall(fold(rest)):
        if question_word(word) is not None or (word not in STOPWORDS and best_parse(word).tag.POS != "PREP"):
            return None
    return part


def rewrite(fragment: str, question: str) -> Rewrite | None:
    """`question` with the part `fragment` names put in its place; None when `fragment` is not one such part.

    The part replaces the last part of its kind in the question, one in the
    same case first ("с Россией" replaces "Казахстаном" of "между Беларусью и
    Казахстаном"); a time or a place the question has none of is added.
    """
    part = _only_part(fragment)
    if part is None:
        return None
    said = with_preposition(fragment, part)
    same = [s for s in _spans(question) if s.kind in _family(part.kind)]
    alike = [s for s in same if _case(s) == _case(part)]
    if alike:
        return Rewrite(_put(question, alike[-1], part.text), said)
    if same:
        target = same[-1]
        start = target.end - len(with_preposition(question, target))
        return Rewrite(question[:start] + said + question[target.end :], said)
    if said != part.text or part.kind is Kind.DATE:
        body = question.rstrip().rstrip("?!.")
        return Rewrite(f"{body} {said}?", said)
    return None


def _put(question: str, target: Span, text: str) -> str:
    return question[: target.start] + text + question[target.end :]
