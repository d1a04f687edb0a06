"""The pipeline without Telegram: `ask` (the CLI contract) and the console chat."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.render import answer_blocks, to_plain
from bot.state.journal import JournalDB
from bot.texts import Lang, lang_of_text, text
from embeddings.answer.record import Answer
from embeddings.ingest.corpus import Story
from embeddings.pipeline import Pipeline


def answer_record(answer: Answer, lang: Lang, latency_ms: float) -> dict[str, Any]:
    """One line of `python -m bot ask --json` output."""
    return {
        "question": answer.question,
        "found": answer.found,
        "status": answer.status.value,
        "missing": answer.missing,
        "answer": to_plain(answer_blocks(answer, lang)),
        "sources": [
            {
                "id": c.article.id,
                "title": c.article.title,
                "date": c.article.date,
                "outlet": c.article.outlet,
                "url": c.article.url,
            }
            for c in answer.citations
        ],
        "passages": [
            {"source_id": p.article.id, "text": p.chunk.text, "score": round(p.score, 6)} for p in answer.passages
        ],
        "latency_ms": round(latency_ms, 2),
    }


def ask(pipeline: Pipeline, questions: Iterable[str], *, as_json: bool, out: TextIO = sys.stdout) -> int:
    """Answer each question as it comes; returns how many were answered."""
    count = 0
    for raw in questions:
        question = raw.rstrip("\n")
        if not question.strip():
            continue
        started = time.perf_counter()
        answer = pipeline.ask(question)
        latency = (time.perf_counter() - started) * 1000
        lang = lang_of_text(question)
        if as_json:
            out.write(json.dumps(answer_record(answer, lang, latency), ensure_ascii=False) + "\n")
        else:
            out.write(to_plain(answer_blocks(answer, lang)) + "\n\n")
        out.flush()
        count += 1
    return count


def chat(pipeline: Pipeline, story: Story, *, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """An interactive loop that shows answers as the bot would, without markup."""
    lang: Lang = "ru"
    out.write(text("console_intro", lang) + "\n")
    name = story.name_in(lang)
    if name:
        out.write(f"{name}\n")
    for example in story.examples_in(lang):
        out.write(f"  • {example}\n")
    while True:
        out.write("\n> ")
        out.flush()
        line = inp.readline()
        if not line or not line.strip():
            out.write("\n")
            return
        answer = pipeline.ask(line)
        out.write(to_plain(answer_blocks(answer, lang_of_text(line))) + "\n")


def feedback_report(path: Path, limit: int, out: TextIO = sys.stdout) -> None:
    """`python -m bot feedback`: vote counts and the worst-rated questions from the journal."""
    if not path.exists():
        print(f"No feedback yet: {path} does not exist (the bot creates it on its first start).", file=out)
        return
    db = JournalDB(path)
    try:
        report = db.report(limit)
    finally:
        db.close()
    print(f"Feedback in {path}", file=out)
    print(f"  👍 {report.up}   👎 {report.down}   answers rated: {report.answers_rated}", file=out)
    if not report.worst:
        print("No question has a 👎 yet.", file=out)
        return
    print(f"Worst-rated questions (up to {limit}):", file=out)
    for item in report.worst:
        print(f"  {item.up - item.down:+d}  (👍 {item.up} / 👎 {item.down})  {item.question}", file=out)
