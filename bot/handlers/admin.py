"""Admin commands: /reindex (rebuild and swap the index live) and /stats. Others are refused politely."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import Message

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.filters import FromPerson, InChat
from bot.newsdesk import Desk
from bot.render import escape
from bot.state.journal import Journal
from bot.texts import Lang, text
from embeddings.errors import EmbeddingsError
from embeddings.index.versions import current

log = logging.getLogger(__name__)


class IsAdmin(BaseFilter):
    """The sender is in `ADMIN_IDS`."""

    async def __call__(self, message: Message, settings: Settings) -> bool | dict[str, Any]:
        return message.from_user is not None and message.from_user.id in settings.admin_ids


def create_router() -> Router:
    """The admin commands' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.message.filter(InChat("private", "group", "supergroup"), FromPerson())
    router.message.register(reindex, Command("reindex"), IsAdmin())
    router.message.register(stats, Command("stats"), IsAdmin())
    router.message.register(refuse, Command("reindex", "stats"))
    return router


async def reindex(message: Message, answering: AnsweringService, settings: Settings, desk: Desk, lang: Lang) -> None:
    """Rebuild the index from the seeds folder in the background, swap it in and tell the other replicas."""
    if answering.reloading:
        await message.reply(escape(text("reindex_running", lang)))
        return
    await message.reply(escape(text("reindex_started", lang)))
    log.info("reindex requested by admin %s", message.from_user.id if message.from_user else "?")
    try:
        done = await answering.reload(settings, rebuild_index=True)
    except EmbeddingsError as exc:
        log.error("reindex failed: %s", exc)
        await message.reply(escape(text("reindex_failed", lang, error=exc)))
        return
    await desk.announce(current(settings.index_dir).name)
    await message.reply(
        escape(text("reindex_done", lang, articles=done.articles, passages=done.passages, seconds=done.seconds))
    )


async def stats(message: Message, journal: Journal, lang: Lang) -> None:
    """Today's questions, refusal rate, median latency, and the votes."""
    figures = await journal.stats()
    latency = "—" if figures.median_latency_ms is None else f"{figures.median_latency_ms:.0f} ms"
    await message.reply(
        text(
            "stats",
            lang,
            day=figures.day,
            questions=figures.questions,
            cached=figures.cached,
            refused=figures.refused,
            refusal=figures.refusal_rate,
            latency=latency,
            up=figures.up,
            down=figures.down,
        )
    )


async def refuse(message: Message, lang: Lang) -> None:
    """An admin command from someone who is not an admin."""
    log.warning(
        "refused %s from user %s in a %s chat",
        (message.text or "").split()[0],
        message.from_user.id if message.from_user else "?",
        message.chat.type,
    )
    await message.reply(escape(text("admin_only", lang)))
