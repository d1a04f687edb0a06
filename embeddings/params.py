"""Every tuned number of retrieval and of the answer decision, in one frozen object.

The weights of evidence ranking and of the decision's support model are
fitted by `python eval/fit.py` on the tuning questions (`eval/tune.jsonl`)
with cross-validation, never on the held-out ones; the script prints a
`Params` to paste here, and `docs/quality.md` says how each part was chosen.
The parameters are recorded in the index manifest, printed by `make eval`,
and passed to the pipeline explicitly (tests pass their own).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fusion:
    """Hybrid retrieval: weighted reciprocal rank fusion of the three rankings."""

    rrf_k: int = 10
    dense: float = 1.0
    lexical: float = 0.5
    sparse: float = 1.0
    depth: int = 30  # candidates each ranking contributes
    rerank: int = 10  # passages the answer stage reads and reranks
    lexical_extra: int = 3  # best lexical passages always read, wherever fusion puts them


@dataclass(frozen=True)
class Evidence:
    """Linear scoring of evidence windows (a sentence or two adjacent ones), and how many are quoted."""

    latent: float = 21.3  # latent-term cosine of window and question
    dense: float = 0.0  # dense cosine of window and question
    passage_latent: float = 18.58  # the window's passage, latent-term cosine
    passage_dense: float = 0.0
    passage_fused: float = 0.0  # the passage's fused retrieval score, relative to the best passage's
    passage_lexical: float = 1.56  # its BM25 score, relative to the best
    terms: float = 3.92  # idf-weighted share of the question's words the window holds
    keys: float = 0.0  # share of the question's names the window holds
    subject: float = 1.92  # share of the subject of a lookup or "who is" the window holds
    trigrams: float = 0.0  # share of the question's character trigrams the window holds
    part: float = 0.85  # how close to the focus the window holds a candidate of the asked kind (`candidates.py`)
    margin: float = 1.0  # runners-up of the best window's article within this score of it are quoted too
    other_margin: float = 2.0  # the best window elsewhere within this score is quoted after the decision
    typed_margin: float = 1.5  # for a strict kind, the best window holding a candidate leads from this far below
    typed_lead: float = 0.4  # ... when its candidate's `part` exceeds the best window's by more than this
    list_margin: float = 4.0  # a question asking for several quotes windows with a candidate from this far below
    max_sentences: int = 3
    max_chars: int = 600


@dataclass(frozen=True)
class Decision:
    """The support model: logistic regression over features of the question and its best evidence."""

    intercept: float = -3.34
    coverage: float = 1.94  # share of the question's latent-term weight on features the articles have
    latent: float = 1.66  # best window's latent-term cosine
    dense: float = 0.96  # best window's dense cosine
    terms: float = 3.1  # best window's share of the question's words
    found: float = 0.8  # share of the question's words the articles use (or bridge to)
    unexplained: float = -0.63  # the heaviest question word the articles neither use nor bridge to
    lookup: float = 0.27  # the input is a lookup (a name, a few words)
    english: float = 0.86  # written in English (the articles' words are matched through the encoder)
    kazakh: float = 0.84  # written in Kazakh
    pull: float = 0.27  # how the words the best window lacks bear on the question's closeness to it (`answer/pull.py`)
    threshold: float = 0.75  # probability of support at which the bot answers
    specific: float = 0.13  # share of passages up to which a name the question gives must stand with the quote

    def support(self, features: dict[str, float]) -> float:
        """The probability that the articles answer, from named features."""
        return 1.0 / (1.0 + math.exp(-self.logit(features)))

    def may_turn(self, features: dict[str, float], most: float) -> bool:
        """Whether one more term of at most `most` in size may carry the support across the threshold."""
        if not most:
            return False
        if not 0.0 < self.threshold < 1.0:
            return True  # no threshold in force (`make eval` collects supports to sweep them): measure it whole
        return abs(self.logit(features) - math.log(self.threshold / (1.0 - self.threshold))) <= abs(most)

    def logit(self, features: dict[str, float]) -> float:
        """The support model's log-odds for named features."""
        return self.intercept + sum(float(getattr(self, name)) * value for name, value in features.items())


@dataclass(frozen=True)
class Bridge:
    """Question words in another language mapped to the articles' words by the encoder."""

    z_low: float = 4.5  # standard scores of the best article word below this: no match
    z_high: float = 6.5  # ... at or above this: a full match
    search: float = 0.5  # strength from which a bridged word is also searched by BM25
    sense: float = 1.0  # standard score from which an article word the dictionary gives as a translation is taken
    translated: float = 0.5  # the least strength of such a translation
    meaning_low: float = 0.35  # navec cosine of an unmatched Russian word and an article word below which: no match
    meaning_high: float = 0.6  # ... at or above which: the strongest match (`retrieve/meaning.py`)
    meaning_most: float = 0.45  # the strongest: navec also puts opposites close ("сократился", "увеличился")


DENSE_EVIDENCE = Evidence(
    latent=0.0,
    dense=33.58,
    passage_latent=0.0,
    passage_dense=17.23,
    passage_fused=0.0,
    passage_lexical=1.79,
    terms=5.42,
    keys=0.0,
    subject=1.28,
    trigrams=0.39,
    part=1.15,
    margin=1.0,
    typed_margin=1.5,
    typed_lead=0.4,
    list_margin=4.0,
    max_sentences=3,
    max_chars=600,
)

DENSE_DECISION = Decision(
    intercept=-1.01,
    coverage=0.0,
    latent=0.0,
    dense=0.92,
    terms=2.0,
    found=2.3,
    unexplained=-1.13,
    lookup=-0.3,
    english=0.17,
    kazakh=1.28,
    pull=0.0,  # kept from before the pull: refitted with it, it refused more answerable questions (docs/quality.md)
    threshold=0.7,
)


@dataclass(frozen=True)
class Params:
    """All of it."""

    fusion: Fusion = field(default_factory=Fusion)
    evidence: Evidence = field(default_factory=Evidence)  # with the encoder's latent terms
    evidence_dense: Evidence = field(default_factory=lambda: DENSE_EVIDENCE)  # without them
    decision: Decision = field(default_factory=Decision)  # with the encoder's latent terms
    decision_dense: Decision = field(default_factory=lambda: DENSE_DECISION)  # without them (dense vectors only)
    bridge: Bridge = field(default_factory=Bridge)

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for the manifest and `make eval`."""
        return asdict(self)


DEFAULT = Params()
