"""A real redis-server for tests: its own loopback port, no persistence, stopped afterwards."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

INSTALL_HINT = "redis-server is not installed: `apt-get install redis-server` (bash .ci/run installs it)"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisProcess:
    """redis-server on a loopback port of its own, with no persistence; a test may kill it and start it again."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._folder = tempfile.TemporaryDirectory(prefix="redis-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        """Start it (again, on the same port, empty); returns its URL once it answers PING."""
        process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self._folder.name, "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        self.process = process
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return self.url
            if process.poll() is not None or time.monotonic() > deadline:
                stderr = process.stderr.read().decode() if process.stderr else ""
                msg = f"redis-server did not start: {stderr}"
                raise RuntimeError(msg)
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: gone at once, with everything it held."""
        if self.process is not None:
            self.process.kill()
            self._reap(self.process)

    def stop(self) -> None:
        """Stop it (SIGTERM, SIGKILL after 10 s) and remove its folder."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self._reap(self.process)
        self._folder.cleanup()

    def _reap(self, process: subprocess.Popen[bytes]) -> None:
        process.wait()
        if process.stderr is not None:
            process.stderr.close()
        self.process = None


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Start redis-server on a free loopback port; yields its URL; stops it at the end."""
    with running_redis() as server:
        yield server.url


@contextlib.contextmanager
def running_redis() -> Iterator[RedisProcess]:
    """A started `RedisProcess`, stopped at the end."""
    server = RedisProcess()
    try:
        server.start()
        yield server
    finally:
        server.stop()
