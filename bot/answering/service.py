"""The one answering path every front end takes: private chats, groups, inline mode, the console.

`AnsweringService.answer` runs, for one message:

1. plan: a new question, a follow-up of the conversation's topic, or "more"
   (`conversation.plan`, from the text and the topic alone);
2. cache: an equal question answered before under this index;
3. in-flight: an equal question being answered right now is waited for;
4. prepare: the question is read once (cleaned, spelled, typos corrected);
5. encode: its vector comes from the micro-batcher, one encoder call for
   every chat asking at that moment;
6. search and answer, on a small thread pool, off the event loop;
7. record: the journal row and the metrics, here and nowhere else; a
   question the articles did not answer is kept as a gap for the editors,
   with the vector it was answered with (`bot/state/gaps.py`).

It returns a `Reply`: what was planned, the answer, whether it was
remembered, and how long it took.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace

from bot.answering.batcher import MicroBatcher
from bot.answering.conversation import Plan, plan, small_talk_of, without_pleasantries
from bot.metrics import Metrics
from bot.state.gaps import Gap
from bot.state.journal import Journal
from bot.texts import Lang, lang_of_text
from embeddings.answer.decision import Status
from embeddings.answer.record import Answer
from embeddings.config import EngineSettings
from embeddings.encode.encoders import Vectors
from embeddings.index.load import MANIFEST
from embeddings.index.versions import current
from embeddings.ingest.corpus import Article, Story, load_story
from embeddings.pipeline import BriefLine, Pipeline, SourceInfo, rebuild
from embeddings.retrieve.followup import rewrite
from embeddings.retrieve.followup import warm as warm_follow_ups
from embeddings.retrieve.forms import Form
from embeddings.retrieve.search import Passage
from embeddings.text import language_of, normalise

log = logging.getLogger(__name__)

VECTORS_KEPT = 4096
Waiting = Callable[[], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class Reply:
    """What answering one message came to.

    `answer` is None for "more" (the front end pages passages) and for small
    talk (the front end replies with `bot.reader.small_talk_blocks`).
    """

    plan: Plan
    answer: Answer | None
    cached: bool = False
    latency_ms: float = 0.0


@dataclass(frozen=True)
class Reloaded:
    """What a reload swapped in."""

    articles: int
    passages: int
    seconds: float
    version: str


@contextlib.asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield


class AnsweringService:
    """The pipeline, awaitable, for every front end; it records each question once."""

    def __init__(
        self,
        pipeline: Pipeline,
        story: Story,
        *,
        journal: Journal | None = None,
        metrics: Metrics | None = None,
        workers: int | None = None,
        max_batch: int = 32,
    ) -> None:
        self.pipeline = pipeline
        self.story = story
        self.journal = journal
        self.metrics = metrics
        self.batcher = MicroBatcher(lambda texts: self.pipeline.encode_questions(texts), max_batch=max_batch)
        if metrics is not None:
            self.batcher.on_batch = metrics.batch_size.observe
        self._executor = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="qa")
        self._in_flight: dict[str, asyncio.Future[Answer]] = {}
        self._reload_lock = asyncio.Lock()
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()  # recent questions' vectors, for the gaps
        warm_follow_ups()  # `plan` reads follow-ups on the event loop: their models load here, not on the first one

    def plan(self, question: str, topic: str | None) -> Plan:
        """How to answer `question` after `topic`: new, follow-up or "more" (no search, no encoding)."""
        if small_talk_of(question) is not None:
            return plan(question, topic)
        question = without_pleasantries(question)
        reading, _ = self.pipeline.read(question)
        if reading is None:
            return plan(question, topic)
        names_subject = any(t.key and t.found for t in reading.terms)
        # A question word with two words of its own, or "who is" a name: a whole question, however short.
        stands_alone = reading.form is Form.WHO_IS or (reading.form is Form.QUESTION and len(reading.terms) >= 2)
        planned = plan(question, topic, names_subject=names_subject, stands_alone=stands_alone)
        if planned.kind == "follow_up" and reading.language == "ru-latn":
            # Spelled in Cyrillic on its own: joined to a Cyrillic topic, Latin words would read as names.
            planned = replace(planned, query=f"{reading.searched} {topic}")
        if planned.kind == "follow_up" and planned.topic and reading.language in ("ru", "ru-latn"):
            changed = rewrite(reading.searched, planned.topic)  # "а с Ольховкой?": the topic with that part replaced
            if changed is not None:
                planned = replace(planned, query=changed.question, changed=changed.part)
        return planned

    def language_of(self, question: str) -> Lang:
        """The interface language for a question from someone whose settings are unknown (the console, the CLI).

        Russian typed in Latin letters reads Russian; any other Latin-script text, English.
        """
        reading, _ = self.pipeline.read(question)
        if reading is not None and reading.language == "ru-latn":
            return "ru"
        return lang_of_text(question)

    async def answer(
        self, question: str, *, topic: str | None = None, chat_type: str, waiting: Waiting | None = None
    ) -> Reply:
        """Plan and answer one message; `waiting()` wraps the work when the answer is not remembered."""
        planned = self.plan(question, topic)
        if planned.kind in ("more", "small_talk"):
            return Reply(planned, None)
        return await self.answer_planned(planned, chat_type=chat_type, waiting=waiting)

    async def answer_planned(self, planned: Plan, *, chat_type: str, waiting: Waiting | None = None) -> Reply:
        """Answer a planned question (a front end that keeps state plans first, then moves its state on)."""
        started = time.perf_counter()
        answer = self.remembered(planned.query)
        cached = answer is not None
        if answer is None:
            async with (waiting or _nothing)():
                answer = await self._ask(planned.query)
        latency_ms = (time.perf_counter() - started) * 1000
        await self._record(answer, chat_type, latency_ms, cached)
        return Reply(planned, answer, cached, latency_ms)

    def remembered(self, question: str) -> Answer | None:
        """The answer to an equal question asked before under this index, without any work."""
        return self.pipeline.cached(question)

    async def example(self, question: str) -> Answer:
        """The answer to one of the story's example questions, offered to a reader: not recorded as asked."""
        return self.remembered(question) or await self._ask(question)

    async def _ask(self, question: str) -> Answer:
        """The answer to `question`, waiting for an equal one in flight rather than computing it twice."""
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
        pipeline = self.pipeline  # a reload swaps it; this question finishes on the one it started with
        prepared, _ = pipeline.prepare(question)
        vector = await self.batcher.encode(prepared) if prepared else None
        if vector is not None:
            self._keep_vector(question, vector)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, pipeline.ask_encoded, question, vector)

    async def _record(self, answer: Answer, chat_type: str, latency_ms: float, cached: bool) -> None:
        if self.metrics is not None:
            self.metrics.answers.labels(found=str(answer.found).lower()).inc()
            self.metrics.answer_latency.observe(latency_ms / 1000)
            if cached:
                self.metrics.cache_hits.inc()
        if self.journal is not None:
            await self.journal.record_question(chat_type, answer.found, latency_ms, cached)
            if answer.status in (Status.NOT_FOUND, Status.PARTIAL) and answer.reason != "empty":
                await self._record_gap(answer.question, answer.status.value, answer.missing, voted_down=False)

    async def voted_down(self, question: str, found: bool) -> None:
        """A reader voted 👎 on the answer to `question`: a gap for the editors too."""
        if self.journal is not None:
            await self._record_gap(question, "answer" if found else "not_found", None, voted_down=True)

    async def _record_gap(self, question: str, status: str, missing: str | None, *, voted_down: bool) -> None:
        assert self.journal is not None
        vector = await self._vector_of(question)
        gap = Gap(time.time(), question, language_of(question), status, missing, voted_down, vector)
        await self.journal.record_gap(gap)

    def _keep_vector(self, question: str, vector: Vectors) -> None:
        key = normalise(question)
        self._vectors[key] = vector.reshape(-1)
        self._vectors.move_to_end(key)
        while len(self._vectors) > VECTORS_KEPT:
            self._vectors.popitem(last=False)

    async def _vector_of(self, question: str) -> Vectors | None:
        """The vector `question` was answered with; encoded again only when forgotten (or asked elsewhere)."""
        known = self._vectors.get(normalise(question))
        if known is not None:
            return known
        prepared, _ = self.pipeline.prepare(question)
        return (await self.batcher.encode(prepared)).reshape(-1) if prepared else None

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
            encoder, params = self.pipeline.encoder, self.pipeline.params

            def load() -> Pipeline:
                if rebuild_index:
                    rebuild(settings, encoder, params=params)
                return Pipeline.open(settings, encoder=encoder, params=params)

            pipeline = await asyncio.get_running_loop().run_in_executor(None, load)
            return await self._swap_in(pipeline, settings, started)

    async def follow(self, settings: EngineSettings) -> Reloaded | None:
        """Swap in the index's current version when it is not the one answering (another process wrote it)."""
        async with self._reload_lock:
            folder = current(settings.index_dir)
            if folder == self.pipeline.index.folder or not (folder / MANIFEST).is_file():
                return None  # the same version, or none finished there (yet)
            started = time.perf_counter()
            encoder, params = self.pipeline.encoder, self.pipeline.params
            loop = asyncio.get_running_loop()
            pipeline = await loop.run_in_executor(None, lambda: Pipeline.load(settings, encoder=encoder, params=params))
            return await self._swap_in(pipeline, settings, started)

    async def _swap_in(self, pipeline: Pipeline, settings: EngineSettings, started: float) -> Reloaded:
        story = await asyncio.get_running_loop().run_in_executor(None, load_story, settings.seeds_dir)
        self.pipeline, self.story = pipeline, story
        reloaded = Reloaded(
            articles=len(pipeline.index.articles),
            passages=len(pipeline.index.chunks),
            seconds=time.perf_counter() - started,
            version=pipeline.index.version,
        )
        log.info(
            "index swapped in: %d articles, %d passages, %.1f s", reloaded.articles, reloaded.passages, reloaded.seconds
        )
        return reloaded

    def sources(self) -> list[SourceInfo]:
        """The articles of the corpus (cheap: already in memory)."""
        return self.pipeline.sources()

    @property
    def version(self) -> str:
        """The version of the index: a button naming a place in an article names it too."""
        return self.pipeline.index.version

    def brief(self) -> list[BriefLine]:
        """The story in brief (chosen when the index was built: no work here)."""
        return self.pipeline.brief()

    def article_at(self, position: int) -> Article | None:
        """The article stored at `position` of the index, if there is one."""
        return self.pipeline.article_at(position)

    def article_position(self, article_id: str) -> int:
        """Where an article is stored in the index (a short handle for a button)."""
        return self.pipeline.article_position(article_id)

    async def close(self) -> None:
        """Finish the answers in flight, then stop the worker threads."""
        await self.batcher.close()
        self._executor.shutdown(wait=True)
