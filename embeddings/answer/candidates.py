"""Typed answer candidates: does a stretch of evidence hold what the question asks for, and how close to its focus?

A window answers when it holds a span of an expected kind (`Analysis.kinds`)
that the question does not already contain, next to the question's focus
(its words found in the window). A number must count the noun the question
counts; "кто такой X" wants a role next to X; "кто президент Y" a person the
articles give that post. An oblique question word ("с кем", "кому") wants a
name in its own case, and not the role of someone the question names. A
date must give the year or month asked ("в каком году": not "14 апреля"), and
one whose nearest verb is past where the question's is future (or the other
way round) is of another event: it counts as half. The
closeness of the best such span (1 beside a focus word, falling with the
distance, `FAR` when the window holds no focus word) is what ranking weighs
and the decision checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from embeddings.annotate.people import (
    PHRASE_GAPS,
    ROLE_WORDS,
    Role,
    is_phrase_word,
    phrase_words,
    role_after,
    role_before,
    role_is,
)
from embeddings.annotate.phrases import TIME_UNITS
from embeddings.annotate.spans import NAMES, Kind, Span
from embeddings.lexicon import MODIFIERS, NAME_TAGS, VERBS, best_parse, lemma, parses, prefixed, similarity
from embeddings.retrieve.analysis import NOUN_REACH, Analysis, Asks
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.dictionary import russian_for
from embeddings.retrieve.meaning import SAME_ROOT
from embeddings.retrieve.reading import Reading
from embeddings.text import WORD, fold, stem

SAME_MEANING = 0.45  # navec cosine from which two nouns count the same thing
OTHER_CASE = 0.5  # what a name in another case than the question word's is worth ("с кем": not "от Y-а")
FAR = 0.4  # closeness of a candidate in a window that holds none of the focus words
REACH = 40  # characters over which closeness halves
SHARED_PREFIX = 5  # letters two stems must share from the start to count as one word ("встреч", "встрет")
PREFIX_SHARE = 0.8  # ... and this share of the question's stem
_PAST_FUTURE = frozenset({"past", "futr"})  # tenses that place an event on either side of the articles' day
_CLAUSE_ENDS = frozenset('.!?;:«»"')  # a role phrase runs on to its name within one clause


@dataclass(frozen=True)
class Focus:
    """What a candidate is judged against: the question's own stems and digits, and its focus stems."""

    analysis: Analysis
    question_stems: frozenset[str]
    focus_stems: frozenset[str]
    numbers: frozenset[str]
    tense: str = ""  # of the question's first finite verb: "past" ("когда проходил"), "futr" ("когда пройдёт")

    @classmethod
    def of(cls, analysis: Analysis, question: str, focus: Iterable[str], read_as: Iterable[str] = ()) -> Focus:
        """The focus of a question: its analysis, text and the stems of its words the articles use; `read_as` are
        the article stems its words were read as (an English "kazakhstan" is the articles' "казахстан")."""
        words = WORD.findall(fold(question))
        stems = frozenset(s for w in words for s in _stems(w)) | frozenset(read_as)
        numbers = frozenset(w for w in words if w.isdigit())
        return cls(analysis, stems, frozenset(focus), numbers, next(filter(None, map(_tense, words)), ""))


def _tense(word: str) -> str:
    """The tense of a Russian finite verb ("проходил": past; "пройдёт", "будет": futr; "проходит": pres), or ""."""
    if word.isascii():
        return ""
    tag = best_parse(word).tag
    return str(tag.tense) if tag.POS == "VERB" and tag.tense else ""


def _tense_at(text: str, start: int, end: int, at: int) -> str:
    """The tense of the finite verb of `text[start:end]` (a sentence) nearest to offset `at`, or ""."""
    verbs = [(abs(m.start() - at), t) for m in WORD.finditer(text, start, end) if (t := _tense(fold(m.group())))]
    return min(verbs)[1] if verbs else ""


def _stems(word: str) -> frozenset[str]:
    """The stems a folded word may stand for: its own, and its lemma's ("тихоновым": "тихонов", "тихон")."""
    return frozenset(s for s in (stem(word), stem(lemma(word))) if s)


