"""Live reindex: /reindex over HTTP (fake encoder, real FAISS), and SIGHUP to the real bot process."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from tests.conftest import ROOT
from tests.e2e.test_e2e_process import bot_process, env_for
from tests.support.botapi_stub import TOKEN, BotAPIStub
from tests.support.fakes import FakeEncoder
from tests.support.running import bot_settings, running_bot

ADMIN = 4242
NEW_ARTICLE = (
    " date 2026-03-03 В Караганде прошёл хоккейный турнир\n\n"
    "Хоккейный турнир юниоров собрал восемь команд. Победила сборная Караганды.\n"
)


async def test_admin_reindex_swaps_in_a_new_article_without_dropping_questions(
    stub: BotAPIStub, tiny_settings: EngineSettings
) -> None:
    pipeline = Pipeline.open(tiny_settings, encoder=FakeEncoder())
    settings = bot_settings(
        stub, tiny_settings.seeds_dir, tiny_settings.index_dir, admin_ids=frozenset({ADMIN}), answer_threshold=0.0
    )
    async with running_bot(stub, pipeline, settings, workers=1) as running:
        refused = stub.message("/reindex", user_id=5)
        (reply,) = await stub.wait_sent(1)
        assert reply.reply_to == refused["message_id"]
        assert "только для администраторов" in reply.text
        (settings.seeds_dir / "003_hockey.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        stub.message("/reindex", user_id=ADMIN)
        stub.message("Сколько зрителей собрал фестиваль?", user_id=6)  # answered while the index is rebuilt
        stub.message("/reindex", user_id=ADMIN)
        sent = await stub.wait_sent(5)
        await stub.settle(quiet=1.5)  # the admin's chat gets its fourth message a second after the first
        texts = [s.text for s in stub.sent[1:]]
        assert any(t.startswith("Перестраиваю индекс") for t in texts)
        assert any("уже перестраивается" in t for t in texts) or sum(t.startswith("Готово") for t in texts) == 2
        assert any("десять тысяч зрителей" in t for t in texts)
        assert any(t.startswith("Готово: статей — 3") for t in texts), texts
        assert len(sent) >= 5
        stub.message("Кто победил в хоккейном турнире?", user_id=6)
        answer = (await stub.wait_sent(len(stub.sent) + 1))[-1]
        assert "Победила сборная Караганды" in answer.text
        assert "В Караганде прошёл хоккейный турнир" in answer.text
        assert running.answering.pipeline is not pipeline
        assert stub.rejected == []


@pytest.mark.slow
async def test_sighup_picks_up_an_index_built_while_the_bot_runs(
    stub: BotAPIStub, real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline, tmp_path: Path
) -> None:
    del real_pipeline  # the index is built; the bot works on copies
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    shutil.copytree(real_seeds, seeds)
    shutil.copytree(real_index_dir, index)
    env = env_for(seeds, index, BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url, AUTO_REBUILD="false")
    async with bot_process(env) as running:
        await stub.wait_for(lambda: "getUpdates" in stub.methods(), within=120)
        (seeds / "009_hockey.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        build = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "embeddings", "build"], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert build.returncode == 0, build.stderr
        running.process.send_signal(signal.SIGHUP)
        for _ in range(50):  # the swap is logged; ask until it is done
            stub.message("Кто победил в хоккейном турнире юниоров в Караганде?", user_id=8)
            reply = (await stub.wait_sent(len(stub.sent) + 1, within=60))[-1]
            if "Победила сборная Караганды" in reply.text:
                break
            await asyncio.sleep(0.5)
        assert "Победила сборная Караганды" in reply.text
    log = running.log
    assert running.process.returncode == 0, log
    assert "index swapped in: 3 articles" in log
    assert TOKEN not in log
