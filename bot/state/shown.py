"""The answers the bot has shown, by a short id that fits in a button's `callback_data`.

Buttons under an answer ("more passages", 👍 / 👎) carry this id, a reply
to one of the answer's messages finds its question through it, and an
edited question finds its answer through the question's message id.
Bounded: the oldest answers are forgotten first; their buttons then say so
politely.
With Redis the answers live there for a week, so any replica can serve a
button pressed under an answer another replica sent.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

from redis.asyncio import Redis

from bot.texts import Lang


@dataclass
class ShownAnswer:
    """What the bot needs to know later about an answer it sent."""

    id: str
    query: str  # what was searched (a follow-up includes its topic)
    topic: str  # the standalone question it belongs to
    found: bool
    source_ids: tuple[str, ...]
    chat_id: int
    chat_type: str
    lang: Lang
    passages_shown: int = 0
    message_ids: list[int] = field(default_factory=list)  # the answer's own messages, then its pages of passages
    at: float = field(default_factory=time.time)
    question: str = ""  # the reader's words, as the handler read them
    context: str | None = None  # the topic the question was read against (None: none)
    question_id: int | None = None  # the message that asked it, in `chat_id`
    parts: list[int] = field(default_factory=list)  # the answer's own messages, first to last
    part_digests: list[str] = field(default_factory=list)  # a fingerprint of each part's HTML
    context_button: str | None = None  # the `callback_data` of its "Context" button, when it quotes

    def to_json(self) -> str:
        """The answer as JSON, for Redis."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> ShownAnswer:
        """The answer `to_json` wrote."""
        data: dict[str, Any] = json.loads(raw)
        data["source_ids"] = tuple(data["source_ids"])
        known = {f.name for f in fields(cls)}  # a newer replica may have written fields this one lacks
        return cls(**{k: v for k, v in data.items() if k in known})


def new_answer_id() -> str:
    """A fresh id: random, so buttons from before a restart never hit another answer."""
    return secrets.token_urlsafe(6)


