"""The long-file demo library: the demo clips but two thunder clips, and a 10-minute rain take made of the
demo's rain clips with those thunder clips planted at 6:00 (docs/make_screenshot.py --long-file,
bench/bench_feedback_moments.py, tests/test_screenshot_library.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "assets" / "demo_library"
LONG_TAKE = "rain_field_recording_10min.wav"
PLANTED = ("rain_with_thunder_01.ogg", "rain_with_thunder_02.ogg")  # the moment, at 6:00
PLANTED_AT = 360.0
TAKE_SECONDS = 600.0
CROSSFADE = 0.5


def _chain(clips: list, total: int, fade: int):
    """Clips end to end with ``fade``-sample crossfades, repeated until ``total`` samples, cut there."""
    import numpy as np

    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    out, k = clips[0].copy(), 1
    while len(out) < total:
        clip = clips[k % len(clips)]
        k += 1
        out[-fade:] = out[-fade:] * ramp[::-1] + clip[:fade] * ramp
        out = np.concatenate([out, clip[fade:]])
    return out[:total]


def build_long_library(folder: Path) -> tuple[Path, Path]:
    """The demo clips but the planted ones, and a 10-minute take: rain clips crossfaded end to end, with the
    planted thunder clips from 6:00 (crossfaded in and out). Returns (library folder, query file)."""
    import numpy as np

    from model.audio_io import TARGET_SR, load_audio_16k, write_wav

    folder.mkdir(parents=True, exist_ok=True)
    for clip in sorted(DEMO.glob("*.ogg")):
        if clip.name not in PLANTED:
            shutil.copy2(clip, folder / clip.name)
    sr, fade = TARGET_SR, int(CROSSFADE * TARGET_SR)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    take = _chain([load_audio_16k(DEMO / f"rain_0{i}.ogg") for i in (1, 2, 3)], int(TAKE_SECONDS * sr), fade)
    planted = [load_audio_16k(DEMO / name) for name in PLANTED]
    moment = _chain(planted, sum(len(c) for c in planted) - fade, fade)
    a = int(PLANTED_AT * sr)
    b = a + len(moment)
    bed = take[a:b].copy()
    take[a:b] = moment
    take[a: a + fade] = bed[:fade] * ramp[::-1] + moment[:fade] * ramp
    take[b - fade: b] = moment[-fade:] * ramp[::-1] + bed[-fade:] * ramp
    write_wav(folder / LONG_TAKE, take, sr)
    return folder, folder / "rain_02.ogg"
