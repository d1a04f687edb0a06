"""Follow-up questions: read a short or anaphoric question in the light of the chat's last topic.

A conversation remembers one topic: the last question that stood on its own.
"А кто ещё там был?", "And what about trade?" or a bare "Гродно?" right after
it may continue that topic; "подробнее" / "more" asks for the next passages
of the last answer. A question that names its own subject starts a new
topic. The rules look only at the form of the question, never at the story,
so they hold for any corpus; the caller then keeps a possible follow-up on
its own when the articles answer it as it stands.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Literal

from embeddings.text import fold, words

# Words that open a question continuing the previous one ("а ...", "and ...", "ал ...").
_CONTINUATIONS = frozenset(
    {"а", "и", "ещё", "еще", "также", "кроме", "тогда", "and", "also", "what about", "how about", "ал", "ал енді"}
)
# Words that point back at something said before.
_ANAPHORA = frozenset(
    {
        "там",
        "туда",
        "оттуда",
        "тогда",
        "он",
        "она",
        "они",
        "его",
        "её",
        "ее",
        "их",
        "ему",
        "ей",
        "им",
        "этом",
        "этого",
        "этой",
        "это",
        "этот",
        "эта",
        "эти",
        "этих",
        "том",
        "there",
        "then",
        "he",
        "she",
        "they",
        "him",
        "her",
        "them",
        "his",
        "their",
        "it",
        "its",
        "that",
        "this",
        "those",
        "these",
        "ол",
        "олар",
        "сол",
        "онда",
    }
)
# The whole question asks for more of the same.
_MORE = frozenset(
    {
        "подробнее",
        "поподробнее",
        "ещё",
        "еще",
        "дальше",
        "расскажи подробнее",
        "расскажите подробнее",
        "а подробнее",
        "ещё что-нибудь",
        "more",
        "tell me more",
        "more please",
        "go on",
        "details",
        "толығырақ",
    }
)
SHORT_WORDS = 3
_WHAT_ABOUT = re.compile(r"^(and |but )?(what|how) about |^(а|и) (как|что) (насчет|насчёт|с|про) |^а про ")

Kind = Literal["new", "follow_up", "more", "small_talk"]
# A message that asks nothing of the articles: a greeting, thanks or "ok", a bare link, no words at all,
# or "more" with nothing before it.
SmallTalk = Literal["greeting", "thanks", "link", "no_question", "nothing_to_continue"]

_GREETING_WORDS = frozenset(
    [
        "привет",
        "приветик",
        "приветствую",
        "здравствуй",
        "здравствуйте",
        "здрасте",
        "здрасьте",
        "добрый",
        "доброе",
        "доброго",
        "день",
        "утро",
        "вечер",
        "хай",
        "салют",
        "hi",
        "hello",
        "hey",
        "hallo",
        "good",
        "morning",
        "afternoon",
        "evening",
        "сәлем",
        "сәлеметсіз",
        "сәлеметсіздер",
        "бе",
        "салам",
        "ассалаумағалейкум",
        "қайырлы",
        "таң",
        "күн",
        "кеш",
    ]
)
_GREETING_PHRASES = frozenset({"как дела", "как ты", "как вы", "how are you", "қалайсыз", "қалың қалай", "қалайсың"})
_THANKS_WORDS = frozenset(
    [
        "спасибо",
        "спс",
        "пасиб",
        "благодарю",
        "большое",
        "огромное",
        "понятно",
        "ясно",
        "хорошо",
        "ок",
        "окей",
        "ага",
        "супер",
        "отлично",
        "класс",
        "thanks",
        "thank",
        "you",
        "thx",
        "ok",
        "okay",
        "got",
        "it",
        "great",
        "cool",
        "рахмет",
        "көп",
        "жақсы",
        "түсінікті",
    ]
)
_THANKS_CORE = frozenset({"спасибо", "спс", "пасиб", "благодарю", "thanks", "thank", "thx", "рахмет", "spasibo"})
_FILLER = frozenset(
    {"бот", "bot", "ботик", "понял", "поняла", "понятно", "ясно", "there", "all", "everyone", "вам", "тебе"}
)
_QUESTION_WORDS = frozenset(
    [
        "кто",
        "что",
        "чем",
        "чём",
        "где",
        "когда",
        "куда",
        "откуда",
        "почему",
        "зачем",
        "как",
        "какой",
        "какая",
        "какое",
        "какие",
        "сколько",
        "чей",
        "ли",
        "who",
        "what",
        "where",
        "when",
        "why",
        "how",
        "which",
        "whose",
        "kto",
        "chto",
        "gde",
        "kogda",
        "pochemu",
        "kak",
        "skolko",
        "кім",
        "не",
        "қайда",
        "қашан",
        "неге",
        "қалай",
        "қанша",
    ]
)
# Words beside a link that only point at it ("посмотри вот это").
_POINTING = frozenset(
    [
        "посмотри",
        "посмотрите",
        "глянь",
        "гляньте",
        "читай",
        "прочитай",
        "прочитайте",
        "вот",
        "это",
        "тут",
        "здесь",
        "ссылка",
        "статья",
        "новость",
        "look",
        "see",
        "check",
        "read",
        "this",
        "here",
        "link",
        "article",
    ]
)
SMALL_TALK_OTHERS = 2  # words besides greetings and thanks that still leave a message small talk
_WORD_AT = re.compile(r"\w+")
# "ты бот или человек?", "кто ты такой", "are you a bot", "сен кімсің": asked of the bot itself.
_ABOUT_THE_BOT = re.compile(
    r"^(а |и )?(ты|вы) (вообще |точно |что )?(бот|робот|человек|живой|ии|нейросеть)\b"
    r"|^(а )?(кто|что) (ты|вы)( такой| такая| такое| такие)?$"
    r"|^(are|r) (you|u) (a )?(bot|robot|human|real|ai)\b|^who are (you|u)$|^what are (you|u)$"
    r"|^(сен|сіз) (кімсің|кімсіз|бот)"
)
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Plan:
    """How to answer a message: the query to search and whether it continues a topic."""

    kind: Kind
    query: str
    topic: str | None  # the topic it continues (None for a new one)
    small_talk: SmallTalk | None = None  # what kind of small talk, for kind "small_talk"
    changed: str | None = None  # the part of the topic a follow-up replaced ("с Ольховкой"); `query`: the new question

    @property
    def next_topic(self) -> str:
        """The topic the conversation keeps after this message: a follow-up that changed one part is the new one."""
        return self.query if self.changed else (self.topic or self.query)


def _normal(text: str) -> str:
    return " ".join(words(text))


def plan(question: str, topic: str | None, *, names_subject: bool = False, stands_alone: bool = False) -> Plan:
    """Read `question` given the conversation's `topic` (None when there is none or it expired).

    It continues the topic when it points back (a pronoun: "он", "там",
    "they") or asks "what about X". A short question continues it too,
    unless it stands alone (`stands_alone`: "кто такой Тихонов", "какой
    курс доллара" ask something whole). A question that opens with "а",
    "and" continues it unless it names a subject of its own
    (`names_subject`: a name the articles use): "А что Тихонов сказал
    про мост?" starts a new topic.
    """
    normal = _normal(question)
    talk = small_talk_of(question)
    if talk is None and normal in {_normal(m) for m in _MORE} and topic is None:
        talk = "nothing_to_continue"
    if talk is not None:
        return Plan("small_talk", question, topic, small_talk=talk)
    if topic is None:
        return Plan("new", question, None)
    if normal in {_normal(m) for m in _MORE}:
        return Plan("more", topic, topic)
    tokens = normal.split()
    follow_up = Plan("follow_up", f"{question} {topic}", topic)
    if any(t in _ANAPHORA for t in tokens) or _WHAT_ABOUT.match(normal):
        return follow_up
    if len(tokens) <= SHORT_WORDS and not stands_alone:
        return follow_up
    opens = any(normal == c or normal.startswith(c + " ") for c in (_normal(c) for c in _CONTINUATIONS))
    if opens and not names_subject:
        return follow_up
    return Plan("new", question, None)


def small_talk_of(message: str) -> SmallTalk | None:
    """What kind of small talk `message` is, or None when it may ask something of the articles."""
    bare = _LINK.sub(" ", message)
    if bare != message and all(w in _POINTING for w in words(bare)):
        return "link"
    found = words(message)
    if not any(c.isalpha() for c in message) or (len(found) == 1 and len(found[0]) == 1):
        return "no_question"  # emoji, punctuation, a bare number, one letter
    normal = " ".join(found)
    if normal in _GREETING_PHRASES or _ABOUT_THE_BOT.match(normal):
        return "greeting"  # the greeting says who the bot is and what it knows
    if "?" in message or any(w in _QUESTION_WORDS for w in found):
        return None
    others = [w for w in found if w not in _GREETING_WORDS and w not in _THANKS_WORDS and w not in _FILLER]
    if len(others) > SMALL_TALK_OTHERS:
        return None
    if any(w in _THANKS_CORE for w in found):
        return "thanks"
    if any(w in _GREETING_WORDS for w in found) and not others:
        return "greeting"
    if not others and any(w in _THANKS_WORDS for w in found) and len(found) <= 3:
        return "thanks"  # "ок", "понятно", "ок, понял": acknowledged
    return None


def without_pleasantries(message: str) -> str:
    """`message` without the greeting or thanks it opens with ("спасибо! а когда был визит?" asks the rest)."""
    for match in _WORD_AT.finditer(message):
        word = fold(match.group())
        if word not in _GREETING_WORDS and word not in _THANKS_CORE and word not in _FILLER:
            rest = message[match.start() :]
            return rest if rest != message else message
    return message


@dataclass(frozen=True)
class Topic:
    """What a conversation remembers: the last standalone question and when it was touched."""

    question: str
    at: float

    def as_data(self) -> dict[str, Any]:
        """The form kept in the FSM storage (JSON-friendly, so Redis can hold it too)."""
        return {"topic": self.question, "at": self.at}

    @classmethod
    def from_data(cls, data: dict[str, Any], ttl: float, now: float | None = None) -> Topic | None:
        """The stored topic, unless missing or silent for longer than `ttl` seconds."""
        question, at = data.get("topic"), data.get("at")
        if not isinstance(question, str) or not isinstance(at, int | float):
            return None
        if (now if now is not None else time.time()) - at > ttl:
            return None
        return cls(question, float(at))
