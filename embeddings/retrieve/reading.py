"""How the pipeline reads a question: its language, its form, what it asks for, and its terms.

- **Language.** Russian, Kazakh (its letters, or its function words), English,
  or Russian typed in Latin letters (`skolko sovmestnyh proizvodstv`), told
  apart by which dictionary more of the words belong to once spelled in
  Cyrillic. Russian typed in Latin is searched in Cyrillic.
- **Form.** A lookup (a name or a few words, `Ольховка`, `тракторы заводы`,
  also `что такое X` and `расскажи про X`), "who is X" (`Кто такой X`,
  `X кім?`, `who is X`), a yes/no question (`Встречался ли ...`,
  `Did ...`, `... ма?`), or any other question.
- **What it asks for** (`analysis.py`): a person, a place, a date, an amount,
  a number of something, a duration, an age, a reason, a value of a named
  noun, a role; or anything.
- **Terms.** Its content words, each mapped onto the articles' stems where
  it can be (`vocabulary.py`). A term is *key* when it names something: a
  number, an acronym, a Latin term in a Cyrillic question, a name (told by
  capitals and by the dictionaries). A key term the articles never use is
  what the question asks about and they do not mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from embeddings.annotate.people import role_from
from embeddings.annotate.spans import Kind
from embeddings.lexicon import PERSON_TAGS, best_parse, has_meaning, is_role_noun, is_verb, lemma, similarity
from embeddings.retrieve.analysis import (
    QUESTION_WORDS,
    Analysis,
    Asks,
    analyse,
    asking_span,
    function,
    names_kind,
    question_word,
    set_aside,
)
from embeddings.retrieve.dictionary import russian_for
from embeddings.retrieve.forms import Form, form_of, topic_words
from embeddings.retrieve.spelling import Speller
from embeddings.retrieve.syntax import Parsed, parsed
from embeddings.retrieve.vocabulary import Vocabulary, kazakh_roots
from embeddings.retrieve.words import (
    cyrillic_spellings,
    dictionary_form,
    english_kinds,
    is_english_word,
    is_russian_word,
    looks_like_name,
    misspelt,
    name_form,
    russian_name,
)
from embeddings.text import (
    KAZAKH_WORDS,
    STOPWORDS,
    WORD,
    fold,
    is_acronym,
    is_cyrillic,
    is_kazakh,
    is_kazakh_text,
    is_latin,
    script_of,
    stem,
)

Language = Literal["ru", "kk", "en", "ru-latn"]
ROOT = 4  # the fewest letters of a role's stem a verb may hold as its root ("глав" in "возглавлять")
ROLE_MEANING = 0.45  # navec cosine from which an article's role may be the one a question names
TRANSLATIONS = 3  # the senses of an English noun after "which" / "what" by which its kind of answer is read


TOPIC_WORDS = 3  # the most words "о X" / "about X" names as the topic
_DIGIT_FOR_LETTER = re.compile(r"(?<=[A-Za-z])4|4(?=[A-Za-z])")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_PUNCTUATION = re.compile(r"[?!.,;:…\"«»“”„()]+")

_VOWELS_CYRILLIC = frozenset("аеёиоуыэюяйь")  # letters after which no soft sign is written


@dataclass(frozen=True)
class Term:
    """One content word of a question and what the articles make of it."""

    surface: str  # as the user wrote it
    word: str  # folded (spelled in Cyrillic when Russian was typed in Latin)
    stem: str | None  # the article stem it stands for; None when the articles never use it
    weight: float  # how much it tells (inverse document frequency)
    key: bool  # it names something: the articles must use it to answer
    foreign: bool  # another language than the articles' and not found in them: its meaning is for the encoder
    topic: bool = False  # what the question asks about ("о хоккее", "about football", "хоккей туралы")
    background: bool = False  # in a sentence before the one that asks ("Я из Караганды. ...")

    @property
    def found(self) -> bool:
        """Whether the articles use this word."""
        return self.stem is not None

    def display(self) -> str:
        """The term as a reply names it: a Russian name in its dictionary form, anything else as written.

        A Russian name with Kazakh endings ("Путинмен") is named without them.
        """
        if not is_cyrillic(self.word) or self.surface.isupper():
            return self.surface
        if not self.surface[:1].isupper():
            return dictionary_form(self.word) if is_russian_word(self.word) else self.surface
        form = name_form(self.word)
        if not is_russian_word(self.word) and russian_name(self.word) is None:
            form = next((name_form(r) for r in kazakh_roots(self.word) if russian_name(r) is not None), form)
        return form[:1].upper() + form[1:]


@dataclass(frozen=True)
class Reading:
    """A question as the pipeline understands it."""

    question: str  # the cleaned text the user sent
    searched: str  # what is searched: spelled in Cyrillic when typed in Latin, typos corrected
    language: Language
    form: Form
    analysis: Analysis
    terms: tuple[Term, ...]
    subject: tuple[Term, ...] = ()  # what a lookup or "who is" names
    excluded: tuple[Term, ...] = ()  # what "кроме X" sets aside: searched (it finds the passage), never asked for

    @property
    def focus(self) -> tuple[Term, ...]:
        """The terms from the sentence that asks on (all of them when every term is background)."""
        asked = tuple(t for t in self.terms if not t.background)
        return asked or self.terms

    @property
    def missing(self) -> Term | None:
        """The first key term of the asking sentence the articles never use, if any."""
        return next((t for t in self.terms if t.key and not t.found and not t.background), None)

    @property
    def foreign(self) -> bool:
        """Written in another language than the articles (English or Kazakh about Russian articles)."""
        return self.language in ("en", "kk")


class Reader:
    """Reads questions against one index's vocabulary."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        speller: Speller,
        weight: Callable[[str], float],
        *,
        corpus_cyrillic: bool = True,
        measures: frozenset[str] = frozenset(),
        classes: Mapping[str, Kind] | None = None,
        roles: frozenset[str] = frozenset(),
        persons: frozenset[str] = frozenset(),
    ) -> None:
        self.vocabulary = vocabulary
        self.persons = persons  # the stems of the words of the persons' names the articles give
        self.measures = measures  # nouns the articles give in numbers (`annotate.nouns.measure_nouns`)
        self.classes = dict(classes or {})  # nouns the articles set names beside, and their kind (`annotate/nouns.py`)
        self.roles = roles  # the lemmas of the roles the articles name ("министр", "депутат")
        self.speller = speller
        self.weight = weight
        self.corpus_cyrillic = corpus_cyrillic

    @lru_cache(maxsize=4096)  # noqa: B019 - one reader per loaded index; the questions of a burst repeat
    def read(self, question: str) -> Reading:
        """The reading of a cleaned question."""
        language, text = self.language(question), question
        if language != "ru" and language != "kk" and _DIGIT_FOR_LETTER.search(question):
            # "4to", "4em": a digit for "ч", read so when the question is Russian typed in Latin letters
            spelled = _DIGIT_FOR_LETTER.sub("ch", question)
            if self.language(spelled) == "ru-latn":
                language, text = "ru-latn", spelled
        if language == "ru-latn":
            text = self.cyrillic(text)
        elif language == "ru" and _LATIN_WORD.search(text):
            # A follow-up typed in Latin letters, read with its Cyrillic topic ("a kogda? С кем встречался...")
            text = _LATIN_WORD.sub(lambda m: self._russian_in_latin(m.group()), text)
        text = _QUESTION_TYPO.sub(lambda m: _question_word(m.group()), text)
        searched = self.speller.correct(text, keep=lambda word: self.vocabulary.spelled(fold(word)))
        asked, aside = set_aside(searched)  # what "кроме X" sets aside is searched, and neither asked nor credited
        folded = " ".join(_PUNCTUATION.sub(" ", fold(asked)).split())
        words = WORD.findall(folded)
        form, subject_text = form_of(words, language, asks=asked.rstrip().endswith("?"))
        terms = self._terms(asked, language, topic_words(words, language, TOPIC_WORDS))
        subject = self._subject(terms, subject_text)
        analysis = analyse(asked)
        english = analysis.noun if language == "en" else ()
        translations = tuple(t for n in english for t in self._senses(n))
        analysis = analysis.typed(self.measures, self.classes, (*translations, *self._as_written(analysis.noun)))
        if (
            analysis.asks is Asks.AMOUNT
            and language == "ru"
            and {lemma(w) for w in parsed(asked).agents} & {*analysis.noun}
        ):
            # "какая компания построила причал": the noun does what is asked, so it is who did it, not an amount the
            # articles give of it ("компания закупает 17 ...", "завод открылся за 4,8 млрд рублей")
            analysis = Analysis(Asks.VALUE, analysis.noun)
        if not self.corpus_cyrillic:
            analysis = Analysis()  # annotations are made for Russian articles only: nothing typed to check against
        if analysis.asks is not Asks.VALUE and not all(
            stem(n) in self.vocabulary or (is_cyrillic(n) and has_meaning(n)) for n in analysis.noun
        ):
            # a counted word neither the articles nor navec know cannot be checked
            analysis = replace(analysis, noun=(), of="")
        if analysis.kind_noun:  # "what date": the date is what is asked; the word "date" need not be there
            # a verb that asks it ("во сколько обошлось") still says what happened, when the articles use it
            terms = tuple(
                replace(t, background=True)
                if _names(t, analysis.kind_noun) and not (t.found and is_cyrillic(t.word) and is_verb(t.word))
                else t
                for t in terms
            )
        if analysis.acting and not analysis.post[0]:
            head = self._post_of_root(analysis.acting)  # "кто возглавляет": "глава"
            analysis = replace(analysis, post=(head, *analysis.post[1:]) if head else ())
        if analysis.acting and (
            not analysis.post
            or any(t.found and t.stem != stem(analysis.post[0]) for t in terms if t.word == analysis.acting)
            or not self._a_post(analysis.post[0])
        ):
            # "кто строил": the articles say who built, by name; "кто открывал": no "открыватель" holds a post there;
            # a verb found only as its post ("руководит": "руководитель") still asks for the holder
            analysis = replace(analysis, post=(), acting="")
        if analysis.acting:  # "кто возглавляет X": the holder of the post answers; the verb need not stand by them
            acting = analysis.acting
            terms = tuple(replace(t, background=True) if t.word == acting and not t.found else t for t in terms)
        if form is Form.LOOKUP and analysis.asks is Asks.NAME:
            form, subject = Form.QUESTION, ()  # "what is the name of X" asks X's name, not what a name is
        english_post = (
            self._english_post(words, subject_text or "", terms) if language == "en" and form is Form.WHO_IS else ()
        )
        holder = form is Form.WHO_IS and (_asks_holder(subject) or bool(english_post))
        if form is Form.WHO_IS and (
            holder or all(not t.key and not t.surface[:1].isupper() and _common(t.word, language) for t in subject)
        ):
            # "Кто мэр (Заречья)?": who holds a post, not who someone is; a person holding it answers
            post = role_from([t.surface for t in subject]) if holder and not english_post else None
            if post is not None:
                analysis = replace(analysis, post=(post.head, *sorted(post.rest)))
            elif english_post:
                analysis = Analysis(Asks.PERSON, post=english_post)
                # "who is the speaker of X": its holder answers, whatever post word the articles give them
                head = english_post[0]
                terms = tuple(replace(t, background=True) if head in russian_for(t.word) else t for t in terms)
            form, subject = Form.QUESTION, ()
        if form is Form.WHO_IS:
            # "Петрова кто по должности": the noun that names the kind asked is no part of whom it is asked of
            kind = [t for t in subject if names_kind(t.word, Asks.ROLE)]
            if len(kind) < len(subject):
                subject = tuple(t for t in subject if t not in kind)
                terms = tuple(replace(t, background=True) if t in kind else t for t in terms)
            analysis = Analysis(Asks.ROLE, tuple(t.stem for t in subject if t.stem))  # as the articles spell it
        elif form is Form.LOOKUP:
            analysis = Analysis()
        elif analysis.asks is Asks.ROLE and not analysis.noun:
            # "кем работал Петров": the role stands by the person asked about, not by any word of the question
            named = [t.stem for t in terms if t.stem in self.persons and not t.background]
            analysis = replace(analysis, noun=tuple(named))
        excluded = self._terms(aside, language, frozenset()) if aside else ()
        return Reading(question, searched, language, form, analysis, terms, subject, excluded)

    def language(self, question: str) -> Language:
        """The language a question is written in.

        Cyrillic is Kazakh when it has Kazakh letters or function words, or
        when most of its words are neither Russian nor the articles' own
        (Kazakh written without its own letters: "Ресми сапар").
        """
        if script_of(question) != "latin":
            if is_kazakh_text(question):
                return "kk"
            content = [w for w in WORD.findall(fold(question)) if w not in STOPWORDS and len(w) > 2 and w.isalpha()]
            strange = [w for w in content if not is_russian_word(w) and self.vocabulary.match(w) is None]
            return "kk" if len(strange) >= 2 and len(strange) > len(content) / 2 else "ru"
        if not self.corpus_cyrillic:
            return "en"
        english = russian = 0
        for word in WORD.findall(fold(question)):
            if word.isdigit():
                continue
            reads_english = (word in STOPWORDS and word.isascii()) or is_english_word(word)
            reads_russian = any(
                s in STOPWORDS or (is_russian_word(s) and russian_name(s) is None)  # "Ivan Petrov" is no Russian
                for s in cyrillic_spellings(word)[:8]
            )
            if reads_english and reads_russian and len(word) <= 3:
                continue  # "na", "to", "i": short words both languages have say nothing
            if reads_english:
                english += 1
            elif reads_russian:
                russian += 1
        return "ru-latn" if russian > english else "en"

    def cyrillic(self, question: str) -> str:
        """Russian typed in Latin letters, spelled in Cyrillic (each word its likeliest spelling)."""
        return _LATIN_WORD.sub(lambda m: self._spell(m.group()), question)

    def _russian_in_latin(self, word: str) -> str:
        """A Latin word of a Russian question, in Cyrillic when that spells a Russian word.

        Acronyms ("IT"), names no dictionary knows ("Tikhonovets") and English words stay as written.
        """
        folded = fold(word)
        if (len(word) > 1 and word.isupper()) or is_english_word(folded):
            return word
        spelled = self._spell(word)
        return spelled if spelled != word and (spelled in STOPWORDS or is_russian_word(spelled)) else word

    def _spell(self, word: str) -> str:
        folded = fold(word)
        if not is_latin(folded) or folded.isdigit() or (stem(folded) or folded) in self.vocabulary:
            return word  # a word the articles write in Latin letters themselves ("Astana Hub")
        spellings = cyrillic_spellings(folded)
        # Latin letters write no soft sign: "dolzhnost" is "должность"
        softened = tuple(f"{s}ь" for s in spellings if s[-1:] not in _VOWELS_CYRILLIC)
        chosen = next(
            (s for s in (*spellings, *softened) if s in STOPWORDS or is_russian_word(s)),
            next((s for s in spellings if self.vocabulary.match(s) is not None), spellings[0] if spellings else folded),
        )
        return chosen[:1].upper() + chosen[1:] if word[:1].isupper() else chosen

    def _terms(self, searched: str, language: Language, topic: frozenset[str]) -> tuple[Term, ...]:
        terms = []
        start, _ = asking_span(searched)
        syntax = parsed(searched) if language == "ru" else Parsed()
        fixed = syntax.fixed  # "по сравнению с": no term
        for position, match in enumerate(WORD.finditer(searched)):
            surface = match.group()
            word = fold(surface)
            if word in STOPWORDS or word in KAZAKH_WORDS or question_word(word) or function(word):
                continue
            if len(word) < 2 and not word.isdigit():
                continue
            if language in ("ru", "ru-latn") and _pronominal(word):
                continue  # "свой", "их", "такой": they stand for what the question names, and mean nothing more
            stem = self.vocabulary.match(word)
            if stem is not None and language == "en" and not self._translates_to(word, stem):
                stem = None  # "cost" is no "кость": an English word is the articles' only as its translation
            key = self._is_key(surface, word, position == 0, language)
            foreign = stem is None and not key and _foreign(word, language)
            weight = self.weight(stem) if stem else self.weight("")
            # an introduction before the asking sentence; what follows it (a follow-up's topic) is asked too
            # "хотят получить": the infinitive says what; the verb over it, when the articles say it otherwise, only how
            framing = word in syntax.frames and stem is None
            background = match.start() < start or word in fixed or framing
            terms.append(Term(surface, word, stem, weight, key, foreign, topic=word in topic, background=background))
        return tuple(_offered(terms, syntax.alternatives))

    def _as_written(self, nouns: tuple[str, ...]) -> tuple[str, ...]:
        """The article nouns of measure or class a question's misspelt nouns stand for ("грузаабарот":
        "грузооборот"), by the stem the vocabulary matches them to."""
        known = (*self.measures, *self.classes)
        matched = {
            self.vocabulary.match(fold(noun)) for noun in nouns if noun not in known and not is_russian_word(noun)
        }
        return tuple(noun for noun in known if stem(noun) in matched)

    def _english_post(self, question: list[str], subject: str, terms: tuple[Term, ...]) -> tuple[str, ...]:
        """ "Who is the director of X": the post's Russian head, then what it is of (the Russian for its nouns, the
        article stems of its names); () when no "of" follows a word the dictionary translates by a role noun.

        The head is the translation of the word before "of" that is a role noun the articles use ("the chief
        doctor of": "врач"); the post is of the names after "of", up to the next function word, and of its nouns
        the articles have no word for ("of the agrarian college in X": "колледж"). A noun they have a word for
        is left out: a translation may not be the articles' word for the same thing ("company": "предприятие").
        """
        named = subject.split()
        if not named or named[0] not in question or "of" not in question[question.index(named[0]) :]:
            return ()
        words = question[question.index(named[0]) :]
        at = words.index("of")
        before = [w for w in words[:at] if w not in STOPWORDS]  # the subject's first word at least
        heads = [t for t in russian_for(before[-1]) if is_role_noun(best_parse(t)) and self.vocabulary.match(t)]
        if not heads:
            return ()
        stems = {t.word: t.stem for t in terms}
        after = words[at + 1 :]
        while after and after[0] in STOPWORDS:
            after = after[1:]  # "of the"
        of: list[str] = []
        for word in after:
            if word in STOPWORDS:
                break
            if not is_english_word(word):
                found = stems.get(word)
                of += [found] if found else []  # a name, as the articles spell it
            elif "NOUN" in english_kinds(word) and not self._used_senses(word):
                of += [t for t in russian_for(word)[:TRANSLATIONS] if best_parse(t).tag.POS == "NOUN"]
        return (str(best_parse(heads[0]).normal_form), *of)

    def _senses(self, word: str) -> tuple[str, ...]:
        """The translations of an English noun its kind of answer is read by: those the articles use ("trade":
        "торговля", the dictionary's fourth sense), else its first `TRANSLATIONS`."""
        return self._used_senses(word) or russian_for(word)[:TRANSLATIONS]

    def _used_senses(self, word: str) -> tuple[str, ...]:
        """The translations of an English word the articles use."""
        return tuple(t for t in russian_for(word) if self.vocabulary.match(fold(t)) is not None)

    def _post_of_root(self, verb: str) -> str:
        """The role the articles name people by whose stem the verb's lemma holds ("возглавлять": "глава",
        "председательствовать": "председатель"); "" when none does."""
        own = lemma(verb)
        return next((r for r in sorted(self.roles) if len(stem(r) or "") >= ROOT and stem(r) in own), "")

    def _a_post(self, noun: str) -> bool:
        """Whether a role noun is one the articles name people by, or navec puts close to one of theirs."""
        return noun in self.roles or any(similarity(noun, role) >= ROLE_MEANING for role in self.roles)

    def _absent_role(self, word: str) -> bool:
        """Whether a folded word is a role noun the articles neither use nor name anyone by a role close to it
        (navec: "работник" is close to "сотрудник")."""
        parse = best_parse(word)
        if not (parse.is_known and is_role_noun(parse)) or self.vocabulary.match(word) is not None:
            return False
        return all(similarity(str(parse.normal_form), role) < ROLE_MEANING for role in self.roles)

    def _translates_to(self, word: str, matched: str) -> bool:
        """Whether an English word the articles' `matched` stem spells means it.

        It does when it is a name or a term the dictionary lacks; when the articles write it too; when it is
        spelled letter for letter ("regions": "регион"); or when the dictionary translates it into a word of that
        stem ("minister": "министр"). "cost" is no "кость".
        """
        translations = russian_for(word) if is_english_word(word) else ()
        own = stem(word) or word  # the articles write it in Latin letters themselves ("Astana Hub")
        if not translations or matched == own or any(stem(s) == matched for s in cyrillic_spellings(own)):
            return True
        return any(self.vocabulary.match(fold(t)) == matched for t in translations)

    def _is_key(self, surface: str, word: str, first: bool, language: Language) -> bool:
        """Whether a word names something (a number, an acronym, a name, a foreign term)."""
        if any(c.isdigit() for c in word):
            return True
        if language in ("ru", "kk") and is_latin(word) and not is_cyrillic(word):
            return True
        if is_acronym(surface):
            # An English acronym may be the articles' own in their alphabet ("AI": "ИИ", "CIS": "СНГ", "MPs"):
            # one they never write proves nothing absent.
            return language != "en"
        capital = surface[:1].isupper()
        if language == "en":
            return not is_english_word(word) and (capital or not first)
        if language == "kk":
            if is_kazakh(word) or word in KAZAKH_WORDS:
                return False
            # a first word read as a name only when the dictionary knows it or the articles use it ("Жаңалық" is
            # no name pymorphy merely guesses)
            known = is_russian_word(word) or self.vocabulary.match(word) is not None
            return capital and (not first or (russian_name(word) is not None and known))
        if not is_russian_word(word) and (matched := self.vocabulary.match(word)) and self.vocabulary.common(matched):
            return False  # a misspelt common word ("фистивалль"): the articles write it as a dictionary word
        if not capital and misspelt(word) is not None:
            return False  # a common word misspelt, not a name pymorphy guesses from its ending ("вазили")
        if russian_name(word) is not None:
            return True
        if self._absent_role(word):
            return True  # "с послом": someone the articles never name, as absent as a name they never mention
        if is_russian_word(word):
            return False
        # A word no dictionary knows: a name when capitalised inside the question, or when it reads as one.
        return (capital and not first) or looks_like_name(word)

    def _subject(self, terms: tuple[Term, ...], subject_text: str | None) -> tuple[Term, ...]:
        if subject_text is None:
            return ()
        wanted_words = set(WORD.findall(subject_text))
        return tuple(t for t in terms if t.word in wanted_words or fold(t.surface) in wanted_words)


