"""Answers and source lists as Telegram HTML (and as the same text without markup).

Every piece of article or user text is escaped. A message is built from
blocks that are complete HTML fragments, and split only between blocks, so a
split never falls inside a tag or an entity; a single block longer than the
limit is cut at sentence or word boundaries of its plain text, each piece
escaped on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.conversation import Plan
from bot.state.gaps import GapGroup
from bot.texts import TEXTS, Lang, text
from embeddings.answer.decision import Status
from embeddings.answer.record import Answer
from embeddings.ingest.corpus import Article
from embeddings.pipeline import SourceInfo
from embeddings.retrieve.search import Passage
from embeddings.text import cyrillic_share

TELEGRAM_LIMIT = 4096
TOPIC_NOTE_CHARS = 80
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "kk": (
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ),
}


@dataclass(frozen=True)
class Block:
    """One self-contained piece of a message, as HTML and as plain text."""

    html: str
    plain: str


def escape(value: str) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(value, quote=False)


def human_date(iso: str, lang: Lang) -> str:
    """`2026-02-05` as `5 февраля 2026` / `5 February 2026` / `2026 жылғы 5 ақпан`."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not match:
        return iso
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return iso
    if lang == "kk":
        return f"{year} жылғы {day} {_MONTHS[lang][month - 1]}"
    return f"{day} {_MONTHS[lang][month - 1]} {year}"


def source_line(number: int | None, article: Article, lang: Lang, extra: str = "") -> Block:
    """`[n] Title — Outlet, date` with the title linked when the address is known."""
    prefix = f"[{number}] " if number is not None else "• "
    details = ", ".join(x for x in (article.outlet, human_date(article.date, lang)) if x)
    tail = f" — {details}" if details else ""
    if extra:
        tail += f" ({extra})"
    title_html = escape(article.title)
    if article.url:
        title_html = f'<a href="{html.escape(article.url, quote=True)}">{title_html}</a>'
    plain = f"{prefix}{article.title}{tail}" + (f"\n{article.url}" if article.url else "")
    return Block(f"{escape(prefix)}{title_html}{escape(tail)}", plain)


def answer_blocks(answer: Answer, lang: Lang) -> list[Block]:
    """The blocks of an answer: an optional note, the quotes, the numbered sources."""
    blocks: list[Block] = []
    if answer.question_trimmed:
        note = text("trimmed", lang)
        blocks.append(Block(f"<i>{escape(note)}</i>", note))
    if answer.status is Status.NOT_FOUND:
        message = text("not_mentioned", lang, term=answer.missing) if answer.missing else text("not_found", lang)
        blocks.append(Block(escape(message), message))
        return blocks
    if answer.status is Status.PARTIAL:
        note = partial_note(answer, lang)
        blocks.append(Block(f"<i>{escape(note)}</i>", note))
    for item in answer.evidence:
        marker = f"{said_by(item.speaker, item.role)} [{item.citation}]"
        blocks.append(Block(f"«{escape(item.text)}»{escape(marker)}", f"«{item.text}»{marker}"))
    header = text("sources_header", lang)
    blocks.append(Block(f"\n<b>{escape(header)}</b>", f"\n{header}"))
    blocks.extend(source_line(c.number, c.article, lang) for c in answer.citations)
    return blocks


# The texts that name a name or a time the question gave and the quotes lack, by the answer's reason.
_CONSTRAINTS = {"absent_constraint": "constraint", "absent_time": "constraint_time"}
# How a partial answer names the part the articles lack, by what the question asked for.
_PARTS = frozenset(
    {"date", "number", "amount", "money", "age", "duration", "person", "place", "organisation", "role", "name"}
)
_CUE = re.compile(
    r"^(когда|сколько|скольк\w*|где|куда|откуда|кто|кого|кому|в каком|в какой|какого числа|на какую сумму)\b", re.I
)


def said_by(speaker: str | None, role: str | None) -> str:
    """ " — Имя Фамилия, роль" after a quote that is someone's speech ("" when it is no one's or unknown)."""
    if not speaker:
        return ""
    return f" — {speaker}, {role}" if role else f" — {speaker}"


def partial_note(answer: Answer, lang: Lang) -> str:
    """The line above a partial answer: what the articles do not say, then that the quotes are what they do say.

    A Russian question that opens with its question word is the clause itself
    ("не сказано, когда пройдёт референдум"); otherwise a name or a time the
    quotes lack is named ("по теме «Ольховка»"), or the asked-for part.
    """
    if answer.reason == "unquoted" and answer.missing:
        return text("unquoted", lang, name=answer.missing)
    if answer.reason == "speaker_silent" and answer.missing:
        other = answer.evidence[0].speaker if answer.evidence else None
        return text("speaker_silent", lang, name=answer.missing, other=other or "")
    part = answer.missing if answer.missing in _PARTS else "number"
    question = answer.question.strip().rstrip("?!. ")
    if lang == "ru" and _CUE.match(question) and cyrillic_share(question) > 0.5:
        clause = question[:1].lower() + question[1:]
    elif answer.reason in _CONSTRAINTS and answer.missing:
        return text(_CONSTRAINTS[answer.reason], lang, name=answer.missing)
    else:
        clause = text(f"part_{part}", lang)
    return text("partial", lang, clause=clause)


