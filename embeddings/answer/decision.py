"""Whether the articles answer, in three outcomes a reader can follow.

1. **A term they never mention.** A key term of the question (a name, a
   number, an acronym, a Latin term: `Reading.missing`) occurs nowhere in
   the articles, even folded, corrected and transliterated: *not found*,
   naming the term ("В статьях не упоминается «Зеленский»"). The same for
   what the question asks about ("о хоккее", "about football"), when the
   articles neither use that word nor, for a foreign word, have one the
   encoder places close to it.
2. **Support.** A logistic model (`params.Decision`, fitted by
   `eval/fit.py`) weighs how much of the question the articles and the best
   evidence cover: the share of the question's latent-term weight on
   features the articles have, the best window's latent, dense and word
   overlap, the share of the question's words the articles use (or the
   encoder bridges to), the heaviest word they neither use nor bridge to,
   how the words the best window lacks bear on the question's closeness to
   it (`pull.py`), and the kind of input. Below the threshold: *not found*. A lookup whose
   words all occur in the articles is always answered.
3. **The asked-for part.** A question that asks when, how many, how much,
   how old, who, where, who X is or what X is called, and whose quoted evidence holds no such
   thing: *partial* when the names it asks about, or most of its words, are
   in the articles (the subject is there but not what is asked: "В статьях не сказано, когда ...", with
   what the articles do say), *not found* otherwise.
4. **A specific name or a time the answer lacks.** The question gives a name
   the articles use rarely ("... между Заречьем и Ольховкой") or a time ("в
   прошлом году") and the quoted paragraphs never do, or an ordinal the quotes
   give another of ("первый форум" against "третий") (`constraints.py`):
   *partial*, naming it.

Otherwise: *answer*.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from embeddings.annotate.spans import Span
from embeddings.answer.candidates import lacks_part
from embeddings.answer.constraints import Unmet
from embeddings.answer.evidence import Candidate
from embeddings.answer.pull import PULL_MOST
from embeddings.lexicon import best_parse, has_meaning
from embeddings.params import Decision
from embeddings.retrieve.analysis import Asks
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.dictionary import names_an_action
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import Reading, Term
from embeddings.retrieve.words import english_kinds, is_noun_like
from embeddings.text import WORD, fold, is_acronym, is_cyrillic, is_kazakh, is_latin, stem

SUBJECT_FOUND = 0.5  # share of the question's word weight the articles use, from which its subject is there


class Status(enum.Enum):
    """The outcome of a question."""

    ANSWER = "answer"
    PARTIAL = "partial"  # the subject is in the articles, the asked-for part is not
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Verdict:
    """A decision with its reason: what is missing, and how strongly the articles support an answer."""

    status: Status
    reason: str  # answer, lookup, absent_term, absent_part, absent_constraint, absent_time, weak_support, empty
    support: float
    missing: str | None = None  # the absent term as the reply names it, or the absent part (an `Asks` value)


def support_features(
    reading: Reading,
    best: Candidate | None,
    coverage: float | None,
    bridged: Mapping[str, Bridged],
    pull: float = 0.0,
) -> dict[str, float]:
    """The named features the support model weighs (see the module docstring); `pull` is how the question's words
    that the best window lacks bear on its closeness to it (`pull.py`)."""
    terms = known_focus(reading, bridged)
    total = sum(t.weight for t in terms) or 1.0
    found = 0.0
    unexplained = 0.0
    for term in terms:
        strength = 1.0 if term.found else (bridged[term.word].strength if term.word in bridged else 0.0)
        found += term.weight * strength
        if not term.found and not term.key:
            unexplained = max(unexplained, 1.0 - strength)
    features = best.features if best is not None else {}
    return {
        "coverage": coverage or 0.0,
        "latent": features.get("latent", 0.0),
        "dense": features.get("dense", 0.0),
        "terms": features.get("terms", 0.0),
        "found": found / total,
        "unexplained": unexplained,
        "lookup": 1.0 if reading.form is Form.LOOKUP else 0.0,
        "english": 1.0 if reading.language == "en" else 0.0,
        "kazakh": 1.0 if reading.language == "kk" else 0.0,
        "pull": pull,
    }


def known_focus(reading: Reading, bridged: Mapping[str, Bridged]) -> tuple[Term, ...]:
    """The focus terms that say something of what the articles hold: all but the Cyrillic words no resource knows
    ("плз": neither pymorphy's dictionary nor navec's vocabulary, nor an article word the encoder bridges it to),
    the informal words ("щас") and the comparatives and adverbs the articles do not use (`_circumstance`), which are
    no evidence of a subject the articles lack."""
    kept = (
        t
        for t in reading.focus
        if t.found or t.key or not (_unknown(t.word, bridged) or _informal(t.word) or _circumstance(t.word))
    )
    return tuple(kept) or reading.focus


def _circumstance(word: str) -> bool:
    """Whether a word is a Russian comparative ("раньше", "позже") or an English word that is an adverb only ("also",
    "together"): when, how, or against what, said in other words as often as not ("ранее"), never what the question
    is about."""
    if is_latin(word):
        return english_kinds(word) == {"ADV"}
    return is_cyrillic(word) and not is_kazakh(word) and best_parse(word).tag.POS == "COMP"


def _informal(word: str) -> bool:
    """Whether pymorphy knows a word as informal only ("щас", "седня"): how it is said, not what of."""
    return is_cyrillic(word) and not is_kazakh(word) and "Infr" in best_parse(word).tag


def _unknown(word: str, bridged: Mapping[str, Bridged]) -> bool:
    if not is_cyrillic(word) or is_kazakh(word) or (word in bridged and bridged[word].strength > 0):
        return False
    return not best_parse(word).is_known and not has_meaning(word)


def absent_topic(reading: Reading, bridged: Mapping[str, Bridged]) -> Term | None:
    """The first word of what the question asks about ("о хоккее") that the articles neither use nor bridge to.

    Only things count, not actions: a Russian verb after "о", or an English word the dictionary translates
    first by a verb ("about laws adopted"), is left to the support model. A topic some of whose words the
    articles use ("о пешеходном мосте": "мосте") is there, whatever its modifier.
    """
    # the common words of the topic: a name beside it ("Марков хоккей туралы") says who, not what
    topic = [t for t in reading.terms if t.topic and not t.background and not t.key and not t.surface[:1].isupper()]
    if any(t.found or (t.word in bridged and bridged[t.word].strength > 0) for t in topic):
        return None
    for term in reading.terms:
        if not term.topic or term.found or term.background:
            continue
        hit = bridged.get(term.word)
        if hit is not None and hit.strength > 0:
            continue
        if is_cyrillic(term.word) and not is_kazakh(term.word) and not is_noun_like(term.word):
            continue
        if is_latin(term.word) and (names_an_action(term.word) or is_acronym(term.surface)):
            continue  # an English acronym may be the articles' own in their alphabet ("AI": "ИИ")
        return term
    return None


def by_rule(reading: Reading, ranked: Sequence[Candidate], bridged: Mapping[str, Bridged]) -> Verdict | None:
    """*Not found* when the question names what the articles never mention, or has nothing to search."""
    missing = reading.missing
    if missing is not None:
        return Verdict(Status.NOT_FOUND, "absent_term", 0.0, missing.display())
    topic = absent_topic(reading, bridged)
    if topic is not None:
        return Verdict(Status.NOT_FOUND, "absent_topic", 0.0, topic.display())
    if not ranked or not reading.terms:
        return Verdict(Status.NOT_FOUND, "empty", 0.0)
    return None


def _tells_of(reading: Reading, quoted: Sequence[tuple[str, Sequence[Span]]]) -> bool:
    """Whether "кто такой X", whose quotes give X no role, quotes what the articles do say of X: a role may be
    said with a verb ("отделение возглавил X"), and the sentences about X are then the answer."""
    if reading.analysis.asks is not Asks.ROLE or not reading.subject:
        return False
    names = [term.stem for term in reading.subject if term.key]
    said = {stem(word) for text, _ in quoted for word in WORD.findall(fold(text))}
    return bool(names) and all(name in said for name in names)


def decide(
    reading: Reading,
    ranked: Sequence[Candidate],
    quoted: Sequence[tuple[str, Sequence[Span]]],
    coverage: float | None,
    bridged: Mapping[str, Bridged],
    params: Decision,
    unmet: Unmet | None = None,
    pull: Callable[[], float] | None = None,
) -> Verdict:
    """The outcome for a reading, its ranked evidence, the sentences that would be quoted (with the spans they
    show), the corpus coverage, and the constraint of the question the quotes leave `unmet`, if any.

    `pull` measures the pull of the words the best window lacks (an encoder pass, `pull.py`); it is called only
    when its value can turn the outcome, and the support reported otherwise leaves it out."""
    ruled = by_rule(reading, ranked, bridged)
    if ruled is not None:
        return ruled
    features = support_features(reading, ranked[0], coverage, bridged)
    if lacks_part(reading, quoted) and not _tells_of(reading, quoted):
        support = params.support(features)
        # The subject is there when the names it asks about are, or most of its words: say what is missing.
        keys = [term for term in reading.focus if term.key]
        if (keys and all(term.found for term in keys)) or features["found"] >= SUBJECT_FOUND:
            return Verdict(Status.PARTIAL, "absent_part", support, reading.analysis.asks.value)
        return Verdict(Status.NOT_FOUND, "weak_support", support)
    lookup = reading.form is Form.LOOKUP and all(t.found for t in reading.terms)
    if pull is not None and not lookup and params.may_turn(features, params.pull * PULL_MOST):
        features["pull"] = pull()
    support = params.support(features)
    if support < params.threshold and not lookup:
        return Verdict(Status.NOT_FOUND, "weak_support", support)
    if unmet is not None and not lookup:
        return Verdict(Status.PARTIAL, unmet.reason, support, unmet.missing)
    return Verdict(Status.ANSWER, "lookup" if lookup and support < params.threshold else "answer", support)
