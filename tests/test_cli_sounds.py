"""`main.py sounds`: the sounds the words know, with the trained ones marked (trial 45: no list anywhere)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.cli_sounds import known_sounds, sounds_lines, trained_sounds
from model import paths
from model.sound_vocab import VOCAB

REPO = Path(__file__).resolve().parents[1]


def test_every_known_sound_is_listed_with_its_role_and_whether_it_was_trained():
    trained = trained_sounds(paths.heads_path())
    rows = known_sounds(trained)
    assert [r["id"] for r in rows] == [c.id for c in VOCAB] and len(rows) == len(VOCAB)
    rain = next(r for r in rows if r["id"] == "rain")
    assert rain == {"id": "rain", "name": "rain", "also": ["rainfall", "downpour", "drizzle", "rainstorm"],
                    "role": "bed", "trained": True}
    assert next(r for r in rows if r["id"] == "dog")["role"] == "event"
    lines = sounds_lines(rows)
    assert lines[0].startswith(f"{len(VOCAB)} sounds the words know; * the model in use was trained on "
                               f"({len(set(trained) & {c.id for c in VOCAB})})")
    assert any(line.startswith("* rain ") and "also: rainfall" in line for line in lines)
    assert sum(line.startswith("* ") for line in lines[1:]) == sum(r["trained"] for r in rows)


def test_the_command_needs_no_library_and_says_a_missing_heads_file(tmp_path):
    run = [sys.executable, str(REPO / "main.py"), "--data-dir", str(tmp_path / "none"), "sounds", "--json"]
    out = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and len(json.loads(out.stdout)["sounds"]) == len(VOCAB)
    assert not (tmp_path / "none").exists()  # no library made
    bad = subprocess.run([sys.executable, str(REPO / "main.py"), "sounds", "--heads", str(tmp_path / "x.safetensors")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert bad.returncode != 0 and "x.safetensors" in bad.stderr and "Traceback" not in bad.stderr
