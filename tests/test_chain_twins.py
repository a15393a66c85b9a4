"""Chain twins: features of a clip through one more file chain, and the term that pulls the two together."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf
import torch

from model.heads import HeadsConfig, NudgeHeads
from training.chain_twins import TWINS_FILE, TwinTerm, build


class LevelAndBrightness:
    """A stand-in extractor: (log RMS, share of energy above 2 kHz), so a chain's gain or band limit shows."""

    def from_waveform(self, samples: np.ndarray, sr: int) -> np.ndarray:
        spectrum = np.abs(np.fft.rfft(samples)) ** 2
        freqs = np.fft.rfftfreq(len(samples), 1 / sr)
        return np.array([np.log(np.mean(samples ** 2) + 1e-12), spectrum[freqs > 2000].sum() / spectrum.sum()],
                        dtype=np.float32)


def _cache(tmp_path, n: int = 6):
    rng = np.random.default_rng(0)
    audio_dir = tmp_path / "pairs" / "audio"
    audio_dir.mkdir(parents=True)
    clips = []
    for i in range(n):
        sf.write(audio_dir / f"c{i}.wav", (0.1 * rng.standard_normal(16000)).astype(np.float32), 16000)
        clips.append(f"audio/c{i}.wav")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "index.json").write_text(json.dumps({"pairs_csv": str(tmp_path / "pairs" / "pairs.csv"), "clips": clips}))
    return cache


def test_build_writes_twins_once_per_size_and_seed(tmp_path):
    cache = _cache(tmp_path)
    out = build(cache, 4, 0, LevelAndBrightness())
    with np.load(out) as twins:
        assert out.name == TWINS_FILE and len(twins["rows"]) == 4
        assert twins["clip"].shape == twins["twin"].shape == (4, 2)
        assert len(set(twins["rows"].tolist())) == 4
        assert not np.allclose(twins["clip"], twins["twin"])  # the extra chain changed something
        first = twins["twin"].copy()
    stamp = out.stat().st_mtime_ns
    build(cache, 4, 0, LevelAndBrightness())  # same size and seed: kept
    assert out.stat().st_mtime_ns == stamp
    build(cache, 10, 0, LevelAndBrightness())  # more than the cache has: all of its clips
    with np.load(out) as twins:
        assert len(twins["rows"]) == 6
    build(cache, 4, 0, LevelAndBrightness())
    with np.load(out) as twins:
        np.testing.assert_array_equal(twins["twin"], first)  # seeded: the same chains again


def test_twin_term_is_lower_when_twins_match_their_clips(tmp_path):
    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, audio_feature_dim=1040, class_names=["dog"])).eval()
    rng = np.random.default_rng(0)
    clip = rng.standard_normal((64, 1040)).astype(np.float32)
    scale = torch.tensor(10.0)
    matched = TwinTerm(clip, clip + 0.01 * rng.standard_normal(clip.shape).astype(np.float32), 1.0, batch=32)
    shuffled = TwinTerm(clip, clip[rng.permutation(64)], 1.0, batch=32)
    with torch.no_grad():
        low = matched.penalty(heads, scale, np.random.default_rng(1))
        high = shuffled.penalty(heads, scale, np.random.default_rng(1))
    assert float(low) < float(high)
    assert TwinTerm.from_caches([tmp_path], 1.0) is None  # no twins.npz
    cache = _cache(tmp_path)
    build(cache, 3, 0, LevelAndBrightness())
    assert TwinTerm.from_caches([cache], 0.0) is None  # off
    term = TwinTerm.from_caches([cache, tmp_path], 2.0)
    assert term is not None and len(term.clip) == 3 and term.weight == 2.0
