"""The bot's Prometheus metrics, in a registry of its own (served at `/metrics`)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)


class Metrics:
    """Counters and histograms of one bot process; every replica exports its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("newsqa_updates", "Updates received, by type", ["type"], registry=r)
        self.answers = Counter("newsqa_answers", "Questions answered, by found/not found", ["found"], registry=r)
        self.answer_latency = Histogram(
            "newsqa_answer_latency_seconds", "From question to answer ready", buckets=LATENCY_BUCKETS, registry=r
        )
        self.update_latency = Histogram(
            "newsqa_update_latency_seconds", "Handling one update, sends included", buckets=LATENCY_BUCKETS, registry=r
        )
        self.cache_hits = Counter("newsqa_cache_hits", "Answers served from the answer cache", registry=r)
        self.batch_size = Histogram(
            "newsqa_encoder_batch_size", "Questions per encoder call", buckets=BATCH_BUCKETS, registry=r
        )
        self.throttled = Counter("newsqa_throttled", "Messages over a question limit, by scope", ["scope"], registry=r)
        self.telegram_errors = Counter(
            "newsqa_telegram_api_errors", "Failed Bot API calls, by method and code", ["method", "code"], registry=r
        )
        self.sent = Counter("newsqa_sent_messages", "Messages sent to chats", registry=r)
        self.send_wait = Histogram(
            "newsqa_send_wait_seconds", "Time a message waited in the outgoing queue", buckets=LATENCY_BUCKETS,
            registry=r,
        )  # fmt: skip
        self.send_queue = Gauge("newsqa_send_queue_length", "Messages waiting in the outgoing queue", registry=r)
        self.send_refused = Counter(
            "newsqa_send_429", "Messages refused with 429, by the scope paused: overall or chat", ["scope"], registry=r
        )
        self.send_given_up = Counter(
            "newsqa_send_given_up",
            "Messages given up after MAX_SEND_RETRIES refusals or SEND_RETRY_SECONDS of Bot API failures",
            registry=r,
        )
        self.send_retries = Counter(
            "newsqa_send_retries", "Messages sent again after the Bot API failed (5xx, network, timeout), by code",
            ["code"], registry=r,
        )  # fmt: skip
        self.redis_errors = Counter("newsqa_redis_errors", "Failed Redis calls (memory served instead)", registry=r)
        self.redis_up = Gauge("newsqa_redis_up", "1 while Redis answers, 0 while the replica uses memory", registry=r)
        self.duplicate_updates = Counter(
            "newsqa_duplicate_updates", "Updates received again and not answered twice", registry=r
        )
        self.redelivered = Counter(
            "newsqa_redelivered_updates", "Unfinished updates answered again (after a crash, a Bot API outage)",
            registry=r,
        )  # fmt: skip
        self.updates_given_up = Counter(
            "newsqa_updates_given_up", "Unfinished updates older than REDELIVERY_WINDOW_SECONDS, dropped", registry=r
        )
        self.busy_notices = Counter(
            "newsqa_busy_notices", "'Many questions right now, your answer is coming' notices sent", registry=r
        )
        self.in_flight = Gauge("newsqa_updates_in_flight", "Updates being handled right now", registry=r)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
