"""Deliveries over a real SQLite inbox: an update once, answered ones done, kept ones and old ones."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from aiogram.types import Update

from bot.delivery import Deliveries, Delivery, DurableDispatcher
from bot.metrics import Metrics
from bot.sending.session import ApiHealth
from bot.state.inbox import SqliteInbox
from tests.support.fake_session import fake_bot


def update(update_id: int) -> Update:
    return Update.model_validate({"update_id": update_id})


def sample(deliveries: Deliveries, name: str) -> float:
    return deliveries.metrics.registry.get_sample_value(name) or 0.0


async def test_an_update_is_accepted_once_and_a_kept_one_stays_unfinished(tmp_path: Path) -> None:
    inbox = SqliteInbox(tmp_path / "bot.sqlite3", window=600)
    deliveries = Deliveries(inbox, Metrics(), ApiHealth())
    assert await deliveries.accept(update(1))
    assert not await deliveries.accept(update(1))  # delivered again while being answered
    assert await deliveries.accept(update(2))
    assert deliveries.handling == {1, 2}
    assert (await inbox.unfinished(deliveries.handling)).to_answer == []
    await deliveries.finish(Delivery(1))
    await deliveries.finish(Delivery(2, kept=True))  # its answer could not be sent
    assert deliveries.handling == set()
    assert [e.update_id for e in (await inbox.unfinished(set())).to_answer] == [2]
    assert not await deliveries.accept(update(1))  # answered: known
    assert sample(deliveries, "newsqa_duplicate_updates_total") == 2
    await inbox.close()


async def test_updates_left_longer_than_the_window_are_given_up_with_one_line_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crashed = SqliteInbox(tmp_path / "bot.sqlite3", window=0)
    for update_id in (5, 6):
        await crashed.accept(update_id, update(update_id).model_dump_json())
    await crashed.close()
    inbox = SqliteInbox(tmp_path / "bot.sqlite3", window=0)
    deliveries = Deliveries(inbox, Metrics(), ApiHealth())
    bot, _ = fake_bot()
    dispatcher = DurableDispatcher(deliveries=deliveries)
    await deliveries.sweep(dispatcher, bot)
    await deliveries.sweep(dispatcher, bot)
    assert sample(deliveries, "newsqa_updates_given_up_total") == 2
    lines = [r for r in caplog.records if "given up" in r.getMessage()]
    assert [(r.levelno, r.getMessage().split(":")[0]) for r in lines] == [
        (logging.WARNING, "update 5 given up"),
        (logging.WARNING, "update 6 given up"),
    ]
    assert sample(deliveries, "newsqa_redelivered_updates_total") == 0
    await inbox.close()
