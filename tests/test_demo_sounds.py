"""The bundled demo's clips hold what their names promise: each event is one YAMNet (the graph of the shipped heads)
hears over its family's bed, and
adding it leaves the bed as it was (no clipping fix scaled the whole clip down). training/make_demo_library.py."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.demo import DEMO_DIR
from model.audio_io import load_audio_16k
from model.frontend import waveform_to_patches
from training.demo_audibility import EventAudibility, app_backbone, is_heard

pytestmark = pytest.mark.skipif(not (DEMO_DIR / "demo_pairs.csv").is_file(), reason="demo library not built")

NAME = re.compile(r"^(?:(heavy|quiet)_)?(rain|traffic)_with_(.+)_(\d\d)$")
EVENT_CLASS = {"thunder": "thunder", "dog": "dog", "birds": "chirping_birds", "church_bells": "church_bells",
               "footsteps": "footsteps", "car_horn": "car_horn"}
BED_DB = {None: 0.0, "heavy": 9.0, "quiet": -9.0}


@pytest.fixture(scope="module")
def app_yamnet():
    """YAMNet through the graph of the heads the app ships (what its search reads)."""
    return app_backbone()


def edited_clips() -> list[tuple[Path, Path, list[str], float]]:
    """(clip, its family's clip without events, the events it holds, its intended bed change in dB)."""
    out = []
    for clip in sorted(DEMO_DIR.glob("*_with_*.ogg")):
        bed, scene, events, family = NAME.match(clip.stem).groups()
        out.append((clip, DEMO_DIR / f"{scene}_{family}.ogg", events.split("_and_"), BED_DB[bed]))
    return out


def test_the_demo_names_every_event_it_holds() -> None:
    clips = edited_clips()
    assert len(clips) == 30
    assert {e for _, _, events, _ in clips for e in events} == set(EVENT_CLASS)


@pytest.fixture(scope="module")
def file_logits(app_yamnet):
    """YAMNet's max logit per class over a demo file, each file read once for the module."""
    cache: dict[Path, np.ndarray] = {}

    def logits(path: Path) -> np.ndarray:
        if path not in cache:
            _, per_patch = app_yamnet.run(waveform_to_patches(load_audio_16k(path)), with_classes=True)
            cache[path] = per_patch.max(axis=0)
        return cache[path]

    return logits


# heavy / quiet clips change the bed too: their events are checked in the family's clips without that change
@pytest.mark.parametrize("clip,bare,events", [(c, b, e) for c, b, e, bed_db in edited_clips() if not bed_db],
                         ids=lambda v: getattr(v, "stem", ""))
def test_each_demo_event_is_one_yamnet_hears(clip, bare, events, app_yamnet, file_logits) -> None:
    audibility = EventAudibility(DEMO_DIR, app_yamnet)
    for event in events:
        label = EVENT_CLASS[event]
        assert is_heard(audibility.class_max(file_logits(bare), label), audibility.class_max(file_logits(clip), label)
                        ), (clip.name, event)


def bed_level_db(clip: Path, bare: Path, window: int = 1600) -> float:
    """The bare clip's level inside the edited one, fitted where they differ least (the quietest quarter of the
    residual's 0.1 s windows, away from the events)."""
    a, _ = sf.read(bare, dtype="float64")
    b, _ = sf.read(clip, dtype="float64")
    starts = range(0, len(a) - window, window)
    residual = np.array([np.sqrt(np.mean((b[s:s + window] - a[s:s + window]) ** 2)) for s in starts])
    quiet = [list(starts)[i] for i in np.argsort(residual)[: max(1, len(residual) // 4)]]
    scales = [np.dot(a[s:s + window], b[s:s + window]) / np.dot(a[s:s + window], a[s:s + window]) for s in quiet]
    return float(20 * np.log10(np.median(scales)))


@pytest.mark.parametrize("clip,bare,events,bed_db", edited_clips(), ids=lambda v: getattr(v, "stem", ""))
def test_adding_a_demo_event_leaves_the_bed_as_it_was(clip, bare, events, bed_db) -> None:
    assert bed_level_db(clip, bare) == pytest.approx(bed_db, abs=0.5), clip.name