def _in_question(span: Span, focus: Focus) -> bool:
    """Whether the question already holds this span (then it is no answer to it)."""
    words = WORD.findall(fold(span.text))
    if span.kind in NAMES or span.kind is Kind.ROLE:
        return any(focus.question_stems & _stems(w) for w in words)
    if span.kind is Kind.SITE:  # by its noun, not its preposition: "в Казахстане" when asked "где в Казахстане"
        return bool(focus.question_stems & _stems(fold(span.value)))
    return any(w in focus.numbers for w in words if w.isdigit())


def _counts_right(span: Span, analysis: Analysis) -> bool:
    """A number must count what the question counts ("сколько производств"), when it names that.

    The same noun, or one of like meaning (navec: "заводов" for "предприятий"); a unit of time only itself;
    never an amount of money, which counts no noun.
    """
    if not analysis.noun or analysis.asks not in (Asks.NUMBER, Asks.DURATION, Asks.AGE):
        return True
    if span.kind is Kind.MONEY:
        return False
    if span.kind not in (Kind.NUMBER, Kind.DURATION):
        return True
    if not span.value:
        return False
    if span.value in TIME_UNITS or any(noun in TIME_UNITS for noun in analysis.noun):
        return span.value in analysis.noun
    return any(similarity(span.value, noun) >= SAME_MEANING for noun in analysis.noun)


def _measures_right(text: str, span: Span, analysis: Analysis) -> bool:
    """A number of units must measure what the question's does: "600 тонн молока" is no answer of "тонн сыра".

    The noun after the unit (its adjectives skipped) decides; a number with none after its unit may still do.
    """
    for match in list(WORD.finditer(text[span.end :]))[: NOUN_REACH + 1]:
        parse = best_parse(fold(match.group()))
        if str(parse.normal_form) in analysis.noun or parse.tag.POS in MODIFIERS:
            continue
        if parse.tag.POS != "NOUN":
            return True
        return same_word(stem(analysis.of), stem(str(parse.normal_form)))  # milk is no cheese, however near in navec
    return True


def _spent_on(text: str, span: Span) -> bool:
    """Whether a number of units of time is how long something was done: a verb follows its unit ("восемь лет
    руководила"), where an age stands alone ("ему 45 лет") or in an adjective ("67-летняя")."""
    words = [fold(m.group()) for m in WORD.finditer(text[span.end :])][:2]
    if len(words) < 2 or lemma(words[0]) not in TIME_UNITS:
        return False
    return best_parse(words[1]).tag.POS in VERBS


def _other_time(text: str, span: Span, bounds: Sequence[tuple[int, int]], tense: str) -> bool:
    """Whether the verb nearest a candidate in its sentence puts it in the past where the question asks of the
    future, or the other way round ("когда проходил форум": not the date of the one that "пройдёт в 2027 году")."""
    if tense not in _PAST_FUTURE:
        return False
    start, end = next(((a, b) for a, b in bounds if a <= span.start < b), (0, len(text)))
    return _tense_at(text, start, end, span.start) in _PAST_FUTURE - {tense}


def _asked_unit(kind_noun: str) -> str:
    """The unit of time a question asks a date to ("в каком году": "год"; "what month": "месяц"), or ""."""
    if not kind_noun:
        return ""
    senses = russian_for(kind_noun)[:1] if kind_noun.isascii() else (lemma(kind_noun),)
    return next((unit for unit in senses if unit in TIME_UNITS), "")


def _dated_to(span: Span, unit: str) -> bool:
    """Whether a date gives the year or the month a question asks for. A calendar date's value is its year, month
    and day, those it gives ("2024-3", "4-14"); a relative one's is the word it is said by ("год", "сегодня")."""
    parts = span.value.split("-")
    if unit not in ("год", "месяц"):
        return True
    if not all(part.isdigit() for part in parts):
        return unit != "год" or span.value == unit  # "в прошлом году" gives a year; "сегодня", "весной" none
    year = len(parts[0]) == 4
    return year if unit == "год" else len(parts) > (1 if year else 0)


