"""The questions the articles missed: kept without who asked, for the retention only, grouped by meaning."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np

from bot.console import gaps_report
from bot.state.gaps import Gap, group_gaps
from bot.state.journal import JournalDB


def theme_vectors(themes: int, each: int, dim: int = 32, seed: int = 3) -> list[list[np.ndarray]]:
    """`each` unit vectors close to each of `themes` directions far apart."""
    rng = np.random.default_rng(seed)
    centres = np.linalg.qr(rng.standard_normal((dim, themes)))[0].T
    out = []
    for centre in centres:
        near = centre + 0.05 * rng.standard_normal((each, dim))
        out.append([(v / np.linalg.norm(v)).astype(np.float32) for v in near])
    return out


def gap(question: str, vector: np.ndarray | None, at: float, *, status: str = "not_found") -> Gap:
    return Gap(at, question, "ru", status, None if status == "not_found" else "number", False, vector)


def test_similar_questions_group_together_largest_first_newest_example() -> None:
    sizes = (5, 3, 4)
    vectors = theme_vectors(len(sizes), max(sizes))
    gaps = [gap(f"вопрос {t}.{i}", vectors[t][i], at=t + 10 * i) for t, size in enumerate(sizes) for i in range(size)]
    gaps.append(gap("Вопрос 1.0!", None, at=1000))  # the same words as one of theme 1: joins it without a vector
    groups = group_gaps(gaps)
    assert [g.count for g in groups] == [5, 4, 4]
    assert [g.example.question for g in groups] == ["вопрос 0.4", "Вопрос 1.0!", "вопрос 2.3"]


def test_gaps_keep_no_user_and_are_forgotten_after_the_retention(tmp_path: Path) -> None:
    db = JournalDB(tmp_path / "j.sqlite3", gaps_retention_days=30)
    vector = np.arange(4, dtype=np.float32)
    db.record_gap(gap("Старый вопрос", vector, at=time.time() - 31 * 86_400))
    db.record_gap(gap("Сколько стоит билет?", vector, at=time.time(), status="partial"))
    (kept,) = db.gaps()
    assert (kept.question, kept.status, kept.missing, kept.language) == (
        "Сколько стоит билет?",
        "partial",
        "number",
        "ru",
    )
    assert kept.vector is not None
    assert kept.vector.tolist() == vector.tolist()
    columns = [row[1] for row in db._db.execute("PRAGMA table_info(gaps)")]
    assert not [c for c in columns if "user" in c or "chat" in c]
    db.close()
    out = io.StringIO()
    gaps_report(tmp_path / "j.sqlite3", 30, 10, out)
    assert out.getvalue().splitlines()[1] == "1. 1× «Сколько стоит билет?» — нет части: сколько их"
