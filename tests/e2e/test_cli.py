"""`python -m bot ask` as other tools call it: a real process, the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run_ask(args: list[str], stdin: str, seeds: Path, index: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEEDS_DIR": str(seeds), "INDEX_DIR": str(index), "BOT_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=240,
        check=False,
    )


def test_ask_json_reads_stdin_line_by_line(real_seeds: Path, real_index_dir: Path) -> None:
    questions = "Сколько совместных производств работает в Казахстане?\n\nКто президент Франции?\n"
    done = run_ask(["--json"], questions, real_seeds, real_index_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2  # the blank line is no question
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {
        "question",
        "found",
        "status",
        "missing",
        "answer",
        "quotes",
        "sources",
        "passages",
        "latency_ms",
    }
    assert (first["status"], first["missing"]) == ("answer", None)
    assert (second["status"], second["found"], second["missing"]) == ("not_found", False, "Франция")
    assert first["found"] is True
    assert "десяти" in first["answer"]
    assert "<" not in first["answer"]  # plain text, no markup
    assert first["sources"][0]["id"] == "000_77c5b9cf32a588ca"
    assert set(first["sources"][0]) == {"id", "title", "date", "outlet", "url"}
    assert first["sources"][0]["date"] == "2026-02-05"
    assert len(first["passages"]) >= 5
    assert set(first["passages"][0]) == {"source_id", "text", "score"}
    assert first["latency_ms"] > 0
    assert second["found"] is False
    assert second["sources"] == []
    assert "/sources" in second["answer"]


def test_ask_takes_questions_as_arguments_in_plain_text(real_seeds: Path, real_index_dir: Path) -> None:
    done = run_ask(["Где депутаты возложили цветы?"], "", real_seeds, real_index_dir)
    assert done.returncode == 0, done.stderr
    assert "Монументу Победы" in done.stdout
    assert "Источники:" in done.stdout
    assert "Kazpravda.kz" in done.stdout


def test_ask_greets_and_reads_russian_in_latin_letters_in_russian(real_seeds: Path, real_index_dir: Path) -> None:
    done = run_ask(["--json"], "привет\ngde deputaty vozlozhili cvety\n", real_seeds, real_index_dir)
    assert done.returncode == 0, done.stderr
    hello, flowers = (json.loads(line) for line in done.stdout.splitlines())
    assert (hello["status"], hello["found"]) == ("not_a_question", False)
    assert hello["answer"].startswith("Здравствуйте!")
    assert flowers["status"] == "answer"
    assert "Монументу Победы" in flowers["answer"]
    assert "Источники:" in flowers["answer"]  # the reader wrote Russian, in Latin letters


def test_missing_seeds_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    done = run_ask(["вопрос"], "", tmp_path / "none", tmp_path / "index")
    assert done.returncode == 1
    assert "seeds folder not found" in done.stderr
    assert "Traceback" not in done.stderr
