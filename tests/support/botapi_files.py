"""The stand-in's files and forwards: `getFile`, downloads, documents and forwarded posts as Telegram sends them.

A part of `BotAPIStub` (it inherits this class), kept apart so that the
stand-in stays readable. A test queues a document a user sends
(`document`): its bytes are kept under a file id, `getFile` gives its path
(Telegram refuses files over 20 MB), and `GET /file/bot<token>/<path>`
serves them, as Telegram's file server does. `forward` queues a channel's
post forwarded into a private chat; `edit_post` a channel's edited post.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.botapi_checks import BadRequestError

GET_FILE_LIMIT = 20 * 1024 * 1024


@dataclass
class FilesAndForwards:
    """`BotAPIStub`'s methods for files and forwards (it has `message`, `push`, `token` and the id counters)."""

    files: dict[str, bytes] = field(default_factory=dict)  # by file id
    downloads: list[str] = field(default_factory=list)  # the file paths fetched

    # -- what tests do -------------------------------------------------------

    def document(
        self, name: str, data: bytes, *, user_id: int = 1001, mime_type: str = "text/plain", **extra: Any
    ) -> dict[str, Any]:
        """A user sends a file as a document; returns the message."""
        file_id = f"doc{next(self._ids)}"
        self.files[file_id] = data
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        message: dict[str, Any] = self.message(None, user_id=user_id, extra={"document": document, **extra})
        return message

    def forward(
        self, text: str, source: dict[str, Any], *, user_id: int = 1001, message_id: int = 7, date: int | None = None
    ) -> dict[str, Any]:
        """A user forwards a channel's post into the private chat with the bot; returns the message."""
        origin = {"type": "channel", "chat": source, "message_id": message_id, "date": date or int(time.time())}
        message: dict[str, Any] = self.message(text, user_id=user_id, extra={"forward_origin": origin})
        return message

    def edit_post(self, post: dict[str, Any], text: str) -> dict[str, Any]:
        """The channel edits a post queued before (`channel_post`); returns the edited post."""
        edited = copy.deepcopy(post)
        edited["text"] = text
        edited.pop("entities", None)
        edited["edit_date"] = int(time.time())
        self.push(edited_channel_post=edited)
        return edited

    # -- the server ----------------------------------------------------------

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            msg = "invalid file_id"
            raise BadRequestError(msg)
        if len(self.files[file_id]) > GET_FILE_LIMIT:
            msg = "file is too big"
            raise BadRequestError(msg)
        size = len(self.files[file_id])
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": size,
            "file_path": f"documents/{file_id}",
        }

    async def _file(self, request: web.Request) -> web.Response:
        """`GET /file/bot<token>/<path>`: the file's bytes."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        file_id = path.removeprefix("documents/")
        if file_id not in self.files:
            return web.Response(status=404)
        self.downloads.append(path)
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")
