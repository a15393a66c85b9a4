"""Tiny end-to-end run of the training side: toy pairs -> feature cache -> train -> evaluate -> load."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import write_wav
from training.scenes import ALL_CLASSES, format_multi_hot

SR = 16_000
FIELDS = ["pair_id", "scene", "split", "a_path", "b_path", "text", "template_id", "is_heldout_phrasing",
          "diff_types", "labels_a", "labels_b", "seed"]
# toy "events": tones standing in for classes
EVENT_FREQ = {"dog": 600.0, "thunder": 90.0, "chirping_birds": 3000.0, "car_horn": 440.0}
SCENE_EVENTS = {"rain": ("dog", "thunder", "chirping_birds"), "traffic": ("dog", "car_horn", "chirping_birds")}


def _toy_clip(rng: np.random.Generator, scene: str, bg_gain: float, events: dict[str, float],
              seconds: float = 2.0) -> np.ndarray:
    n = int(seconds * SR)
    bg = rng.standard_normal(n).astype(np.float32)
    if scene == "traffic":  # low-passed noise vs white noise
        bg = np.convolve(bg, np.ones(32) / 32, mode="same").astype(np.float32) * 4
    x = 0.05 * bg_gain * bg
    t = np.arange(n) / SR
    for label, gain in events.items():
        start = rng.uniform(0, seconds / 2)
        env = ((t > start) & (t < start + 0.6)).astype(np.float32)
        x += gain * 0.3 * env * np.sin(2 * np.pi * EVENT_FREQ[label] * t).astype(np.float32)
    return np.clip(x, -1, 1)


def make_toy_pairs(root: Path, scene: str, split: str, n_pairs: int, seed: int) -> Path:
    """Write a pairs.csv in the data pipeline's format with toy audio (one difference per pair)."""
    rng = np.random.default_rng(seed)
    folder = root / scene / split
    rows = []
    diffs = ["bg_louder", "bg_quieter", "event_added", "event_removed"]
    for i in range(n_pairs):
        events = {e: 1.0 for e in SCENE_EVENTS[scene] if rng.random() < 0.5}
        kind = diffs[i % len(diffs)]
        bg_b, events_b = 1.0, dict(events)
        if kind == "bg_louder":
            bg_b, diff, text = 3.0, "bg_louder", f"make the {scene} louder"
        elif kind == "bg_quieter":
            bg_b, diff, text = 0.3, "bg_quieter", f"make the {scene} quieter"
        else:
            label = SCENE_EVENTS[scene][i % 3]
            events.pop(label, None)
            events_b = dict(events)
            if kind == "event_added":
                events_b[label] = 1.0
            else:
                events, events_b = events_b | {label: 1.0}, events
            diff = f"{kind}:{label}"
            text = f"{'add' if kind == 'event_added' else 'remove'} {label.replace('_', ' ')}"
        write_wav(folder / "audio" / f"{i:03d}_a.wav", _toy_clip(rng, scene, 1.0, events))
        write_wav(folder / "audio" / f"{i:03d}_b.wav", _toy_clip(rng, scene, bg_b, events_b))
        background = "rain" if scene == "rain" else "traffic"
        rows.append({
            "pair_id": f"{scene}-{split}-{i:03d}", "scene": scene, "split": split,
            "a_path": f"audio/{i:03d}_a.wav", "b_path": f"audio/{i:03d}_b.wav", "text": text,
            "template_id": "toy", "is_heldout_phrasing": int(split == "eval" and i % 2), "diff_types": diff,
            "labels_a": format_multi_hot([background, *events]),
            "labels_b": format_multi_hot([background, *events_b]), "seed": seed + i,
        })
    with open(folder / "pairs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return folder / "pairs.csv"


@pytest.mark.slow
def test_tiny_pipeline_end_to_end(tmp_path: Path) -> None:
    from model.checkpoint import load_heads, read_metadata, save_heads
    from training import evaluate, feature_cache, train
    from training.pairset import load_pairset

    pairs_root, feats = tmp_path / "pairs", tmp_path / "features"
    csvs = [make_toy_pairs(pairs_root, scene, split, 8, seed=10 * s + k)
            for s, scene in enumerate(("rain", "traffic")) for k, split in enumerate(("dev", "val", "eval"))]
    assert feature_cache.main([*map(str, csvs), "--out-root", str(feats), "--workers", "1",
                               "--paraphrases", "2", "--reversals"]) == 0
    ps = load_pairset(feats / "rain" / "dev")
    assert ps.reversals is not None and load_pairset(feats / "rain" / "val").reversals is None
    both = ps.with_reversed()
    assert len(both) == 16 and (both.a[8:] == ps.b).all() and (both.b[8:] == ps.a).all()
    assert both.paraphrases is not None and (both.paraphrases[8:] == ps.reversals[:, None]).all()
    assert ps.audio.shape == (16, 1040) and ps.text.shape[1] == 384 and len(ps) == 8
    assert ps.clause_text is not None and ps.clause_text.shape == (len(ps.text), 2 * 384)
    assert ps.paraphrases is not None and ps.paraphrases.shape == (8, 2)  # dev only
    assert load_pairset(feats / "rain" / "val").paraphrases is None
    assert ps.labels_a.shape == (8, len(ALL_CLASSES))
    # second run is a no-op (index hash matches)
    mtime = (feats / "rain" / "dev" / "audio.npy").stat().st_mtime_ns
    assert feature_cache.main([str(csvs[0]), "--out-root", str(feats), "--workers", "1",
                               "--paraphrases", "2", "--reversals"]) == 0
    assert (feats / "rain" / "dev" / "audio.npy").stat().st_mtime_ns == mtime
    pairsat1_audio = np.load(feats / "rain" / "dev" / "audio.npy")
    # another YAMNet graph (every layer exact): audio rows are computed again, not carried over
    assert feature_cache.main([str(csvs[0]), "--out-root", str(feats), "--workers", "1",
                               "--paraphrases", "2", "--reversals", "--arithmetic", "exact"]) == 0
    index = json.loads((feats / "rain" / "dev" / "index.json").read_text())
    assert index["audio_graph"] == "exact"
    exact_audio = np.load(feats / "rain" / "dev" / "audio.npy")
    assert not np.array_equal(exact_audio, pairsat1_audio)  # the first conv's saturation is gone
    assert feature_cache.main([str(csvs[0]), "--out-root", str(feats), "--workers", "1",
                               "--paraphrases", "2", "--reversals"]) == 0  # and back to the app's graph
    assert json.loads((feats / "rain" / "dev" / "index.json").read_text())["audio_graph"] == "pairsat1"
    assert np.array_equal(np.load(feats / "rain" / "dev" / "audio.npy"), pairsat1_audio)

    run = tmp_path / "run"
    assert train.main(["--train", str(feats / "rain" / "dev"), str(feats / "traffic" / "dev"),
                       "--val", str(feats / "rain" / "val"), str(feats / "traffic" / "val"),
                       "--out", str(run), "--epochs", "1", "--batch-size", "8", "--embed-dim", "32",
                       "--threads", "1", "--paraphrase-prob", "0.5", "--a-negatives", "--batching", "scene",
                       "--reversed-pairs"]) == 0
    heads = load_heads(run / "heads.safetensors")
    assert heads.config.class_names == list(ALL_CLASSES) and heads.config.embed_dim == 32
    extra = read_metadata(run / "heads.safetensors")["extra"]
    assert extra["best_epoch"] == 1 and "val/R@1" in extra["val_metrics"] and extra["data_hash"]
    assert extra["audio_graph"] == "pairsat1"  # the caches' graph: the app runs the same one for these heads
    assert (run / "curve.png").is_file() and (run / "log.jsonl").is_file()

    clause_run = tmp_path / "clause_run"  # one T per edit of the description, residual composer
    assert train.main(["--train", str(feats / "rain" / "dev"), "--val", str(feats / "rain" / "val"),
                       "--out", str(clause_run), "--epochs", "1", "--batch-size", "8", "--embed-dim", "32",
                       "--threads", "1", "--text-clauses", "2", "--composer", "residual"]) == 0
    assert load_heads(clause_run / "heads.safetensors").config.text_clauses == 2

    out = tmp_path / "results"
    assert evaluate.main(["--model", f"toy={run / 'heads.safetensors'}",
                          "--model", f"clauses={clause_run / 'heads.safetensors'}",
                          "--eval", str(feats / "rain" / "eval"), str(feats / "traffic" / "eval"),
                          "--out-dir", str(out), "--umap", ""]) == 0
    results = json.loads((out / "results.json").read_text())["results"]
    assert {"raw-audio", "toy:audio", "toy", "clauses:audio", "clauses"} <= set(results)
    for scene in ("rain", "traffic"):
        assert 0.0 <= results["toy"][f"{scene}/R@1"] <= results["toy"][f"{scene}/R@10"] <= 1.0
        assert results["toy"][f"{scene}/R@10"] == 1.0  # 8 targets per gallery
    assert "R@1 per difference" in (out / "results.md").read_text()
    exact_heads = tmp_path / "exact.safetensors"  # the same heads said to be trained on exact features
    save_heads(heads, exact_heads, extra={**extra, "audio_graph": "exact"})
    with pytest.raises(ValueError, match="another YAMNet graph.*exact"):  # never scored on other features
        evaluate.main(["--model", f"exact={exact_heads}", "--eval", str(feats / "rain" / "eval"),
                       "--out-dir", str(out), "--umap", ""])
