"""Who said it: the speaker of every quotation and of reported speech, found when the index is built.

Forms read, in an article's text order:

- a quotation («…», "…", “…”, „…“, also over several paragraphs) followed by
  "— сказал X" (any verb after the dash), or interrupted by it, or after a
  preface that ends with a colon ("X отметил: «…»", "Имя Фамилия, роль: «…»");
- a paragraph led by a dash that ends "— сказал X";
- reported speech: a verb of saying with its subject before it ("X отметил,
  что …", "Он подчеркнул …"), or "по словам X".

X is a person's name, a pronoun (the last person who spoke or acted), or a
role phrase resolved to a person of the article (`people.py`). A speech whose
speaker does not resolve gets `Speaker("")`: speech, speaker unknown.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from embeddings.annotate.people import (
    ROLE_WORDS,
    WORD,
    People,
    is_phrase_word,
    is_role_head,
    learn_people,
    nominative,
    of_story,
    phrase_words,
    pronoun,
    role_from,
)
from embeddings.annotate.phrases import SAYING
from embeddings.annotate.spans import ANNOTATIONS_FILE, Span
from embeddings.lexicon import best_parse
from embeddings.text import fold

# Verbs that report what someone said or how they judged it, beyond the verbs of saying.
REPORTING = SAYING | frozenset(["оценить", "поблагодарить", "призвать", "упомянуть", "обратить", "предложить"])
_DASH = "-–—"
_OPENING = {"«": "»", "“": "”", "„": "“", '"': '"'}
_TAIL = re.compile(rf"\s*[,.!?…]?\s*[{_DASH}]\s*(?P<verb>[^\W\d_]+)\s+(?P<who>[^.!?;:\"«»]+)")
_INSIDE = re.compile(rf"[,.!?…]\s*[{_DASH}]\s+(?P<verb>[^\W\d_]+)\s+(?P<who>[^.!?;:,\"«»]+)[.,]\s*[{_DASH}]\s")
_ATTRIBUTION = re.compile(rf"[,.!?…]\s*[{_DASH}]\s+")
_DASH_LED = re.compile(rf"^\s*[{_DASH}]\s")
_BY_WORDS = re.compile(r"\bпо\s+(?:(?P<pronoun>его|её|ее)\s+)?словам\b", re.IGNORECASE)
MIN_QUOTATION = 20  # characters of an unattributed quotation that opens a sentence


@dataclass(frozen=True)
class Speaker:
    """Who said a sentence: a person's name ("" when unknown) and role as the articles give it."""

    name: str
    role: str = ""

    def as_row(self) -> list[str]:
        """The speaker as stored."""
        return [self.name, self.role]


Speakers = tuple[Speaker | None, ...]  # one per sentence of the index


def load_speakers(folder: Path, sentences: int) -> Speakers:
    """The speaker of every sentence, as saved (none for an index built before speakers were kept)."""
    path = folder / ANNOTATIONS_FILE
    rows = json.loads(path.read_text(encoding="utf-8")).get("speakers", []) if path.exists() else []
    if len(rows) != sentences:
        return tuple(None for _ in range(sentences))
    return tuple(Speaker(str(r[0]), str(r[1])) if r is not None else None for r in rows)


@dataclass(frozen=True)
class _Speech:
    start: int  # the stretch of article text that is someone's words
    end: int
    who: tuple[int, int] | None  # where the speaker is named, if anywhere
    first: bool = False  # the speaker is named at the start: the first person of `who`, not its subject


def quotations(text: str) -> list[tuple[int, int]]:
    """The quoted stretches of an article (start of the opening mark, end of the closing one).

    A quotation left open at a paragraph's end goes on when the next
    paragraph opens with a quotation mark (how a quotation of several
    paragraphs is written), and ends there otherwise.
    """
    found: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    depth = 0
    paragraph_end = 0
    for position, char in enumerate(text):
        if text.startswith("\n\n", position) and opened is not None:
            paragraph_end = position
        if opened is not None and paragraph_end and not char.isspace():
            if char in _OPENING:
                paragraph_end = 0
                continue
            found.append((opened[0], paragraph_end))
            opened, paragraph_end = None, 0
        if opened is None:
            before = text[position - 1] if position else " "
            if char in _OPENING and (char != '"' or before.isspace() or before in ":([" + _DASH):
                opened, depth = (position, char), 1
            continue
        closing = _OPENING[opened[1]]
        if char == opened[1] and char != closing:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                found.append((opened[0], position + 1))
                opened = None
    if opened is not None:
        found.append((opened[0], len(text)))
    return found


def _speeches(text: str, bounds: Sequence[tuple[int, int]]) -> list[_Speech]:
    def sentence_start(position: int) -> int:
        return next((s for s, e in bounds if s <= position < e), position)

    speeches: list[_Speech] = []
    for start, end in quotations(text):
        tail = _TAIL.match(text, end)
        inside = _INSIDE.search(text, start, end)
        opens = sentence_start(start)
        preface = text[opens:start].strip()
        if tail and _is_verb(tail.group("verb")):
            speeches.append(_Speech(start, tail.end(), (tail.start("who"), tail.end("who"))))
        elif inside and _is_verb(inside.group("verb")):
            speeches.append(_Speech(start, end, (inside.start("who"), inside.end("who"))))
        elif preface.endswith(":"):
            speeches.append(_Speech(opens, end, (opens, start), first=True))
        elif not preface.strip(_DASH) and end - start >= MIN_QUOTATION:
            speeches.append(_Speech(start, end, None))
    offset = 0
    for paragraph in text.split("\n\n"):
        if _DASH_LED.match(paragraph):
            last = max(_ATTRIBUTION.finditer(paragraph), key=lambda m: m.start(), default=None)
            who = None
            if last is not None:
                verb = WORD.match(paragraph, last.end())
                if verb is not None and _is_verb(verb.group()):
                    who = (offset + verb.end(), offset + len(paragraph.rstrip(" .!?…")))
            speeches.append(_Speech(offset, offset + len(paragraph), who))
        offset += len(paragraph) + 2
    return speeches


