"""`python -m bot` as a real process: with a token against the stand-in, and without one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import ClientSession

from embeddings.pipeline import Pipeline
from tests.conftest import ROOT
from tests.support.botapi_stub import TOKEN, BotAPIStub
from tests.support.redis_server import free_port

pytestmark = pytest.mark.slow


def resident_mb(pid: int) -> float:
    """The resident set size of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def env_for(seeds: Path, index: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: its index, a free port, a journal of its own (update ids repeat across
    the tests' stand-ins, and a journal remembers the ids it answered)."""
    base = {
        "SEEDS_DIR": str(seeds), "INDEX_DIR": str(index), "PYTHONUNBUFFERED": "1", "WEB_PORT": str(free_port()),
        "JOURNAL_PATH": str(Path(tempfile.mkdtemp(prefix="journal-")) / "bot.sqlite3"),
    }  # fmt: skip
    return {**os.environ, **base, **extra}


@dataclass
class BotProcess:
    """`python -m bot` running; `log` holds its stderr once it stopped."""

    process: asyncio.subprocess.Process
    log: str = ""


@contextlib.asynccontextmanager
async def bot_process(env: dict[str, str]) -> AsyncIterator[BotProcess]:
    """Start the bot as a process; the block ends with SIGTERM, waiting for a clean exit (killed otherwise)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    running = BotProcess(process)
    try:
        try:
            yield running
        except Exception as exc:  # the test failed: its note is what the bot logged meanwhile
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            _, stderr = await process.communicate()
            exc.add_note(f"the bot's log ends:\n{stderr.decode()[-4000:]}")
            raise
        with contextlib.suppress(ProcessLookupError):  # a test may have killed it
            process.send_signal(signal.SIGTERM)
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), 60)
        except TimeoutError:
            process.kill()
            _, stderr = await process.communicate()
            tail = stderr.decode()[-4000:]
            raise AssertionError(f"the bot did not stop within 60 s of SIGTERM; its log ends:\n{tail}") from None
        running.log = stderr.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_the_bot_process_answers_and_stops_gracefully_on_sigterm(
    stub: BotAPIStub,
    real_seeds: Path,
    real_index_dir: Path,
    real_pipeline: Pipeline,
    capsys: pytest.CaptureFixture[str],
) -> None:
    del real_pipeline  # the index is built
    env = env_for(real_seeds, real_index_dir, BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url)
    started = time.monotonic()
    async with bot_process(env) as running:
        await stub.wait_for(lambda: "getUpdates" in stub.methods(), within=120)
        startup = time.monotonic() - started
        stub.message("Где депутаты возложили цветы?", user_id=41)
        (reply,) = await stub.wait_sent(1, within=60)
        assert "Монументу Победы" in reply.text
        rss_mb = resident_mb(running.process.pid)
        async with ClientSession() as session:  # polling mode serves health and metrics too
            async with session.get(f"http://127.0.0.1:{env['WEB_PORT']}/healthz") as response:
                assert response.status == 200
                assert (await response.json())["redis"] is None
            async with session.get(f"http://127.0.0.1:{env['WEB_PORT']}/metrics") as response:
                assert 'newsqa_answers_total{found="true"} 1.0' in await response.text()
        with capsys.disabled():
            print(f"\n[process] start-up to the first getUpdates: {startup:.2f} s; resident memory {rss_mb:.0f} MB")
    log = running.log
    assert running.process.returncode == 0, log
    assert "ready: @NewsQaTestBot is answering" in log
    assert "Polling stopped" in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log


def test_without_a_token_the_console_chat_answers(
    real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline
) -> None:
    del real_pipeline
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="Где депутаты возложили цветы?\n\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env_for(real_seeds, real_index_dir, BOT_TOKEN=""),
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "BOT_TOKEN" in done.stderr
    assert "@BotFather" in done.stderr
    assert "Консольный чат" in done.stdout
    assert "Монументу Победы" in done.stdout
    assert "Источники:" in done.stdout


def test_a_malformed_token_is_refused_without_echoing_it(real_seeds: Path, real_index_dir: Path) -> None:
    secret = "not-a-real-token-SECRET-12345"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env_for(real_seeds, real_index_dir, BOT_TOKEN=secret),
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "BOT_TOKEN does not look like a token" in done.stderr
    assert secret not in done.stderr + done.stdout
