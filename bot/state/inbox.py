"""The inbox: every update journaled before Telegram is told it arrived, kept until it is answered.

An update is written here first (when polling, before the next getUpdates
confirms it; behind a webhook, before the 200), and marked done once it is
answered. An update already here, answered or being answered, is not
handled again: that is how an update delivered twice is answered once.
What a crash, a stop or an outage of the Bot API left unfinished is found
again by `unfinished`: answered when younger than the redelivery window,
given up when older.

The inbox is in SQLite (the journal's file, `JOURNAL_PATH`), or in a Redis
stream shared by the replicas (`inbox_redis.py`), with SQLite while Redis
is lost (`FallbackInbox`). In SQLite each update notes the process that
took it; a process holds a lock file beside the database while it runs, so
that processes sharing the file (replicas on one volume) take over only
the updates of a process that is gone: its lock is free.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import secrets
import sqlite3
import time
from collections.abc import Callable, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, TypeVar

from bot.state.redis_link import RedisLink

if TYPE_CHECKING:  # it imports this module's Entry
    from bot.state.inbox_redis import RedisInbox

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    bot INTEGER NOT NULL, update_id INTEGER NOT NULL, body TEXT NOT NULL, received REAL NOT NULL, done REAL,
    owner TEXT NOT NULL, PRIMARY KEY (bot, update_id)
);
"""


@dataclass(frozen=True)
class Entry:
    """An update in the inbox: its id, its JSON, when it was received (Unix time)."""

    update_id: int
    body: str
    received: float


@dataclass(frozen=True)
class Unfinished:
    """Updates left unanswered: those to answer now (this process's from now on), and those too old to."""

    to_answer: list[Entry] = field(default_factory=list)
    given_up: list[Entry] = field(default_factory=list)


class Inbox(Protocol):
    """Where updates wait from their arrival until they are answered."""

    async def accept(self, update_id: int, body: str) -> bool:
        """Journal an update; False when it is known already (answered, or being answered)."""
        ...

    async def done(self, update_id: int) -> None:
        """The update is answered."""
        ...

    async def unfinished(self, handling: Set[int]) -> Unfinished:
        """Take the unfinished updates no live process is answering (`handling`: this one's), oldest first."""
        ...

    async def close(self) -> None:
        """Release what the inbox holds."""
        ...