class Answers(Protocol):
    """Where shown answers are remembered: `AnswerRegistry` in memory, `RedisAnswers` shared."""

    def new_id(self) -> str:
        """A fresh answer id."""
        ...

    async def add(self, answer: ShownAnswer) -> None:
        """Remember `answer` (again, after a change)."""
        ...

    async def attach_message(self, answer_id: str, chat_id: int, message_id: int) -> None:
        """Note that message `message_id` of `chat_id` shows (part of) answer `answer_id`."""
        ...

    async def get(self, answer_id: str) -> ShownAnswer | None:
        """The answer with this id, if still remembered."""
        ...

    async def by_message(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The answer that message `message_id` of `chat_id` belongs to, if remembered."""
        ...

    async def by_question(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The latest answer to the question in message `message_id` of `chat_id`, if remembered."""
        ...


class AnswerRegistry:
    """An LRU of `ShownAnswer`s by id, and by the chat messages that carry them, in this process."""

    def __init__(self, max_answers: int = 20_000) -> None:
        self.max_answers = max_answers
        self._answers: OrderedDict[str, ShownAnswer] = OrderedDict()
        self._by_message: dict[tuple[int, int], str] = {}
        self._by_question: dict[tuple[int, int], str] = {}

    def new_id(self) -> str:
        """A fresh id: random, so buttons from before a restart never hit another answer."""
        while True:
            answer_id = new_answer_id()
            if answer_id not in self._answers:
                return answer_id

    async def add(self, answer: ShownAnswer) -> None:
        """Remember `answer`; the least recently used one goes when full."""
        self._answers[answer.id] = answer
        self._answers.move_to_end(answer.id)
        for message_id in answer.message_ids:
            self._by_message[(answer.chat_id, message_id)] = answer.id
        if answer.question_id is not None:
            self._by_question[(answer.chat_id, answer.question_id)] = answer.id
        while len(self._answers) > self.max_answers:
            _, old = self._answers.popitem(last=False)
            # Keys an edit handed over to a newer answer stay that answer's.
            for message_id in old.message_ids:
                _forget(self._by_message, (old.chat_id, message_id), old.id)
            if old.question_id is not None:
                _forget(self._by_question, (old.chat_id, old.question_id), old.id)

    async def attach_message(self, answer_id: str, chat_id: int, message_id: int) -> None:
        """Note that message `message_id` of `chat_id` shows (part of) answer `answer_id`."""
        answer = self._answers.get(answer_id)
        if answer is not None:
            answer.message_ids.append(message_id)
            self._by_message[(chat_id, message_id)] = answer_id

    async def get(self, answer_id: str) -> ShownAnswer | None:
        """The answer with this id, if still remembered."""
        answer = self._answers.get(answer_id)
        if answer is not None:
            self._answers.move_to_end(answer_id)
        return answer

    async def by_message(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The answer that message `message_id` of `chat_id` belongs to, if remembered."""
        answer_id = self._by_message.get((chat_id, message_id))
        return await self.get(answer_id) if answer_id is not None else None

    async def by_question(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The latest answer to the question in message `message_id` of `chat_id`, if remembered."""
        answer_id = self._by_question.get((chat_id, message_id))
        return await self.get(answer_id) if answer_id is not None else None

    def __len__(self) -> int:
        return len(self._answers)


def _forget(index: dict[tuple[int, int], str], key: tuple[int, int], answer_id: str) -> None:
    """Drop `key` from `index` if it still points at `answer_id`."""
    if index.get(key) == answer_id:
        del index[key]


class RedisAnswers:
    """Shown answers in Redis, each kept `ttl` seconds after its last change."""

    def __init__(self, redis: Redis, *, ttl: int = 7 * 24 * 3600, prefix: str = "newsqa") -> None:
        self.redis = redis
        self.ttl = ttl
        self.prefix = prefix

    def _answer_key(self, answer_id: str) -> str:
        return f"{self.prefix}:answer:{answer_id}"

    def _message_key(self, chat_id: int, message_id: int) -> str:
        return f"{self.prefix}:message:{chat_id}:{message_id}"

    def _question_key(self, chat_id: int, message_id: int) -> str:
        return f"{self.prefix}:question:{chat_id}:{message_id}"

    def new_id(self) -> str:
        """A fresh id (48 random bits: a clash within a week is not a practical concern)."""
        return new_answer_id()

    async def add(self, answer: ShownAnswer) -> None:
        """Remember `answer` and the messages that carry it."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._answer_key(answer.id), answer.to_json(), ex=self.ttl)
            for message_id in answer.message_ids:
                pipe.set(self._message_key(answer.chat_id, message_id), answer.id, ex=self.ttl)
            if answer.question_id is not None:
                pipe.set(self._question_key(answer.chat_id, answer.question_id), answer.id, ex=self.ttl)
            await pipe.execute()

    async def attach_message(self, answer_id: str, chat_id: int, message_id: int) -> None:
        """Note that message `message_id` of `chat_id` shows (part of) answer `answer_id`."""
        answer = await self.get(answer_id)
        if answer is None:
            return
        answer.message_ids.append(message_id)
        await self.add(answer)

    async def get(self, answer_id: str) -> ShownAnswer | None:
        """The answer with this id, if still remembered."""
        raw = await self.redis.get(self._answer_key(answer_id))
        return ShownAnswer.from_json(raw) if raw is not None else None

    async def by_message(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The answer that message `message_id` of `chat_id` belongs to, if remembered."""
        return await self._get_through(self._message_key(chat_id, message_id))

    async def by_question(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The latest answer to the question in message `message_id` of `chat_id`, if remembered."""
        return await self._get_through(self._question_key(chat_id, message_id))

    async def _get_through(self, key: str) -> ShownAnswer | None:
        """The answer whose id is stored under `key`."""
        answer_id = await self.redis.get(key)
        if answer_id is None:
            return None
        return await self.get(answer_id.decode() if isinstance(answer_id, bytes) else str(answer_id))
