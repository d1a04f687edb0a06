"""Who said it: the story's speakers, "what did X say (about Y)" and "who said …", from the speakers in the index.

A question is about speech when it names a speaker of the story (matched by
the stems of their name) next to a verb of saying or judging, or "против" /
"за"; it is answered from that speaker's own sentences only, chosen by the
question's other words. When the speaker said nothing of it and another
speaker did, the answer is partial: `missing` names the speaker asked about
and the quote is the other speaker's. A person of the story whom the articles
never quote gets a partial answer too: the sentence that names them. "Кто сказал «…»?" finds the sentence of
speech that holds the quoted words. A name typed wrong is matched as the reader corrected it, and a word of
another language as the article word the bridge surely maps it to ("sanctions": "санкций").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from embeddings.annotate.phrases import SAYING
from embeddings.annotate.spans import Kind
from embeddings.annotate.speakers import REPORTING, Speaker
from embeddings.answer.decision import Status
from embeddings.answer.evidence import continues, trigrams
from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.index.load import LoadedIndex
from embeddings.lexicon import best_parse, lemma
from embeddings.retrieve.analysis import Asks, question_word
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import Reading, Term
from embeddings.retrieve.words import cyrillic_spellings, name_form
from embeddings.text import WORD, fold, is_cyrillic, is_latin, tokenize

# Closed classes: what marks a question about someone's words or stance, in one table.
# Saying in English and Kazakh as a question asks it ("what did X say", "X ... не деді", "кім айтты"); a stance
# ("против", "за", "считать"); the noun of someone's words ("слово", "цитата").
_SPEECH_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["say", "says", "said", "tell", "told", "think", "words", "айтты", "айтқан", "айтады", "деді", "деген", "сөзі"],
        "say",
    ),
    **dict.fromkeys(["против", "за", "говорить", "сказать", "оценить", "думать", "считать", "against"], "stance"),
    **dict.fromkeys(["слово", "цитата", "quote"], "words"),
}
_SAY = frozenset(w for w, role in _SPEECH_WORDS.items() if role == "say")
_STANCE = frozenset(w for w, role in _SPEECH_WORDS.items() if role == "stance")
_WORDS_NOUN = frozenset(w for w, role in _SPEECH_WORDS.items() if role == "words")
_SAYING_LEMMAS = REPORTING | frozenset(_SPEECH_WORDS)  # REPORTING holds the verbs of saying
QUOTED_SHARE = 0.5  # share of the quoted words' trigrams a sentence must hold to be the one asked about
MAX_QUOTES = 2  # sentences quoted for "what did X say"


@dataclass(frozen=True)
class StorySpeaker:
    """A speaker of the story: name, role, and the ids of the sentences they said, in story order."""

    name: str
    role: str
    sentences: tuple[int, ...]


def story_speakers(index: LoadedIndex) -> list[StorySpeaker]:
    """Every named speaker of the story, the most quoted first."""
    said: dict[str, list[int]] = {}
    roles: dict[str, str] = {}
    for i, speaker in enumerate(index.speakers):
        if speaker is not None and speaker.name:
            said.setdefault(speaker.name, []).append(i)
            roles[speaker.name] = max(roles.get(speaker.name, ""), speaker.role, key=len)
    found = [StorySpeaker(name, roles[name], tuple(ids)) for name, ids in said.items()]
    return sorted(found, key=lambda s: (-len(s.sentences), s.name))


def speaker_of(index: LoadedIndex, sentence_ids: Sequence[int]) -> Speaker | None:
    """The one named speaker of a quote's sentences (None when no one, or more than one, said them)."""
    if len(index.speakers) <= max(sentence_ids, default=-1):
        return None
    named = {s for i in sentence_ids if (s := index.speakers[i]) is not None and s.name}
    return named.pop() if len(named) == 1 else None


def speaker_in(index: LoadedIndex, article_id: str, start: int, end: int) -> Speaker | None:
    """The one named speaker of the sentences of article `article_id` that overlap `start`..`end`."""
    ids = [i for i, s in enumerate(index.sentences) if s.article_id == article_id and s.start < end and start < s.end]
    return speaker_of(index, ids) if ids else None


def name_stems(text: str) -> set[str]:
    """The stems of `text`'s words and of their names' dictionary forms; Latin words by their Cyrillic spellings."""
    stems: set[str] = set()
    for word in WORD.findall(fold(text)):
        for form in cyrillic_spellings(word) if is_latin(word) else (word,):
            stems.update(tokenize(form))
            stems.update(tokenize(name_form(form)))
    return stems


def find_speaker(index: LoadedIndex, text: str) -> StorySpeaker | None:
    """The speaker of the story whose name `text` uses, in any case form or in Latin letters, if only one."""
    stems = name_stems(text)
    named = [s for s in story_speakers(index) if stems & name_stems(s.name)]
    return named[0] if len(named) == 1 else None


