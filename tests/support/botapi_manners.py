"""The stand-in's edits and channels: `editMessageText`, `deleteMessage`, edited questions, channel posts.

A part of `BotAPIStub` (it inherits this class), kept apart so that the
stand-in stays readable. Telegram's checks on an edit: the message exists,
is the bot's and is in that chat (not deleted); the new text is valid HTML
within 4096 characters; and an edit that changes nothing is refused with
"message is not modified". Tests deliver `edited_message` updates as
Telegram does (same message id, the original date, an `edit_date`), and the
ways a channel's post reaches a bot: the copy forwarded automatically into
the channel's discussion group, and a `channel_post` in the channel itself.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.support.botapi_checks import BadRequestError, check_markup, check_text

# Who Telegram says sent an automatic forward into a discussion group.
TELEGRAM_USER = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
# The placeholder user of a message a person posts as their channel.
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)


def channel(channel_id: int = -1001234, title: str = "News channel") -> dict[str, Any]:
    """A channel chat as Telegram describes it."""
    return {"id": channel_id, "type": "channel", "title": title}


@dataclass
class EditsAndChannels:
    """`BotAPIStub`'s methods for edits and channel posts (it has `sent`, `push` and the id counters)."""

    text_edits: list[tuple[int, int, str]] = field(default_factory=list)  # chat, message, new plain text
    deleted: list[tuple[int, int]] = field(default_factory=list)  # chat, message

    # -- what tests do -------------------------------------------------------

    def edit(
        self, message: dict[str, Any], text: str, *, entities: Iterable[dict[str, Any]] = (), after: float | None = None
    ) -> dict[str, Any]:
        """Edit a message queued before (its text or its caption), `after` seconds after it was sent; returns it.

        Without `after` the edit is made now. Telegram keeps the message id
        and the original `date`, and adds `edit_date`.
        """
        edited = copy.deepcopy(message)
        key = "caption" if "caption" in message else "text"
        edited[key] = text
        edited.pop(f"{key}_entities" if key == "caption" else "entities", None)
        if entities:
            edited["caption_entities" if key == "caption" else "entities"] = list(entities)
        edited["edit_date"] = int(message["date"] + after) if after is not None else int(time.time())
        self.push(edited_message=edited)
        return edited

    def automatic_forward(
        self,
        text: str,
        *,
        chat_id: int,
        entities: Iterable[dict[str, Any]] = (),
        source: dict[str, Any] | None = None,
        edited_from: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A channel's post as Telegram forwards it into the channel's discussion group; returns the message.

        `edited_from`: the forward queued before, now edited (the channel edited its post).
        """
        source = source or channel()
        now = int(time.time())
        message: dict[str, Any] = {
            "message_id": edited_from["message_id"] if edited_from else next(self._message_ids),
            "date": edited_from["date"] if edited_from else now,
            "chat": {"id": chat_id, "type": "supergroup", "title": "Discussion"},
            "from": TELEGRAM_USER,
            "sender_chat": source,
            "is_automatic_forward": True,
            "forward_origin": {"type": "channel", "chat": source, "message_id": 7, "date": now},
            "text": text,
        }
        if entities:
            message["entities"] = list(entities)
        if edited_from:
            message["edit_date"] = now
        self.push(**{"edited_message" if edited_from else "message": message})
        return message

    def channel_post(
        self, text: str, *, entities: Iterable[dict[str, Any]] = (), source: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A post in a channel the bot is an administrator of; returns it."""
        source = source or channel()
        post: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": source,
            "sender_chat": source,
            "text": text,
        }
        if entities:
            post["entities"] = list(entities)
        self.push(channel_post=post)
        return post

    def own_message(self, chat_id: int, message_id: int) -> Any:
        """The bot's message `message_id` in `chat_id`, unless it was deleted; else None."""
        if (chat_id, message_id) in self.deleted:
            return None
        sent = self.sent
        return next((m for m in sent if m.chat_id == chat_id and m.message_id == message_id), None)

    # -- the server ----------------------------------------------------------

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            msg = "inline messages are not kept by this stand-in"
            raise BadRequestError(msg)
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        target = self.own_message(chat_id, message_id)
        if target is None:
            msg = "message to edit not found"
            raise BadRequestError(msg)
        html = str(params.get("text") or "")
        plain = check_text(html, params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_markup(markup)
        if html == target.html and markup == target.params.get("reply_markup"):
            raise BadRequestError(NOT_MODIFIED)
        target.text, target.html = plain, html
        if markup is None:
            target.params.pop("reply_markup", None)  # an edit without buttons removes them
        else:
            target.params["reply_markup"] = markup
        self.text_edits.append((chat_id, message_id, plain))
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "text": plain,
        }

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if self.own_message(chat_id, message_id) is None:
            msg = "message to delete not found"
            raise BadRequestError(msg)
        self.deleted.append((chat_id, message_id))
        return True
