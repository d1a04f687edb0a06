"""The stand-in's flood limits count arrivals strictly and answer with the seconds to wait."""

from __future__ import annotations

from tests.support.flood import FloodControl, FloodLimits


def test_the_overall_limit_counts_any_sliding_second() -> None:
    flood = FloodControl(FloodLimits(per_second=3, chat_burst=100))
    assert [flood.admit(chat, at) for chat, at in ((1, 0.0), (2, 0.5), (3, 0.9))] == [None] * 3
    refusal = flood.admit(4, 0.99)
    assert refusal is not None
    assert refusal.scopes == ("overall",)
    assert refusal.retry_after == 1  # whole seconds, at least one
    assert flood.admit(4, 1.01) is None  # the first has left the window; the refusal did not count
    assert flood.most_in_any(1.0) == 3


def test_a_chat_gets_a_short_burst_then_one_a_second() -> None:
    flood = FloodControl(FloodLimits(chat_per_second=1.0, chat_burst=2))
    assert flood.admit(7, 0.0) is None
    assert flood.admit(7, 0.1) is None
    refusal = flood.admit(7, 0.2)
    assert refusal is not None
    assert refusal.scopes == ("chat",)
    assert flood.admit(8, 0.2) is None  # another chat is not held back
    assert flood.admit(7, 1.0) is None


def test_a_group_gets_at_most_its_budget_in_any_minute() -> None:
    flood = FloodControl(FloodLimits(group_per_minute=3, chat_burst=100))
    for at in (0.0, 10.0, 20.0):
        assert flood.admit(-100, at) is None
    refusal = flood.admit(-100, 59.0)
    assert refusal is not None
    assert "group" in refusal.scopes
    assert refusal.retry_after == 1
    assert flood.admit(-100, 60.5) is None
    assert flood.most_in_any(60.0, -100) == 3
