"""The bot's side of a growing story: articles from admins and source channels, added and removed live.

`Desk.draft_of` reads a Telegram message as an article draft: a document
(fetched with getFile from `TELEGRAM_API_URL`), a forwarded post (its
channel is the outlet, the post's address the link) or a text typed after
/add. `add` and `remove` run `embeddings.newsroom.Newsroom` on a worker
thread (a few seconds: the article's passages are encoded), then swap the
new index version in here and announce it on Redis, where every other
replica hears it (`IndexWatch`) and swaps it in too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from io import BytesIO

from aiogram import Bot
from aiogram.types import Message, MessageOriginChannel
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.answering.service import AnsweringService
from bot.config import Settings
from embeddings.ingest.articles import new_article_id, post_article_id
from embeddings.ingest.documents import HTML_SUFFIXES, TEXT_SUFFIXES, DocumentError, Draft, draft_from_text
from embeddings.newsroom import Change, Newsroom

log = logging.getLogger(__name__)

INDEX_CHANNEL = "newsqa:index"  # Redis pub/sub: the name of each new index version


def post_link(chat_id: int, username: str | None, message_id: int) -> str:
    """The t.me address of a channel's post (a private channel's works for its members)."""
    if username:
        return f"https://t.me/{username}/{message_id}"
    internal = str(abs(chat_id))
    return f"https://t.me/c/{internal[3:] if internal.startswith('100') else internal}/{message_id}"


class Desk:
    """Drafts from messages; articles added and removed one at a time, then swapped in everywhere."""

    def __init__(self, answering: AnsweringService, settings: Settings, redis: Redis | None = None) -> None:
        self.answering, self.settings, self.redis = answering, settings, redis
        self._changing = asyncio.Lock()  # in this process; the file lock orders the other processes

    def newsroom(self) -> Newsroom:
        """The articles folder and the index, with the encoder answering now."""
        return Newsroom(self.settings, self.answering.pipeline.encoder, lambda: self.answering.pipeline.index)

    async def draft_of(self, message: Message, bot: Bot, text: str | None = None) -> tuple[Draft, str]:
        """The draft of a document, a forwarded post or `text`, and the id to save it under; else `DocumentError`."""
        day = message.date.date().isoformat()
        if message.document is not None:
            document = message.document
            name = document.file_name or "document"
            if not name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
                raise DocumentError("kind", f"{name}: not a .txt, .md or .html document")
            if document.file_size is not None and document.file_size > self.settings.article_max_bytes:
                raise DocumentError("large", f"{name}: {document.file_size} bytes")
            data = await bot.download(document, destination=BytesIO())
            assert isinstance(data, BytesIO)
            draft = self.newsroom().read(name, data.getvalue(), today=day)
            return draft, new_article_id(draft)
        origin = message.forward_origin
        body = text if text is not None else message.text or message.caption or ""
        if isinstance(origin, MessageOriginChannel):  # dated when the channel posted it
            chat, posted = origin.chat, origin.date.date().isoformat()
            return self.post_draft(body, chat.id, chat.username, chat.title, origin.message_id, posted)
        draft = draft_from_text(body, date=day, min_chars=self.settings.article_min_chars)
        return draft, new_article_id(draft)

    def post_draft(
        self, text: str, chat_id: int, username: str | None, title: str | None, message_id: int, day: str
    ) -> tuple[Draft, str]:
        """The draft of a channel's post: the channel the outlet, the post's address the link."""
        link = post_link(chat_id, username, message_id)
        draft = draft_from_text(text, date=day, min_chars=self.settings.article_min_chars, outlet=title, url=link)
        return draft, post_article_id(chat_id, message_id)

    async def add(self, draft: Draft, article_id: str) -> Change:
        """Save and index the article, swap it in here and announce it to the other replicas."""
        return await self._change(lambda newsroom: newsroom.add(draft, article_id))

    async def remove(self, article_id: str) -> Change:
        """Delete the article from the folder and the index, swap and announce."""
        return await self._change(lambda newsroom: newsroom.remove(article_id))

    async def _change(self, work: Callable[[Newsroom], Change]) -> Change:
        async with self._changing:
            newsroom = self.newsroom()
            change: Change = await asyncio.get_running_loop().run_in_executor(None, work, newsroom)
        await self.answering.follow(self.settings)
        await self.announce(change.version.name)
        return change

    async def announce(self, version: str) -> None:
        """Tell the other replicas a new version is current (they also look every few seconds)."""
        if self.redis is None:
            return
        try:
            await self.redis.publish(INDEX_CHANNEL, version)
        except (RedisError, OSError) as exc:
            log.warning("could not announce index version %s: %s", version, exc)


class IndexWatch:
    """Keeps this replica on the index's current version: on each announcement, and every `poll` seconds.

    With Redis the announcements do it at once and looking is a safety net
    (every 30 s by default); without, looking every 5 s is how a version
    written by another process (`python -m embeddings add`) arrives.
    """

    def __init__(self, answering: AnsweringService, settings: Settings, redis: Redis | None, poll: float | None = None):
        self.answering, self.settings, self.redis = answering, settings, redis
        self.poll = poll if poll is not None else 30.0 if redis is not None else 5.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start watching in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="index-watch")

    async def stop(self) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                if self.redis is None:
                    await asyncio.sleep(self.poll)
                    await self._follow()
                else:
                    await self._listen(self.redis)
            except (RedisError, OSError) as exc:
                log.warning("index announcements unavailable (%s): looking every %.0f s", exc, self.poll)
                await asyncio.sleep(self.poll)
                await self._follow()

    async def _listen(self, redis: Redis) -> None:
        async with redis.pubsub() as pubsub:
            await pubsub.subscribe(INDEX_CHANNEL)
            await self._follow()  # a version announced before the subscription
            while True:
                await pubsub.get_message(ignore_subscribe_messages=True, timeout=self.poll)
                await self._follow()

    async def _follow(self) -> None:
        try:
            await self.answering.follow(self.settings)
        except Exception:  # a version that cannot be loaded: keep answering from this one
            log.exception("could not swap in the index's current version")
