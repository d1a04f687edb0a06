"""What readers asked that the articles could not answer, grouped by meaning for the editors.

Each question answered "not found" or "partial", and each answer voted 👎,
is a `Gap` in the journal (`Journal.record_gap`): the text, its language,
the outcome and the part missing, the time, and the question's vector, the
one the encoder made to answer it. Never who asked. Gaps older than
`GAPS_RETENTION_DAYS` are deleted.

`group_gaps` puts similar questions together without encoding anything:
newest first, each question joins the group whose mean vector is closest,
if at least `SAME_THEME` close, or starts a group. Measured on the project's
articles with multilingual-e5-small: paraphrases of one question score 0.86
to 0.95 with each other, questions on other themes 0.70 to 0.79; from 0.82
to 0.86 four themes of five questions each fall into exactly four groups.
The largest groups come first, then the most recent; each shows its newest
question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from embeddings.text import normalise

SAME_THEME = 0.84

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Gap:
    """One question the articles did not answer, or one answer voted 👎."""

    at: float
    question: str
    language: str
    status: str  # the answer's: answer, partial, not_found
    missing: str | None  # the part (number, date, ...) or the term the articles lack
    voted_down: bool
    vector: Vector | None


@dataclass(frozen=True)
class GapGroup:
    """Questions on one theme: how many, the newest of them, and when it was asked."""

    count: int
    example: Gap
    voted_down: int


def group_gaps(gaps: Sequence[Gap], same_theme: float = SAME_THEME) -> list[GapGroup]:
    """Similar questions together (see the module's description), the largest groups first.

    The same words asked again always go together; such a question counts
    with the vectors of all its askings.
    """
    asked: dict[str, list[Gap]] = {}
    for gap in sorted(gaps, key=lambda g: -g.at):
        asked.setdefault(normalise(gap.question), []).append(gap)
    members: list[list[Gap]] = []
    sums: list[Vector | None] = []  # each group's vectors added up (None: none had one)
    for same in asked.values():
        vectors = [g.vector for g in same if g.vector is not None]
        total = np.sum(vectors, axis=0) if vectors else None
        chosen = None
        placed = [(i, s) for i, s in enumerate(sums) if s is not None]
        if total is not None and placed:
            means = np.vstack([s for _, s in placed])
            similarity = (means @ total) / np.maximum(np.linalg.norm(means, axis=1) * np.linalg.norm(total), 1e-9)
            best = int(np.argmax(similarity))
            chosen = placed[best][0] if similarity[best] >= same_theme else None
        if chosen is None:
            members.append([])
            sums.append(None)
            chosen = len(members) - 1
        members[chosen].extend(same)
        if total is not None:
            before = sums[chosen]
            sums[chosen] = total if before is None else before + total
    groups = [GapGroup(len(m), max(m, key=lambda g: g.at), sum(g.voted_down for g in m)) for m in members]
    return sorted(groups, key=lambda g: (-g.count, -g.example.at))
