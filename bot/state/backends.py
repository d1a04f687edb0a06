"""Where the bot keeps its state: in this process, or in Redis shared by every replica.

Conversation context (aiogram's FSM storage), the shown answers behind the
buttons, the articles waiting for an admin's word, the rate limits, the
send budget and the inbox of updates all come from here, so that two
replicas behind one webhook give a user the same follow-up context, the same
limits, stay together within Telegram's, and never both answer one update.
While Redis is lost each of them works from this process's memory (the inbox
from SQLite): `bot/state/fallback.py`. Metrics, the outgoing queue, the
chats' answer order and typing statuses are always per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bot.config import Settings
from bot.metrics import Metrics
from bot.sending.budget import MemorySendBudget, RedisSendBudget, SendBudget, SendLimits
from bot.sending.order import ChatOrder
from bot.sending.outbox import Outbox
from bot.sending.session import ApiHealth
from bot.sending.typing import ChatTyping
from bot.state.drafts import Drafts, FallbackDrafts, MemoryDrafts, RedisDrafts
from bot.state.fallback import FallbackAnswers, FallbackLimiter, FallbackSendBudget, FallbackStorage
from bot.state.fsm import BoundedMemoryStorage
from bot.state.inbox import FallbackInbox, Inbox, SqliteInbox
from bot.state.inbox_redis import RedisInbox
from bot.state.limits import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from bot.state.redis_link import RedisLink
from bot.state.shown import AnswerRegistry, Answers, RedisAnswers

REDIS_PREFIX = "newsqa"


@dataclass
class Backends:
    """The state stores of one bot process."""

    storage: BaseStorage
    answers: Answers
    limiter: RateLimiter
    metrics: Metrics
    outbox: Outbox
    inbox: Inbox
    api: ApiHealth
    redis: Redis | None = None
    link: RedisLink | None = None
    drafts: Drafts = field(default_factory=MemoryDrafts)
    order: ChatOrder = field(default_factory=ChatOrder)
    typing: ChatTyping = field(default_factory=ChatTyping)

    async def redis_reachable(self) -> bool | None:
        """True/False when Redis is configured (a PING), None when it is not."""
        if self.link is None:
            return None
        return await self.link.ping()

    def start(self) -> None:
        """Watch Redis, when configured (see `RedisLink`)."""
        if self.link is not None:
            self.link.start()

    async def close_redis(self) -> None:
        """Stop the outgoing queue, close the inbox and Redis (the dispatcher closes the FSM storage itself)."""
        await self.outbox.close()
        await self.inbox.close()
        if self.link is not None:
            await self.link.close()
        if self.redis is not None:
            await self.redis.aclose()


def create_backends(settings: Settings) -> Backends:
    """Redis-backed stores when `REDIS_URL` is set, bounded in-memory ones otherwise."""
    metrics = Metrics()
    limits = SendLimits(
        per_second=settings.send_per_second,
        chat_per_second=settings.chat_sends_per_second,
        chat_burst=settings.chat_send_burst,
        group_per_minute=settings.group_sends_per_minute,
    )

    def outbox(budget: SendBudget) -> Outbox:
        return Outbox(
            budget, metrics=metrics, max_retries=settings.max_send_retries, retry_seconds=settings.send_retry_seconds
        )

    memory = BoundedMemoryStorage(max_keys=settings.context_max_chats, ttl=settings.context_ttl_seconds)
    local_inbox = SqliteInbox(settings.journal_path, window=settings.redelivery_window_seconds, bot=settings.bot_id)
    if settings.redis_url is None:
        return Backends(
            storage=memory,
            answers=AnswerRegistry(),
            limiter=MemoryRateLimiter(),
            metrics=metrics,
            outbox=outbox(MemorySendBudget(limits)),
            inbox=local_inbox,
            api=ApiHealth(),
        )
    # Short timeouts and one quick retry (a connection Redis dropped when it restarted): when Redis is gone,
    # the stores turn to memory within a moment instead of waiting out redis-py's backoff.
    redis = Redis.from_url(
        settings.redis_url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30,
        retry=Retry(NoBackoff(), 1),
    )  # fmt: skip
    link = RedisLink(redis, metrics, prefix=REDIS_PREFIX)
    ttl = int(settings.context_ttl_seconds) + 1
    shared = RedisStorage(
        redis, key_builder=DefaultKeyBuilder(prefix=f"{REDIS_PREFIX}:fsm"), state_ttl=ttl, data_ttl=ttl
    )
    shared_inbox = RedisInbox(
        redis, owner=link.token, window=settings.redelivery_window_seconds, bot=settings.bot_id, prefix=REDIS_PREFIX
    )
    return Backends(
        storage=FallbackStorage(shared, memory, link),
        answers=FallbackAnswers(RedisAnswers(redis, prefix=REDIS_PREFIX), AnswerRegistry(), link),
        limiter=FallbackLimiter(RedisRateLimiter(redis, prefix=REDIS_PREFIX), MemoryRateLimiter(), link),
        metrics=metrics,
        outbox=outbox(FallbackSendBudget(RedisSendBudget(redis, limits, prefix=REDIS_PREFIX), link)),
        inbox=FallbackInbox(shared_inbox, local_inbox, link),
        api=ApiHealth(),
        redis=redis,
        link=link,
        drafts=FallbackDrafts(RedisDrafts(redis, prefix=REDIS_PREFIX), MemoryDrafts(), link),
    )
