"""Async facade over the retrieval core: CPU-bound work runs off the event loop."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from bot.answering.batcher import MicroBatcher
from embeddings.answer.record import Answer
from embeddings.config import EngineSettings
from embeddings.ingest.corpus import Story, load_story
from embeddings.pipeline import Pipeline, SourceInfo, rebuild
from embeddings.retrieve.search import Passage
from embeddings.text import normalise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reloaded:
    """What a reload swapped in."""

    articles: int
    passages: int
    seconds: float
    version: str


class QAService:
    """What the handlers need from the pipeline, awaitable.

    A repeated question is answered from the cache without leaving the event
    loop, and a question equal to one being answered right now waits for that
    answer instead of computing it again. Otherwise its query vector comes from
    the micro-batcher (one encoder call for all the chats asking at that
    moment), and search and answer selection run on a small thread pool.
    """

    def __init__(self, pipeline: Pipeline, story: Story, *, workers: int | None = None, max_batch: int = 32) -> None:
        self.pipeline = pipeline
        self.story = story
        self.batcher = MicroBatcher(lambda texts: self.pipeline.encode_questions(texts), max_batch=max_batch)
        self._executor = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="qa")
        self._in_flight: dict[str, asyncio.Future[Answer]] = {}
        self._reload_lock = asyncio.Lock()

    def names_subject(self, question: str) -> bool:
        """Whether `question` names something the articles use (a name, an acronym): no search, no encoding."""
        reading, _ = self.pipeline.read(question)
        return reading is not None and any(t.key and t.found for t in reading.terms)

    def cached(self, question: str) -> Answer | None:
        """The remembered answer to an equal question, without any work."""
        return self.pipeline.cached(question)

    async def ask(self, question: str) -> Answer:
        """The grounded answer to `question`."""
        cached = self.cached(question)
        if cached is not None:
            return cached
        key = normalise(question)
        running = self._in_flight.get(key)
        if running is not None:
            answer = await asyncio.shield(running)
            return replace(answer, question=question)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            answer = await self._compute(question)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: the waiters, if any, re-raise it
            raise
        else:
            future.set_result(answer)
            return answer
        finally:
            del self._in_flight[key]

    async def _compute(self, question: str) -> Answer:
        cleaned, _ = self.pipeline.prepare(question)
        vector = await self.batcher.encode(cleaned) if cleaned else None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.pipeline.ask_encoded, question, vector)

    async def passages(self, question: str, limit: int) -> list[Passage]:
        """The `limit` passages closest to `question`, best first."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.pipeline.passages, question, limit)

    @property
    def reloading(self) -> bool:
        """Whether a reload is under way."""
        return self._reload_lock.locked()

    async def reload(self, settings: EngineSettings, *, rebuild_index: bool) -> Reloaded:
        """Load the index from disk (rebuilding it from the seeds first when asked) and swap it in.

        Runs on its own thread while questions keep being answered by the
        current pipeline; the swap is one assignment, so a question in flight
        finishes on the pipeline it started with. One reload at a time.
        """
        async with self._reload_lock:
            started = time.perf_counter()
            encoder = self.pipeline.encoder

            def load() -> tuple[Pipeline, Story]:
                if rebuild_index:
                    rebuild(settings, encoder)
                return Pipeline.open(settings, encoder=encoder), load_story(settings.seeds_dir)

            pipeline, story = await asyncio.get_running_loop().run_in_executor(None, load)
            self.pipeline, self.story = pipeline, story
            reloaded = Reloaded(
                articles=len(pipeline.index.articles),
                passages=len(pipeline.index.chunks),
                seconds=time.perf_counter() - started,
                version=pipeline.index.version,
            )
            log.info(
                "index swapped in: %d articles, %d passages, %.1f s",
                reloaded.articles,
                reloaded.passages,
                reloaded.seconds,
            )
            return reloaded

    def sources(self) -> list[SourceInfo]:
        """The articles of the corpus (cheap: already in memory)."""
        return self.pipeline.sources()

    async def close(self) -> None:
        """Finish the answers in flight, then stop the worker threads."""
        await self.batcher.close()
        self._executor.shutdown(wait=True)
