"""The outgoing queue: chats take turns, each chat's messages keep their order, a 429 pauses its scope."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import SendMessage

from bot.metrics import Metrics
from bot.sending.budget import MemorySendBudget, SendLimits, Target
from bot.sending.outbox import Outbox
from bot.sending.session import BotApiServerError

A, B, C = Target(1), Target(2), Target(3)


def outbox(
    per_second: float = 1000,
    *,
    max_retries: int = 5,
    chat_per_second: float = 1000,
    chat_burst: int = 1000,
    retry_seconds: float = 120,
    retry_first_delay: float = 0.5,
) -> Outbox:
    limits = SendLimits(per_second=per_second, chat_per_second=chat_per_second, chat_burst=chat_burst)
    return Outbox(
        MemorySendBudget(limits),
        metrics=Metrics(),
        max_retries=max_retries,
        retry_seconds=retry_seconds,
        retry_first_delay=retry_first_delay,
    )


def refusal(retry_after: int = 1) -> TelegramRetryAfter:
    return TelegramRetryAfter(SendMessage(chat_id=1, text="x"), "Too Many Requests", retry_after)


class FakeTelegram:
    """Records what arrives when; refuses the messages named in `refuse` with 429 (as many times as listed)."""

    def __init__(self, refuse: list[str] | None = None) -> None:
        self.delivered: list[str] = []
        self.tries: list[tuple[str, float]] = []
        self.refuse = refuse or []

    def request(self, name: str) -> Callable[[], Awaitable[str]]:
        async def send() -> str:
            self.tries.append((name, asyncio.get_running_loop().time()))
            await asyncio.sleep(0.001)
            if name in self.refuse:
                self.refuse.remove(name)
                raise refusal()
            self.delivered.append(name)
            return name

        return send


def sample(box: Outbox, name: str, **labels: str) -> float:
    value = box.metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


async def test_chats_take_turns_and_each_chat_keeps_its_order() -> None:
    box, telegram = outbox(per_second=10), FakeTelegram()
    names = ["a1", "a2", "a3", "b1", "c1"]
    targets = [A, A, A, B, C]
    tickets = [box.enqueue(target) for target in targets]
    await asyncio.gather(*(box.deliver(t, telegram.request(n)) for t, n in zip(tickets, names, strict=True)))
    assert telegram.delivered == ["a1", "b1", "c1", "a2", "a3"]  # everyone's first before anyone's second
    times = [at for _, at in telegram.tries]
    assert times[-1] - times[0] >= 3 / 10 - 0.01  # a burst of two, then one every 1/10 s
    assert box.waiting == 0
    assert sample(box, "newsqa_sent_messages_total") == 5


async def test_a_chat_over_its_rate_does_not_hold_back_the_others() -> None:
    box, telegram = outbox(chat_per_second=5, chat_burst=1), FakeTelegram()
    sends = [box.send(A, telegram.request(f"a{n}")) for n in range(3)]
    sends += [box.send(B, telegram.request("b1")), box.send(C, telegram.request("c1"))]
    await asyncio.gather(*sends)
    assert telegram.delivered[:3] == ["a0", "b1", "c1"]
    a_times = [at for name, at in telegram.tries if name.startswith("a")]
    assert a_times[2] - a_times[0] >= 2 / 5 - 0.01


async def test_a_429_pauses_its_chat_and_the_message_goes_again_first_and_once() -> None:
    box, telegram = outbox(), FakeTelegram(refuse=["a1"])
    results = await asyncio.gather(
        box.send(A, telegram.request("a1")), box.send(A, telegram.request("a2")), box.send(B, telegram.request("b1"))
    )
    assert results == ["a1", "a2", "b1"]
    assert telegram.delivered == ["b1", "a1", "a2"]  # the other chat went on meanwhile
    tries = dict(telegram.tries)  # the last try of each
    first_try = next(at for name, at in telegram.tries if name == "a1")
    assert tries["a1"] - first_try >= 0.99  # retry_after
    assert sample(box, "newsqa_send_429_total", scope="chat") == 1


async def test_refusals_in_two_chats_pause_the_whole_bot() -> None:
    box, telegram = outbox(), FakeTelegram(refuse=["a1", "b1"])
    started = asyncio.get_running_loop().time()
    await asyncio.gather(box.send(A, telegram.request("a1")), box.send(B, telegram.request("b1")))
    late = box.send(C, telegram.request("c1"))  # a third chat waits for the pause too
    await late
    c_at = next(at for name, at in telegram.tries if name == "c1")
    assert c_at - started >= 0.99
    assert sample(box, "newsqa_send_429_total", scope="chat") == 1
    assert sample(box, "newsqa_send_429_total", scope="overall") == 1


async def test_a_message_refused_too_often_is_given_up_logged_and_counted_and_the_chat_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box, telegram = outbox(max_retries=1), FakeTelegram(refuse=["a1", "a1"])
    with pytest.raises(TelegramRetryAfter):
        await box.send(A, telegram.request("a1"))
    assert [name for name, _ in telegram.tries] == ["a1", "a1"]  # once, and once again
    assert telegram.delivered == []
    assert sample(box, "newsqa_send_given_up_total") == 1
    assert "gave up a message to chat 1 after 2 refusals" in caplog.text
    assert await box.send(A, telegram.request("a2")) == "a2"


async def test_a_message_the_bot_api_did_not_take_goes_again_first_in_its_chat_after_a_growing_wait() -> None:
    box = outbox(retry_first_delay=0.02)
    failures = [
        BotApiServerError(SendMessage(chat_id=1, text="x"), "Bad Gateway", 502),
        TelegramServerError(SendMessage(chat_id=1, text="x"), "Internal Server Error"),
        TelegramNetworkError(SendMessage(chat_id=1, text="x"), "ClientConnectorError"),
    ]
    tries: list[tuple[str, float]] = []

    def request(name: str) -> Callable[[], Awaitable[str]]:
        async def send() -> str:
            tries.append((name, asyncio.get_running_loop().time()))
            if name == "a1" and failures:
                raise failures.pop(0)
            return name

        return send

    results = await asyncio.gather(box.send(A, request("a1")), box.send(A, request("a2")))
    assert results == ["a1", "a2"]
    assert [name for name, _ in tries if name.startswith("a")] == ["a1"] * 4 + ["a2"]  # the chat's order kept
    a_tries = [at for name, at in tries if name == "a1"]
    waits = [later - earlier for earlier, later in itertools.pairwise(a_tries)]
    assert waits[0] >= 0.02 - 0.005
    assert waits[1] >= 0.04 - 0.005  # the backoff doubles while the failures go on
    assert sample(box, "newsqa_send_retries_total", code="502") == 1
    assert sample(box, "newsqa_send_retries_total", code="5xx") == 1
    assert sample(box, "newsqa_send_retries_total", code="network") == 1
    assert box.waiting == 0


async def test_while_the_bot_api_fails_no_other_chat_tries_either() -> None:
    box, tries, failed = outbox(retry_first_delay=0.2), [], asyncio.Event()

    def request(name: str) -> Callable[[], Awaitable[str]]:
        async def send() -> str:
            tries.append((name, asyncio.get_running_loop().time()))
            if name == "a1" and not failed.is_set():
                failed.set()
                raise TelegramServerError(SendMessage(chat_id=1, text="x"), "Internal Server Error")
            return name

        return send

    first = asyncio.create_task(box.send(A, request("a1")))
    await failed.wait()
    assert await box.send(B, request("b1")) == "b1"
    await first
    failed_at = tries[0][1]
    assert all(at - failed_at >= 0.2 - 0.01 for _, at in tries[1:])  # held, then the chats go on


async def test_a_message_the_bot_api_does_not_take_within_the_deadline_is_given_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box, tries = outbox(retry_seconds=0.1, retry_first_delay=0.01), []

    async def lost() -> str:
        tries.append(1)
        raise TelegramNetworkError(SendMessage(chat_id=1, text="x"), "ClientConnectorError")

    with pytest.raises(TelegramNetworkError):
        await box.send(A, lost)
    assert len(tries) >= 3
    assert sample(box, "newsqa_send_given_up_total") == 1
    assert "gave up a message to chat 1: the Bot API has not taken it" in caplog.text
    assert box.waiting == 0


async def test_a_refusal_is_not_sent_again() -> None:
    box, tries = outbox(), []

    async def refused() -> str:
        tries.append(1)
        raise TelegramBadRequest(SendMessage(chat_id=1, text="x"), "Bad Request: chat not found")

    with pytest.raises(TelegramBadRequest):
        await box.send(A, refused)
    assert tries == [1]
    assert box.waiting == 0


async def test_a_sender_that_stops_waiting_leaves_the_line() -> None:
    box, telegram = outbox(per_second=2), FakeTelegram()
    first = asyncio.create_task(box.send(A, telegram.request("a1")))
    given_up = asyncio.create_task(box.send(A, telegram.request("a2")))
    last = asyncio.create_task(box.send(A, telegram.request("a3")))
    await asyncio.sleep(0.01)
    given_up.cancel()
    await asyncio.gather(first, last)
    assert telegram.delivered == ["a1", "a3"]
    assert box.waiting == 0


async def test_the_expected_wait_counts_the_chats_ahead_and_only_for_a_chat_not_yet_waiting() -> None:
    box = outbox(per_second=10, chat_per_second=1, chat_burst=1)
    telegram = FakeTelegram()
    sends = [asyncio.create_task(box.send(Target(n), telegram.request(str(n)))) for n in range(1, 21)]
    await asyncio.sleep(0.05)
    wait = box.expected_wait(Target(99), quiet=10)
    assert wait is not None
    assert 1.5 <= wait <= 2.0  # about 19 chats ahead at 10 a second
    assert box.expected_wait(Target(20), quiet=10) is None  # it is waiting already
    assert box.expected_wait(Target(1), quiet=10) is None  # it just heard from the bot
    assert box.waiting > 10
    await box.close()
    results = await asyncio.gather(*sends, return_exceptions=True)
    assert any(isinstance(r, asyncio.CancelledError) for r in results)


async def test_the_waiting_time_and_the_queue_length_are_measured(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    box, telegram = outbox(per_second=10), FakeTelegram()
    sends = [asyncio.create_task(box.send(Target(n), telegram.request(str(n)))) for n in range(5)]
    await asyncio.sleep(0)
    assert sample(box, "newsqa_send_queue_length") == 5
    await asyncio.gather(*sends)
    assert sample(box, "newsqa_send_queue_length") == 0
    assert sample(box, "newsqa_send_wait_seconds_count") == 5
    assert sample(box, "newsqa_send_wait_seconds_sum") >= 0.2  # 0 + 0 + 0.1 + 0.2 + 0.3 at 10 a second, burst 1


async def test_a_replica_sharing_the_budget_estimates_waits_from_what_it_has_been_sending() -> None:
    shared = MemorySendBudget(SendLimits(per_second=10, chat_per_second=1000, chat_burst=1000))
    first, second = Outbox(shared, metrics=Metrics()), Outbox(shared, metrics=Metrics())
    telegram = FakeTelegram()
    sends = [
        asyncio.create_task(box.send(Target(n * 2 + side), telegram.request(str(n))))
        for n in range(30)
        for side, box in enumerate((first, second))
    ]
    await asyncio.sleep(2.3)
    wait = first.expected_wait(Target(999), quiet=10)
    assert wait is not None
    assert wait >= 1.6 * first.waiting / 10  # about half the budget's rate is this replica's
    await first.close()
    await second.close()
    await asyncio.gather(*sends, return_exceptions=True)
