"""Times as a sound designer reads them (app.timefmt)."""

from __future__ import annotations

from app.timefmt import clock, clock_range, tick_clock


def test_clock_reads_minutes_and_hours() -> None:
    assert clock(0.04) == "0:00.0" and clock(372.25) == "6:12.2" and clock(3723.5) == "1:02:03.5"
    assert clock(61, 0) == "1:01" and clock(float("nan")) == "0:00.0"
    assert clock_range(1.0, 2.5) == "0:01.0\u20130:02.5"


def test_axis_ticks_carry_the_decimals_their_spacing_needs() -> None:
    """A trial's deep zoom read "0:02.9, 0:03.0, 0:03.0, 0:03.1, 0:03.1" for ticks 0.05 s apart."""
    ticks = [tick_clock(3 + 0.05 * i, 0.05) for i in range(4)]
    assert ticks == ["0:03.00", "0:03.05", "0:03.10", "0:03.15"] and len(set(ticks)) == 4
    assert tick_clock(3.0, 0.5) == tick_clock(3.0, 0.1) == "0:03.0" and tick_clock(63, 5) == "1:03"
    assert tick_clock(3.005, 0.005) == "0:03.005"
