"""Follow-ups that change one part of the last question: "а с Ольховкой?", "а в прошлом году?", "а Тихонов?".

The follow-up and the question it continues are annotated as the articles
are (`annotate/`: natasha's names, places said with a preposition, dates). When the
follow-up is one such part and nothing else, that part replaces the part of
the same kind in the question ("Сколько грузов между Заречьем и
Луговым?" + "а с Ольховкой?" -> "... между Заречьем и Ольховкой?"), or,
for a time the question has none of, is added to it. The question so made is
answered as any other; when the articles hold nothing for the new part, the
answer says so (`answer/constraints.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from embeddings.annotate.entities import names
from embeddings.annotate.phrases import phrases, with_preposition
from embeddings.annotate.spans import Kind, Span
from embeddings.lexicon import best_parse
from embeddings.retrieve.analysis import Function, function, question_word
from embeddings.text import WORD, cyrillic_share, fold, tokenize

# Kinds one follow-up part may replace: a name by a name, a place by a place, a time by a time.
_FAMILIES = ((Kind.PER,), (Kind.LOC, Kind.ORG, Kind.SITE), (Kind.DATE,))
_PARTS = frozenset(kind for family in _FAMILIES for kind in family)
_NEGATIONS = frozenset({"не", "ни"})
HALF = 0.5  # share of Cyrillic letters from which a question is Russian enough to take a Russian part


@dataclass(frozen=True)
class Rewrite:
    """A follow-up read as a whole question: the question, and the part the follow-up put in."""

    question: str
    part: str


def _spans(text: str) -> list[Span]:
    """The parts of `text` a follow-up may name, the wider first where two overlap."""
    found = [s for s in (*names(text), *phrases(text)) if s.kind in _PARTS]
    times = [s for s in found if s.kind is Kind.DATE]
    # "в прошлом году" is a time, though said with a preposition as a place is
    found = [s for s in found if not (s.kind is Kind.SITE and any(s.start <= t.start < s.end for t in times))]
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in found:
        if not any(k.start <= span.start and span.end <= k.end for k in kept):
            kept.append(span)
    return kept


def warm() -> None:
    """Load the models follow-ups are read with, so that the first follow-up does not wait for them."""
    names("Олег Марков")


def _family(kind: Kind) -> tuple[Kind, ...]:
    return next(family for family in _FAMILIES if kind in family)


def _case(span: Span) -> str | None:
    """The grammatical case of a span's last word (the head of a name or of a place phrase)."""
    words = WORD.findall(span.text)
    return str(best_parse(fold(words[-1])).tag.case) if words else None


def _only_part(fragment: str) -> Span | None:
    """The one part a follow-up names, when it says nothing else: its other words are conjunctions or particles
    ("а", "и", "ну"), never a negation or a question word, and a preposition only right before the part, never
    one that sets the part aside ("а кроме Ольховки?")."""
    spans = _spans(fragment)
    if len(spans) != 1:
        return None
    part = spans[0]
    said = with_preposition(fragment, part)
    own = fragment.rfind(said, 0, part.end)
    before = WORD.findall(fold(fragment[: part.start]))
    if said != part.text and before and function(before[-1]) is Function.EXCEPT:
        return None
    rest = fragment[: max(own, 0)] + " " + fragment[part.end :]
    for word in WORD.findall(fold(rest)):
        if word in _NEGATIONS or question_word(word) is not None:
            return None
        if function(word) is not Function.FILLER and best_parse(word).tag.POS != "CONJ":
            return None
    return part


def rewrite(fragment: str, question: str) -> Rewrite | None:
    """`question` with the part `fragment` names put in its place; None when `fragment` is not one such part.

    The part replaces the last part of its kind in the question, one in the
    same case first ("с Ольховкой" replaces "Луговым" of "между Заречьем и
    Луговым"), or one said with a preposition as the new one is; a time or
    a place the question has none of is added. A question in another script,
    or one that already holds the part, is left alone.
    """
    if cyrillic_share(question) <= HALF:
        return None
    part = _only_part(fragment)
    if part is None or set(tokenize(part.text)) <= set(tokenize(question)):
        return None
    said = with_preposition(fragment, part)
    same = [s for s in _spans(question) if s.kind in _family(part.kind)]
    alike = [s for s in same if _case(s) == _case(part)]
    if alike:
        return Rewrite(_put(question, alike[-1], part.text), said)
    if same:
        target = same[-1]
        theirs = with_preposition(question, target)
        if _prepositional(theirs, target) != _prepositional(said, part):
            return None  # "между Заречьем и Луговым" takes no "в Ольховке"
        start = target.end - len(theirs)
        return Rewrite(question[:start] + said + question[target.end :], said)
    if said != part.text or part.kind is Kind.DATE:
        body = question.rstrip().rstrip("?!.")
        return Rewrite(f"{body} {said}?", said)
    return None


def _prepositional(said: str, span: Span) -> bool:
    """Whether a part is said with a preposition (a place phrase holds its own)."""
    return span.kind is Kind.SITE or said != span.text


def _put(question: str, target: Span, text: str) -> str:
    return question[: target.start] + text + question[target.end :]
