"""Articles an admin was shown and has not confirmed yet, by a short key that fits in a button.

The preview's "Add" and "Cancel" buttons carry the key. Taking a draft
removes it, so a second press (or a press on another replica) finds
nothing. In this process, or in Redis so that any replica can take the
press; forgotten after `TTL` seconds either way. While Redis is lost a
draft is kept in this replica's memory, where a press on it is then taken.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from redis.asyncio import Redis

from bot.state.redis_link import RedisLink
from embeddings.ingest.documents import Draft

TTL = 3600


@dataclass(frozen=True)
class Pending:
    """A draft waiting for an admin's word, and the id it will be saved under."""

    draft: Draft
    article_id: str
    admin_id: int
    at: float

    def to_json(self) -> str:
        """As JSON, for Redis."""
        return json.dumps({**asdict(self), "draft": asdict(self.draft)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Pending:
        """What `to_json` wrote."""
        data: dict[str, Any] = json.loads(raw)
        return cls(Draft(**data["draft"]), str(data["article_id"]), int(data["admin_id"]), float(data["at"]))


class Drafts(Protocol):
    """Where pending drafts wait: `MemoryDrafts` or `RedisDrafts`."""

    async def put(self, pending: Pending) -> str:
        """Keep `pending`; returns its key."""
        ...

    async def take(self, key: str) -> Pending | None:
        """The draft under `key`, removed; None when it was taken, cancelled or forgotten."""
        ...


class MemoryDrafts:
    """Pending drafts in this process, at most `limit`, each for `TTL` seconds."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._drafts: OrderedDict[str, Pending] = OrderedDict()

    async def put(self, pending: Pending, key: str | None = None) -> str:
        """Keep `pending` (under `key`, or a new one); the oldest goes when full."""
        key = key or secrets.token_urlsafe(6)
        self._drafts[key] = pending
        while len(self._drafts) > self.limit:
            self._drafts.popitem(last=False)
        return key

    async def take(self, key: str) -> Pending | None:
        """The draft under `key`, removed."""
        pending = self._drafts.pop(key, None)
        return pending if pending is not None and time.time() - pending.at <= TTL else None


class RedisDrafts:
    """Pending drafts in Redis: a press on any replica finds them."""

    def __init__(self, redis: Redis, prefix: str = "newsqa") -> None:
        self.redis, self.prefix = redis, prefix

    async def put(self, pending: Pending, key: str | None = None) -> str:
        """Keep `pending` (under `key`, or a new one) for `TTL` seconds."""
        key = key or secrets.token_urlsafe(6)
        await self.redis.set(f"{self.prefix}:draft:{key}", pending.to_json(), ex=TTL)
        return key

    async def take(self, key: str) -> Pending | None:
        """The draft under `key`, removed in the same transaction (two presses: one gets it)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(f"{self.prefix}:draft:{key}")
            pipe.delete(f"{self.prefix}:draft:{key}")
            raw, _ = await pipe.execute()
        return Pending.from_json(raw) if raw is not None else None


class FallbackDrafts:
    """Drafts in Redis while it answers and in memory too; a press is taken from Redis, or from memory while lost."""

    def __init__(self, shared: RedisDrafts, local: MemoryDrafts, link: RedisLink) -> None:
        self.shared, self.local, self.link = shared, local, link

    async def put(self, pending: Pending) -> str:
        """Keep `pending` in both."""
        key = await self.local.put(pending)
        await self.link.call(lambda: self.shared.put(pending, key), lambda: _nothing(key))
        return key

    async def take(self, key: str) -> Pending | None:
        """The draft under `key`: Redis says whether another replica took it; this memory's copy goes either way."""
        taken = await self.link.call(lambda: self.shared.take(key), lambda: self.local.take(key))
        await self.local.take(key)
        return taken


async def _nothing(value: str) -> str:
    return value
