"""The fine-tuning round's MODEL_CARD tables read the evaluate / refine_bench result files."""

from __future__ import annotations

import json
from pathlib import Path

from training import finetune_tables


def _write(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"command": "x", "results": results}))


def test_tables_show_each_model_and_its_audio_only(tmp_path: Path, capsys) -> None:
    for folder in ("v2_eval", "v2_ood", "release1_eval"):
        results = {m: {"rain/R@1": r1, "rain/R@10": 0.9, "traffic/R@1": 0.5, "traffic/R@10": 0.8,
                       "all/R@1": r1, "all/R@10": 0.7, "all/diff/n_diffs:2": 0.125,
                       "all/phrasing/family:typo": 0.25}
                   for m, r1 in (("pick", 0.4), ("pick:audio", 0.3))}
        _write(tmp_path / folder / "results.json", results)
    for folder in ("v2_eval", "v2_ood"):
        _write(tmp_path / folder / "refine.json",
               {f"pick:{loop}": {f"all/within_{k}": k / 10 for k in range(1, 5)} for loop in ("text", "audio")})
    assert finetune_tables.main([str(tmp_path), "--models", "pick"]) == 0
    out = capsys.readouterr().out
    assert "| v2 eval | pick | 0.400 (0.300) |" in out
    assert "| OOD | pick, audio only | 0.100 | 0.200 | 0.300 | 0.400 |" in out
    assert "| pick | 0.400 | 0.900 | 0.300 | 0.500 | 0.800 |" in out
    assert "0.125 |" in out and "0.250 |" in out
