"""Coalesce concurrent query encodings from many chats into batched encoder calls.

Natural batching: when the encoder is idle, a question is encoded at once
(nobody waits for a window nobody shares); while it is busy, the questions
that arrive queue up and go together as the next batch, up to `max_batch`.
The encoder runs on its own worker thread, so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
EncodeBatch = Callable[[Sequence[str]], npt.NDArray[np.float32]]


class BatcherClosedError(RuntimeError):
    """The batcher was closed before this text was encoded."""


class MicroBatcher:
    """`await batcher.encode(text)` from any number of tasks; one encoder call per batch."""

    def __init__(self, encode: EncodeBatch, *, max_batch: int = 32) -> None:
        self._encode = encode
        self.max_batch = max_batch
        self._pending: list[tuple[str, asyncio.Future[Vector]]] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encoder")
        self._drainer: asyncio.Task[None] | None = None
        self._closed = False
        self.batches = 0
        self.encoded = 0
        self.on_batch: Callable[[int], None] | None = None  # told each batch's size (metrics)

    async def encode(self, text: str) -> Vector:
        """The vector of `text`, encoded together with whatever else is waiting."""
        if self._closed:
            msg = "the encoder batcher is closed"
            raise BatcherClosedError(msg)
        future: asyncio.Future[Vector] = asyncio.get_running_loop().create_future()
        self._pending.append((text, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    @property
    def mean_batch(self) -> float:
        """Average texts per encoder call so far."""
        return self.encoded / self.batches if self.batches else 0.0

    async def close(self) -> None:
        """Finish the batch being encoded, fail the ones still queued, stop the worker."""
        self._closed = True
        if self._drainer is not None:
            await asyncio.gather(self._drainer, return_exceptions=True)
        for _, future in self._pending:
            if not future.done():
                future.set_exception(BatcherClosedError("the encoder batcher was closed"))
        self._pending.clear()
        self._executor.shutdown(wait=True)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending and not self._closed:
            batch = [(t, f) for t, f in self._pending[: self.max_batch] if not f.done()]
            del self._pending[: self.max_batch]
            if not batch:
                continue
            texts = [t for t, _ in batch]
            try:
                vectors = await loop.run_in_executor(self._executor, self._encode, texts)
            except Exception:  # isolate the failing text, below
                await self._one_by_one(batch)
                continue
            self.batches += 1
            self.encoded += len(batch)
            if self.on_batch is not None:
                self.on_batch(len(batch))
            for (_, future), vector in zip(batch, vectors, strict=True):
                if not future.done():
                    future.set_result(vector)

    async def _one_by_one(self, batch: list[tuple[str, asyncio.Future[Vector]]]) -> None:
        """After a failed batch: encode each text alone, so only the bad one's caller fails."""
        loop = asyncio.get_running_loop()
        for text, future in batch:
            if future.done():
                continue
            try:
                (vector,) = await loop.run_in_executor(self._executor, self._encode, [text])
            except Exception as exc:  # handed to the caller that asked
                if not future.done():
                    future.set_exception(exc)
                continue
            self.batches += 1
            self.encoded += 1
            if not future.done():
                future.set_result(vector)
