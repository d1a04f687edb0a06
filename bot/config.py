"""The bot's settings: the retrieval core's plus Telegram's, from env and `.env`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from embeddings.config import EngineSettings

OFFICIAL_API = "https://api.telegram.org"


class Settings(EngineSettings):
    """Everything `python -m bot` reads. The token is a `SecretStr`: it never prints."""

    bot_token: SecretStr | None = Field(default=None, description="From @BotFather; empty starts the console chat")
    telegram_api_url: str = Field(default=OFFICIAL_API, description="Base URL of the Bot API server")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), description="Comma-separated user ids")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_send_retries: int = Field(default=5, ge=0, le=20, description="Resends after a 429 before giving up")
    send_retry_seconds: float = Field(
        default=120.0, ge=0, description="How long a message is sent again while the Bot API fails (5xx, network)"
    )
    redelivery_window_seconds: float = Field(
        default=600.0, gt=0, description="Unanswered updates younger than this are answered after a restart"
    )
    journal_path: Path = Field(default=Path("data/bot.sqlite3"), description="SQLite file for votes and /stats")
    context_ttl_seconds: float = Field(default=300.0, gt=0, description="Silence after which a follow-up is new")
    context_max_chats: int = Field(default=10_000, ge=1, description="Conversations remembered at most")
    more_page_size: int = Field(default=3, ge=1, le=10, description="Passages per 'more' page")
    more_max_passages: int = Field(default=12, ge=1, le=50, description="Passages the 'more' button pages through")
    inline_cache_seconds: int = Field(default=30, ge=0, description="How long Telegram may reuse inline results")
    edit_window_seconds: float = Field(
        default=600.0, ge=0, description="An edited question is answered again up to this long after it was sent"
    )
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto", description="json: one JSON object per line; auto: json for the Telegram bot, text otherwise"
    )
    # Webhook mode and shared state
    webhook_url: str | None = Field(default=None, description="Public HTTPS URL Telegram posts updates to")
    webhook_secret: SecretStr | None = Field(default=None, description="X-Telegram-Bot-Api-Secret-Token; derived")
    web_host: str = Field(default="0.0.0.0", description="Where the webhook, /healthz and /metrics listen")
    web_port: int = Field(default=8080, ge=0, le=65535, description="Port of the webhook, /healthz and /metrics")
    redis_url: str | None = Field(default=None, description="redis://host:port/db for state shared by replicas")
    # Protection
    user_questions_per_minute: int = Field(default=20, ge=0, description="Per user; 0 turns the limit off")
    group_questions_per_minute: int = Field(
        default=19, ge=0, description="Per group chat, at most GROUP_SENDS_PER_MINUTE - 1; 0: that bound only"
    )
    # Sending, below Telegram's limits (about 30 a second overall, 1 a second per chat, 20 a minute per group)
    send_per_second: float = Field(default=25.0, gt=0, description="Messages sent per second, all chats together")
    chat_sends_per_second: float = Field(default=1.0, gt=0, description="Messages per second into one chat")
    chat_send_burst: int = Field(default=3, ge=1, description="Messages one chat may get back to back")
    group_sends_per_minute: int = Field(default=20, ge=2, description="Messages sent per minute into one group")
    busy_notice_seconds: float = Field(
        default=10.0, ge=0, description="Wait after which an asker is told the answer is coming (0: never)"
    )
    allowed_chats: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="Group ids the bot serves (empty: any); it leaves the others"
    )
    # The story growing
    source_channels: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), description="Channel ids or @usernames whose posts become articles (the bot is an admin)"
    )
    gaps_retention_days: int = Field(default=30, ge=1, description="Days the questions the articles missed are kept")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", "redis_url", "webhook_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            msg = "WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
            raise ValueError(msg)
        return value

    @field_validator("admin_ids", "allowed_chats", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("source_channels", mode="before")
    @classmethod
    def _split_channels(cls, value: object) -> object:
        if isinstance(value, str | int):
            value = str(value).replace(";", ",").split(",")
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(part).strip().lstrip("@").lower() for part in value if str(part).strip())
        return value

    def is_source_channel(self, chat_id: int, username: str | None) -> bool:
        """Whether a channel is one of `SOURCE_CHANNELS`, by id or by @username."""
        return str(chat_id) in self.source_channels or (username or "").lower() in self.source_channels

    @property
    def group_question_limit(self) -> int:
        """Questions answered per minute in one group: what the group's send budget leaves room for.

        One message of the budget stays free for the notice that the group
        asks more than the bot may answer. 0 in `GROUP_QUESTIONS_PER_MINUTE`
        leaves only this bound.
        """
        room = self.group_sends_per_minute - 1
        return min(self.group_questions_per_minute, room) if self.group_questions_per_minute else room

    @property
    def webhook_path(self) -> str:
        """The path of `WEBHOOK_URL`, where the bot's web server takes updates."""
        return urlsplit(self.webhook_url or "").path or "/webhook"

    @property
    def bot_id(self) -> int:
        """The bot's user id, the digits before the token's colon (0 without a token)."""
        token = self.bot_token.get_secret_value() if self.bot_token else ""
        digits = token.split(":", 1)[0]
        return int(digits) if digits.isdigit() else 0

    def webhook_secret_token(self) -> str:
        """`WEBHOOK_SECRET`, or one derived from the token: every replica derives the same."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        token = self.bot_token.get_secret_value() if self.bot_token else ""
        return hashlib.sha256(f"webhook:{token}".encode()).hexdigest()

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")
