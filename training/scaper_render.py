"""Render a ClipSpec with Scaper (audio + JAMS annotation).

Scaper 1.6.5 is installed with --no-deps (its soxbindings dependency does not build here);
it then falls back to pysox, which works. Its only NumPy 2 incompatibility is the removed
alias `np.Inf`, restored below before scaper is imported (see requirements-train.txt).
Every Scaper distribution is 'const': all sampling happens in pair_sampler with our own
Generator, so Scaper's internal random state never influences the result.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np

from training.audio_utils import write_pcm16
from training.pair_sampler import ClipSpec
from training.scenes import SAMPLE_RATE

if not hasattr(np, "Inf"):  # NumPy 2 removed the alias that scaper 1.6.5 still uses
    np.Inf = np.inf  # type: ignore[attr-defined]

import scaper  # noqa: E402  (must follow the NumPy 2 shim)

logging.getLogger("sox").setLevel(logging.ERROR)  # pysox chatters about array output

FADE_SECONDS = 0.02


def build_scaper(spec: ClipSpec, sources_dir: Path) -> scaper.Scaper:
    prepared = sources_dir / "prepared"
    sc = scaper.Scaper(spec.duration, str(prepared / "fg"), str(prepared / "bg"), random_state=0)
    sc.sr = SAMPLE_RATE
    sc.n_channels = 1
    sc.ref_db = spec.bg_db
    sc.fade_in_len = FADE_SECONDS
    sc.fade_out_len = FADE_SECONDS
    sc.add_background(("const", spec.bg_label), ("const", str(sources_dir / spec.bg_source)),
                      ("const", spec.bg_time))
    for e in spec.events:
        sc.add_event(label=("const", e.label), source_file=("const", str(sources_dir / e.source)),
                     source_time=("const", e.source_time), event_time=("const", e.event_time),
                     event_duration=("const", e.duration), snr=("const", e.level_db - spec.bg_db),
                     pitch_shift=None, time_stretch=None)
    return sc


def render_clip(spec: ClipSpec, sources_dir: Path, audio_path: Path | None,
                jams_path: Path | None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Synthesize one clip; returns (mixture, stems by label, background included).

    Labels are unique within a clip (pair_sampler never repeats an event class).
    Audio is written as 16-bit PCM (format from the extension, e.g. .flac or .wav), the
    JAMS annotation next to it. Scaper's fix_clipping rescales mixture and stems together,
    so level ratios between stems stay as specified.
    """
    sc = build_scaper(spec, sources_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mix, jam, _ann_list, stems = sc.generate(
            audio_path=None, jams_path=None, allow_repeated_label=True,
            allow_repeated_source=True, reverb=None, fix_clipping=True,
            disable_sox_warnings=True, disable_instantiation_warnings=True)
    mix = np.asarray(mix, dtype=np.float32).reshape(-1)
    if audio_path is not None:
        write_pcm16(audio_path, mix)
    if jams_path is not None:
        ann = jam.annotations.search(namespace="scaper")[0]
        ann.sandbox.scaper.soundscape_audio_path = str(audio_path) if audio_path else None
        jams_path.parent.mkdir(parents=True, exist_ok=True)
        jam.save(str(jams_path))
    # Scaper's stems follow the JAMS observation order (sorted by time), not add order.
    observations = jam.annotations.search(namespace="scaper")[0].data
    return mix, {obs.value["label"]: np.asarray(stem, dtype=np.float32).reshape(-1)
                 for obs, stem in zip(observations, stems, strict=True)}
