"""Constraints: a specific name or a time the question gives must stand with the answer.

"Сколько грузов перевезли между Заречьем и Ольховкой?" names Ольховка; a
sentence about freight to Луговое does not answer it, however close it is. A key
term of the question that the articles use (a name, an acronym) is a
constraint when it is specific: the articles name it in one passage, or in
at most the share `specific` of their passages. The story's main actors, named all through
the articles, go without saying ("мы с Ольховкой..." said by Заречье's mayor
in an article about the two towns is about Заречье). A constraint is met when the
paragraph of a quote holds it, the quote's speaker included, or the title of
its article.

A time the question gives ("в прошлом году", "в феврале") and does not ask
about is a constraint too: met when a quote's paragraph says it in the same
words, or when it names a month or a year of the article's own date. So is
an ordinal ("первый форум"), when the quotes give another ("третий форум").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from natasha.grammars.date import MONTHS

from embeddings.annotate.phrases import phrases, with_preposition
from embeddings.annotate.spans import Kind, Span
from embeddings.index.load import LoadedIndex
from embeddings.lexicon import best_parse, lemma
from embeddings.retrieve.analysis import Asks, asking_span
from embeddings.retrieve.reading import Reading
from embeddings.retrieve.words import is_russian_word, russian_name
from embeddings.text import WORD, fold, stem, tokenize

YEAR_DIGITS = 4
MIN_ACRONYM = 3
SHORTEST = 4  # letters of a stem that may stand for a longer one ("поль" of "Polish" for "польша")


@dataclass(frozen=True)
class Shown:
    """A quote as the constraint check sees it: its article, its span there, and who says it."""

    article_id: str
    start: int
    end: int
    speaker: str = ""


@dataclass(frozen=True)
class Unmet:
    """A constraint the quotes leave unmet: a name ("absent_constraint") or a time ("absent_time"), as written."""

    reason: str
    missing: str


def _holds(stems: Iterable[str], wanted: str) -> bool:
    """Whether `stems` hold `wanted`, or a stem one of the two begins (names keep their root)."""
    return any(
        s == wanted or (min(len(s), len(wanted)) >= SHORTEST and (s.startswith(wanted) or wanted.startswith(s)))
        for s in stems
    )


def spelled_out(acronym: str, text: str) -> bool:
    """Whether `text` spells `acronym` out: adjacent words, with no punctuation between them, whose initials are
    its letters ("ЗМК": "Заречный мостовой комбинат"); three letters at least, else chance would."""
    if len(acronym) < MIN_ACRONYM:
        return False
    runs, initials, end = [], "", 0
    for match in WORD.finditer(fold(text)):
        if text[end : match.start()].strip(" -"):  # punctuation between: a new run of words
            runs.append(initials)
            initials = ""
        initials += match.group()[0]
        end = match.end()
    return any(acronym in run for run in [*runs, initials])


def _context(index: LoadedIndex, quote: Shown) -> str:
    """The paragraph of a quote, with its speaker and its article's title."""
    article = index.articles[quote.article_id]
    paragraph = next((p for p in article.paragraphs if p.start <= quote.start < p.end), None)
    start, end = (paragraph.start, paragraph.end) if paragraph is not None else (quote.start, quote.end)
    return f"{article.text[start : max(end, quote.end)]} {quote.speaker} {article.title}"


def named_stems(index: LoadedIndex) -> frozenset[str]:
    """The stems of the names the articles give: every word of a person's name, and of a place's or an
    organisation's the words that are names themselves ("Заречье", "ЗМК"; not "Совет" or "Области")."""
    stems: set[str] = set()
    for spans in index.annotations:
        for span in spans:
            if span.kind is Kind.PER:
                stems |= set(tokenize(span.text))
            elif span.kind in (Kind.LOC, Kind.ORG):
                stems |= {s for w in WORD.findall(span.text) if _is_name_word(w) and (s := stem(fold(w)))}
    return frozenset(stems)


def _is_name_word(word: str) -> bool:
    """A capitalised word the Russian dictionary knows as a name, or does not know at all."""
    folded = fold(word)
    return word[:1].isupper() and (russian_name(folded) is not None or not is_russian_word(folded))


