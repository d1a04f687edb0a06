"""Conversation state in memory, bounded in size and forgotten after a silence.

aiogram's `MemoryStorage` keeps every chat forever; a public bot meets an
unbounded number of chats. This storage keeps at most `max_keys` of them
(least recently used go first) and drops a key untouched for `ttl` seconds.
Redis, when configured, plays the same role with its own expiry.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey


class BoundedMemoryStorage(BaseStorage):
    """An LRU of FSM records with a time-to-live."""

    def __init__(self, *, max_keys: int = 10_000, ttl: float = 600.0) -> None:
        self.max_keys = max_keys
        self.ttl = ttl
        self._records: OrderedDict[StorageKey, tuple[float, str | None, dict[str, Any]]] = OrderedDict()

    def _get(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        record = self._records.get(key)
        if record is None:
            return None, {}
        touched, state, data = record
        if time.monotonic() - touched > self.ttl:
            del self._records[key]
            return None, {}
        return state, data

    def _put(self, key: StorageKey, state: str | None, data: dict[str, Any]) -> None:
        if state is None and not data:
            self._records.pop(key, None)
            return
        self._records[key] = (time.monotonic(), state, data)
        self._records.move_to_end(key)
        while len(self._records) > self.max_keys:
            self._records.popitem(last=False)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Remember the state of `key`."""
        _, data = self._get(key)
        self._put(key, state.state if isinstance(state, State) else state, data)

    async def get_state(self, key: StorageKey) -> str | None:
        """The state of `key`, if remembered."""
        return self._get(key)[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Remember the data of `key`."""
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        state, _ = self._get(key)
        self._put(key, state, dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """A copy of the data of `key` ({} when forgotten)."""
        return dict(self._get(key)[1])

    async def close(self) -> None:
        """Nothing to release."""

    def __len__(self) -> int:
        return len(self._records)
