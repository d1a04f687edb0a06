"""Who a sentence's "он" / "она" is: the person a window speaks of without naming.

"Губернатор Олег Марков приехал в Заречье. ... На стройке он встретился
с ..." names Markov in the first sentence only; a question about whom
Markov met must find the second. A third-person pronoun (by
pymorphy: a personal pronoun of the third person) stands for the subject of
the nearest sentence before it, in the same article, that has a person (a
PER span in nominative) of the pronoun's gender. Only the stored annotations
are read; nothing is guessed past `REACH` sentences back.
"""

from __future__ import annotations

from collections.abc import Sequence

from embeddings.annotate.people import nominative
from embeddings.annotate.phrases import symbol_nouns
from embeddings.annotate.spans import Kind, Span
from embeddings.ingest.chunking import Sentence
from embeddings.lexicon import PERSON_TAGS, best_parse, parses
from embeddings.text import WORD, fold

REACH = 3  # sentences back in which the person a pronoun stands for is looked for


def _pronoun_gender(text: str) -> str | None:
    """The gender of the first third-person singular personal pronoun in nominative of `text` ("он": "masc",
    "она": "femn"), if any: a subject, which stands for a person far more often than "его" or "ему" does."""
    for word in WORD.findall(text):
        tag = best_parse(fold(word)).tag
        if tag.POS == "NPRO" and "3per" in tag.grammemes and tag.number == "sing" and tag.case == "nomn":
            return str(tag.gender) if tag.gender in ("masc", "femn") else None
    return None


def _is_name(text: str) -> bool:
    """A PER span of two words or more, or one word the dictionary knows as a name (NER also tags "Президент")."""
    words = WORD.findall(text)
    return len(words) > 1 or any(PERSON_TAGS & p.tag.grammemes for w in words for p in parses(fold(w)))


def _gender_of(name: str) -> set[str]:
    """The genders a name in nominative may have: its first name's, else its surname's, by the dictionary (empty:
    unknown)."""
    for grammeme in ("Name", "Surn"):
        for word in WORD.findall(name):
            tagged = [p for p in parses(fold(word)) if grammeme in p.tag.grammemes and p.tag.case == "nomn"]
            if tagged:
                gender = str(tagged[0].tag.gender)
                return {"masc", "femn"} if gender == "ms-f" else {gender}
    return set()


class References:
    """Resolves the pronouns of an index's sentences, remembering the people each article names."""

    def __init__(self, sentences: Sequence[Sentence], annotations: Sequence[tuple[Span, ...]]) -> None:
        self.sentences = sentences
        self.annotations = annotations
        self._names: dict[str, frozenset[str]] = {}

    def _known(self, article: str) -> frozenset[str]:
        """The persons an article's annotations name anywhere, as written: NER may miss a name in one sentence
        that it finds in another."""
        if article not in self._names:
            self._names[article] = frozenset(
                span.text
                for sentence, spans in zip(self.sentences, self.annotations, strict=True)
                if sentence.article_id == article
                for span in spans
                if span.kind is Kind.PER and " " in span.text
            )
        return self._names[article]

    def _persons(self, sentence_id: int) -> list[Span]:
        """The persons of a sentence: its PER spans, and the article's known names found in its text."""
        sentence = self.sentences[sentence_id]
        found = [span for span in self.annotations[sentence_id] if span.kind is Kind.PER and _is_name(span.text)]
        for name in self._known(sentence.article_id):
            at = sentence.text.find(name)
            if at >= 0 and not any(s.start <= at < s.end for s in found):
                found.append(Span(Kind.PER, at, at + len(name), name))
        return sorted(found, key=lambda span: span.start)

    def referent(self, sentence_id: int) -> str:
        """The name a pronoun of sentence `sentence_id` stands for, as the articles write it ("" when none)."""
        gender = _pronoun_gender(self.sentences[sentence_id].text)
        if gender is None:
            return ""
        article = self.sentences[sentence_id].article_id
        for before in range(sentence_id - 1, max(-1, sentence_id - 1 - REACH), -1):
            if self.sentences[before].article_id != article:
                break
            text = self.sentences[before].text
            for span in self._persons(before):
                if not nominative(text, span, 0):
                    continue
                genders = _gender_of(span.text)
                if not genders or gender in genders:
                    return span.text
        return ""


def referents(sentences: Sequence[Sentence], annotations: Sequence[tuple[Span, ...]]) -> list[str]:
    """For every sentence of whole articles, the name its pronoun stands for ("" when none): what search counts
    beside its words, so that "В Заречье он встретился ..." is found by the name of the one it means."""
    references = References(sentences, annotations)
    return [references.referent(i) for i in range(len(sentences))]


def unwritten(sentences: Sequence[Sentence], annotations: Sequence[tuple[Span, ...]]) -> list[str]:
    """For every sentence of whole articles, the words search counts beside its own: the name its pronoun stands
    for (`referents`), and the nouns its numbers write as a symbol ("18%": "процент")."""
    return [
        f"{name} {symbol_nouns(spans)}".strip()
        for name, spans in zip(referents(sentences, annotations), annotations, strict=True)
    ]
