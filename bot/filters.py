"""Filters that decide whether a message is a question for the bot, and hand over its text."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.types import Message, MessageEntity

# The filters on every update's path are coroutines: aiogram runs a plain callable
# (a magic `F` rule included) in a worker thread, one hop per filter per update,
# which under a burst costs more than the rules themselves.


class InChat(BaseFilter):
    """The message was sent in a chat of one of `types` (private, group, supergroup)."""

    def __init__(self, *types: str) -> None:
        self.types = frozenset(types)

    async def __call__(self, message: Message) -> bool:
        return message.chat.type in self.types


class FromPerson(BaseFilter):
    """A person wrote it here: not another bot, and not a channel's post.

    Anonymous group admins and people posting as their channel come from
    Telegram's placeholder bots with `sender_chat` set: people too.
    """

    async def __call__(self, message: Message) -> bool:
        if is_channel_post(message):
            return False
        return message.sender_chat is not None or message.from_user is None or not message.from_user.is_bot


def is_channel_post(message: Message) -> bool:
    """A channel's post, whatever it mentions: never a question for the bot.

    The copy Telegram forwards into a channel's discussion group
    (`is_automatic_forward`), a post in a channel, and, in a group, a
    channel's post someone forwarded there: its mentions are the channel's
    words, not a question to the bot. In a private chat a forward is the
    reader's own message to the bot, and stays a question.
    """
    if message.is_automatic_forward or message.chat.type == "channel":
        return True
    origin = message.forward_origin
    return message.chat.type != "private" and origin is not None and origin.type == "channel"


class IsCommand(BaseFilter):
    """The message text starts with a slash."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text.startswith("/")


def _utf16_slice(text: str, offset: int, length: int) -> str:
    """The part of `text` that a Telegram entity covers (offsets count UTF-16 units)."""
    data = text.encode("utf-16-le")
    return data[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="ignore")


def _utf16_cut(text: str, entity: MessageEntity) -> str:
    data = text.encode("utf-16-le")
    start, end = entity.offset * 2, (entity.offset + entity.length) * 2
    return (data[:start] + b" \x00" + data[end:]).decode("utf-16-le", errors="ignore")


def message_text(message: Message) -> tuple[str, list[MessageEntity]]:
    """The text of a message or the caption of its media, with the matching entities."""
    if message.text is not None:
        return message.text, list(message.entities or [])
    if message.caption is not None:
        return message.caption, list(message.caption_entities or [])
    return "", []


class PrivateQuestion(BaseFilter):
    """A text or a captioned media message in a private chat; hands over `question`."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text, _ = message_text(message)
        if not text.strip() or text.lstrip().startswith("/"):
            return False
        return {"question": text}


class AddressedToBot(BaseFilter):
    """A group message meant for this bot: an @mention, a text mention, or a reply to the bot.

    Hands over `question`, the text with the bot's mentions cut out (possibly
    empty, when the mention came alone).
    """

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        text, entities = message_text(message)
        me = await bot.me()
        username = (me.username or "").lower()
        mine = [
            e
            for e in entities
            if (e.type == "mention" and _utf16_slice(text, e.offset, e.length).lower() == f"@{username}")
            or (e.type == "text_mention" and e.user is not None and e.user.id == me.id)
        ]
        replied = message.reply_to_message
        is_reply = replied is not None and replied.from_user is not None and replied.from_user.id == me.id
        if not mine and not is_reply:
            return False
        if text.lstrip().startswith("/"):
            return False  # commands have their own handlers
        for entity in sorted(mine, key=lambda e: e.offset, reverse=True):
            text = _utf16_cut(text, entity)
        return {"question": " ".join(text.split())}
