"""The SQLite journal: votes count once per user, stats of the day, the feedback report and its CLI."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.console import feedback_report
from bot.state.journal import Journal, JournalDB, Vote, today, voter_hash
from tests.conftest import ROOT


def vote(db: JournalDB, answer: str, user: int, value: int, question: str = "Кто?") -> tuple[str, int, int]:
    return db.vote(Vote(answer, user, value, question, ("a1",), True, "private"))


def test_voting_twice_changes_the_vote_and_never_double_counts(tmp_path: Path) -> None:
    db = JournalDB(tmp_path / "j.sqlite3")
    assert vote(db, "ans1", 7, 1) == ("new", 1, 0)
    assert vote(db, "ans1", 7, 1) == ("same", 1, 0)
    assert vote(db, "ans1", 7, -1) == ("changed", 0, 1)
    assert vote(db, "ans1", 8, -1) == ("new", 0, 2)
    assert vote(db, "ans2", 7, 1) == ("new", 1, 0)
    report = db.report()
    assert (report.up, report.down, report.answers_rated) == (1, 2, 2)
    db.close()


def test_voters_are_not_stored_by_user_id(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    db = JournalDB(path)
    vote(db, "ans1", 123456789, 1)
    db.close()
    content = (
        path.read_bytes() + (tmp_path / "j.sqlite3-wal").read_bytes()
        if (tmp_path / "j.sqlite3-wal").exists()
        else path.read_bytes()
    )
    assert b"123456789" not in content
    assert voter_hash("ans1", 1) != voter_hash("ans2", 1)


def test_stats_of_the_day(tmp_path: Path) -> None:
    db = JournalDB(tmp_path / "j.sqlite3")
    assert db.stats(today()).questions == 0
    for found, latency, cached in ((True, 30.0, False), (False, 50.0, False), (True, 0.1, True)):
        db.record_question("private", found, latency, cached)
    vote(db, "x", 1, -1)
    stats = db.stats(today())
    assert (stats.questions, stats.refused, stats.cached, stats.up, stats.down) == (3, 1, 1, 0, 1)
    assert stats.median_latency_ms == 30.0
    assert abs(stats.refusal_rate - 1 / 3) < 1e-9
    assert db.stats("1999-01-01").questions == 0
    db.close()


async def test_the_async_journal_works_off_the_event_loop(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "sub" / "j.sqlite3")
    await journal.record_question("group", True, 12.0, False)
    outcome = await journal.vote(Vote("a", 1, 1, "q", (), False, "group"))
    assert outcome == ("new", 1, 0)
    stats = await journal.stats()
    assert (stats.questions, stats.up) == (1, 1)
    journal.close()


def test_feedback_report_lists_the_worst_rated_questions(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    db = JournalDB(path)
    vote(db, "a", 1, -1, "Плохой вопрос?")
    vote(db, "a", 2, -1, "Плохой вопрос?")
    vote(db, "b", 1, 1, "Хороший вопрос?")
    vote(db, "c", 1, -1, "Спорный вопрос?")
    vote(db, "c", 2, 1, "Спорный вопрос?")
    db.close()
    out = io.StringIO()
    feedback_report(path, 10, out)
    text = out.getvalue()
    assert "👍 2   👎 3   answers rated: 3" in text
    lines = [line for line in text.splitlines() if "вопрос" in line]
    assert lines[0].strip().startswith("-2")
    assert lines[0].endswith("Плохой вопрос?")
    assert "Хороший вопрос?" not in text


def run_feedback_command(journal: Path) -> str:
    env = {"JOURNAL_PATH": str(journal), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "bot", "feedback", "--limit", "3"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def test_the_feedback_command_reports_the_journal(tmp_path: Path) -> None:
    assert "No feedback yet" in run_feedback_command(tmp_path / "none.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()
    db = JournalDB(tmp_path / "j.sqlite3")
    vote(db, "a", 1, -1, "Где прошла встреча?")
    db.close()
    out = run_feedback_command(tmp_path / "j.sqlite3")
    assert "👍 0   👎 1   answers rated: 1" in out
    assert "-1  (👍 0 / 👎 1)  Где прошла встреча?" in out
