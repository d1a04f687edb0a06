"""The build's progress: a bar with a rate and the time left on a terminal, stage lines elsewhere."""

from __future__ import annotations

import io

from embeddings.index.progress import StageLog, TerminalBar, auto_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_shows_the_share_the_rate_the_time_left_and_the_stage() -> None:
    screen, clock = _Terminal(), _Clock()
    bar = TerminalBar(screen, clock, columns=80)
    bar.start(100, stages=2)
    assert "0/100" in screen.getvalue()
    assert "ETA --:--" in screen.getvalue()
    bar.stage("encoding 60 passages")
    clock.now += 5
    bar.advance(25)
    line = bar.line()
    assert line == "████░░░░░░░░░░░░  25%  25/100  5.0/s  ETA 0:15  encoding 60 passages"
    assert screen.getvalue().endswith("\r" + line + "\x1b[K")
    clock.now += 0.01
    bar.advance(1)  # too soon to redraw
    assert screen.getvalue().endswith("\r" + line + "\x1b[K")
    clock.now += 400
    bar.advance(74)  # the last step is always drawn
    assert "100%  100/100" in screen.getvalue().rsplit("\r", 1)[1]
    bar.finish()
    assert screen.getvalue().endswith("\r\x1b[K")
    assert "\n" not in screen.getvalue()


def test_a_narrow_terminal_cuts_the_stage_name_not_the_figures() -> None:
    screen, clock = _Terminal(), _Clock()
    bar = TerminalBar(screen, clock, columns=50)
    bar.start(100, stages=1)
    bar.stage("encoding 95 evidence windows")
    clock.now += 5
    bar.advance(50)
    drawn = screen.getvalue().rsplit("\r", 1)[1].removesuffix("\x1b[K")
    assert len(drawn) == 49
    assert "ETA 0:05" in drawn


def test_the_bar_is_for_terminals_and_the_stage_lines_for_everything_else() -> None:
    assert isinstance(auto_progress(_Terminal()), TerminalBar)
    assert isinstance(auto_progress(io.StringIO()), StageLog)


def test_a_long_build_shows_hours_in_its_eta() -> None:
    clock = _Clock()
    bar = TerminalBar(_Terminal(), clock, columns=80)
    bar.start(100_000, stages=1)
    clock.now += 10
    bar.advance(10)
    assert "ETA 27:46:30" in bar.line()
