"""The bot's own records in an embedded SQLite database: answers given, votes on them, and the gaps.

Three tables. `questions` holds one row per answer for `/stats` -- time, chat
type, found, latency, cache hit -- and no text. `votes` holds one row per
(answer, voter) with the question asked, the cited article ids and the vote;
the voter is a hash of (answer id, user id), so votes on one answer count
once and cannot be linked across answers. A second vote replaces the first.
`gaps` holds the questions the articles did not answer and the answers
voted 👎, for the editors (`gaps.py`): no one's id, and none kept longer
than the retention.

SQLite calls run on one worker thread (the connection never leaves it), so
the event loop never waits for the disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from bot.state.gaps import Gap

VoteOutcome = Literal["new", "changed", "same"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    at REAL NOT NULL, day TEXT NOT NULL, chat_type TEXT NOT NULL,
    found INTEGER NOT NULL, latency_ms REAL NOT NULL, cached INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_day ON questions (day);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL, voter TEXT NOT NULL, question TEXT NOT NULL, sources TEXT NOT NULL,
    found INTEGER NOT NULL, vote INTEGER NOT NULL, chat_type TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (answer_id, voter)
);
CREATE TABLE IF NOT EXISTS gaps (
    at REAL NOT NULL, question TEXT NOT NULL, language TEXT NOT NULL, status TEXT NOT NULL,
    missing TEXT, voted_down INTEGER NOT NULL, vector BLOB
);
CREATE INDEX IF NOT EXISTS gaps_at ON gaps (at);
"""


@dataclass(frozen=True)
class Vote:
    """One user's 👍 (+1) or 👎 (-1) on an answer, with what is kept of the answer."""

    answer_id: str
    user_id: int  # only hashed with the answer id, never stored
    value: int
    question: str
    sources: tuple[str, ...]
    found: bool
    chat_type: str


@dataclass(frozen=True)
class Stats:
    """`/stats`: one day's questions and all-time feedback."""

    day: str
    questions: int
    refused: int
    median_latency_ms: float | None
    cached: int
    up: int
    down: int

    @property
    def refusal_rate(self) -> float:
        """Share of the day's questions answered "not in the articles"."""
        return self.refused / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class RatedQuestion:
    """A question and the votes its answers got."""

    question: str
    up: int
    down: int


@dataclass(frozen=True)
class FeedbackReport:
    """`python -m bot feedback`: vote counts and the worst-rated questions."""

    up: int
    down: int
    answers_rated: int
    worst: list[RatedQuestion]


def today() -> str:
    """The current UTC day, YYYY-MM-DD."""
    return datetime.now(UTC).strftime("%Y-%m-%d")


def voter_hash(answer_id: str, user_id: int) -> str:
    """Who voted on this answer, without the user id itself."""
    return hashlib.sha256(f"{answer_id}:{user_id}".encode()).hexdigest()[:20]


