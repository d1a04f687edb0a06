"""The stand-in's buttons and inline mode: pressing inline buttons, inline queries, their answers.

A part of `BotAPIStub` (it inherits this class), kept apart so that the
stand-in stays readable. Telegram's checks: a callback query is answered
once and only if it was asked; inline results have unique ids of 1 to 64
bytes, at most 50 of them, with valid HTML; a change of buttons that
changes nothing is refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.support.botapi_checks import BadRequestError, check_markup, check_text

if TYPE_CHECKING:
    from tests.support.botapi_stub import Sent


@dataclass
class ButtonsAndInline:
    """`BotAPIStub`'s methods for buttons and inline queries (it has `sent`, `push`, `own_message`, `bot_user`)."""

    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # by callback query id
    inline_answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # by inline query id
    edits: list[tuple[int, int, Any]] = field(default_factory=list)  # chat, message, new markup
    _callback_ids: set[str] = field(default_factory=set)

    # -- what tests do -------------------------------------------------------

    def press(self, sent: Sent, button: str, *, user_id: int = 1001, language_code: str | None = "ru") -> str:
        """Press the inline button of `sent` whose text starts with `button`; returns the query id.

        The button is the one on `sent` as the test holds it (an older copy is
        a button the user still sees); the message in the query is the message
        as it is now, edits included, as Telegram sends it.
        """
        data = next((d for t, d in buttons(sent) if t.startswith(button)), None)
        if data is None:
            msg = f"no button {button!r} under message {sent.message_id}: {buttons(sent)}"
            raise LookupError(msg)
        query_id = f"cq{next(self._ids)}"
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        chat_type = "private" if sent.chat_id > 0 else "supergroup"
        now = next((m for m in self.sent if (m.chat_id, m.message_id) == (sent.chat_id, sent.message_id)), sent)
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": chat_type},
            "from": self.bot_user,
            "text": now.text,
        }
        if now.params.get("reply_markup"):
            message["reply_markup"] = now.params["reply_markup"]
        self.push(
            callback_query={
                "id": query_id,
                "from": user,
                "message": message,
                "chat_instance": str(sent.chat_id),
                "data": data,
            }
        )
        return query_id

    def inline(self, query: str, *, user_id: int = 1001, language_code: str | None = "ru") -> str:
        """Type `@bot query` in some chat; returns the inline query id."""
        query_id = f"iq{next(self._ids)}"
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        self.push(inline_query={"id": query_id, "from": user, "query": query, "offset": ""})
        return query_id

    # -- the server ----------------------------------------------------------

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._callback_ids or query_id in self.callback_answers:
            msg = "query is too old and response timeout expired or query ID is invalid"
            raise BadRequestError(msg)
        self.callback_answers[query_id] = params
        return True

    async def _m_answerinlinequery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("inline_query_id"))
        if query_id in self.inline_answers:
            msg = "query is too old and response timeout expired or query ID is invalid"
            raise BadRequestError(msg)
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            msg = "RESULTS_TOO_MUCH"
            raise BadRequestError(msg)
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            msg = "RESULT_ID_INVALID" if len(set(ids)) == len(ids) else "RESULT_ID_DUPLICATE"
            raise BadRequestError(msg)
        for result in results:
            content = result.get("input_message_content") or {}
            check_text(str(content.get("message_text") or ""), content.get("parse_mode"))
        self.inline_answers[query_id] = params
        return True

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        target = self.own_message(chat_id, message_id)
        if target is None:
            msg = "message to edit not found"
            raise BadRequestError(msg)
        markup = params.get("reply_markup")
        check_markup(markup)
        if markup == target.params.get("reply_markup"):
            msg = "message is not modified: specified new message content and reply markup are exactly the same"
            raise BadRequestError(msg)
        target.params["reply_markup"] = markup
        self.edits.append((chat_id, message_id, markup))
        return {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"}}


def buttons(sent: Sent) -> list[tuple[str, str]]:
    """The inline buttons under a sent message: (text, callback_data)."""
    markup = sent.params.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return [(str(b.get("text")), str(b.get("callback_data"))) for row in rows for b in row]