class SpeechAnswers:
    """Answers to questions about who said what, from the index's speakers."""

    def __init__(self, index: LoadedIndex, sure: float = 1.0) -> None:
        self.index = index
        self.sure = sure  # the strength from which a bridged word counts as the article word ("sanctions": "санкций")
        self.speakers = story_speakers(index)
        self.stems = [frozenset(tokenize(s.text)) for s in index.sentences]
        persons = {s.value for spans in index.annotations for s in spans if s.kind is Kind.PER}
        self.person_stems = {p: frozenset(name_stems(p)) for p in persons}
        self.speaker_stems = frozenset().union(*(name_stems(s.name) for s in self.speakers))

    def answer(self, reading: Reading, bridged: Mapping[str, Bridged] | None = None) -> Answer | None:
        """The answer when `reading` asks who said something or what a speaker said; None otherwise. `bridged` maps
        words of another language onto the article words they surely stand for."""
        if not self.speakers or reading.form is Form.WHO_IS:
            return None  # "X деген кім?" asks what X is, whatever "деген" says elsewhere
        reading = self._as_bridged(reading, bridged or {})
        folded = [fold(w) for w in WORD.findall(reading.question)]
        # "за что", "против чего" ask what for, not someone's stance: a preposition before a question word is left
        # out, and so is one after "что" ("что за человек X": what kind of)
        following = [*folded[1:], ""][: len(folded)]
        preceding = ["", *folded][: len(folded)]
        kept = [
            w
            for w, before, after in zip(folded, preceding, following, strict=True)
            if not (_governs(w) and (question_word(after) or before == "что"))
        ]
        said = {lemma(w) for w in kept} | set(kept)
        if folded and question_word(folded[0]) is Asks.PERSON and said & (REPORTING | _WORDS_NOUN | _SAY):
            return self._who_said(reading)  # the quoted words decide, whatever the other words are
        if reading.missing is not None or any(t.topic and not t.found for t in reading.terms):
            return None  # a name or a topic the articles never use: refused as before
        # the name as the question writes it, else as the reader corrected it ("сергенко": "сергеенко")
        speaker = find_speaker(self.index, reading.question) or find_speaker(self.index, reading.searched)
        if speaker is None and said & (SAYING | _SAY):
            names = self._unquoted_person(reading.question)
            return self._unquoted(reading, names) if names else None
        if speaker is None or not said & (SAYING | _STANCE | _SAY):  # "за что поблагодарил" asks no one's words
            return None
        if any(not t.found and not t.background and not _of_saying(t.word) for t in reading.terms):
            return None  # a word the speaker's sentences cannot be chosen by ("алғыс айтты": thanked): search decides
        return self._what_said(reading, speaker)

    def _as_bridged(self, reading: Reading, bridged: Mapping[str, Bridged]) -> Reading:
        """`reading` with each unfound word the bridge surely maps read as that article word."""
        sure = {word: hit.stem for word, hit in bridged.items() if hit.strength >= self.sure}
        terms = tuple(replace(t, stem=sure[t.word]) if not t.found and t.word in sure else t for t in reading.terms)
        return replace(reading, terms=terms)

    def _unquoted_person(self, question: str) -> tuple[str, ...]:
        """The names of the one person of the story the question names who is never quoted ("что сказала Лебедева").

        The articles may name one person in several ways ("Сергей Петрович Тихонов", with the patronymic): the names
        the question's words match the same way are one person's; the shortest is first.
        """
        words = WORD.findall(question)
        stems = name_stems(" ".join(w for w, before in zip(words, ["", *words], strict=False) if not _governs(before)))
        named = {p: frozenset(stems & own) for p, own in self.person_stems.items()}
        named = {p: matched for p, matched in named.items() if matched}
        if len(set(named.values())) != 1 or any(matched & self.speaker_stems for matched in named.values()):
            return ()  # no one, more than one, or a speaker under another form of their name
        if all(len(p.split()) < 2 for p in named):
            return ()  # the articles never give a first and last name: likely no person
        if self._may_speak(frozenset(named)):
            return ()  # a sentence naming them is speech no one was found to have said: they may have
        return tuple(sorted(named, key=lambda p: (len(p), p)))

    def _may_speak(self, names: frozenset[str]) -> bool:
        """Whether a sentence that names this person is speech with no speaker found."""
        for spans, speaker in zip(self.index.annotations, self.index.speakers, strict=False):
            named = any(s.value in names for s in spans)
            if named and any(s.kind is Kind.SPEECH for s in spans) and (speaker is None or not speaker.name):
                return True
        return False

    def _unquoted(self, reading: Reading, names: tuple[str, ...]) -> Answer:
        """Partial: the articles quote none of their words; the sentence naming them the question picks."""
        mentions = [i for i, spans in enumerate(self.index.annotations) if any(s.value in names for s in spans)]
        own = frozenset().union(*(self.person_stems[n] for n in names))
        topic = [t for t in reading.terms if t.stem and not name_stems(t.word) & own]
        chosen = self._best(mentions, topic)[:1] if topic else []
        return self._answer(reading, Status.PARTIAL, chosen or mentions[:1], reason="unquoted", missing=names[0])

    def _who_said(self, reading: Reading) -> Answer | None:
        quoted = _quoted_part(reading.question)
        wanted = trigrams(quoted)
        if not wanted:
            return None
        best, share = -1, 0.0
        for i, speaker in enumerate(self.index.speakers):
            if speaker is not None:
                held = len(wanted & trigrams(self.index.sentences[i].text)) / len(wanted)
                if held > share:
                    best, share = i, held
        if share < QUOTED_SHARE:
            return None
        return self._answer(reading, Status.ANSWER, [best], reason="who_said")

    def _what_said(self, reading: Reading, speaker: StorySpeaker) -> Answer | None:
        name = set(tokenize(speaker.name))
        topic = [
            t
            for t in reading.terms
            if t.stem and t.stem not in name and lemma(t.word) not in REPORTING | _STANCE | _SAY
        ]
        # "что X сказал о Y": the quote must speak of Y; the question's other words only choose among such
        about = [t for t in topic if t.topic] or topic
        own = self._best(speaker.sentences, about)
        if own or not topic:
            chosen = self._with_continuations(self._best(own, topic) or own) if own else speaker.sentences[:MAX_QUOTES]
            return self._answer(reading, Status.ANSWER, list(chosen), reason="speaker")
        others = [i for s in self.speakers if s.name != speaker.name for i in s.sentences]
        theirs = self._best(others, about)[:1]
        if not theirs:  # no speaker spoke of it (or its words are not the articles'): the ordinary search answers
            return None
        return self._answer(reading, Status.PARTIAL, theirs, reason="speaker_silent", missing=speaker.name)

    def _with_continuations(self, chosen: Sequence[int]) -> list[int]:
        """`chosen` with the sentence after each when the same speaker goes on in it ("Он подчеркнул, что ...")."""
        sentences, speakers = self.index.sentences, self.index.speakers
        ids = set(chosen)
        for i in chosen:
            following = i + 1
            if (
                following < len(sentences)
                and sentences[following].article_id == sentences[i].article_id
                and speakers[following] == speakers[i]
                and continues(sentences[following].text)
            ):
                ids.add(following)
        return sorted(ids)

    def _best(self, candidates: Sequence[int], topic: Sequence[Term]) -> list[int]:
        """The sentences that hold most of the topic's weight (at most `MAX_QUOTES`, in story order)."""
        scored = []
        for i in candidates:
            weight = sum(t.weight for t in topic if t.stem in self.stems[i])
            if weight > 0:
                scored.append((weight, i))
        if not scored:
            return []
        top = max(w for w, _ in scored)
        return sorted(i for w, i in sorted(scored, reverse=True)[:MAX_QUOTES] if w >= top / 2)

    def _answer(
        self, reading: Reading, status: Status, ids: Sequence[int], *, reason: str, missing: str | None = None
    ) -> Answer:
        numbers: dict[str, int] = {}
        evidence = []
        for run in _runs(self.index, ids):
            first, last = self.index.sentences[run[0]], self.index.sentences[run[-1]]
            number = numbers.setdefault(first.article_id, len(numbers) + 1)
            said = self.index.speakers[run[0]]
            who, role = (said.name, said.role or None) if said is not None and said.name else (None, None)
            text = self.index.articles[first.article_id].text[first.start : last.end]
            evidence.append(Evidence(text, first.article_id, first.start, last.end, number, who, role))
        citations = tuple(Citation(n, self.index.articles[a]) for a, n in numbers.items())
        return Answer(
            question=reading.question,
            status=status if evidence else Status.NOT_FOUND,
            evidence=tuple(evidence),
            citations=citations,
            confidence=1.0,
            missing=missing,
            reason=reason,
        )


