"""training.top1_family_app: other-family first results and several-version R@1 from `main.py evaluate --json`."""

from __future__ import annotations

import json

from training.top1_family_app import scene_name, table


def test_table_counts_first_results_from_other_families(tmp_path):
    scene = tmp_path / "rain"
    scene.mkdir()
    (scene / "pairs.csv").write_text("a_path,text,b_path,diff_types\n"
                                     "f1_a.wav,x,f1_b0.wav,event_added:dog\n"
                                     "f1_a.wav,x,f1_b1.wav,bg_louder:rain|event_removed:dog\n"
                                     "f2_a.wav,x,f2_b0.wav,event_added:dog\n")
    per_pair = [  # f1 has two versions in the gallery, f2 one
        {"line": 2, "query": "/s/f1_a.wav", "target": "/s/f1_b0.wav", "rank": 1, "audio_only_rank": 2,
         "first": "/s/f1_b0.wav", "audio_only_first": "/s/f2_b0.wav"},
        {"line": 3, "query": "/s/f1_a.wav", "target": "/s/f1_b1.wav", "rank": 2, "audio_only_rank": 1,
         "first": "/s/f2_b0.wav", "audio_only_first": "/s/f1_b1.wav"},
        {"line": 4, "query": "/s/f2_a.wav", "target": "/s/f2_b0.wav", "rank": 1, "audio_only_rank": 1,
         "first": "/s/f2_b0.wav", "audio_only_first": "/s/f2_b0.wav"},
    ]
    ranks = tmp_path / "ranks"
    ranks.mkdir()
    (ranks / "rain.json").write_text(json.dumps({"per_pair": per_pair}))
    lines = table([scene / "pairs.csv"], ranks)
    assert "| rain | 3 | 0.333 / 0.333 | 0.667 / 0.667 | 1.000 / 0.000 (2 / 1) |" in lines
    assert "| all | 3 | 0.333 / 0.333 | 0.667 / 0.667 | 1.000 / 0.000 (2 / 1) |" in lines
    assert any("(2 of 3)" in line for line in lines)
    assert "| event_added | 1 | 1.000 / 0.000 |" in lines and "| bg_louder | 1 | 0.000 / 1.000 |" in lines


def test_scene_name_skips_the_split_folder(tmp_path):
    assert scene_name(tmp_path / "ood" / "rain" / "pairs.csv") == "rain"
    assert scene_name(tmp_path / "pairs_v2" / "traffic" / "val" / "pairs.csv") == "traffic"
