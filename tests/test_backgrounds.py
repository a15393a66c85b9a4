"""Background recording of each cached pair: the v2 pairs' own column, else Scaper's annotations."""

from __future__ import annotations

import json

from training.backgrounds import pair_backgrounds, recording_id


def test_v2_cache_uses_background_id_column(tmp_path):
    (tmp_path / "pairs.csv").write_text("pair_id,a_path,background_id\np0,audio/a0.flac,pkg:/rain\n"
                                        "p1,audio/a1.flac,pkg:/wind\np2,audio/a2.flac,\n")
    assert list(pair_backgrounds(tmp_path)) == ["pkg:/rain", "pkg:/wind", ""]


def test_first_release_cache_reads_scaper_annotations(tmp_path):
    pairs = tmp_path / "pairs"
    (pairs / "audio").mkdir(parents=True)
    (pairs / "pairs.csv").write_text("pair_id,a_path\n")
    doc = {"annotations": [{"data": [{"value": {"role": "foreground", "source_file": "dog.wav"}},
                                     {"value": {"role": "background", "source_file": "x/rain_v2_seg01.wav"}}]}]}
    (pairs / "audio" / "a0.jams").write_text(json.dumps(doc))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "index.json").write_text(json.dumps({"pairs_csv": str(pairs / "pairs.csv")}))
    (cache / "pairs.csv").write_text("pair_id,a_path\np0,audio/a0.flac\n")
    assert list(pair_backgrounds(cache)) == [recording_id("x/rain.wav")] == ["rain"]
