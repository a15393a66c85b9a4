"""The query panel's overview of a query file: its waveform peaks and a one-line description (length, rate,
channels, where it is), read on a worker."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.service import SearchService, clock
from app.ui.mini_waveform import display_scale

WAVEFORM_BINS = 800


@dataclass
class QueryOverview:
    path: Path
    peaks: np.ndarray
    duration: float
    details: str
    suggestions: list[str]  # modifiers worth trying on this query (the demo pairs)


def load_overview(service: SearchService, path: Path) -> QueryOverview:
    """Waveform peaks plus a one-line description; runs on a worker."""
    peaks = service.waveform_peaks(path, n_bins=WAVEFORM_BINS)
    rec = service.file_info(path)
    if rec is not None and rec.duration:
        duration, sr, ch = rec.duration, rec.sample_rate, rec.channels
        where = "library"
    else:
        info = service.audio_details(path)  # read through the service: any file name works
        duration, sr, ch = info.duration, info.sample_rate, info.channels
        where = "not in the library"
    length = f"{duration:.1f} s" if duration < 60 else clock(duration)  # a long take reads 10:00.0
    details = f"{length} · {sr} Hz · {ch} ch · {where}"
    if (boost := display_scale(peaks)) > 1:  # the waveform is drawn magnified: said, it looks like any level else
        details += f" · quiet: drawn +{20 * math.log10(boost):.0f} dB"
    return QueryOverview(path, peaks, float(duration), details, service.suggested_modifiers(path))
