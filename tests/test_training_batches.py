"""Batch packing for training: background recordings read from Scaper annotations."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from training.backgrounds import background_of, recording_id


def test_recording_id_merges_variants_and_segments() -> None:
    assert recording_id("/x/lincity-ng-data__TraficHigh2_v1_seg00.wav") == "lincity-ng-data__TraficHigh2"
    assert recording_id("0ad-data__rain_11_seg09.wav") == "0ad-data__rain_11"
    assert recording_id("supertux-data__rain.wav") == "supertux-data__rain"


def test_background_of_reads_the_background_event(tmp_path: Path) -> None:
    doc = {"annotations": [{"data": [
        {"value": {"role": "foreground", "source_file": "/s/dog_01.wav"}},
        {"value": {"role": "background", "source_file": "/s/plee-the-bear-data__rain_v2_seg03.wav"}},
    ]}]}
    path = tmp_path / "p_a.jams"
    path.write_text(json.dumps(doc))
    assert background_of(path) == "plee-the-bear-data__rain"
    path.write_text(json.dumps({"annotations": [{"data": []}]}))
    with pytest.raises(ValueError, match="no background"):
        background_of(path)


def test_background_batches_hold_one_recording_and_cover_every_pair() -> None:
    from training.train import make_batches

    scene = np.array(["rain"] * 6 + ["traffic"] * 4)
    backgrounds = np.array(["r1", "r2", "r1", "r2", "r1", "r2", "t1", "t1", "t2", "t2"])
    ps = SimpleNamespace(scene=scene)  # the only field background batching reads
    batches = make_batches(ps, 2, "background", np.random.default_rng(0), backgrounds)
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    for idx in batches:
        assert len({(scene[i], backgrounds[i]) for i in idx}) == 1
    with pytest.raises(ValueError, match="background recording"):
        make_batches(ps, 2, "background", np.random.default_rng(0))


@pytest.mark.parametrize("mode", ["scene", "anchor"])
def test_scene_and_anchor_batches_cover_every_pair_of_every_scene(mode: str) -> None:
    from training.train import make_batches

    scene = np.array(["rain"] * 5 + ["traffic"] * 5)
    ps = SimpleNamespace(scene=scene, a=np.array([0, 0, 1, 1, 2, 3, 3, 4, 4, 5]))
    batches = make_batches(ps, 3, mode, np.random.default_rng(0))
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    assert all(len(set(scene[idx])) == 1 for idx in batches)


def test_self_negative_pairs_are_add_or_remove_edits_that_change_the_clip() -> None:
    from model.audio_features import LOUDNESS_DIM
    from training.train import self_negative_pairs

    conv = np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])  # clip 1 nearly clip 0; clip 2 far from both
    loudness = np.full((3, LOUDNESS_DIM), 5.0)  # identical loudness: only the conv part decides
    ps = SimpleNamespace(audio=np.hstack([conv, loudness]), a=np.array([0, 0, 0, 0]), b=np.array([1, 2, 2, 1]),
                         diff_types=[["event_added:dog"], ["event_removed:dog"], ["bg_louder"],
                                     ["bg_quieter", "event_added:thunder"]])
    assert self_negative_pairs(ps).tolist() == [True, True, False, True]
    assert self_negative_pairs(ps, 0.85).tolist() == [False, True, False, False]  # cos 0.995 is no audible change