def _asks_holder(subject: tuple[Term, ...]) -> bool:
    """Whether "кто <role noun> ..." asks who holds a post ("Кто мэр Заречья?").

    It does when the subject names no person: "Кто министр Петров?" asks what Petrov is.
    """
    if not subject or not is_cyrillic(subject[0].word) or not is_role_noun(best_parse(subject[0].word)):
        return False
    return not any(PERSON_TAGS & best_parse(t.word).tag.grammemes for t in subject[1:])


def _offered(terms: list[Term], alternatives: tuple[frozenset[str], ...]) -> list[Term]:
    """Terms with each alternative the articles do not use read as background when one they use is offered
    beside it ("однополярный или многополярный": the articles' "многополярности" answers)."""
    found = {t.word for t in terms if t.found}
    unused = {w for group in alternatives if group & found for w in group - found}
    return [replace(t, background=True) if t.word in unused and not t.found else t for t in terms]


def _names(term: Term, noun: str) -> bool:
    """Whether a question term is `noun` (a lemma, or an English word as written)."""
    return term.word == noun or (is_cyrillic(term.word) and lemma(term.word) == noun)


def _pronominal(word: str) -> bool:
    """A Russian pronoun or pronominal adjective (pymorphy3's "NPRO", "Apro"), known to the dictionary as such."""
    parse = best_parse(word)
    return bool(parse.is_known and (parse.tag.POS == "NPRO" or "Apro" in parse.tag))


