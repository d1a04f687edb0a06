"""`python -m bot [run | chat | ask [--json] [QUESTION ...] | feedback [--limit N] | gaps [--limit N]]`.

`run` (the default) starts the Telegram bot, or the console chat when no
BOT_TOKEN is set. `ask` answers questions without Telegram: those given as
arguments, else one per line of standard input until EOF. `feedback`
reports the users' votes from the journal (JOURNAL_PATH); `gaps` what they
asked that the articles could not answer, grouped as /gaps shows it. Logs go
to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.logs import setup_logging
from bot.metrics import Metrics
from bot.state.journal import Journal
from bot.texts import lang_of_user, text
from embeddings.errors import EmbeddingsError
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the Telegram bot (console chat without BOT_TOKEN)")
    sub.add_parser("chat", help="interactive console chat on the same pipeline")
    ask_parser = sub.add_parser("ask", help="answer questions from arguments or stdin")
    ask_parser.add_argument("--json", action="store_true", help="one JSON object per question")
    ask_parser.add_argument(
        "question", nargs="*", help="each argument is one question; none: read one per line from stdin"
    )
    feedback_parser = sub.add_parser("feedback", help="vote counts and the worst-rated questions")
    feedback_parser.add_argument("--limit", type=int, default=10, help="how many questions to list")
    gaps_parser = sub.add_parser("gaps", help="what readers asked that the articles could not answer, grouped")
    gaps_parser.add_argument("--limit", type=int, default=20, help="how many groups to list")
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValueError as exc:
        print(f"error: invalid settings: {exc}", file=sys.stderr)
        return 2
    command = args.command or "run"
    serving = command == "run" and settings.bot_token is not None
    setup_logging(
        settings.log_level, json_lines=settings.log_format == "json" or (settings.log_format == "auto" and serving)
    )
    if command == "feedback":
        from bot.console import feedback_report

        feedback_report(settings.journal_path, args.limit)
        return 0
    if command == "gaps":
        from bot.console import gaps_report

        gaps_report(settings.journal_path, settings.gaps_retention_days, args.limit)
        return 0
    try:
        if serving:
            from bot.app import run_bot

            return run_bot(settings)
        pipeline = Pipeline.open(settings)
    except EmbeddingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    if command == "run":
        print(text("no_token", lang_of_user(None)), file=sys.stderr)
    asyncio.run(console(pipeline, settings, command, args))
    return 0


async def console(pipeline: Pipeline, settings: Settings, command: str, args: argparse.Namespace) -> None:
    """`ask` or the console chat, on the answering service the Telegram bot uses (journal and metrics too)."""
    from bot.console import ask, chat

    journal = Journal(settings.journal_path, settings.gaps_retention_days)
    answering = AnsweringService(pipeline, load_story(settings.seeds_dir), journal=journal, metrics=Metrics())
    try:
        if command == "ask":
            await ask(answering, args.question or sys.stdin, as_json=args.json)
        else:
            await chat(answering)
    finally:
        await answering.close()
        journal.close()


if __name__ == "__main__":
    sys.exit(main())
