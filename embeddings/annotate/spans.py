"""A span of a sentence that can answer a question of some kind, and how spans are stored.

Kinds: persons, places and organisations (`PER`, `LOC`, `ORG`), amounts of
money, dates, numbers with the noun they count, durations (a number of a
unit of time), sites (a place said with a preposition and a noun), roles
(a noun naming what a person is: "председатель", "депутаты"), reasons (a
clause that says why) and speech (a quotation or reported words). Offsets are relative to the sentence's text.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ANNOTATIONS_FILE = "annotations.json"


class Kind(enum.StrEnum):
    """What a span is."""

    PER = "PER"
    LOC = "LOC"
    ORG = "ORG"
    MONEY = "MONEY"
    DATE = "DATE"
    NUMBER = "NUMBER"
    DURATION = "DURATION"
    ROLE = "ROLE"
    REASON = "REASON"
    SPEECH = "SPEECH"
    SITE = "SITE"  # a place said with a preposition: "на стройке", "к старому мосту"
    CLASS = "CLASS"  # a noun a name stands in apposition to; its value the name's kind ("компания «Альфа»": ORG)
    MEASURE = "MEASURE"  # a noun given an amount of ("зарплата составит 62 тысячи рублей"); its value its lemma
    LIST = "LIST"  # three or more coordinated common nouns ("молоко, кефир и творог"); its value their lemmas


@dataclass(frozen=True)
class Span:
    """One typed stretch of a sentence; `value` is its normal form (a counted noun's lemma for a number)."""

    kind: Kind
    start: int
    end: int
    text: str
    value: str = ""

    def as_row(self) -> list[object]:
        """The span as stored: [kind, start, end, text, value]."""
        return [self.kind.value, self.start, self.end, self.text, self.value]

    @classmethod
    def from_row(cls, row: Sequence[object]) -> Span:
        """A span from its stored row."""
        kind, start, end, text, value = row
        return cls(Kind(str(kind)), int(str(start)), int(str(end)), str(text), str(value))


Annotations = tuple[tuple[Span, ...], ...]  # one tuple of spans per sentence of the index
NAMES = frozenset({Kind.PER, Kind.LOC, Kind.ORG})  # the kinds that name someone or something


def save_annotations(
    folder: Path, annotations: Sequence[Sequence[Span]], speakers: Sequence[Sequence[str] | None] = ()
) -> dict[str, int]:
    """Write the spans (and the speaker row, if any) of every sentence to `folder`; returns the count of each kind."""
    rows = [[span.as_row() for span in spans] for spans in annotations]
    stored = {"sentences": rows, "speakers": [list(s) if s is not None else None for s in speakers]}
    (folder / ANNOTATIONS_FILE).write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    counts = {kind.value: 0 for kind in Kind}
    for spans in annotations:
        for span in spans:
            counts[span.kind.value] += 1
    return counts


def load_annotations(folder: Path, sentences: int) -> Annotations:
    """The spans of every sentence, as saved (`sentences`: how many the index has, to check the file against)."""
    rows = json.loads((folder / ANNOTATIONS_FILE).read_text(encoding="utf-8"))["sentences"]
    if len(rows) != sentences:
        msg = f"{ANNOTATIONS_FILE} has {len(rows)} sentences, the index {sentences}"
        raise ValueError(msg)
    return tuple(tuple(Span.from_row(row) for row in spans) for spans in rows)
