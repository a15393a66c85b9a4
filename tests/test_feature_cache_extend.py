"""Extending a feature cache: audio rows of unchanged clips are carried over, not recomputed."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from model.audio_features import FEATURE_DIM
from training.feature_cache import carry_audio_rows


def _touch(path: Path, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_carry_keeps_unchanged_rows_in_the_new_order(tmp_path: Path) -> None:
    base, cache = tmp_path / "pairs", tmp_path / "cache"
    cache.mkdir()
    old_clips = ["a.flac", "b.flac", "c.flac"]
    old = np.arange(3, dtype=np.float32)[:, None] + np.zeros((3, FEATURE_DIM), dtype=np.float32)
    np.save(cache / "audio.npy", old)
    written = (cache / "audio.npy").stat().st_mtime_ns
    for clip in old_clips:
        _touch(base / clip, written - 10**9)
    _touch(base / "c.flac", written + 10**9)  # re-rendered after the cache: not carried
    _touch(base / "d.flac", written + 10**9)  # new clip
    clips = ["d.flac", "b.flac", "c.flac", "a.flac"]

    assert carry_audio_rows(cache / "audio.npy", old_clips, base, clips) == 2
    feats = np.load(cache / "audio.partial.npy")
    done = np.load(cache / "audio.done.npy")
    assert feats.shape == (4, FEATURE_DIM)
    assert done.tolist() == [False, True, False, True]
    assert (feats[1] == 1.0).all() and (feats[3] == 0.0).all()


def test_carry_ignores_a_cache_of_another_shape(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    np.save(cache / "audio.npy", np.zeros((2, 7), dtype=np.float32))
    _touch(tmp_path / "a.flac", 0)
    assert carry_audio_rows(cache / "audio.npy", ["a.flac", "b.flac"], tmp_path, ["a.flac"]) == 0
    assert not (cache / "audio.partial.npy").exists()
