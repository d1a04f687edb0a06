"""The bot without Telegram: `ask` (the CLI contract) and the console chat, on the same answering service.

The console chat keeps a conversation as a Telegram chat does: a follow-up
is read with the previous question, "подробнее" / "more" pages through the
last answer's passages, `/new` forgets the topic, `/sources` lists the
articles, `/brief` tells the story in brief, `/read N [page]` shows an
article page by page, `/context` the paragraph around the last answer's
first quote and `/quotes [N [page]]` the speakers, or the N-th one's quotes.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.answering.conversation import small_talk_of
from bot.answering.service import AnsweringService
from bot.quotes import quote_pages, quotes_page_block, speaker_quotes, speakers_block
from bot.reader import article_pages, context_html, context_of, page_block, small_talk_blocks, story_brief
from bot.render import answer_blocks, gap_line, passages_blocks, reply_blocks, sources_blocks, to_plain
from bot.state.gaps import group_gaps
from bot.state.journal import JournalDB
from bot.texts import Lang, lang_of_user, text
from embeddings.answer.record import Answer

MORE_PAGE = 3
MORE_MAX = 12


def answer_record(answer: Answer, lang: Lang, latency_ms: float) -> dict[str, Any]:
    """One line of `python -m bot ask --json` output."""
    return {
        "question": answer.question,
        "found": answer.found,
        "status": answer.status.value,
        "missing": answer.missing,
        "answer": to_plain(answer_blocks(answer, lang)),
        "quotes": [
            {"text": e.text, "source": e.citation, "speaker": e.speaker, "role": e.role} for e in answer.evidence
        ],
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


async def ask(answering: AnsweringService, questions: Iterable[str], *, as_json: bool, out: TextIO = sys.stdout) -> int:
    """Answer each question on its own, as it comes; returns how many were answered."""
    count = 0
    for raw in questions:
        question = raw.rstrip("\n")
        if not question.strip():
            continue
        started = time.perf_counter()
        reply = await answering.answer(question, chat_type="cli")
        latency = (time.perf_counter() - started) * 1000
        lang = answering.language_of(question)
        if reply.plan.small_talk is not None:  # no conversation, so never "more"
            plain = to_plain(small_talk_blocks(reply.plan.small_talk, answering.story, lang))
            record = {"question": question, "found": False, "status": "not_a_question", "answer": plain}
            out.write((json.dumps(record, ensure_ascii=False) if as_json else plain) + "\n" + ("" if as_json else "\n"))
            out.flush()
            continue
        assert reply.answer is not None
        if as_json:
            out.write(json.dumps(answer_record(reply.answer, lang, latency), ensure_ascii=False) + "\n")
        else:
            out.write(to_plain(answer_blocks(reply.answer, lang)) + "\n\n")
        out.flush()
        count += 1
    return count


@dataclass
class _Conversation:
    lang: Lang = "ru"  # the language of the last question: commands answer in it
    topic: str | None = None
    query: str | None = None  # what the last answer searched
    shown: int = 0  # passages of it shown by "more"
    answer: Answer | None = None  # the last answer, for /context


async def chat(answering: AnsweringService, *, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """An interactive loop that shows answers as the bot would, without markup."""
    lang: Lang = "ru"
    story = answering.story
    out.write(text("console_intro", lang) + "\n")
    name = story.name_in(lang)
    if name:
        out.write(f"{name}\n")
    for example in story.examples_in(lang):
        out.write(f"  • {example}\n")
    conversation = _Conversation()
    loop = asyncio.get_running_loop()
    while True:
        out.write("\n> ")
        out.flush()
        line = await loop.run_in_executor(None, inp.readline)
        if not line or not line.strip():
            out.write("\n")
            return
        out.write(await _respond(answering, conversation, line.strip()) + "\n")


async def _respond(answering: AnsweringService, conversation: _Conversation, line: str) -> str:
    """The console's reply to one line: a command, a page of passages, or an answer."""
    command = line.split()[0].lower()
    if not command.startswith("/") and small_talk_of(line) not in ("link", "no_question"):
        conversation.lang = answering.language_of(line)  # a link or an emoji says nothing of the reader's language
    lang = conversation.lang
    if command == "/new":
        conversation.topic = conversation.query = None
        return text("forgotten", lang)
    if command == "/sources":
        return to_plain(sources_blocks(answering.sources(), lang))
    if command == "/brief":
        return to_plain(story_brief(answering, lang))
    if command == "/read":
        return _read(answering, line.split()[1:], lang)
    if command == "/context":
        return _context(answering, conversation.answer, lang)
    if command == "/quotes":
        return _quotes(answering, line.split()[1:], lang)
    if command in ("/start", "/help"):
        return to_plain(small_talk_blocks("greeting", answering.story, lang)) + "\n\n" + text("console_intro", lang)
    reply = await answering.answer(line, topic=conversation.topic, chat_type="console")
    if reply.plan.small_talk is not None:
        return to_plain(small_talk_blocks(reply.plan.small_talk, answering.story, lang))
    if reply.answer is None:  # "more": the next page of the last answer's passages
        query = conversation.query or reply.plan.query
        passages = await answering.passages(query, MORE_MAX)
        page = passages[conversation.shown : conversation.shown + MORE_PAGE]
        blocks = passages_blocks(page, conversation.shown + 1, len(passages), lang)
        conversation.shown += len(page)
        return to_plain(blocks)
    conversation.topic = reply.plan.next_topic
    conversation.query, conversation.shown, conversation.answer = reply.plan.query, 0, reply.answer
    return to_plain(reply_blocks(reply.plan, reply.answer, lang))


