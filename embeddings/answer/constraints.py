"""Constraints: a specific name the question gives must stand with the answer.

"Какой товарооборот между Беларусью и Россией?" names Russia; a sentence
about trade with Kazakhstan does not answer it, however close it is. A key
term of the question that the articles use (a name, an acronym) is a
constraint when it is specific: the articles name it in one passage, or in
at most the share `specific` of their passages. The story's main actors, named all through
the articles, go without saying ("мы с Казахстаном..." in an article about
Belarus and Kazakhstan is about Belarus). A constraint is met when the
paragraph of a quote holds it, the quote's speaker included, or the title of
its article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from embeddings.index.load import LoadedIndex
from embeddings.retrieve.reading import Reading, Term
from embeddings.text import WORD, fold, stem

SHORTEST = 4  # letters of a stem that may stand for a longer one ("каза" of "Kazakh" for "казахстан")


@dataclass(frozen=True)
class Shown:
    """A quote as the constraint check sees it: its article, its span there, and who says it."""

    article_id: str
    start: int
    end: int
    speaker: str = ""


def stems_of(text: str) -> frozenset[str]:
    """The stems of the words of `text`."""
    return frozenset(s for s in (stem(w) for w in WORD.findall(fold(text))) if s)


def _holds(stems: Iterable[str], wanted: str) -> bool:
    """Whether `stems` hold `wanted`, or a stem one of the two begins (names keep their root)."""
    return any(
        s == wanted or (min(len(s), len(wanted)) >= SHORTEST and (s.startswith(wanted) or wanted.startswith(s)))
        for s in stems
    )


def _spelled(acronym: str, text: str) -> bool:
    """Whether `text` spells `acronym` out: consecutive words with its letters as initials ("ШОС": "Шанхайской
    организации сотрудничества")."""
    initials = "".join(w[0] for w in WORD.findall(fold(text)))
    return len(acronym) > 1 and acronym in initials


def unmet(index: LoadedIndex, reading: Reading, quotes: Iterable[Shown], specific: float) -> Term | None:
    """The first specific name of `reading` (at most in the share `specific` of the passages) that no quote's
    paragraph, speaker or article title holds."""
    context: set[str] = set()
    texts = []
    for quote in quotes:
        article = index.articles[quote.article_id]
        paragraph = next((p for p in article.paragraphs if p.start <= quote.start < p.end), None)
        start, end = (paragraph.start, paragraph.end) if paragraph is not None else (quote.start, quote.end)
        texts.append(f"{article.text[start : max(end, quote.end)]} {quote.speaker} {article.title}")
        context |= stems_of(texts[-1])
    if not context:
        return None
    excluded = {t.stem for t in reading.excluded}
    for term in reading.terms:
        if not (term.key and term.stem) or term.stem in excluded or term.word.isdigit():
            continue
        if index.bm25.share(term.stem) > specific and index.bm25.share(term.stem) * index.bm25.size > 1:
            continue  # named all through the articles: goes without saying
        if not _holds(context, term.stem) and not (
            term.surface.isupper() and any(_spelled(term.word, t) for t in texts)
        ):
            return term
    return None
