"""Async facade over the retrieval core: CPU-bound work runs off the event loop."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from embeddings.answer import Answer
from embeddings.corpus import Story
from embeddings.pipeline import Pipeline, SourceInfo


class QAService:
    """What the handlers need from the pipeline, awaitable.

    `ask` runs on a small thread pool: the encoder releases the GIL while it
    computes, so the event loop keeps serving other chats meanwhile.
    """

    def __init__(self, pipeline: Pipeline, story: Story, *, workers: int | None = None) -> None:
        self.pipeline = pipeline
        self.story = story
        self._executor = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="qa")

    async def ask(self, question: str) -> Answer:
        """The grounded answer to `question`."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.pipeline.ask, question)

    def sources(self) -> list[SourceInfo]:
        """The articles of the corpus (cheap: already in memory)."""
        return self.pipeline.sources()

    def close(self) -> None:
        """Stop the worker threads after the answers in flight."""
        self._executor.shutdown(wait=True)