class SqliteInbox:
    """The inbox of one bot process, in a table of the journal's SQLite file, written from a thread of its own.

    Update ids are the bot's (`bot`: its id): a journal kept across a change of token knows none of the new bot's.
    """

    def __init__(self, path: Path, *, window: float, bot: int = 0, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.window = window
        self.bot = bot
        self.clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox")
        self._db: sqlite3.Connection | None = None  # opened on first use, on the inbox's thread
        self.owner = secrets.token_hex(8)
        self._lock: IO[bytes] | None = None  # held while this process runs: it is alive
        self._closed = False

    async def accept(self, update_id: int, body: str) -> bool:
        """Journal an update; False when it is known already (answered, or being answered)."""
        return await self._run(self._accept, update_id, body)

    async def done(self, update_id: int) -> None:
        """The update is answered (kept a window long, so that it is known when delivered again)."""
        await self._run(self._done, update_id)

    async def unfinished(self, handling: Set[int]) -> Unfinished:
        """The unfinished updates not being handled, oldest first; those older than the window are given up."""
        return await self._run(self._unfinished, frozenset(handling))

    async def close(self) -> None:
        """Close the database, its lock and its thread."""
        if self._closed:
            return
        self._closed = True
        await self._run(self._close)
        self._executor.shutdown(wait=False)

    async def _run(self, call: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # with WAL: a commit survives the process's crash
            self._db.executescript(_SCHEMA)
            self._lock = open(self._lock_path(self.owner), "wb")  # noqa: SIM115  # held until close
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        return self._db

    def _lock_path(self, owner: str) -> Path:
        return self.path.with_name(f"{self.path.name}.{owner}.lock")

    def _gone(self, owner: str) -> bool:
        """Whether the process that took updates as `owner` is gone (its lock is free), removing its lock."""
        if owner == self.owner:
            return False
        try:
            lock = open(self._lock_path(owner), "rb")  # noqa: SIM115  # closed below
        except FileNotFoundError:
            return True
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._lock_path(owner).unlink(missing_ok=True)
        return True

    def _accept(self, update_id: int, body: str) -> bool:
        db = self._connect()
        with db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO inbox (bot, update_id, body, received, owner) VALUES (?, ?, ?, ?, ?)",
                (self.bot, update_id, body, self.clock(), self.owner),
            )
        return cursor.rowcount == 1

    def _done(self, update_id: int) -> None:
        db = self._connect()
        with db:
            db.execute("UPDATE inbox SET done = ? WHERE bot = ? AND update_id = ?", (self.clock(), self.bot, update_id))

    def _unfinished(self, handling: frozenset[int]) -> Unfinished:
        db, now = self._connect(), self.clock()
        horizon = now - self.window
        with db:
            db.execute("DELETE FROM inbox WHERE done IS NOT NULL AND received < ?", (horizon,))
            rows = db.execute(
                "SELECT update_id, body, received, owner FROM inbox WHERE bot = ? AND done IS NULL ORDER BY update_id",
                (self.bot,),
            ).fetchall()
            owners = {str(o): o == self.owner or self._gone(str(o)) for *_, o in rows}
            entries = [Entry(int(u), str(b), float(r)) for u, b, r, o in rows if owners[o] and u not in handling]
            old = [e for e in entries if e.received <= horizon]
            db.executemany(
                "UPDATE inbox SET done = ? WHERE bot = ? AND update_id = ?", [(now, self.bot, e.update_id) for e in old]
            )
            db.executemany(
                "UPDATE inbox SET owner = ? WHERE bot = ? AND update_id = ?",
                [(self.owner, self.bot, e.update_id) for e in entries],
            )
        return Unfinished([e for e in entries if e.received > horizon], old)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock is not None:
            self._lock.close()
            with contextlib.suppress(OSError):
                self._lock_path(self.owner).unlink()
            self._lock = None


class FallbackInbox:
    """The replicas' inbox in Redis while it answers, this process's in SQLite while it is lost."""

    def __init__(self, shared: RedisInbox, local: Inbox, link: RedisLink) -> None:
        self.shared, self.local, self.link = shared, local, link
        self._local_ids: set[int] = set()  # updates in SQLite, to be marked done there
        self._done_later: set[int] = set()  # answered while Redis was lost: to be marked done there when it is back
        link.on_back.append(self._flush)

    async def accept(self, update_id: int, body: str) -> bool:
        """Journal an update in Redis, or in SQLite while Redis is lost."""

        async def local() -> bool:
            self._local_ids.add(update_id)
            return await self.local.accept(update_id, body)

        return await self.link.call(lambda: self.shared.accept(update_id, body), local)

    async def done(self, update_id: int) -> None:
        """The update is answered: marked where it was journaled (in Redis when it is back, if need be)."""
        if update_id in self._local_ids:
            self._local_ids.discard(update_id)
            await self.local.done(update_id)
            return

        async def later() -> None:
            self._done_later.add(update_id)

        await self.link.call(lambda: self.shared.done(update_id), later)

    async def unfinished(self, handling: Set[int]) -> Unfinished:
        """The unfinished updates of both, oldest first."""
        local = await self.local.unfinished(handling)
        self._local_ids.update(e.update_id for e in local.to_answer)
        shared = await self.link.call(
            lambda: self.shared.unfinished(set(handling) | self._done_later, take_over=self.link.settled), _none
        )
        return Unfinished(
            sorted(local.to_answer + shared.to_answer, key=lambda e: e.update_id),
            local.given_up + shared.given_up,
        )

    async def close(self) -> None:
        """Close both."""
        await self.local.close()
        await self.shared.close()

    async def _flush(self) -> None:
        for update_id in sorted(self._done_later):
            await self.shared.done(update_id)
            self._done_later.discard(update_id)


async def _none() -> Unfinished:
    return Unfinished()
