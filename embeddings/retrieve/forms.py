"""The form of a question, told from its words' parts of speech and the function words of its language.

- **Who is X** (`Кто такой X`, `X — кто он?`, `Кем является X`, `who is X`,
  `X кім?`): a person question word, and no verb but a copula.
- **Lookup** (`что такое X`, `расскажи про X`, `что известно о X`, `what is
  X`, `tell me about X`, `X туралы`, `X деген не`): asks what the articles say
  of X. A name or a few words with no question word is a lookup too.
- **Yes/no** (`Встречался ли ...`, `Did ...`, `... ма?`, a statement with a
  question mark).
- Any other question.

Russian words are told by their pymorphy3 parse (a verb, a pronoun, a
preposition); the only words listed here are closed classes of each
language: copulas, auxiliaries, particles, the prepositions that name a topic.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from embeddings.annotate.phrases import SAYING
from embeddings.lexicon import VERBS, best_parse, lemma
from embeddings.retrieve.analysis import Asks, Function, function, question_word
from embeddings.text import STOPWORDS, is_cyrillic

LOOKUP_WORDS = 5  # a message of at most this many words and no question word names what it asks about
YES_NO_WORDS = 3  # a statement of this many words with a question mark asks whether it holds
SUBJECT_WORDS = 4  # the most words "who is X" names
NAMED_WORDS = 2  # ... and "кто X", with no copula
_KAZAKH_WHO = "кім"
_KAZAKH_WHAT = "не"  # Kazakh "what", Russian "not": a question word in Kazakh only
DEFINED_WORDS = 3  # the most words "what is X" names


class Form(enum.Enum):
    """What kind of input a message is."""

    LOOKUP = "lookup"
    WHO_IS = "who_is"
    YES_NO = "yes_no"
    QUESTION = "question"


_NOT_SUBJECT = frozenset(("NPRO", "PRCL", "PREP", "CONJ", "INTJ"))


def _verb(word: str) -> bool:
    """A Russian verb, infinitive, short participle or gerund that is no copula."""
    return is_cyrillic(word) and function(word) is not Function.COPULA and best_parse(word).tag.POS in VERBS


def _content(words: Sequence[str]) -> list[str]:
    """The words that can name a subject: no question word, function word, pronoun, particle or preposition."""
    kept = []
    for word in words:
        if question_word(word) is not None or function(word) is not None or word in STOPWORDS:
            continue
        if is_cyrillic(word) and best_parse(word).tag.POS in _NOT_SUBJECT:
            continue
        kept.append(word)
    return kept


def _who_is(words: Sequence[str], language: str) -> list[str] | None:
    """The subject of "who is X": a person question word with nothing but a copula, X and pronouns around it."""
    asking = [i for i, w in enumerate(words) if question_word(w) is Asks.PERSON]
    if not asking:
        return None
    position = asking[0]
    who = words[position]
    others = [w for i, w in enumerate(words) if i != position]
    linked = any(function(w) is Function.COPULA for w in others)
    if language == "en":
        # No parse of English here: "who is X" only.
        after = words[position + 1 :]
        if not after or function(after[0]) is not Function.COPULA:
            return None
    elif language == "kk":
        if who != _KAZAKH_WHO:
            return None  # "кімнің" (whose), "кімдер" (who, of many): no one's identity asked
    else:
        case = best_parse(who).tag.case
        after_preposition = position > 0 and best_parse(words[position - 1]).tag.POS == "PREP"
        if after_preposition or not (case == "nomn" or (case == "ablt" and linked)):
            return None  # "с кем", "кому": asks who took part, not who someone is ("кем является X" does)
        if any(_verb(w) for w in others):
            return None
    subject = _content(others)
    # Without a copula ("кто X") only a short subject: "кто председатель палаты представителей" asks who holds it.
    return subject if 0 < len(subject) <= (SUBJECT_WORDS if linked else NAMED_WORDS) else None


def _looked_up(words: Sequence[str], language: str) -> list[str] | None:
    """What a lookup names ("что такое X", "расскажи о X", "what is X", "X туралы"), or None."""
    if not words:
        return None
    functions = [function(w) for w in words]
    first = words[0]
    # "что такое X", "что значит X", "что за X", "what is X": a definition ("что было ...": a question).
    defining = len(words) > 1 and functions[1] in (Function.COPULA, Function.MEANING) and lemma(words[1]) != "быть"
    what = question_word(first) is Asks.OPEN or (language == "en" and question_word(first) is Asks.VALUE)
    if what and defining and not any(_verb(w) for w in words[2:]):
        subject = _content(words[2:])
        if 0 < len(subject) <= (DEFINED_WORDS if language == "en" else LOOKUP_WORDS):
            return subject
    if Function.TOPIC in functions:
        # "расскажи про X", "что известно о X", "tell me about X", "what about X", "X туралы".
        at = functions.index(Function.TOPIC)
        before, after = words[:at], words[at + 1 :]
        if Function.WHETHER in functions or (after and question_word(after[0]) is not None):
            return None  # "говорили ли о X" asks whether; "о чём договорились" asks what
        if language == "kk":
            subject = _content(before)
            return subject if 0 < len(subject) <= LOOKUP_WORDS and len(after) <= 1 else None
        asks_only = all(
            question_word(w) is not None
            or function(w) in (Function.TELL, Function.COPULA, Function.AUXILIARY)
            or (is_cyrillic(w) and lemma(w) in SAYING)  # "что говорят о X"
            for w in before
        )
        subject = _content(after)
        if asks_only and not any(_verb(w) for w in after) and 0 < len(subject) <= LOOKUP_WORDS:
            return subject
    if language == "kk" and len(words) > 1 and (functions[-1] is Function.MEANING or words[-1] == _KAZAKH_WHAT):
        subject = _content(words[:-1])
        return subject if 0 < len(subject) <= LOOKUP_WORDS else None
    if first == "and" and len(words) > 1:
        return _content(words[1:]) or None
    return None


def _yes_no(words: Sequence[str], language: str) -> bool:
    """A yes/no question by its particle or, in English, its opening auxiliary."""
    if language == "en":
        return function(words[0]) in (Function.AUXILIARY, Function.COPULA)
    if language == "kk":
        return function(words[-1]) is Function.WHETHER
    return "ли" in words or function(words[0]) is Function.WHETHER


def form_of(words: Sequence[str], language: str, *, asks: bool) -> tuple[Form, str | None]:
    """The form of a question's folded words (`asks`: it ended with "?"), and what a lookup or "who is" names."""
    if not words:
        return Form.LOOKUP, ""
    subject = _who_is(words, language)
    if subject is not None:
        return Form.WHO_IS, " ".join(subject)
    subject = _looked_up(words, language)
    if subject is not None:
        return Form.LOOKUP, " ".join(subject)
    if _yes_no(words, language):
        return Form.YES_NO, None
    if any(question_word(w) is not None for w in words) or (language == "kk" and _KAZAKH_WHAT in words):
        return Form.QUESTION, None
    if asks and len(words) >= YES_NO_WORDS:
        return Form.YES_NO, None
    if len(words) <= LOOKUP_WORDS:
        return Form.LOOKUP, " ".join(words)
    return Form.QUESTION, None


def topic_words(words: Sequence[str], language: str, most: int) -> frozenset[str]:
    """The content words of what a question asks about: after "о", "про", "about"; before "туралы"."""
    found: list[str] = []
    for at, word in enumerate(words):
        if function(word) is not Function.TOPIC:
            continue
        if language == "kk":
            found += _content(words[max(0, at - most) : at])
            continue
        following = words[at + 1 :]
        if not following or question_word(following[0]) is not None or following[0] in STOPWORDS:
            continue  # "о чём договорились": a question word, not a topic
        found += _content(following)[:most]
    return frozenset(found)