class JournalDB:
    """The synchronous SQLite side; use from one thread only."""

    def __init__(self, path: Path, gaps_retention_days: float = 30) -> None:
        self.retention = gaps_retention_days * 86_400
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def record_question(self, chat_type: str, found: bool, latency_ms: float, cached: bool) -> None:
        """One answered question (no text)."""
        now = time.time()
        day = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")
        with self._db:
            self._db.execute(
                "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?)",
                (now, day, chat_type, int(found), latency_ms, int(cached)),
            )

    def vote(self, vote: Vote) -> tuple[VoteOutcome, int, int]:
        """Record +1 / -1 on an answer; a second vote by the same user replaces the first.

        Returns what happened and the answer's 👍 and 👎 totals after it.
        """
        answer_id = vote.answer_id
        voter = voter_hash(answer_id, vote.user_id)
        with self._db:
            row = self._db.execute(
                "SELECT vote FROM votes WHERE answer_id = ? AND voter = ?", (answer_id, voter)
            ).fetchone()
            outcome: VoteOutcome = "new" if row is None else "same" if row[0] == vote.value else "changed"
            if outcome != "same":
                self._db.execute(
                    "INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        answer_id,
                        voter,
                        vote.question,
                        ",".join(vote.sources),
                        int(vote.found),
                        vote.value,
                        vote.chat_type,
                        time.time(),
                    ),
                )
        up, down = self._db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM votes WHERE answer_id = ?",
            (answer_id,),
        ).fetchone()
        return outcome, int(up), int(down)

    def stats(self, day: str) -> Stats:
        """The questions of `day` and the feedback of all time."""
        rows = self._db.execute("SELECT found, latency_ms, cached FROM questions WHERE day = ?", (day,)).fetchall()
        up, down = self._db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM votes"
        ).fetchone()
        latencies = [r[1] for r in rows]
        return Stats(
            day=day,
            questions=len(rows),
            refused=sum(1 for r in rows if not r[0]),
            median_latency_ms=statistics.median(latencies) if latencies else None,
            cached=sum(1 for r in rows if r[2]),
            up=int(up),
            down=int(down),
        )

    def report(self, limit: int = 10) -> FeedbackReport:
        """Vote counts, and the questions with the most 👎 over 👍."""
        up, down, rated = self._db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0), COUNT(DISTINCT answer_id) FROM votes"
        ).fetchone()
        worst = self._db.execute(
            "SELECT question, SUM(vote > 0), SUM(vote < 0) FROM votes GROUP BY question "
            "HAVING SUM(vote < 0) > 0 ORDER BY SUM(vote) ASC, SUM(vote < 0) DESC, question LIMIT ?",
            (limit,),
        ).fetchall()
        return FeedbackReport(int(up), int(down), int(rated), [RatedQuestion(q, int(u), int(d)) for q, u, d in worst])

    def record_gap(self, gap: Gap) -> None:
        """Keep a question the articles did not answer (or a 👎); forget those past the retention."""
        vector = None if gap.vector is None else np.asarray(gap.vector, dtype="<f4").tobytes()
        with self._db:
            self._db.execute(
                "INSERT INTO gaps VALUES (?, ?, ?, ?, ?, ?, ?)",
                (gap.at, gap.question, gap.language, gap.status, gap.missing, int(gap.voted_down), vector),
            )
            self._db.execute("DELETE FROM gaps WHERE at < ?", (time.time() - self.retention,))

    def gaps(self) -> list[Gap]:
        """The gaps within the retention, newest first."""
        rows = self._db.execute(
            "SELECT at, question, language, status, missing, voted_down, vector FROM gaps WHERE at >= ? "
            "ORDER BY at DESC",
            (time.time() - self.retention,),
        ).fetchall()
        return [
            Gap(at, question, language, status, missing, bool(down), _vector(raw))
            for at, question, language, status, missing, down, raw in rows
        ]

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _vector(raw: bytes | None) -> npt.NDArray[np.float32] | None:
    return None if raw is None else np.frombuffer(raw, dtype="<f4").astype(np.float32)


class Journal:
    """`JournalDB` for the event loop: every call runs on the journal's own thread."""

    def __init__(self, path: Path, gaps_retention_days: float = 30) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._db = self._executor.submit(JournalDB, path, gaps_retention_days).result()

    async def record_question(self, chat_type: str, found: bool, latency_ms: float, cached: bool) -> None:
        """See `JournalDB.record_question`."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._db.record_question, chat_type, found, latency_ms, cached)

    async def vote(self, vote: Vote) -> tuple[VoteOutcome, int, int]:
        """See `JournalDB.vote`."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._db.vote, vote)

    async def stats(self, day: str | None = None) -> Stats:
        """See `JournalDB.stats` (today by default)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._db.stats, day or today())

    async def record_gap(self, gap: Gap) -> None:
        """See `JournalDB.record_gap`."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._db.record_gap, gap)

    async def gaps(self) -> list[Gap]:
        """See `JournalDB.gaps`."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._db.gaps)

    def close(self) -> None:
        """Finish pending writes and close the database."""
        self._executor.submit(self._db.close).result()
        self._executor.shutdown(wait=True)
