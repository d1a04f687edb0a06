"""The people of one article, their roles, and who a mention of a person means.

natasha's PER spans name the people; the words next to a name say what the
person is: "Губернатора Заречной области Сергея Тихонова" teaches that the
head "губернатор" with "заречный" and "область" is Сергей Тихонов, and so does
"Олег Марков, главный инженер треста". A role phrase said alone ("глава
области", "инженер треста", "Губернатор") is matched to those
roles through lemmas (pymorphy3) and meaning (navec). A pronoun is the last
person who spoke or acted. What stays ambiguous resolves to no one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from embeddings.annotate.spans import Kind, Span
from embeddings.lexicon import PERSON_TAGS, best_parse, is_role_noun, morph, similarity
from embeddings.text import fold, is_acronym

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
ROLE_WORDS = 7  # words a role phrase may have
NEAR = 0.4  # navec cosine at which two words of role phrases mean the same ("городской" ~ "город")
PLAUSIBLE_HEAD = 0.45  # ... at which a role's head may name a person with another head ("глава" ~ "президент")
_PRONOUNS = {"он": "masc", "она": "femn", "его": "masc", "её": "femn", "ее": "femn"}
_PHRASE_POS = frozenset({"NOUN", "ADJF", "PRTF"})


@dataclass(frozen=True)
class Role:
    """A role phrase: its head noun's lemma, the lemmas of its other words, and its text with the head in nominative."""

    head: str
    rest: frozenset[str]
    text: str


@dataclass
class People:
    """The people an article names (by surname), their fullest names and their roles."""

    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)  # the PER spans that name a person, in order

    def key(self, span: Span) -> str:
        """The surname key of a PER span."""
        words = WORD.findall(span.value or span.text)
        return fold(words[-1]) if words else ""

    def role_of(self, key: str) -> str:
        """The person's role as the article says it most fully ("" when it names none)."""
        roles = self.roles.get(key, [])
        return max(roles, key=lambda r: (len(r.rest), len(r.text))).text if roles else ""

    def resolve(self, role: Role, recent: Sequence[str]) -> str:
        """The key of the one person `role` names, or "" when it is not clear.

        Tried in turn: the same head lemma (narrowed by the other words), the
        other words alone, and among people whose head means alike, the one
        who spoke or acted last.
        """
        same = [k for k, rs in self.roles.items() if any(r.head == role.head for r in rs)]
        if role.rest:
            same = [k for k in same if self._covers(k, role.rest)]
        if len(same) == 1:
            return same[0]
        if role.rest:
            near = [k for k in self.roles if self._covers(k, role.rest)]
            if len(near) == 1:
                return near[0]
        else:
            near = []
        pool = near or same or [k for k, rs in self.roles.items() if any(_alike(role.head, r.head) for r in rs)]
        return next((k for k in recent if k in pool), "")

    def _covers(self, key: str, lemmas: frozenset[str]) -> bool:
        words = {w for r in self.roles[key] for w in (r.head, *r.rest)}
        return all(any(w == lemma or similarity(w, lemma) >= NEAR for w in words) for lemma in lemmas)


def _alike(first: str, second: str) -> bool:
    return first == second or similarity(first, second) >= PLAUSIBLE_HEAD


def role_is(role: Role, head: str, rest: frozenset[str]) -> bool:
    """Whether `role` is the post of head lemma `head` and other lemmas `rest` (each alike in meaning, navec)."""
    words = (role.head, *role.rest)
    return _alike(head, role.head) and all(any(w == r or similarity(w, r) >= NEAR for w in words) for r in rest)


def is_role_head(word: str) -> bool:
    """Whether a folded word is an animate common noun (a role: "президент", "спикер")."""
    return is_role_noun(best_parse(word))


def role_from(words: Sequence[str]) -> Role | None:
    """The role phrase of `words` as written: the adjectives right before its head noun, the head, what follows."""
    folded = [fold(w) for w in words]
    head = next((i for i, w in enumerate(folded) if is_role_head(w)), None)
    if head is None:
        return None
    first = head
    while first > 0 and str(best_parse(folded[first - 1]).tag.POS) == "ADJF":
        first -= 1
    lemma = str(best_parse(folded[head]).normal_form)
    rest = frozenset(str(best_parse(w).normal_form) for i, w in enumerate(folded) if i >= first and i != head)
    shown = list(words[head:])
    shown[0] = _nominative(words[head])
    return Role(lemma, rest, " ".join(shown))