def _names_priced(text: str, priced: str) -> bool:
    """Whether the window of a sum names what the question prices (the noun, or one navec puts close): its own
    sentence, or the other of its window ("... в новом терминале. Здание ... обошлось в 4,8 млрд")."""
    key = stem(fold(priced))
    for word in WORD.findall(fold(text)):
        if not any(p.tag.POS == "NOUN" for p in parses(word)):
            continue  # the thing itself: "вертолётная площадка" is no helicopter ("стали" may be steel)
        if same_word(key, stem(word)) or similarity(lemma(word), fold(priced)) >= SAME_MEANING:
            return True
    return False


def closeness(sentences: Sequence[tuple[str, Sequence[Span]]], focus: Focus) -> float:
    """How well a window (its sentences with their spans) answers: 0 (no candidate) to 1 (one beside the focus)."""
    analysis = focus.analysis
    kinds = analysis.kinds
    if not kinds:
        return 0.0
    text = ""
    spans: list[Span] = []
    bounds: list[tuple[int, int]] = []
    for sentence, own in sentences:
        offset = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        spans += [Span(s.kind, s.start + offset, s.end + offset, s.text, s.value) for s in own]
        bounds.append((offset, len(text)))
    anchors = _anchors(text, focus, analysis)
    unit = _asked_unit(analysis.kind_noun)
    best = 0.0
    for span in spans:
        if span.kind not in kinds or _in_question(span, focus) or not _counts_right(span, analysis):
            continue
        if span.kind is Kind.LIST and not analysis.several:
            continue  # "какой X" asks for one
        post = analysis.post if analysis.post[:1] != ("",) else ()  # a head the reader has not found asks none
        if post and not (span.kind is Kind.PER and _holds_post(text, span, spans, post)):
            continue  # "кто мэр Заречья": only the one the articles call so
        if span.kind is Kind.ROLE and analysis.cases:
            owner = _person_after(text, span, spans)
            if owner is not None and _in_question(owner, focus):
                continue  # "с кем ...?" - "с губернатором Тихоновым": a named one's role is no other participant
        if span.kind is Kind.DATE and not _dated_to(span, unit):
            continue  # "в каком году": "14 апреля" gives no year
        if analysis.asks is Asks.AGE and span.kind is Kind.DURATION and _spent_on(text, span):
            continue  # "восемь лет руководила": how long she did it, not how old she is
        if analysis.of and span.kind is Kind.NUMBER and not _measures_right(text, span, analysis):
            continue
        if analysis.of and span.kind is Kind.MONEY and not _names_priced(text, analysis.of):
            continue  # "сколько стоит билет": a sum in a sentence about no ticket is another price
        counts_focus = span.kind is Kind.NUMBER and _any_same(focus.focus_stems, stem(span.value))
        if not anchors and not counts_focus:
            if analysis.asks is not Asks.ROLE:  # a role says what the named one is: only beside the name
                best = max(best, FAR)
            continue
        near = anchors
        if analysis.asks is Asks.ROLE:  # a role says what the named one is in its own sentence, not the next one's
            start, end = next(((a, b) for a, b in bounds if a <= span.start < b), (0, len(text)))
            near = [(a, b) for a, b in anchors if start <= a < end]
            if not near:
                continue
        # a number counting a focus word stands by it, however written ("18%" of "сколько процентов")
        distance = 0 if counts_focus else min(max(0, a - span.end, span.start - b) for a, b in near)
        if analysis.asks is Asks.ROLE and _titles(text, span, spans, near):
            distance = 0  # "Председатель совета директоров холдинга Иван Петров": the title the name bears
        elif analysis.asks is Asks.ROLE and distance > REACH:
            if not _heads_phrase_of(text, span, spans, near):
                continue  # a role far from the name is someone else's
            distance = REACH  # "вице-министр торговли и интеграции Республики X Данияр Y": a long role phrase
        agrees = _in_case(span, analysis.cases) and not _other_time(text, span, bounds, focus.tense)
        best = max(best, (1.0 if agrees else OTHER_CASE) / (1.0 + distance / REACH))
    return best


