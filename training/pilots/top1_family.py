"""Does the text override the clip? Top-1 results from another clip's family, with and without the words.

Issue 12 reports, on an independent set, that when a clip a has several edited versions in the gallery the words
gain nothing for "make the X louder", and that the number of top-1 results that are unrelated clips rises by a
third with the text. A family is one clip a and its edited versions (the clip file name without its last
"_a" / "_b<n>" part: "rain_eval_f000000", "rain-0000"). Per set, for the composed query and the audio-only one:
the share of queries whose top-1 belongs to another family, and R@1 of the pairs whose family has one, or
several, versions in the scene's gallery (per difference kind for the several-version pairs).

    python -m training.pilots.top1_family assets/nudge_heads.safetensors --eval data/features_ood_exact/ood/*
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from model.compose import l2_normalize
from training.pairset import PairSet, load_many
from training.retrieval import embed_pairset, pair_queries, scene_gallery
from training.top1_family_app import family


def top1_rows(ps: PairSet, clips: np.ndarray, texts: np.ndarray | None, heads) -> dict[int, tuple[int, int, int]]:
    """Per pair: (top-1 gallery clip row, its target clip row, versions of the query's family in the gallery)."""
    out = {}
    for scene in ps.scenes():
        pairs, gallery, _ = scene_gallery(ps, scene)
        query = l2_normalize(pair_queries(ps, pairs, clips, texts, heads))
        best = gallery[np.argmax(query @ l2_normalize(clips[gallery]).T, axis=1)]
        versions: dict[str, int] = defaultdict(int)
        for row in gallery:
            versions[family(ps.clips[row])] += 1
        for pair, top in zip(pairs, best, strict=True):
            out[int(pair)] = (int(top), int(ps.b[pair]), versions[family(ps.clips[ps.a[pair]])])
    return out


def summary(ps: PairSet, tops: dict[int, tuple[int, int, int]]) -> dict[str, float]:
    other = [family(ps.clips[top]) != family(ps.clips[ps.a[p]]) for p, (top, _, _) in tops.items()]
    out = {"top1_other_family": float(np.mean(other)), "n": len(tops)}
    groups: dict[str, list[bool]] = defaultdict(list)
    for p, (top, target, versions) in tops.items():
        several = "several" if versions > 1 else "one"
        groups[f"R@1/{several}"].append(top == target)
        if versions > 1:
            for kind in {d.split(":")[0] for d in ps.diff_types[p]}:
                groups[f"R@1/several/{kind}"].append(top == target)
    out |= {k: float(np.mean(v)) for k, v in sorted(groups.items())}
    out |= {f"{k}/n": len(v) for k, v in sorted(groups.items())}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heads", type=Path)
    ap.add_argument("--eval", nargs="+", required=True, help="feature cache folders of one set")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    ps = load_many(args.eval)
    heads = load_heads(args.heads)
    clips, texts = embed_pairset(heads, ps)
    result = {"words": summary(ps, top1_rows(ps, clips, texts, heads)),
              "audio only": summary(ps, top1_rows(ps, clips, None, heads))}
    keys = [k for k in result["words"] if not k.endswith("/n") and k != "n"]
    print(f"{'':32s} {'words':>8s} {'audio only':>10s} {'n':>6s}")
    for key in keys:
        n = result["words"].get(f"{key}/n", result["words"]["n"])
        print(f"{key:32s} {result['words'][key]:8.3f} {result['audio only'].get(key, float('nan')):10.3f} {n:6d}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
