"""Questions for load tests: the 97 of the earlier evaluation set (ids a.., n.. in eval/tune.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def load_questions() -> list[str]:
    """Answerable and unanswerable questions in Russian, English and Kazakh, in a fixed order."""
    lines = (ROOT / "eval" / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    return [item["q"] for item in map(json.loads, lines) if item["id"][0] in "an"]
