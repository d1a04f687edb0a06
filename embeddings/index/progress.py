"""How an index build shows its progress: a bar on a terminal, one log line per stage elsewhere.

`build_index` announces the number of texts it will encode, then each stage
(passages, evidence windows, their latent terms, the articles' words) and
the texts encoded as they go. On a terminal a single redrawn line shows a
bar, the rate and the time left; in a pipe, a file or a container log each
stage is one INFO line, so logs stay readable.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

log = logging.getLogger("embeddings.index.build")


class Progress(Protocol):
    """What a build reports as it goes."""

    def start(self, total: int, stages: int) -> None:
        """The build begins; `total` texts will be encoded over its `stages` stages."""
        ...

    def stage(self, name: str) -> None:
        """A stage begins, e.g. "encoding 43 passages"."""
        ...

    def advance(self, count: int) -> None:
        """`count` more texts are encoded."""
        ...

    def finish(self) -> None:
        """The build is over, finished or failed."""
        ...


class StageLog:
    """One INFO line per stage, numbered: for pipes, files and container logs."""

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger
        self.stages = self.number = 0

    def start(self, total: int, stages: int) -> None:
        """Nothing to say yet: the first stage says what is done."""
        self.stages, self.number = stages, 0

    def stage(self, name: str) -> None:
        """Log the stage."""
        self.number += 1
        self.logger.info("building the index, step %d of %d: %s", self.number, self.stages, name)

    def advance(self, count: int) -> None:
        """Nothing: a log gets no line per batch."""

    def finish(self) -> None:
        """Nothing: the build logs its own closing line."""


class TerminalBar:
    """One line redrawn in place: bar, percentage, texts done, rate, time left, then the stage.

    The stage comes last: on a narrow terminal it is what gets cut.
    """

    WIDTH = 16
    REDRAW_EVERY = 0.1  # seconds

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic, columns: int | None = None) -> None:
        self.stream = stream
        self.clock = clock
        self.columns = columns  # None: the terminal's width, read at each redraw
        self.total = self.done = 0
        self.name = ""
        self.started = self.drawn = 0.0

    def start(self, total: int, stages: int) -> None:
        """Remember the total and draw an empty bar."""
        self.total, self.done = total, 0
        self.started = self.clock()
        self.draw(force=True)

    def stage(self, name: str) -> None:
        """Show the stage's name beside the bar."""
        self.name = name
        self.draw(force=True)

    def advance(self, count: int) -> None:
        """Move the bar (redrawn at most every `REDRAW_EVERY` seconds)."""
        self.done += count
        self.draw(force=self.done >= self.total)

    def finish(self) -> None:
        """Erase the line: the build's closing log line takes its place."""
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def line(self) -> str:
        """The text of the bar as it stands."""
        share = min(1.0, self.done / self.total) if self.total else 0.0
        filled = round(share * self.WIDTH)
        seconds = self.clock() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        left = f"ETA {_clock(int((self.total - self.done) / rate))}" if rate > 0 else "ETA --:--"
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        return f"{bar} {share:4.0%}  {self.done}/{self.total}  {rate:.1f}/s  {left}  {self.name}"

    def draw(self, *, force: bool = False) -> None:
        """Redraw the line, cut to the terminal's width so that it never wraps."""
        now = self.clock()
        if not force and now - self.drawn < self.REDRAW_EVERY:
            return
        self.drawn = now
        width = (self.columns or shutil.get_terminal_size().columns) - 1  # the last column would wrap
        self.stream.write("\r" + self.line()[:width] + "\x1b[K")
        self.stream.flush()


def auto_progress(stream: TextIO | None = None) -> Progress:
    """A bar when `stream` (stderr by default) is a terminal, else one log line per stage."""
    stream = stream or sys.stderr
    return TerminalBar(stream) if stream.isatty() else StageLog()


def _clock(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}:{seconds:02d}" if minutes < 60 else f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
