"""Two replicas over a real redis-server share the articles and the index: an article added through one is
answered by both, and two admins adding at once through the two get both articles."""

from __future__ import annotations

import asyncio
import shutil
import time
import tomllib
from pathlib import Path

import pytest

from embeddings.index.load import load_index
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_articles import BRIDGE, HOCKEY, Folders
from tests.support.botapi_stub import BotAPIStub
from tests.support.running import ask, bot_settings, reply_to, running_bot

pytestmark = pytest.mark.slow

FIRST_ADMIN, SECOND_ADMIN, READER = 7001, 7002, 7100


@pytest.fixture
def folders(real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline, tmp_path: Path) -> Folders:
    del real_pipeline
    seeds, index = tmp_path / "volume" / "articles", tmp_path / "volume" / "index"
    shutil.copytree(real_seeds, seeds)
    shutil.copytree(real_index_dir, index)
    return Folders(seeds, index)


def stored(folders: Folders) -> tuple[set[str], set[str], set[str]]:
    """The article ids in the index, the article files and the metadata, as any replica sees them."""
    metadata = tomllib.loads((folders.seeds / "metadata.toml").read_text(encoding="utf-8"))
    return set(load_index(folders.index).articles), {p.stem for p in folders.seeds.glob("*.txt")}, set(metadata)


async def test_both_replicas_answer_about_articles_added_through_either_at_once(
    stub: BotAPIStub, real_pipeline: Pipeline, folders: Folders, redis_url: str
) -> None:
    # Each replica polls a stand-in of its own (one bot: the update ids do not repeat); Redis and the volume
    # are all they share.
    other = BotAPIStub(first_update_id=1_000_000)
    await other.start()
    admins = frozenset({FIRST_ADMIN, SECOND_ADMIN})
    settings = [
        bot_settings(s, folders.seeds, folders.index, admin_ids=admins, redis_url=redis_url, article_min_chars=100)
        for s in (stub, other)
    ]
    pipelines = [Pipeline.open(s, encoder=real_pipeline.encoder) for s in settings]
    try:
        async with running_bot(stub, pipelines[0], settings[0]), running_bot(other, pipelines[1], settings[1]):
            previews = await asyncio.gather(
                reply_to(stub, stub.document("hockey.txt", HOCKEY.encode(), user_id=FIRST_ADMIN)),
                reply_to(other, other.document("bridge.md", BRIDGE.encode(), user_id=SECOND_ADMIN)),
            )
            stub.press(previews[0], "✅", user_id=FIRST_ADMIN)  # both at once, on the two replicas
            other.press(previews[1], "✅", user_id=SECOND_ADMIN)
            for bot_api in (stub, other):
                await bot_api.wait_for(lambda b=bot_api: any(s.text.startswith("Готово") for s in b.sent), within=90)
            done = time.monotonic()
            hockey, bridge = (
                "Кто победил в хоккейном турнире юниоров в Караганде?",
                "Сколько стоило строительство моста?",
            )
            for bot_api in (stub, other):
                for question, quote in ((hockey, "победила сборная Караганды"), (bridge, "двенадцать миллиардов")):
                    answer = await ask(bot_api, question, user_id=READER)
                    assert quote in answer.text, answer.text
            assert time.monotonic() - done <= 10
            ids, files, metadata = stored(folders)
            added = {i for i in ids if i.startswith("tg-")}
            assert len(added) == 2
            assert added <= files
            assert added <= metadata
            assert stub.rejected == other.rejected == []
    finally:
        await other.stop()
