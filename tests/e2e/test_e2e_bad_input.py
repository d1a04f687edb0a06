"""A corpus of bad input through the real bot over HTTP: no crash, no Bot API 400, a polite reply or silence."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES, mention
from tests.support.botapi_stub import BOT_USER, BotAPIStub
from tests.support.running import bot_settings, running_bot

pytestmark = pytest.mark.slow

HANDLE = "@" + str(BOT_USER["username"])
GROUP = -100777
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}

# Private messages: every one must get at least one reply (an answer or a polite decline).
PRIVATE_TEXTS = {
    "empty": "",
    "whitespace": "  \n\t  \u00a0 ",
    "at the limit": ("Сколько совместных производств работает в Казахстане? " * 80)[:4096],
    "markup at the limit": ("<b>&amp; & < > \"'</i> " * 300)[:4096],
    "only emoji": "😀🎉🇰🇿👍🏽",
    "control characters": "\x01\x02 Кто приезжал в Минск? \x1b[31m\x7f",
    "NUL": "Кто\x00 приезжал в Минск?",
    "RTL override": "\u202eКто приезжал в Минск?\u202c",
    "zero-width": "Кто\u200d при\u200bезжал\u2060 в Минск?\ufeff",
    "markdown": "**Кто** _приезжал_ в [Минск](http://x.y) `code` ~~s~~ ||spoiler||",
    "html": "<b>Кто</b> приезжал & <script>alert(1)</script> &lt;&#0;&#xD800;",
    "start with payload": "/start from_channel_42",
    "start with a long payload": "/start " + "x" * 500,
    "unknown command": "/delete_everything now",
    "lone surrogate escapes": "Кто приезжал? \\ud83d",
    "only punctuation": "?!?!...,,,",
}


def private(stub: BotAPIStub, text: str | None, user_id: int, **extra: Any) -> dict[str, Any]:
    return stub.message(text, user_id=user_id, extra=extra or None)


async def test_bad_input_gets_a_polite_reply_or_silence_and_never_a_crash_or_a_400(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = bot_settings(stub, real_seeds, real_index_dir)
    caplog.set_level(logging.WARNING)
    must_reply: dict[str, dict[str, Any]] = {}  # by name: the message
    must_ignore: dict[str, dict[str, Any]] = {}
    async with running_bot(stub, real_pipeline, settings):
        for user, (name, text) in enumerate(PRIVATE_TEXTS.items(), start=500):
            must_reply[name] = private(stub, text, user)
        forwarded_origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": int(time.time())}
        must_reply["forwarded"] = private(stub, JOINT_VENTURES, 601, forward_origin=forwarded_origin)
        must_reply["sticker"] = private(
            stub, None, 602, sticker={"file_id": "s", "file_unique_id": "s", "type": "regular",
                                      "width": 1, "height": 1, "is_animated": False, "is_video": False},
        )  # fmt: skip
        must_reply["photo with a question"] = private(
            stub, None, 603, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
            caption=JOINT_VENTURES,
        )  # fmt: skip
        # Groups: a mention alone gets a hint; people posting as the group or a channel are answered.
        alone = f"{HANDLE}"
        must_reply["group: mention alone"] = stub.message(
            alone, user_id=610, chat_id=GROUP, chat_type="supergroup", entities=mention(alone)
        )
        asked = f"{HANDLE} {JOINT_VENTURES}"
        for name, sender in (("anonymous admin", ANONYMOUS_ADMIN), ("post as channel", CHANNEL_BOT)):
            sender_chat = {"id": GROUP if sender is ANONYMOUS_ADMIN else -100888, "type": "channel", "title": "C"}
            must_reply[f"group: {name}"] = stub.message(
                asked, user_id=int(sender["id"]), chat_id=GROUP, chat_type="supergroup", entities=mention(asked),
                is_bot=True, extra={"sender_chat": sender_chat},
            )  # fmt: skip
        # Silence: another bot mentioning ours (bots could loop), a channel post, chatter in a group.
        must_ignore["other bot"] = stub.message(
            asked, user_id=777, chat_id=GROUP, chat_type="supergroup", entities=mention(asked), is_bot=True
        )
        must_ignore["group chatter"] = stub.message(
            "Кто-нибудь видел новости?", user_id=611, chat_id=GROUP, chat_type="supergroup"
        )
        stub.push(
            channel_post={
                "message_id": 5, "date": int(time.time()), "text": asked, "entities": mention(asked),
                "chat": {"id": -100999, "type": "channel", "title": "News"},
                "sender_chat": {"id": -100999, "type": "channel", "title": "News"},
            }
        )  # fmt: skip
        sent = await stub.settle(quiet=2.0, within=120)
    replied_to = {s.reply_to for s in sent}
    private_chats = {s.chat_id for s in sent if s.chat_id > 0}

    def got_reply(message: dict[str, Any]) -> bool:
        # In private chats a decline is a plain message (each user here sent one message): any counts.
        chat_id = int(message["chat"]["id"])
        return message["message_id"] in replied_to or (chat_id > 0 and chat_id in private_chats)

    assert [name for name, message in must_reply.items() if not got_reply(message)] == []
    assert [name for name, message in must_ignore.items() if message["message_id"] in replied_to] == []
    assert -100999 not in {s.chat_id for s in sent}
    assert stub.rejected == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
