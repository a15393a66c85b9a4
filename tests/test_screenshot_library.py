"""The long-file screenshot's library (docs/make_screenshot.py --long-file): the demo clips but the planted
ones, and a 10-minute take whose 6:00-6:12 is the planted thunder clips."""

from __future__ import annotations

import numpy as np
import pytest

from bench import long_take_library as shot
from model.audio_io import audio_info, load_audio_16k, read_native


def test_long_take_has_the_planted_clips_at_six_minutes(tmp_path):
    if not (shot.DEMO / shot.PLANTED[0]).is_file():
        pytest.skip("demo library not built")
    library, query = shot.build_long_library(tmp_path / "lib")
    names = {p.name for p in library.iterdir()}
    assert query.name in names and not names & set(shot.PLANTED)
    info = audio_info(library / shot.LONG_TAKE)
    assert info.duration == pytest.approx(600.0) and info.samplerate == 16_000
    planted = load_audio_16k(shot.DEMO / shot.PLANTED[0])
    # from 6:01 on (past the crossfade in) the take is the planted clip sample for sample (24-bit rounding)
    window, _ = read_native(library / shot.LONG_TAKE, max_seconds=2.0, start_seconds=shot.PLANTED_AT + 1.0)
    np.testing.assert_allclose(window[:, 0], planted[16_000: 48_000], atol=1e-6)
    before, _ = read_native(library / shot.LONG_TAKE, max_seconds=2.0, start_seconds=shot.PLANTED_AT - 3.0)
    assert not np.allclose(before[:, 0], planted[:32_000], atol=1e-2)  # rain only before 6:00
