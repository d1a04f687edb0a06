"""The bot's settings: the retrieval core's plus Telegram's, from env and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

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
    journal_path: Path = Field(default=Path("data/bot.sqlite3"), description="SQLite file for votes and /stats")
    context_ttl_seconds: float = Field(default=300.0, gt=0, description="Silence after which a follow-up is new")
    context_max_chats: int = Field(default=10_000, ge=1, description="Conversations remembered at most")
    more_page_size: int = Field(default=3, ge=1, le=10, description="Passages per 'more' page")
    more_max_passages: int = Field(default=12, ge=1, le=50, description="Passages the 'more' button pages through")
    inline_cache_seconds: int = Field(default=30, ge=0, description="How long Telegram may reuse inline results")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")