def _common(word: str, language: Language) -> bool:
    """Whether a folded word is a dictionary word of the question's language (not a name nobody lists)."""
    return is_english_word(word) if language == "en" else is_russian_word(word)


_QUESTION_TYPO = re.compile(r"\b[а-яА-ЯёЁ]{5,}\b")
_QUESTION_WORDS_BY_LENGTH = frozenset(w for w in QUESTION_WORDS if len(w) >= 5 and is_cyrillic(w))


def _question_word(word: str) -> str:
    """A misspelled question word set right ("пачему" -> "почему"); any other word as it is."""
    folded = fold(word)
    if folded in QUESTION_WORDS or is_russian_word(folded):
        return word
    fixed = next((q for q in sorted(_QUESTION_WORDS_BY_LENGTH) if q[0] == folded[0] and _one_apart(q, folded)), None)
    if fixed is None:
        return word
    return fixed.capitalize() if word[0].isupper() else fixed


def _one_apart(a: str, b: str) -> bool:
    """Whether two words differ by one letter changed, added or dropped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _foreign(word: str, language: Language) -> bool:
    """Whether an unfound word belongs to another language than the articles', so only its meaning can match."""
    if language == "en":
        return True
    if language == "kk":
        return is_kazakh(word) or not is_russian_word(word)
    return False
