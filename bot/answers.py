"""The answers the bot has shown, by a short id that fits in a button's `callback_data`.

Buttons under an answer ("more passages", 👍 / 👎) carry this id, and a reply
to one of the answer's messages finds its question through it. Bounded: the
oldest answers are forgotten first; their buttons then say so politely.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field

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
    message_ids: list[int] = field(default_factory=list)
    at: float = field(default_factory=time.time)


class AnswerRegistry:
    """An LRU of `ShownAnswer`s by id, and by the chat messages that carry them."""

    def __init__(self, max_answers: int = 20_000) -> None:
        self.max_answers = max_answers
        self._answers: OrderedDict[str, ShownAnswer] = OrderedDict()
        self._by_message: dict[tuple[int, int], str] = {}

    def new_id(self) -> str:
        """A fresh id: random, so buttons from before a restart never hit another answer."""
        while True:
            answer_id = secrets.token_urlsafe(6)
            if answer_id not in self._answers:
                return answer_id

    def add(self, answer: ShownAnswer) -> None:
        """Remember `answer`; the least recently used one goes when full."""
        self._answers[answer.id] = answer
        self._answers.move_to_end(answer.id)
        for message_id in answer.message_ids:
            self._by_message[(answer.chat_id, message_id)] = answer.id
        while len(self._answers) > self.max_answers:
            _, old = self._answers.popitem(last=False)
            for message_id in old.message_ids:
                self._by_message.pop((old.chat_id, message_id), None)

    def attach_message(self, answer_id: str, chat_id: int, message_id: int) -> None:
        """Note that message `message_id` of `chat_id` shows (part of) answer `answer_id`."""
        answer = self._answers.get(answer_id)
        if answer is not None:
            answer.message_ids.append(message_id)
            self._by_message[(chat_id, message_id)] = answer_id

    def get(self, answer_id: str) -> ShownAnswer | None:
        """The answer with this id, if still remembered."""
        answer = self._answers.get(answer_id)
        if answer is not None:
            self._answers.move_to_end(answer_id)
        return answer

    def by_message(self, chat_id: int, message_id: int) -> ShownAnswer | None:
        """The answer that message `message_id` of `chat_id` belongs to, if remembered."""
        answer_id = self._by_message.get((chat_id, message_id))
        return self.get(answer_id) if answer_id is not None else None

    def __len__(self) -> int:
        return len(self._answers)
