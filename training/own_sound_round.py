"""Seventieth and seventy-first rounds (MODEL_CARD): a level edit naming the query's only sound read as "it"
(model/own_sound.py).

Runs the app's own code in this process with model.own_sound.OTHER_HEARD_MAX and NOT_OTHER set to each candidate's
("off": the rule off, the reference):

    python -m training.own_sound_round folder --out training/results/round70      # the val folder's level leans
    python -m training.own_sound_round evaluate data/pairs_v2_val42/*/val/pairs.csv --out training/results/round70

``folder`` writes OUT/folder_<name>.txt (bench.bench_level_words --split val); ``evaluate`` writes
OUT/<name>/<scene>.json (`main.py evaluate PAIRS --json`), OUT/<name>/table.md (training.top1_family_app) and
OUT/rewritten.txt (per scene, how many texts each candidate rewrites). Finished files are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SCENES = frozenset({"room_tone", "forest_ambience"})
# name: (t, sounds never counted as another sound); seventieth round O3, O6; seventy-first O3S
CANDIDATES = {"off": (None, frozenset()), "O3": (0.3, SCENES), "O6": (0.6, SCENES), "O3S": (0.3, frozenset())}


def _set(candidate: tuple[float | None, frozenset[str]]) -> None:
    import model.own_sound

    model.own_sound.OTHER_HEARD_MAX, model.own_sound.NOT_OTHER = candidate


def folder(out: Path) -> None:
    from bench import bench_level_words

    for name, candidate in CANDIDATES.items():
        path = out / f"folder_{name}.txt"
        if path.exists():
            continue
        _set(candidate)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            bench_level_words.main(["--split", "val"])
        path.write_text(buf.getvalue())
        print(name, buf.getvalue(), flush=True)


# `main.py` with the candidate set first (a process of its own: training never imports the app's command line, which
# starts the GUI)
_MAIN = ("import json, sys; import model.own_sound as o; t, left_out = json.loads(sys.argv[1]); "
         "o.OTHER_HEARD_MAX, o.NOT_OTHER = t, frozenset(left_out); "
         "from app.cli import main; sys.exit(main(sys.argv[2:]))")


def evaluate(pairs_files: list[Path], out: Path) -> None:
    from training.top1_family_app import main as table_main
    from training.top1_family_app import scene_name

    for name, (t, left_out) in CANDIDATES.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        for pairs in pairs_files:
            path = out / name / f"{scene_name(pairs)}.json"
            if path.exists():
                continue
            with tempfile.TemporaryDirectory() as data, path.with_suffix(".part").open("w") as sink:
                subprocess.run([sys.executable, "-c", _MAIN, json.dumps([t, sorted(left_out)]), "--data-dir", data,
                                "evaluate", str(pairs), "--json"], stdout=sink, check=True)
            path.with_suffix(".part").rename(path)
            print(name, scene_name(pairs), "done", flush=True)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            table_main([*map(str, pairs_files), "--ranks-dir", str(out / name)])
        (out / name / "table.md").write_text(buf.getvalue())
    rewritten(pairs_files, out / "rewritten.txt")


def rewritten(pairs_files: list[Path], path: Path) -> None:
    """Per scene and candidate, how many of the pairs' texts the rule rewrites against their query sounds."""
    from model.encoder import NudgeEncoder
    from model.own_sound import own_sound_text

    encoder = NudgeEncoder()
    lines = []
    for pairs in pairs_files:
        rows = list(csv.DictReader(pairs.open()))
        classes = {}
        for row in rows:
            query = pairs.parent / row["a_path"]
            if str(query) not in classes:
                classes[str(query)] = encoder.embed_file_with_classes(query)[1]
        counts = {}
        for name, candidate in CANDIDATES.items():
            _set(candidate)
            counts[name] = sum(own_sound_text(r["text"], classes[str(pairs.parent / r["a_path"])]) != r["text"]
                               for r in rows)
        lines.append(f"{pairs}: {len(rows)} pairs; rewritten " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    path.write_text("\n".join(lines) + "\n")
    print(path.read_text())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("folder", "evaluate"))
    ap.add_argument("pairs", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=Path("training/results/round70"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step == "folder":
        folder(args.out)
    else:
        evaluate(args.pairs, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
