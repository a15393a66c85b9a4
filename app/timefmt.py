"""Times as a sound designer reads them: 6:00.0, 1:02:03.5, ranges 6:00.0–6:10.0."""

from __future__ import annotations

import math


def clock(seconds: float, decimals: int = 1) -> str:
    """m:ss.s (h:mm:ss.s past an hour); ``decimals`` 0 drops the fraction."""
    seconds = max(0.0, float(seconds)) if math.isfinite(seconds) else 0.0
    scale = 10**decimals
    total = round(seconds * scale) / scale
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    width = 3 + decimals if decimals else 2
    secs_text = f"{secs:0{width}.{decimals}f}"
    return f"{int(hours)}:{int(minutes):02d}:{secs_text}" if hours else f"{int(minutes)}:{secs_text}"


def clock_range(start: float, end: float) -> str:
    return f"{clock(start)}–{clock(end)}"


def tick_clock(seconds: float, spacing: float) -> str:
    """Axis ticks: as many decimals as the ticks' spacing needs (tenths under a second, hundredths under a tenth,
    thousandths under a hundredth): a deep zoom read "0:03.0, 0:03.0, 0:03.1" for ticks 0.05 s apart (a trial)."""
    decimals = 0 if spacing >= 1 else min(3, math.ceil(-math.log10(spacing) - 1e-9)) if spacing > 0 else 1
    return clock(seconds, decimals)