def _is_verb(word: str) -> bool:
    return str(best_parse(fold(word)).tag.POS) in ("VERB", "GRND")


class _Reader:
    """Walks an article's sentences in order, keeping who spoke or acted last."""

    def __init__(self, text: str, people: People) -> None:
        self.text = text
        self.people = people
        self.persons = people.spans
        self.recent: list[str] = []  # keys, the latest first

    def _subject(self, span: Span, start: int) -> bool:
        floor = max((s.end for s in self.persons if start <= s.end <= span.start), default=start)
        return nominative(self.text, span, floor)

    def saw(self, key: str) -> None:
        if key:
            self.recent = [key, *(k for k in self.recent if k != key)]

    def speaker(self, key: str) -> Speaker:
        self.saw(key)
        return Speaker(self.people.names[key], self.people.role_of(key)) if key else Speaker("")

    def who(self, start: int, end: int, *, first: bool = False) -> str:
        """The key of the person named in `text[start:end]`: a name, a pronoun, or a role phrase ("" if none)."""
        for span in self.persons:
            if start <= span.start and span.end <= end and (first or self._subject(span, start)):
                return self.people.key(span)
        words = phrase_words(self.text, start, end)
        if any(pronoun(w) for _, _, w in words[:2]) and not first:
            return self.recent[0] if self.recent else ""
        for i, (_, _, word) in enumerate(words):
            if is_role_head(fold(word)) and best_parse(fold(word)).tag.case in ("nomn", None):
                lead = [w for _, _, w in words[max(0, i - 2) : i] if str(best_parse(fold(w)).tag.POS) == "ADJF"]
                tail = list(itertools.takewhile(is_phrase_word, (w for _, _, w in words[i + 1 : i + ROLE_WORDS])))
                role = role_from([*lead, word, *tail])
                return self.people.resolve(role, self.recent) if role is not None else ""
        return ""

    def reported(self, start: int, end: int) -> Speaker | None:
        """The speaker of a sentence of reported speech, or None when it reports no one's words."""
        by_words = _BY_WORDS.search(self.text, start, end)
        if by_words is not None:
            if by_words.group("pronoun"):
                return self.speaker(self.recent[0] if self.recent else "")
            named = next((s for s in self.persons if by_words.end() <= s.start < end), None)
            return self.speaker(self.people.key(named)) if named is not None else Speaker("")
        for verb_start, _, word in phrase_words(self.text, start, end):
            parse = best_parse(fold(word))
            if str(parse.normal_form) in REPORTING and str(parse.tag.POS) in ("VERB", "GRND"):
                return self.speaker(self.who(start, verb_start))
        return None

    def acted(self, start: int, end: int) -> None:
        """Remember the subject of a sentence that is no one's speech, if it names one."""
        subject = next((s for s in self.persons if start <= s.start < end and self._subject(s, start)), None)
        if subject is not None:
            self.saw(self.people.key(subject))


ArticleSpans = tuple[str, Sequence[tuple[int, int]], Sequence[Span]]  # text, sentence bounds, spans in the text


def attribute_story(articles: Sequence[ArticleSpans]) -> list[list[Speaker | None]]:
    """The speaker of each sentence of each article (None for a sentence that is no one's speech).

    Each article is its text, its sentences' (start, end) in order, and its
    annotations with offsets into the text. A role phrase resolves to a
    person named in its own article, with the roles the whole story gives them.
    """
    local = [learn_people(text, spans, bounds) for text, bounds, spans in articles]
    return [
        attribute_article(text, bounds, people)
        for (text, bounds, _), people in zip(articles, of_story(local), strict=True)
    ]


def attribute_article(text: str, bounds: Sequence[tuple[int, int]], people: People) -> list[Speaker | None]:
    """The speaker of each sentence of one article, given its people as the whole story knows them."""
    reader = _Reader(text, people)
    speeches = sorted(_speeches(text, bounds), key=lambda s: s.start)
    said: dict[int, Speaker] = {}  # a speech's start -> its speaker, once resolved
    result: list[Speaker | None] = []
    for start, end in bounds:
        speech = next((s for s in speeches if s.start < end and start < s.end), None)
        if speech is None:
            spoken = reader.reported(start, end)
            if spoken is None:
                reader.acted(start, end)
            result.append(spoken)
            continue
        if speech.start not in said:
            key = reader.who(*speech.who, first=speech.first) if speech.who is not None else ""
            said[speech.start] = reader.speaker(key)
        else:
            reader.saw(next((k for k, n in people.names.items() if n == said[speech.start].name), ""))
        result.append(said[speech.start])
    return result