def _runs(index: LoadedIndex, ids: Sequence[int]) -> list[list[int]]:
    """Sentence ids grouped into runs of adjacent sentences of one article, in the given order."""
    runs: list[list[int]] = []
    for i in ids:
        if runs and runs[-1][-1] + 1 == i and index.sentences[i].article_id == index.sentences[i - 1].article_id:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _of_saying(word: str) -> bool:
    """Whether a folded word says that someone speaks ("сказал", "айтты", "said", "слова")."""
    return word in _SPEECH_WORDS or lemma(word) in _SAYING_LEMMAS


def _governs(word: str) -> bool:
    """Whether a word is a Russian preposition: the name after it is not who speaks ("говорили с Лебедевой")."""
    folded = fold(word)
    return is_cyrillic(folded) and best_parse(folded).tag.POS == "PREP"


def _quoted_part(question: str) -> str:
    """The words a "who said" question quotes: inside quotation marks, else after its colon or verb."""
    for opening, closing in (("«", "»"), ('"', '"'), ("“", "”"), ("„", "“")):
        start = question.find(opening)
        end = question.find(closing, start + 1)
        if start >= 0 and end > start:
            return question[start + 1 : end]
    if ":" in question:
        return question.split(":", 1)[1]
    words = question.split()
    return " ".join(words[2:])
