"""training.pooled_gallery: every scene's pairs in one CSV, and the app's evaluate output summarized by scene."""

from __future__ import annotations

import csv
import json

import pytest

from training.pooled_gallery import summarize, write_pooled


def _scene(root, scene, rows):
    folder = root / scene / "val"
    folder.mkdir(parents=True)
    with open(folder / "pairs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["a_path", "text", "b_path", "diff_types"])
        writer.writeheader()
        writer.writerows(rows)


def test_pairs_of_every_scene_in_one_csv_and_their_summary(tmp_path):
    root = tmp_path / "pairs"
    _scene(root, "rain", [{"a_path": "audio/r_a.flac", "text": "add thunder", "b_path": "audio/r_b.flac",
                           "diff_types": "event_added:thunder"}])
    _scene(root, "traffic", [{"a_path": "audio/t_a.flac", "text": "lose the horn and more traffic",
                              "b_path": "audio/t_b.flac", "diff_types": "event_removed:car_horn|bg_louder:traffic"}])
    out = tmp_path / "pooled" / "val.csv"
    assert write_pooled(root, "val", out) == 2
    rows = list(csv.DictReader(open(out)))
    assert [r["scene"] for r in rows] == ["rain", "traffic"]
    assert rows[1]["a_path"] == "../pairs/traffic/val/audio/t_a.flac"  # relative to the CSV, as evaluate reads it
    run = tmp_path / "run.json"  # the app's evaluate --json: the rain pair found; the traffic one led by a rain clip
    run.write_text(json.dumps({"per_pair": [
        {"line": 2, "rank": 1, "audio_only_rank": 3, "first": str(root / "rain/val/audio/r_b.flac"),
         "audio_only_first": str(root / "rain/val/audio/x.flac")},
        {"line": 3, "rank": 4, "audio_only_rank": 9, "first": str(root / "rain/val/audio/r_b.flac"),
         "audio_only_first": str(root / "traffic/val/audio/y.flac")}]}))
    figures = summarize(out, run)
    assert figures["R@1"] == 0.5 and figures["audio_R@1"] == 0.0
    assert figures["two_differences"] == 1 and figures["two_differences_R@1"] == 0.0
    assert figures["first_other_scene"] == pytest.approx(0.5) and figures["audio_first_other_scene"] == 0.0