def shorten(value: str, limit: int) -> str:
    """`value` cut to `limit` characters at a word boundary, with an ellipsis."""
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0] + "…"


def reply_blocks(planned: Plan, answer: Answer, lang: Lang) -> list[Block]:
    """The blocks of an answer, with a note above a follow-up naming the question it continues."""
    blocks = answer_blocks(answer, lang)
    if planned.kind == "follow_up" and planned.changed:
        blocks.insert(0, note_block(text("follow_up_changed", lang, question=shorten(planned.query, TOPIC_NOTE_CHARS))))
    elif planned.kind == "follow_up" and planned.topic:
        blocks.insert(0, note_block(text("follow_up_note", lang, topic=shorten(planned.topic, TOPIC_NOTE_CHARS))))
    return blocks


def note_block(note: str) -> Block:
    """A short italic line above an answer."""
    return Block(f"<i>{escape(note)}</i>", note)


def passages_blocks(passages: Sequence[Passage], first: int, total: int, lang: Lang) -> list[Block]:
    """A page of passages, numbered from `first`, each quoted whole with its article."""
    if not passages:
        none = text("no_more", lang)
        return [Block(escape(none), none)]
    header = text("more_header", lang, first=first, last=first + len(passages) - 1, total=total)
    blocks = [Block(f"<b>{escape(header)}</b>", header)]
    for number, passage in enumerate(passages, start=first):
        blocks.append(Block(f"\n{number}. «{escape(passage.chunk.text)}»", f"\n{number}. «{passage.chunk.text}»"))
        blocks.append(source_line(None, passage.article, lang))
    return blocks


def sources_blocks(sources: Sequence[SourceInfo], lang: Lang) -> list[Block]:
    """The blocks of the `/sources` listing."""
    if not sources:
        empty = text("no_sources", lang)
        return [Block(escape(empty), empty)]
    title = text("sources_title", lang, count=len(sources))
    blocks = [Block(title, re.sub(r"<[^>]+>", "", title))]
    for number, info in enumerate(sources, start=1):
        blocks.append(source_line(number, info.article, lang, text("passages", lang, count=info.passages)))
    return blocks


def to_plain(blocks: Sequence[Block]) -> str:
    """The text a user reads, without markup."""
    return "\n".join(b.plain for b in blocks)


def units(value: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji is two)."""
    return len(value.encode("utf-16-le")) // 2


def to_messages(blocks: Sequence[Block], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """HTML messages of at most `limit` UTF-16 units, split only between blocks.

    The HTML is measured, not the text it shows: it is never shorter, so the
    text Telegram counts after parsing always fits.
    """
    pieces: list[str] = []
    for block in blocks:
        pieces.extend([block.html] if units(block.html) <= limit else _cut_plain(block.plain, limit))
    messages: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if units(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            messages.append(current)
        current = piece
    if current.strip():
        messages.append(current)
    return messages


def _cut_plain(plain: str, limit: int) -> list[str]:
    """Escaped pieces of `plain`, each within `limit`, cut between words."""
    pieces: list[str] = []
    current = ""
    for token in re.findall(r"\S+\s*|\s+", plain):
        while units(escape(token)) > limit:  # one enormous word: cut it by characters
            head = token[: limit // 6]  # a character escapes to at most 5 units ("&amp;")
            token = token[len(head) :]
            if current:
                pieces.append(escape(current))
                current = ""
            pieces.append(escape(head))
        if units(escape(current + token)) > limit:
            pieces.append(escape(current))
            current = ""
        current += token
    if current.strip():
        pieces.append(escape(current))
    return [p for p in pieces if p.strip()]


def gap_line(group: GapGroup, lang: Lang) -> str:
    """One group of unanswered questions, in plain text: how many, the newest, what was missing."""
    example, said = group.example, []
    if example.status == "partial":
        part = f"part_{example.missing}"
        said.append(text("gaps_partial", lang, missing=text(part, lang) if part in TEXTS[lang] else example.missing))
    elif example.status == "not_found":
        said.append(text("gaps_not_found", lang))
    if group.voted_down:
        said.append(f"👎 {group.voted_down}")
    return text("gaps_line", lang, count=group.count, example=shorten(example.question, 200), status=", ".join(said))
