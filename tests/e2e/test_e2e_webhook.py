"""Webhook mode: two real bot processes behind one webhook, sharing a real redis-server.

The stand-in plays Telegram: it takes `setWebhook`, then posts each update
with the secret token to one replica, and to the next when a replica does
not answer 200 (as Telegram redelivers, through a load balancer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES
from tests.e2e.test_e2e_features import MEETINGS, NOTE_RU
from tests.e2e.test_e2e_process import BotProcess, bot_process, env_for
from tests.support.botapi_stub import TOKEN, BotAPIStub, Sent
from tests.support.redis_server import free_port

pytestmark = pytest.mark.slow

PUBLIC_URL = "https://bot.example.org/tg/webhook"
UNCACHED = "На какую сумму торгуют друг с другом Беларусь и Казахстан?"


@contextlib.asynccontextmanager
async def replica(env: dict[str, str], port: int, journal: Path) -> AsyncIterator[tuple[BotProcess, str]]:
    """One bot process serving the webhook on `port`; yields it and its base URL once healthy."""
    base = f"http://127.0.0.1:{port}"
    async with bot_process({**env, "WEB_PORT": str(port), "JOURNAL_PATH": str(journal)}) as running:
        deadline = time.monotonic() + 180
        async with ClientSession() as session:
            while True:
                with contextlib.suppress(OSError):
                    async with session.get(f"{base}/healthz") as response:
                        if response.status == 200:
                            break
                if running.process.returncode is not None or time.monotonic() > deadline:
                    msg = f"replica on {port} did not become healthy"
                    raise RuntimeError(msg)
                await asyncio.sleep(0.2)
        yield running, base


async def answer_to(stub: BotAPIStub, message: dict[str, Any], within: float = 60) -> Sent:
    """The bot's reply to `message`."""
    await stub.wait_for(lambda: any(s.reply_to == message["message_id"] for s in stub.sent), within)
    return next(s for s in stub.sent if s.reply_to == message["message_id"])


async def test_two_replicas_share_context_and_limits_refuse_bad_secrets_and_lose_no_update(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    redis_url: str,
    tmp_path: Path,
) -> None:
    del real_pipeline  # the index is built
    env = env_for(
        real_seeds, real_index_dir,
        BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url, WEBHOOK_URL=PUBLIC_URL, REDIS_URL=redis_url,
        USER_QUESTIONS_PER_MINUTE="3", LOG_FORMAT="json",
    )  # fmt: skip
    async with (
        replica(env, free_port(), tmp_path / "a.sqlite3") as (first, first_url),
        replica(env, free_port(), tmp_path / "b.sqlite3") as (second, second_url),
    ):
        hooks = [f"{first_url}/tg/webhook", f"{second_url}/tg/webhook"]
        assert stub.webhook["url"] == PUBLIC_URL
        assert len(str(stub.webhook["secret_token"])) >= 32
        assert {"message", "edited_message"} <= set(stub.webhook["allowed_updates"])

        async def deliver(message_text: str, user_id: int, to: list[str]) -> dict[str, Any]:
            message = stub.message(message_text, user_id=user_id)
            (update,) = stub.take_updates()
            await stub.deliver(update, to)
            return message

        # Telegram's secret header is required: without it, or with a wrong one, 403 and nothing handled.
        stub.message(JOINT_VENTURES, user_id=400)
        (forged,) = stub.take_updates()
        async with ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                async with session.post(hooks[0], json=forged, headers=headers) as response:
                    assert response.status == 403

        # Context: a question on one replica, its follow-up (once the answer came) on the other.
        await answer_to(stub, await deliver(MEETINGS, 401, hooks[:1]))
        follow = await deliver("А кто ещё там был?", 401, hooks[1:])
        assert f"{NOTE_RU}: «{MEETINGS}»" in (await answer_to(stub, follow)).text

        # A question answered by one replica and edited through the other: its answer is edited in place.
        asked = await deliver(JOINT_VENTURES, 409, hooks[:1])
        answer = await answer_to(stub, asked)
        await stub.settle()  # the answer delivered and remembered, as when a reader edits having read it
        stub.edit(asked, MEETINGS)
        (edit,) = stub.take_updates()
        await stub.deliver(edit, hooks[1:])
        await stub.wait_for(lambda: any(e[:2] == (answer.chat_id, answer.message_id) for e in stub.text_edits), 60)
        assert "Лукашенко" in answer.text

        # One limit for both: the fourth question within a minute, on either replica, is refused once, politely.
        replies = [
            await answer_to(stub, await deliver(q, 402, [hooks[n % 2]]))
            for n, q in enumerate([JOINT_VENTURES, MEETINGS] * 2)
        ]
        assert ["Слишком много вопросов" in r.text for r in replies] == [False, False, False, True]

        # Kill one replica while its answer to an update is on the way: the other takes the update over
        # once the killed one's heartbeat is gone, and answers it.
        stub.hold_messages()
        update_message = await deliver(UNCACHED, 403, hooks[:1])
        await stub.wait_for(lambda: stub.held == 1, 60)
        first.process.kill()
        await first.process.wait()
        stub.release_held(deliver=False)  # the killed replica's message never arrived
        assert (await answer_to(stub, update_message)).text
        # ...and every later update reaches the survivor.
        later = [await deliver(q, 404 + n, hooks) for n, q in enumerate([MEETINGS, JOINT_VENTURES, MEETINGS])]
        for message in later:
            assert (await answer_to(stub, message)).text

        async with ClientSession() as session:
            async with session.get(f"{second_url}/healthz") as response:
                health = await response.json()
            async with session.get(f"{second_url}/metrics") as response:
                metrics = await response.text()
        assert health == {"status": "ok", "index_chunks": health["index_chunks"], "encoder": True, "redis": True}
        assert 'newsqa_updates_total{type="message"}' in metrics
        assert 'newsqa_throttled_total{scope="user"}' in metrics

    assert second.process.returncode == 0, second.log
    assert stub.rejected == []
    for log in (first.log, second.log):
        assert TOKEN not in log
        assert TOKEN.split(":")[1] not in log
        assert JOINT_VENTURES not in log  # message texts are not logged
    updates = [json.loads(line) for line in second.log.splitlines() if '"message": "update"' in line]
    assert updates
    assert {"update_id", "update_type", "chat_type", "latency_ms"} <= set(updates[0])
    assert "webhook: refused a request" in first.log
