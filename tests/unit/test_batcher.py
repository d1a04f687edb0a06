from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import numpy as np
import pytest

from bot.answering.batcher import BatcherClosedError, MicroBatcher


class SlowEncoder:
    """Encodes a text as [len(text)]; records every batch; `poison` texts raise."""

    def __init__(self, delay: float = 0.02, poison: str = "💥") -> None:
        self.delay = delay
        self.poison = poison
        self.batches: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.gate.wait(5)
        self.batches.append(list(texts))
        threading.Event().wait(self.delay)
        if any(self.poison in t for t in texts):
            raise ValueError("poisoned text")
        return np.array([[float(len(t))] for t in texts], dtype=np.float32)


async def test_idle_question_goes_alone_and_busy_ones_are_batched_in_order() -> None:
    encoder = SlowEncoder()
    batcher = MicroBatcher(encoder, max_batch=8)
    first = await batcher.encode("a")
    assert encoder.batches == [["a"]]  # no window to wait for when idle
    texts = ["x" * n for n in range(1, 21)]
    results = await asyncio.gather(*(batcher.encode(t) for t in texts))
    assert [float(r[0]) for r in results] == [float(len(t)) for t in texts]
    assert float(first[0]) == 1.0
    assert max(len(b) for b in encoder.batches) > 1
    assert all(len(b) <= 8 for b in encoder.batches)
    assert batcher.mean_batch > 1
    await batcher.close()


async def test_an_error_reaches_only_the_caller_whose_text_failed() -> None:
    encoder = SlowEncoder()
    batcher = MicroBatcher(encoder, max_batch=8)
    encoder.gate.clear()
    blocker = asyncio.create_task(batcher.encode("first"))
    await asyncio.sleep(0.01)
    tasks = [asyncio.create_task(batcher.encode(t)) for t in ["ok", "💥 bad", "fine"]]
    encoder.gate.set()
    await blocker
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert float(results[0][0]) == 2.0  # type: ignore[index]
    assert isinstance(results[1], ValueError)
    assert float(results[2][0]) == 4.0  # type: ignore[index]
    await batcher.close()


async def test_a_cancelled_waiter_does_not_break_the_others() -> None:
    encoder = SlowEncoder(delay=0.05)
    batcher = MicroBatcher(encoder, max_batch=8)
    encoder.gate.clear()
    blocker = asyncio.create_task(batcher.encode("first"))
    await asyncio.sleep(0.01)
    doomed = asyncio.create_task(batcher.encode("doomed"))
    kept = asyncio.create_task(batcher.encode("kept"))
    await asyncio.sleep(0)
    doomed.cancel()
    encoder.gate.set()
    assert float((await kept)[0]) == 4.0
    await blocker
    with pytest.raises(asyncio.CancelledError):
        await doomed
    await batcher.close()


async def test_close_finishes_the_running_batch_and_fails_the_queue_without_deadlock() -> None:
    encoder = SlowEncoder(delay=0.05)
    batcher = MicroBatcher(encoder, max_batch=2)
    tasks = [asyncio.create_task(batcher.encode(t)) for t in ["a", "bb", "ccc", "dddd", "eeeee"]]
    await asyncio.sleep(0.01)
    await asyncio.wait_for(batcher.close(), 5)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert float(results[0][0]) == 1.0  # type: ignore[index]
    assert any(isinstance(r, BatcherClosedError) for r in results)
    with pytest.raises(BatcherClosedError):
        await batcher.encode("late")
