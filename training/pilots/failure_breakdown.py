"""What does a model retrieve when its top-1 is wrong? Compares each miss with the right target.

For every eval pair whose top-1 result is not its target, reads the Scaper annotations (.jams) of
the top-1 clip and of the target and counts how often they share the background recording
segment, the set of event classes, and the exact event source files.

    python -m training.pilots.failure_breakdown runs/paper_rho0/heads.safetensors
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from training.backgrounds import clip_events
from training.pairset import load_many
from training.pilots.clip_tables import FEATURES, PAIRS, SCENES
from training.retrieval import compose_rows, embed_pairset, scene_gallery


@cache
def clip_summary(clip: str) -> tuple[tuple[str, float], frozenset[str], frozenset[tuple[str, str]]]:
    """(background file and offset, event classes, (class, source file) of each event) of one clip."""
    scene, split, rel = clip.split("/", 2)
    jams = PAIRS / scene / split / Path(rel).with_suffix(".jams")
    events = clip_events(jams)
    bg = next(e for e in events if e["role"] == "background")
    fg = [e for e in events if e["role"] == "foreground"]
    return ((Path(bg["source_file"]).name, round(bg["source_time"], 2)), frozenset(e["label"] for e in fg),
            frozenset((e["label"], Path(e["source_file"]).name) for e in fg))


def breakdown(heads_path: Path, split: str = "eval") -> dict[str, dict[str, float]]:
    ps = load_many([FEATURES / scene / split for scene in SCENES])
    heads = load_heads(heads_path)
    clips, texts = embed_pairset(heads, ps)
    out = {}
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        query = compose_rows(heads, clips[ps.a[pairs]], texts[ps.t[pairs]], 1.0)
        keys = clips[gallery] / np.linalg.norm(clips[gallery], axis=1, keepdims=True)
        top = np.argmax((query / np.linalg.norm(query, axis=1, keepdims=True)) @ keys.T, axis=1)
        misses = np.flatnonzero(top != target)
        counts: Counter[str] = Counter()
        for i in misses:
            want, got = clip_summary(ps.clips[gallery[target[i]]]), clip_summary(ps.clips[gallery[top[i]]])
            counts["same background segment"] += want[0] == got[0]
            counts["same event classes"] += want[1] == got[1]
            counts["same event sources"] += want[2] == got[2]
        backgrounds = {clip_summary(ps.clips[g])[0][0] for g in gallery}
        out[scene] = {"pairs": len(pairs), "misses": len(misses), "background files in gallery": len(backgrounds),
                      **{k: round(v / max(1, len(misses)), 3) for k, v in counts.items()}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("heads", type=Path)
    parser.add_argument("--split", default="eval")
    args = parser.parse_args(argv)
    print(json.dumps(breakdown(args.heads, args.split), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
