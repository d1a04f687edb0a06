"""Posts of the source channels (`SOURCE_CHANNELS`) become articles; an edited post updates its article.

The bot must be an administrator of a channel to receive its posts. A post
whose text (or caption) is shorter than `ARTICLE_MIN_CHARS` is left out;
posts of any other channel are ignored. The bot never writes in a channel.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import BaseFilter
from aiogram.types import Message

from bot.config import Settings
from bot.newsdesk import Desk
from embeddings.errors import EmbeddingsError
from embeddings.ingest.documents import DocumentError

log = logging.getLogger(__name__)


class FromSourceChannel(BaseFilter):
    """A post in one of `SOURCE_CHANNELS`."""

    async def __call__(self, message: Message, settings: Settings) -> bool:
        chat = message.chat
        return chat.type == "channel" and settings.is_source_channel(chat.id, chat.username)


def create_router() -> Router:
    """The source channels' router (a new one per dispatcher)."""
    router = Router(name=__name__)
    router.channel_post.register(post, FromSourceChannel())
    router.edited_channel_post.register(post, FromSourceChannel())
    return router


async def post(message: Message, desk: Desk) -> None:
    """Add the post as an article, or update the article it already is."""
    chat, body = message.chat, message.text or message.caption or ""
    day = message.date.date().isoformat()  # an edit keeps the post's own date
    try:
        draft, article_id = desk.post_draft(body, chat.id, chat.username, chat.title, message.message_id, day)
        change = await desk.add(draft, article_id)
    except DocumentError as problem:
        log.info("post %s of channel %s left out: %s", message.message_id, chat.id, problem)
        return
    except EmbeddingsError as exc:
        log.error("post %s of channel %s not added: %s", message.message_id, chat.id, exc)
        return
    log.info("post %s of channel %s %s as article %s", message.message_id, chat.id, change.action, change.article_id)
