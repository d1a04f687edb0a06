"""A bounded LRU cache of answers, keyed by the normalised question and the index version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from embeddings.answer.record import Answer
from embeddings.text import normalise


class AnswerCache:
    """Thread-safe LRU of `Answer`s; an entry of another index version never matches."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, question: str, version: str) -> Answer | None:
        """The cached answer for `question` under index `version`, re-addressed to this wording."""
        key = (version, normalise(question))
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return replace(answer, question=question)

    def put(self, question: str, version: str, answer: Answer) -> None:
        """Remember `answer`; the least recently used entry goes when full."""
        if self.max_entries <= 0 or answer.question_trimmed:
            return
        key = (version, normalise(question))
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (the index changed)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