def _titles(text: str, role: Span, spans: Sequence[Span], anchors: Sequence[tuple[int, int]]) -> bool:
    """Whether `role` opens the title phrase written right before the name asked about ("Председатель совета
    директоров Иван Петров"): only role-phrase words between, no other person's name."""
    start = min((a for a, _ in anchors if a >= role.end), default=None)
    if start is None:
        return False
    named = next((s for s in spans if s.kind is Kind.PER and s.start <= start < s.end), None)
    start = named.start if named is not None else start  # "Данияр Оспанов" when asked of Оспанов
    if any(s.kind is Kind.PER and role.end <= s.start < start for s in spans):
        return False
    return _joined(text, role.end, start)


def _joined(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` holds only the words of a role phrase (fewer than `ROLE_WORDS`), spaces between."""
    words = phrase_words(text, start, end)
    gaps = zip([start, *(stop for _, stop, _ in words)], [*(begin for begin, _, _ in words), end], strict=True)
    return (
        len(words) < ROLE_WORDS
        and all(is_phrase_word(word) for _, _, word in words)
        and not any(text[a:b].strip(PHRASE_GAPS) for a, b in gaps)
    )


def _heads_phrase_of(text: str, role: Span, spans: Sequence[Span], anchors: Sequence[tuple[int, int]]) -> bool:
    """Whether `role` opens the phrase before a name the question asks about: the name is within `ROLE_WORDS`
    words after it and no other person stands between."""
    for start, _ in anchors:
        between = text[role.end : start]
        if start > role.end and len(WORD.findall(between)) < ROLE_WORDS and not _CLAUSE_ENDS & set(between):
            others = [s for s in spans if s.kind is Kind.PER and role.end <= s.start and s.end <= start]
            if not others:
                return True
    return False


def _person_after(text: str, role: Span, spans: Sequence[Span]) -> Span | None:
    """The person whose role `role` is: the name written right after it, only role-phrase words between."""
    owner = next((s for s in spans if s.kind is Kind.PER and s.start >= role.end), None)
    return owner if owner is not None and _joined(text, role.end, owner.start) else None


def _holds_post(text: str, person: Span, spans: Sequence[Span], post: tuple[str, ...]) -> bool:
    """Whether the role written right before or after `person` is `post`: its head alike, and one of the post's
    other words there when it has any ("директор предприятия" holds "директор завода «Заря»", an article's
    shorter name for it; "заместитель акима области" no "директор центра")."""
    floor = max((s.end for s in spans if s.kind is Kind.PER and s.end <= person.start), default=0)
    head, objects = post[0], post[1:]
    for role in (role_before(text, floor, person.start), role_after(text, person.end, len(text))):
        if role is None or not role_is(role, head, frozenset()):
            continue
        if not objects or any(_of_object(role, head, word) for word in objects):
            return True
        if _of_the_named(role, spans, person.start) and _written_before(text[: person.start], objects):
            return True  # "завод «Заря». Директор предприятия Иванов": the role is of what was just named
    return False


def _of_object(role: Role, head: str, word: str) -> bool:
    """Whether a role of head `head` is of `word`: the same word, or for a common noun one navec puts close
    ("предприятие" for "завод"); a name only itself ("Заречье" is no "Ольховка", however close in navec)."""
    stems = {stem(w) for w in (role.head, *role.rest, *WORD.findall(fold(role.text)))}  # lemmas and forms written
    if word in stems or stem(fold(word)) in stems:
        return True  # the word, or the article stem an English question's name is read as
    return not (NAME_TAGS & best_parse(fold(word)).tag.grammemes) and role_is(role, head, frozenset({word}))


def _of_the_named(role: Role, spans: Sequence[Span], before: int) -> bool:
    """Whether a role phrase is of a kind of thing a name was given before `before` ("завод «Заря»": a
    "директор предприятия" after it may be Zarya's), naming nothing itself."""
    words = WORD.findall(role.text)[1:]
    if any(word[:1].isupper() for word in words):
        return False
    classes = {
        lemma(fold(s.text)) for s in spans if s.kind is Kind.CLASS and s.value != Kind.PER.value and s.end <= before
    }
    return any(role_is(role, role.head, frozenset({noun})) for noun in classes)


def _written_before(text: str, lemmas: Sequence[str]) -> bool:
    """Whether each of `lemmas` is written in `text` (by stem)."""
    stems = {stem(word) for word in WORD.findall(fold(text))}
    return all(stem(word) in stems for word in lemmas)


def _in_case(span: Span, cases: frozenset[str]) -> bool:
    """Whether a name or role may stand in one of `cases` (every Russian word of it can; no cases: any)."""
    if not cases or (span.kind not in NAMES and span.kind is not Kind.ROLE):
        return True
    words = [w for w in WORD.findall(fold(span.text)) if not w.isascii() and not w.isdigit()]
    return all(any(p.tag.case in cases for p in parses(w)) for w in words)


def _anchors(text: str, focus: Focus, analysis: Analysis) -> list[tuple[int, int]]:
    """Where the focus stands in `text`: the named noun of "какой X" first, else any focus word."""
    named = {*analysis.noun, *(stem(n) for n in analysis.noun), *(stem(lemma(n)) for n in analysis.noun)}
    wanted = named if analysis.asks in (Asks.VALUE, Asks.AMOUNT, Asks.ROLE) and named else focus.focus_stems
    words = _stems_at(text)
    found = [(start, end) for start, end, word in words if _any_same(wanted, word)]
    if not found and wanted is named and analysis.asks is not Asks.ROLE:
        found = [(start, end) for start, end, word in words if _any_same(focus.focus_stems, word)]
    return found


@lru_cache(maxsize=4096)
def _stems_at(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each word of a window's text with its offsets (of the text itself) and stem; windows recur across asks."""
    return tuple((m.start(), m.end(), stem(fold(m.group()))) for m in WORD.finditer(text))


def _any_same(wanted: Iterable[str], word: str) -> bool:
    return bool(word) and any(same_word(w, word) for w in wanted)


@lru_cache(maxsize=65_536)  # bounded: a long-running bot meets new pairs with every question
def same_word(stem: str, other: str) -> bool:
    """Whether an article's stem `other` is the question's `stem`: the same, sharing most of its beginning, or
    the same verb with a prefix ("благодар" and "поблагодар": `lexicon.prefixed`)."""
    if stem == other:
        return True
    need = max(SHARED_PREFIX, int(PREFIX_SHARE * len(stem) + 0.5))
    if len(stem) >= SHARED_PREFIX and len(other) >= need and other[:need] == stem[:need]:
        return True
    return prefixed(stem, other) or prefixed(other, stem)


def holds(stems: frozenset[str], stem: str | None) -> bool:
    """Whether a window's stems hold the question's `stem` (`same_word`)."""
    if stem is None:
        return False
    return stem in stems or any(same_word(stem, s) for s in stems)


def focus_of(reading: Reading, bridged: Mapping[str, Bridged] | None = None) -> Focus:
    """What candidates of a reading are judged against (its analysis, text and found stems, and the article stems
    its words of another language are bridged to)."""
    # `searched` holds what "кроме X" sets aside too: X, in the question, is no answer; its words are no focus
    # what it sets aside is known to be one of the answers: the others stand beside it ("с X, Y и Z")
    focus = [t.stem for t in (*reading.focus, *reading.excluded) if t.stem]
    for term in reading.focus:
        hit = (bridged or {}).get(term.word)
        if term.stem or hit is None or not hit.strength:
            continue
        # a translation, or a Russian word of the same root ("пригласил": "приглашению"); a Russian word matched
        # by meaning alone is no anchor ("стоит" lands on "доллар", the answer's own unit)
        if reading.foreign or hit.stem.startswith(term.word[:SAME_ROOT]):
            focus.append(hit.stem)
    # a Russian word's stem may be a kin word's ("против": "противник"), no word the question holds
    read_as = [t.stem for t in reading.terms if t.stem] if reading.language in ("en", "kk") else []
    return Focus.of(reading.analysis, reading.searched, focus, read_as)


def lacks_part(reading: Reading, quoted: Sequence[tuple[str, Sequence[Span]]]) -> bool:
    """Whether the quoted sentences miss what a strict question asks for (then the answer is partial)."""
    return reading.analysis.strict and closeness(quoted, focus_of(reading)) == 0.0