def unmet(
    index: LoadedIndex, reading: Reading, quotes: Sequence[Shown], specific: float, named: frozenset[str]
) -> Unmet | None:
    """The first constraint of `reading` the quotes leave unmet: a specific name (named at most in the share
    `specific` of the passages; a key term, or a word of the articles' `named` stems however typed) that no
    quote's paragraph, speaker or article title holds, or a time."""
    texts = [_context(index, quote) for quote in quotes]
    if not texts:
        return None
    context = frozenset(word for text in texts for word in tokenize(text))
    excluded = {t.stem for t in reading.excluded}
    for term in reading.terms:
        if not term.stem or not (term.key or term.stem in named) or term.background:
            continue
        if term.stem in excluded or term.word.isdigit():
            continue
        if index.bm25.share(term.stem) > specific and index.bm25.share(term.stem) * index.bm25.size > 1:
            continue  # named all through the articles: goes without saying
        # "ШОС", or "шос" typed in lower case (no word of the dictionary): spelled out beside the answer
        acronym = term.surface.isupper() or not is_russian_word(term.word)
        spelled = acronym and any(spelled_out(term.word, text) for text in texts)
        if not _holds(context, term.stem) and not spelled:
            return Unmet("absent_constraint", term.display())
    order = _unmet_order(index, reading, quotes, texts)
    if order is not None:
        return Unmet("absent_constraint", order)
    time = _unmet_time(index, reading, quotes, texts)
    return Unmet("absent_time", time) if time is not None else None


def _unmet_order(index: LoadedIndex, reading: Reading, quotes: Sequence[Shown], texts: Sequence[str]) -> str | None:
    """An ordinal the question gives ("первый форум") that the quotes' paragraphs never say while the quotes
    give another ("третий форум"): they tell of another one. Returned with the word after it, as written."""
    if reading.language not in ("ru", "ru-latn"):
        return None
    start, end = asking_span(reading.searched)
    asked = _ordinals(reading.searched[start:end])
    if not asked:
        return None
    said = {ordinal for text in texts for _, ordinal in _ordinals(text)}
    quoted = {ordinal for q in quotes for _, ordinal in _ordinals(index.articles[q.article_id].text[q.start : q.end])}
    for match, ordinal in asked:
        if ordinal not in said and quoted - {ordinal}:
            following = WORD.search(match.string, match.end())
            return f"{match.group()} {following.group()}" if following is not None else match.group()
    return None


def _ordinals(text: str) -> list[tuple[re.Match[str], str]]:
    """The ordinal numerals of `text` ("третий", "1-й"; not "один", a pronoun too), with their lemmas."""
    found = []
    for match in WORD.finditer(text):
        parse = best_parse(fold(match.group()))
        if "Anum" in parse.tag.grammemes and "Apro" not in parse.tag.grammemes:
            found.append((match, str(parse.normal_form)))
    return found


def _unmet_time(index: LoadedIndex, reading: Reading, quotes: Sequence[Shown], texts: Sequence[str]) -> str | None:
    """The first time the question gives (not asks) that the quotes' paragraphs and their articles' dates lack."""
    if reading.analysis.asks is Asks.DATE or reading.language not in ("ru", "ru-latn"):
        return None
    start, _ = asking_span(reading.searched)  # a time in the asker's introduction is no constraint
    spans = [s for s in phrases(reading.searched) if s.kind is Kind.DATE and s.start >= start]
    if not spans:
        return None
    said = [" ".join(lemma(w) for w in WORD.findall(fold(text))) for text in texts]
    for span in spans:
        words = " ".join(lemma(w) for w in WORD.findall(fold(span.text)))
        if any(f" {words} " in f" {text} " for text in said):  # the same words, in the same order
            continue
        if not any(on_article_date(span, index.articles[q.article_id].date) for q in quotes):
            return with_preposition(reading.searched, span)
    return None


def on_article_date(span: Span, date: str) -> bool:
    """Whether a time of the question names the month or the year of an article's ISO `date`, and no other."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return False
    year, month = day.year, day.month
    words = WORD.findall(fold(span.text))
    months = [MONTHS[lemma(w)] for w in words if lemma(w) in MONTHS]
    years = [int(w) for w in words if w.isdigit() and len(w) == YEAR_DIGITS]
    return bool(months or years) and all(m == month for m in months) and all(y == year for y in years)