def _read(answering: AnsweringService, arguments: list[str], lang: Lang) -> str:
    """`/read N [page]`: a page of the N-th article of /sources, and the command for the next one."""
    numbers = [int(a) for a in arguments[:2] if a.isdigit()]
    listed = answering.sources()
    if not numbers or not 1 <= numbers[0] <= len(listed):
        return text("console_no_article", lang)
    article = listed[numbers[0] - 1].article
    pages = len(article_pages(article))
    page = min(max(numbers[1] if len(numbers) > 1 else 1, 1), pages)
    shown = page_block(article, page - 1, lang).plain
    return shown if page == pages else f"{shown}\n{text('console_read', lang, number=numbers[0], page=page + 1)}"


def _quotes(answering: AnsweringService, arguments: list[str], lang: Lang) -> str:
    """`/quotes`: the speakers, numbered; `/quotes N [page]`: a page of the N-th speaker's quotes and the next one."""
    pipeline = answering.pipeline
    speakers = pipeline.speakers()
    numbers = [int(a) for a in arguments[:2] if a.isdigit()]
    if not numbers or not 1 <= numbers[0] <= len(speakers):
        listing = speakers_block(speakers, [len(speaker_quotes(pipeline, s)) for s in speakers], lang).plain
        if not speakers:
            return listing
        title, *lines = listing.splitlines()
        numbered = [f"{n}. {line}" for n, line in enumerate(lines, 1)]
        return "\n".join([title, *numbered, text("console_quotes", lang, number="N")])
    speaker = speakers[numbers[0] - 1]
    pages = quote_pages(speaker_quotes(pipeline, speaker))
    page = min(max(numbers[1] if len(numbers) > 1 else 1, 1), len(pages))
    shown = quotes_page_block(speaker, pages, page - 1, lang).plain
    if page == len(pages):
        return shown
    return f"{shown}\n{text('console_quotes_next', lang, number=numbers[0], page=page + 1)}"


def _context(answering: AnsweringService, answer: Answer | None, lang: Lang) -> str:
    """`/context`: the paragraph around the first quote of the last answer."""
    if answer is None or not answer.evidence:
        return text("console_no_context", lang)
    first = answer.evidence[0]
    article = next(c.article for c in answer.citations if c.number == first.citation)
    return context_html(context_of(article, first.start, first.end), lang, first.speaker, first.role).plain


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


def gaps_report(path: Path, retention_days: float, limit: int, out: TextIO = sys.stdout) -> None:
    """`python -m bot gaps`: the groups of questions the articles could not answer, as /gaps shows them."""
    if not path.exists():
        print(f"No questions yet: {path} does not exist (the bot creates it on its first start).", file=out)
        return
    db = JournalDB(path, retention_days)
    try:
        groups = group_gaps(db.gaps())
    finally:
        db.close()
    lang = lang_of_user(None)
    if not groups:
        print(text("gaps_empty", lang, days=retention_days), file=out)
        return
    shown = groups[:limit]
    title = text("gaps_title", lang, days=retention_days, first=1, last=len(shown), total=len(groups))
    print(re.sub(r"</?b>", "", title), file=out)
    for number, group in enumerate(shown, start=1):
        print(f"{number}. {gap_line(group, lang)}", file=out)
