"""How well YAMNet's per-patch class scores show an added event: the reranker's best evidence for "add X" (val only).

For every val pair whose differences include an added event X, against the same query clip a: the edited version
b that holds X, and (at random) another edited version of a that does not. Prints how often X is heard in b at all
(its class probability over 0.1 in some patch), and how well the named sound's rise (the mean of its three largest
per-patch logit rises, model.aligned_rerank's ``logit_rise_top3``) tells b from that other version (AUC: 0.5 is
chance, 1 is perfect).

    python -m training.added_event_probe NAME=CACHE_GLOB ...   (per-patch tables: training.aligned_evidence)
"""

from __future__ import annotations

import argparse
import glob
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from model.aligned_rerank import ALL_FEATURES, PatchEvidence, edit_features
from model.class_scores import probabilities, sound_classes
from model.edits import ADD, Edit
from training.aligned_scoring import ClipEvidence
from training.pairset import load_many

HEARD = 0.1  # class probability taken as heard


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def named_rise(a: PatchEvidence, b: PatchEvidence, sound: str) -> tuple[float, float]:
    """(the reranker's logit_rise_top3 of "add <sound>" from a to b, the sound's largest class probability in b) over
    the patches both have."""
    features = dict(zip(ALL_FEATURES, edit_features(Edit(ADD, sound), a, b, align=0.0), strict=True))
    n = min(len(a), len(b))
    peak = float(probabilities(b.classes[:n, sound_classes([sound])].max(axis=1)).max()) if n else 0.0
    return float(features["logit_rise_top3"]), peak


def added_pairs(ps, seed: int = 0) -> Iterator[tuple[int, int, int | None, str]]:
    """Per added event X of a pair: (clip a, its edited version b holding X, another edited version of a without X
    drawn at random or None when a has none, X), in the pairs' order."""
    rng = np.random.default_rng(seed)
    versions: dict[int, list[int]] = {}
    for i in range(len(ps.a)):
        versions.setdefault(int(ps.a[i]), []).append(i)
    for i in range(len(ps.a)):
        for diff in ps.diff_types[i]:
            kind, _, sound = diff.partition(":")
            if kind != "event_added" or not len(sound_classes([sound])):
                continue
            without = [j for j in versions[int(ps.a[i])] if j != i and not any(
                d.endswith(f":{sound}") for d in ps.diff_types[j])]
            other = int(ps.b[rng.choice(without)]) if without else None
            yield int(ps.a[i]), int(ps.b[i]), other, sound


def probe(caches: list[Path], seed: int = 0) -> dict[str, float]:
    ps, evidence = load_many(caches), ClipEvidence(caches)
    heard, target, other = [], [], []
    for a, b, o, sound in added_pairs(ps, seed):
        top3, peak = named_rise(evidence[a], evidence[b], sound)
        heard.append(peak > HEARD)
        if o is not None:
            target.append(top3)
            other.append(named_rise(evidence[a], evidence[o], sound)[0])
    return {"added": len(heard), "heard": float(np.mean(heard)) if heard else float("nan"), "pairs": len(target),
            "auc": auc(np.array(target), np.array(other))}


def named_sets(argv: list[str] | None, description: str) -> list[tuple[str, list[Path]]]:
    """The command line's NAME=CACHE_GLOB arguments -> (name, its cache folders), in order."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("sets", nargs="+", metavar="NAME=CACHE_GLOB")
    items = [item.split("=", 1) for item in p.parse_args(argv).sets]
    return [(name, [Path(c) for c in sorted(glob.glob(pattern))]) for name, pattern in items]


def main(argv: list[str] | None = None) -> int:
    for name, caches in named_sets(argv, __doc__.splitlines()[0]):
        r = probe(caches)
        print(f"{name}: {r['added']} added events, heard in b {r['heard']:.2f}; {r['pairs']} with another version "
              f"of the clip without it: logit_rise_top3 AUC {r['auc']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
