"""The first start as a person sees it: on a terminal, and through a pipe. A real process, the real model."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from bot.config import Settings

pytestmark = pytest.mark.slow

GREETING = "Консольный чат"


def first_start_env(seeds: Path, index: Path) -> dict[str, str]:
    """The environment of a fresh clone's console chat, pointed at `seeds` and an unbuilt `index`."""
    settings = {name.upper() for name in Settings.model_fields}  # a developer's own, e.g. BOT_TOKEN
    env = {k: v for k, v in os.environ.items() if k.upper() not in settings}
    return {**env, "SEEDS_DIR": str(seeds), "INDEX_DIR": str(index)}


def chat_on_a_terminal(env: dict[str, str], cwd: Path, timeout: float = 240) -> tuple[int, str]:
    """Run the console chat on a pseudo-terminal; leave it with an empty line once it prompts."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"], stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=cwd
    )
    os.close(secondary)
    screen = b""
    deadline = time.monotonic() + timeout
    answered = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            screen += data
            if not answered and b"\n> " in screen.replace(b"\r", b""):
                os.write(primary, b"\n")
                answered = True
        else:
            pytest.fail(f"the chat did not end in {timeout} s:\n{screen.decode(errors='replace')}")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(primary)
    return proc.returncode, screen.decode("utf-8", errors="replace").replace("\r\n", "\n")


def test_first_start_on_a_terminal_shows_a_bar_then_the_greeting(tiny_seeds: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    code, screen = chat_on_a_terminal(first_start_env(tiny_seeds, index), tmp_path)
    assert code == 0, screen
    assert " WARNING " not in screen
    assert " ERROR " not in screen
    assert screen.count("first start: building the index of the 2 articles") == 1
    assert str(index) in screen
    assert "ETA " in screen
    assert "/s  " in screen
    assert "█" in screen
    assert "step 1 of" not in screen  # the bar takes the stage lines' place
    assert screen.index("first start") < screen.index("ETA ") < screen.index("index built") < screen.index(GREETING)


def chat_through_a_pipe(seeds: Path, index: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot chat` with nothing to read, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=first_start_env(seeds, index),
        cwd=cwd,
        timeout=240,
        check=False,
    )


def test_first_start_through_a_pipe_logs_one_line_per_stage(tiny_seeds: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    done = chat_through_a_pipe(tiny_seeds, index, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if " WARNING " in line or " ERROR " in line] == []
    assert "\r" not in done.stderr
    assert "ETA" not in done.stderr
    first = [line for line in lines if "first start" in line]
    assert len(first) == 1
    assert " INFO embeddings.pipeline: first start: building the index of the 2 articles in " in first[0]
    steps = [line.split(": ", 1)[1] for line in lines if "building the index, step" in line]
    assert [s.split(":")[0] for s in steps] == [f"building the index, step {n} of 5" for n in range(1, 6)]
    assert [s.split(": ")[1].split()[0] for s in steps] == ["encoding", "encoding", "latent", "latent", "encoding"]
    assert any("index built: 2 articles" in line for line in lines)
    assert done.stdout.startswith(GREETING)
    # The next start loads the index without a word about it.
    again = chat_through_a_pipe(tiny_seeds, index, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "index" not in again.stderr
