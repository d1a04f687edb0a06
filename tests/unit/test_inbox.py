"""The inbox of updates, in SQLite and in a real Redis: once each, unfinished ones found again, old ones given up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.metrics import Metrics
from bot.state.inbox import FallbackInbox, Inbox, SqliteInbox, Unfinished
from bot.state.inbox_redis import RedisInbox
from bot.state.redis_link import RedisLink
from tests.support.redis_server import running_redis

WINDOW = 600.0


@pytest.fixture
async def clients(redis_url: str) -> AsyncIterator[Callable[[], Redis]]:
    """Makes Redis clients of the test's server, closing them all at the end."""
    made: list[Redis] = []

    def client() -> Redis:
        made.append(Redis.from_url(redis_url))
        return made[-1]

    yield client
    for each in made:
        await each.aclose()


async def live_replica(client: Redis) -> RedisInbox:
    """The inbox of a replica whose heartbeat Redis has."""
    link = RedisLink(client, Metrics())
    await link.beat()
    return RedisInbox(client, owner=link.token, window=WINDOW)


@pytest.fixture(params=["sqlite", "redis"])
async def inboxes(
    request: pytest.FixtureRequest, tmp_path: Path, clients: Callable[[], Redis]
) -> AsyncIterator[Callable[..., Awaitable[Inbox]]]:
    """Makes inboxes of one store: a process's, then the one of the process started after it crashed."""
    made: list[Inbox] = []

    async def inbox(window: float = WINDOW) -> Inbox:
        for earlier in made:  # it has stopped (or crashed): a new process comes after it
            await earlier.close()
        if request.param == "sqlite":
            made.append(SqliteInbox(tmp_path / "bot.sqlite3", window=window))
        else:  # each a replica of its own, with no heartbeat: one that has died, once another is made
            made.append(RedisInbox(clients(), owner=f"replica-{len(made)}", window=window))
        return made[-1]

    yield inbox
    for each in made:
        await each.close()


async def test_an_update_is_taken_once_and_known_after_it_is_answered(inboxes: Callable[..., Awaitable[Inbox]]) -> None:
    inbox = await inboxes()
    assert await inbox.accept(1, '{"update_id": 1}')
    assert not await inbox.accept(1, '{"update_id": 1}')  # delivered again while being answered
    await inbox.done(1)
    assert not await inbox.accept(1, '{"update_id": 1}')  # delivered again after it was answered
    assert (await inbox.unfinished(set())).to_answer == []


async def test_after_a_crash_the_unfinished_updates_are_found_oldest_first_and_taken_once(
    inboxes: Callable[..., Awaitable[Inbox]],
) -> None:
    crashed = await inboxes()
    for update_id in (3, 1, 2, 4):
        assert await crashed.accept(update_id, f'{{"update_id": {update_id}}}')
    await crashed.done(2)
    restarted = await inboxes()
    found = await restarted.unfinished(set())
    assert [e.update_id for e in found.to_answer] == [1, 3, 4]
    assert found.to_answer[0].body == '{"update_id": 1}'
    assert found.given_up == []
    assert not await restarted.accept(3, '{"update_id": 3}')  # Telegram delivers it again: answered once
    for entry in found.to_answer:
        await restarted.done(entry.update_id)
    assert (await restarted.unfinished(set())).to_answer == []


async def test_updates_being_answered_are_not_taken_again(inboxes: Callable[..., Awaitable[Inbox]]) -> None:
    inbox = await inboxes()
    for update_id in (1, 2):
        await inbox.accept(update_id, "{}")
    assert [e.update_id for e in (await inbox.unfinished({1})).to_answer] == [2]


async def test_unfinished_updates_older_than_the_window_are_given_up_once(
    inboxes: Callable[..., Awaitable[Inbox]],
) -> None:
    crashed = await inboxes(window=0.0)
    await crashed.accept(7, "{}")
    found = await (await inboxes(window=0.0)).unfinished(set())
    assert [e.update_id for e in found.given_up] == [7]
    assert found.to_answer == []
    assert await (await inboxes(window=0.0)).unfinished(set()) == Unfinished()


async def test_two_live_replicas_never_both_take_an_update_and_a_dead_ones_are_taken_over(
    clients: Callable[[], Redis],
) -> None:
    first, second = await live_replica(clients()), await live_replica(clients())
    assert await first.accept(1, "{}")
    assert not await second.accept(1, "{}")  # the same update delivered to the other replica
    assert await first.accept(2, "{}")
    assert (await second.unfinished(set())).to_answer == []  # the first is alive: they are its
    dead = RedisInbox(clients(), owner="a-replica-that-died", window=WINDOW)
    assert await dead.accept(3, "{}")
    assert await second.accept(3, "{}")  # delivered again: its replica is gone, this one answers it
    assert await dead.accept(4, "{}")
    # Right after Redis came back a live replica's heartbeat may be old: each takes only its own then.
    assert (await second.unfinished({3}, take_over=False)).to_answer == []
    assert [e.update_id for e in (await second.unfinished({3})).to_answer] == [4]
    assert (await first.unfinished({1, 2})).to_answer == []  # taken by the second now


async def test_processes_sharing_one_sqlite_file_take_over_only_the_updates_of_one_that_is_gone(
    tmp_path: Path,
) -> None:
    first, second = (SqliteInbox(tmp_path / "shared.sqlite3", window=WINDOW) for _ in range(2))
    assert await first.accept(1, "{}")
    assert not await second.accept(1, "{}")  # one file: one answer
    assert (await second.unfinished(set())).to_answer == []  # the first is running: its update
    await first.close()  # stopped (its lock is free, as when a process dies)
    assert [e.update_id for e in (await second.unfinished(set())).to_answer] == [1]
    await second.close()


async def test_update_ids_are_a_bots_own_a_journal_kept_across_a_new_token_knows_none_of_the_new_bots(
    tmp_path: Path,
) -> None:
    old = SqliteInbox(tmp_path / "bot.sqlite3", window=WINDOW, bot=Settings(_env_file=None, bot_token="111:AA").bot_id)
    assert await old.accept(1, "{}")
    await old.done(1)
    await old.close()
    new = SqliteInbox(tmp_path / "bot.sqlite3", window=WINDOW, bot=Settings(_env_file=None, bot_token="222:BB").bot_id)
    assert await new.accept(1, "{}")
    await new.close()


async def test_while_redis_is_lost_updates_go_to_sqlite_and_answers_are_marked_in_redis_once_it_is_back(
    tmp_path: Path,
) -> None:
    with running_redis() as server:
        client = Redis.from_url(server.url)
        link = RedisLink(client, Metrics())
        inbox = FallbackInbox(
            RedisInbox(client, owner=link.token, window=WINDOW),
            SqliteInbox(tmp_path / "b.sqlite3", window=WINDOW),
            link,
        )
        assert await inbox.accept(1, "{}")  # into Redis
        server.kill()
        assert await inbox.accept(2, "{}")  # into SQLite
        assert not link.up
        await inbox.done(1)  # Redis is lost: marked there once it is back
        await inbox.done(2)
        assert (await inbox.unfinished(set())).to_answer == []
        server.start()  # again, empty, on its port
        await link.ping()
        assert link.up
        other_client = Redis.from_url(server.url)
        other = RedisInbox(other_client, owner="another", window=WINDOW)
        assert not await other.accept(1, "{}")  # known as answered
        await inbox.close()
        for each in (client, other_client):
            await each.aclose()