def _nominative(word: str) -> str:
    parse = best_parse(fold(word))
    form = parse.inflect({"nomn", "sing"}) or parse.inflect({"nomn"})
    text = form.word if form is not None else word
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def phrase_words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of `text[start:end]` that may belong to a role phrase, each with its offsets."""
    return [(m.start() + start, m.end() + start, m.group()) for m in WORD.finditer(text[start:end])]


def is_phrase_word(word: str) -> bool:
    """Whether a word may belong to a role phrase: a noun, an adjective, a participle or an acronym ("МУП")."""
    return str(best_parse(fold(word)).tag.POS) in _PHRASE_POS or is_acronym(word)


PHRASE_GAPS = ' «»"„“”'  # what may stand between the words of a role phrase ("директор МУП «Горсвет» Иван Ли")


def role_before(text: str, floor: int, name_start: int) -> Role | None:
    """The role phrase written right before a name ("Губернатора области | Сергея Тихонова")."""
    run: list[str] = []
    position = name_start
    for start, end, word in reversed(phrase_words(text, floor, name_start)):
        if text[end:position].strip(PHRASE_GAPS) or not is_phrase_word(word) or len(run) >= ROLE_WORDS:
            break
        run.insert(0, word)
        position = start
    return role_from(run) if run else None


def role_after(text: str, name_end: int, ceiling: int) -> Role | None:
    """The role phrase written after a name and a comma ("Олег Марков, | главный инженер треста ...:")."""
    after = text[name_end:ceiling]
    match = re.match(r"\s*,\s*([^,:;.!?\"«»]+)[:,]", after)
    if match is None:
        return None
    words = WORD.findall(match.group(1))
    if not words or len(words) > ROLE_WORDS or not is_role_head(fold(words[0])):
        return None
    return role_from(words)


def learn_people(text: str, spans: Sequence[Span], bounds: Sequence[tuple[int, int]]) -> People:
    """The people of an article from its PER spans (offsets into `text`) and the roles written next to them.

    `bounds` are the sentences' (start, end); a role phrase never crosses one.
    """
    people = People()
    named = [s for s in spans if s.kind is Kind.PER]
    known = {people.key(s) for s in named if len(WORD.findall(s.text)) > 1 or _is_name(s.text)}
    people.spans = [s for s in named if people.key(s) in known - {""}]
    for span in people.spans:
        key = people.key(span)
        name = span.value or span.text
        if span.text.replace("ё", "е").replace("Ё", "Е") == name:
            name = span.text  # natasha's normal form writes "е" for "ё"
        if len(name) > len(people.names.get(key, "")):
            people.names[key] = name
        floor, ceiling = next(((s, e) for s, e in bounds if s <= span.start < e), (0, len(text)))
        previous = max((s.end for s in people.spans if floor <= s.end <= span.start), default=floor)
        for role in (role_before(text, previous, span.start), role_after(text, span.end, ceiling)):
            if role is not None:
                people.roles.setdefault(key, []).append(role)
    return people


def of_story(articles: Sequence[People]) -> list[People]:
    """Each article's people with what the whole story teaches of them: fullest names, every role."""
    names: dict[str, str] = {}
    roles: dict[str, list[Role]] = {}
    for people in articles:
        for key, name in people.names.items():
            names[key] = max(names.get(key, ""), name, key=len)
        for key, found in people.roles.items():
            roles.setdefault(key, []).extend(found)
    return [
        People({k: names[k] for k in p.names}, {k: roles[k] for k in p.names if k in roles}, p.spans) for p in articles
    ]


def _is_name(text: str) -> bool:
    """Whether a one-word PER span is a name by the dictionary (a first name, a surname, a patronymic)."""
    return any(PERSON_TAGS & p.tag.grammemes for w in WORD.findall(text) for p in morph().parse(fold(w)))


def nominative(text: str, span: Span, floor: int) -> bool:
    """Whether a PER span (offsets into `text`) is the subject: in nominative, with no preposition before it."""
    words = WORD.findall(span.text)
    before = phrase_words(text, floor, span.start)
    if before and str(best_parse(fold(before[-1][2])).tag.POS) == "PREP":
        return False
    role = role_before(text, floor, span.start)
    if role is not None:
        head = next(w for _, _, w in before if str(best_parse(fold(w)).normal_form) == role.head)
        return _can_be_nominative(head)
    return bool(words) and _can_be_nominative(words[0])


def _can_be_nominative(word: str) -> bool:
    parse = best_parse(fold(word))
    return parse.tag.case in (None, "nomn") or (
        "Fixd" in parse.tag.grammemes and any(p.tag.case == "nomn" for p in morph().parse(fold(word)))
    )


def pronoun(word: str) -> bool:
    """Whether a word is a third-person pronoun that points back to a person."""
    return fold(word) in _PRONOUNS
