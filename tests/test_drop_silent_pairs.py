"""training.drop_silent_pairs: pairs with a silent clip leave pairs.csv, the original is kept beside."""

import csv

import numpy as np
import soundfile as sf

from training.drop_silent_pairs import drop_silent


def _write_pairs(folder, rows):
    with open(folder / "pairs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["pair_id", "a_path", "b_path", "text"])
        writer.writeheader()
        writer.writerows(rows)


def test_pairs_with_a_silent_clip_are_dropped(tmp_path):
    tone = 0.1 * np.sin(np.linspace(0, 2000, 16000)).astype(np.float32)
    sf.write(tmp_path / "a.flac", tone, 16000)
    sf.write(tmp_path / "b.flac", tone * 0.5, 16000)
    sf.write(tmp_path / "silent.flac", np.zeros(16000, np.float32), 16000)
    rows = [{"pair_id": "p0", "a_path": "a.flac", "b_path": "b.flac", "text": "make it quieter"},
            {"pair_id": "p1", "a_path": "a.flac", "b_path": "silent.flac", "text": "remove the dog"}]
    _write_pairs(tmp_path, rows)
    assert drop_silent(tmp_path / "pairs.csv", workers=1) == (1, 1)
    with open(tmp_path / "pairs.csv", newline="") as f:
        assert [r["pair_id"] for r in csv.DictReader(f)] == ["p0"]
    with open(tmp_path / "pairs.all.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 2


def test_nothing_silent_leaves_the_csv_untouched(tmp_path):
    sf.write(tmp_path / "a.flac", 0.1 * np.ones(16000, np.float32), 16000)
    _write_pairs(tmp_path, [{"pair_id": "p0", "a_path": "a.flac", "b_path": "a.flac", "text": "x"}])
    before = (tmp_path / "pairs.csv").read_bytes()
    assert drop_silent(tmp_path / "pairs.csv", workers=1) == (1, 0)
    assert (tmp_path / "pairs.csv").read_bytes() == before and not (tmp_path / "pairs.all.csv").exists()
