"""Would AudioSet columns learned from the dev pairs read an added or removed sound better than the columns its
name maps to? (val only, a pilot for the reranker's presence features.)

Learned columns: over the v2 dev pairs whose words state one edit that adds (or removes) a sound, the mean over
pairs of each class's largest per-patch rise in probability from the clip without the sound to the clip with it;
a sound's columns are its ``--columns`` classes that rise most. Name columns: model.class_scores.sound_classes.

Each val list with one add / remove edit (the heads' cosine top 80) is ranked by cos / tau + w x s x rise, s = +1
for "add" and -1 for "remove", rise = the largest per-patch rise of the sound's strongest column from the query
to the candidate (the reranker's rise_max), for both column sets and a few w; R@1 is printed per val set.

    python -m training.pilots.learned_columns [--columns 3]
"""

from __future__ import annotations

import argparse
import glob
from collections import defaultdict
from pathlib import Path

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.class_scores import probabilities, sound_classes
from model.edits import ADD, REMOVE
from model.modifier_parser import parse_modifier
from training.aligned_fit import TAU, by_folder, load
from training.aligned_mlp import HEADS, REPO_ROOT, VAL
from training.retrieval import scene_cosines

DEV = "data/features_v2_r31_exact/*/dev"
WEIGHTS = (0.0, 1.0, 2.0, 4.0, 8.0)
K = 80


def presence_edit(text: str) -> tuple[str, str] | None:
    """(kind, sound) of words that state exactly one edit adding or removing a named sound, else None."""
    edits = parse_modifier(text).edits
    if len(edits) != 1 or edits[0].kind not in (ADD, REMOVE) or not edits[0].sound:
        return None
    return edits[0].kind, edits[0].sound


def largest_rise(without: PatchEvidence, with_sound: PatchEvidence) -> np.ndarray:
    """(521,) each class's largest rise in probability over the patches both clips have."""
    n = min(len(without), len(with_sound))
    if not n:
        return np.zeros(521)
    return (probabilities(with_sound.classes[:n]) - probabilities(without.classes[:n])).max(axis=0)


def learn_columns(caches: list[Path], heads, count: int) -> dict[str, np.ndarray]:
    """{sound: its ``count`` columns rising most, on average, where the dev pairs add (or remove) it}."""
    ps, evidence, _, _ = load(caches, heads)
    sums: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(521))
    counts: dict[str, int] = defaultdict(int)
    for p in range(len(ps.a)):
        edit = presence_edit(ps.texts[ps.t[p]])
        if edit is None:
            continue
        kind, sound = edit
        a, b = evidence[int(ps.a[p])], evidence[int(ps.b[p])]
        sums[sound] += largest_rise(a, b) if kind == ADD else largest_rise(b, a)
        counts[sound] += 1
    return {s: np.argsort(-sums[s] / counts[s])[:count] for s in sums}


def rise_max(columns: np.ndarray, query: PatchEvidence, candidate: PatchEvidence) -> float:
    """The largest per-patch rise of the columns' strongest class from the query to the candidate."""
    n = min(len(query), len(candidate))
    if not n or not len(columns):
        return 0.0
    before = probabilities(query.classes[:n, columns]).max(axis=1)
    after = probabilities(candidate.classes[:n, columns]).max(axis=1)
    return float((after - before).max())


def val_r1(caches: list[Path], heads, learned: dict[str, np.ndarray]) -> dict[str, list[float]]:
    """{column set: R@1 at each of WEIGHTS} over one val features folder's one-edit add / remove lists."""
    ps, evidence, clips, texts = load(caches, heads)
    hits: dict[str, np.ndarray] = {"name": np.zeros(len(WEIGHTS)), "learned": np.zeros(len(WEIGHTS))}
    lists = 0
    for scene in ps.scenes():
        pairs, gallery, target, scores = scene_cosines(ps, scene, clips, texts, heads)
        for i, p in enumerate(pairs):
            edit = presence_edit(ps.texts[ps.t[p]])
            if edit is None or edit[1] not in learned:
                continue
            kind, sound = edit
            top = np.argsort(-scores[i], kind="stable")[:K]
            query = evidence[int(ps.a[p])]
            cands = [evidence[int(g)] for g in gallery[top]]
            sign = 1.0 if kind == ADD else -1.0
            lists += 1
            for name, cols in (("name", sound_classes([sound])), ("learned", learned[sound])):
                rise = np.array([rise_max(cols, query, c) for c in cands])
                for j, w in enumerate(WEIGHTS):
                    best = top[int(np.argmax(scores[i, top] / TAU + w * sign * rise))]
                    hits[name][j] += float(best == target[i])
    return {name: list(h / max(lists, 1)) for name, h in hits.items()} | {"lists": [float(lists)]}


def main(argv: list[str] | None = None) -> int:
    from model.checkpoint import load_heads

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=3)
    args = parser.parse_args(argv)
    heads = load_heads(HEADS)
    learned = learn_columns([Path(c) for c in sorted(glob.glob(str(REPO_ROOT / DEV)))], heads, args.columns)
    print(f"learned columns of {len(learned)} sounds from {DEV} ({args.columns} each); R@1 at w = {WEIGHTS}")
    for pattern in VAL:
        caches = [Path(c) for c in sorted(glob.glob(str(REPO_ROOT / pattern)))]
        for folder, group in by_folder(caches).items():
            result = val_r1(group, heads, learned)
            print(f"{folder}: {int(result['lists'][0])} one-edit add / remove lists")
            for name in ("name", "learned"):
                print(f"  {name:8s} " + "  ".join(f"{r:.3f}" for r in result[name]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
