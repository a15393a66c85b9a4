"""Four ways to rank differently at search time, on val splits only (MODEL_CARD "Explored, not shipped: ranking
variants"). Nothing is chosen here; each variant prints R@1 per val set beside the shipped ranking.

    python -m training.pilots.ranking_variants assets/nudge_heads.safetensors \
        --eval v2_val=data/features_v2_fresh3_exact release1_val=data/finetune/features_r1_fresh3_exact \
               demo_family_val=data/features_demo_fam_exact \
        --ensemble S2=data/S2.safetensors d19=training/results/finetune_round28/d19_demo_fam_heads.safetensors \
        --floor runs/pilot_floor.wav

* ``change``: score = cos(q, b) + g x cos(b - a, q - A(a)) x max(cos(a, b), 0)^p (a, b unit; model.change_term):
  the change from the clip to a candidate should point where the words point, counted mostly for candidates near
  the clip; the thirtieth round's rule picks a setting from these figures (printed last).
* ``sequential``: a two-edit modifier composed one edit at a time, q = C(C(A(a), T(e1)), T(e2)), or each edit's
  offset from the clip summed, instead of the trained joint composition C(A(a), T(e1) + T(e2)).
* ``ensemble``: the mean cosine of several heads (one 512-d vector per file for two heads).
* ``alone``: for each sound the words add, lam x the query "a faint noise floor + add <sound>" (which finds
  isolated files of that sound in a folder of single recordings) added to the unit query.
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

import numpy as np

from model.change_term import ChangeWeights
from model.checkpoint import load_heads
from model.compose import l2_normalize
from model.ranking import target_ranks
from training.pairset import PairSet, load_many
from training.retrieval import (
    compose_rows,
    embed_pairset,
    embed_rows,
    one_slot_features,
    pair_queries,
    rank_pairs,
    scene_gallery,
)


def val_sets(specs: list[str]) -> dict[str, PairSet]:
    return {name: load_many(sorted(glob.glob(f"{root}/*/val"))) for name, _, root in (s.partition("=") for s in specs)}


def r1(ps: PairSet, scores_of) -> float:
    """R@1 over the set; scores_of(pairs, gallery) -> (len(pairs), len(gallery)) scores, per scene."""
    ranks = np.zeros(len(ps), dtype=np.int64)
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        ranks[pairs] = target_ranks(scores_of(pairs, gallery), target)
    return float((ranks == 1).mean())


CHANGE_GRID = tuple((g, p) for g in (0.05, 0.1, 0.2) for p in (2, 4, 8))


def change_variant(heads, ps: PairSet, grid=CHANGE_GRID) -> dict[str, float]:
    """R@1 of the shipped ranking and of each (weight, power) of model.change_term (training.retrieval.rank_pairs)."""
    clips, texts = embed_pairset(heads, ps)
    out = {"shipped": float((rank_pairs(ps, clips, texts, heads=heads) == 1).mean())}
    for g, p in grid:
        ranks = rank_pairs(ps, clips, texts, heads=heads, change=ChangeWeights(g, p))
        out[f"g {g} p {p}"] = float((ranks == 1).mean())
    return out


def change_pick(figures: dict[str, dict[str, float]]) -> str | None:
    """The thirtieth round's rule: the setting with the largest mean R@1 gain over the val sets among those that
    lower none of them (ties: the smaller weight, then power, i.e. grid order); None if none qualifies."""
    best, best_gain = None, -np.inf
    for g, p in CHANGE_GRID:
        key = f"g {g} p {p}"
        gains = [f[key] - f["shipped"] for f in figures.values()]
        if min(gains) >= 0 and np.mean(gains) > best_gain + 1e-12:
            best, best_gain = key, float(np.mean(gains))
    return best


def sequential_variant(heads, ps: PairSet) -> dict[str, float]:
    clips, texts = embed_pairset(heads, ps)
    both = ps.text_features(2)
    width = both.shape[1] // 2
    two = np.abs(both[:, width:]).sum(axis=1) > 0
    t1 = embed_rows(heads.embed_text, one_slot_features(both[:, :width], 2))
    t2 = embed_rows(heads.embed_text, one_slot_features(both[:, width:], 2)) * two[:, None]

    def queries(mode: str, pairs: np.ndarray) -> np.ndarray:
        a, t = clips[ps.a[pairs]].astype(np.float32), ps.t[pairs]
        if mode == "joint":
            return compose_rows(heads, a, texts[t], 1.0)
        first = compose_rows(heads, a, t1[t], 1.0)
        if mode == "one at a time":
            second = compose_rows(heads, first, t2[t], 1.0)
        else:  # each edit's offset from the clip, summed
            second = first + compose_rows(heads, a, t2[t], 1.0) - a
        return np.where(two[t][:, None], second, first)

    return {mode: r1(ps, lambda pairs, gallery, mode=mode: l2_normalize(queries(mode, pairs))
                     @ l2_normalize(clips[gallery]).T)
            for mode in ("joint", "one at a time", "offsets summed")}


def ensemble_variant(members: dict[str, object], ps: PairSet) -> dict[str, float]:
    emb = {name: embed_pairset(h, ps) for name, h in members.items()}
    names = list(members)
    combos = [(n,) for n in names] + [(names[0], n) for n in names[1:]] + ([tuple(names)] if len(names) > 2 else [])

    def scores(combo, pairs, gallery):
        return sum(l2_normalize(pair_queries(ps, pairs, emb[n][0], emb[n][1], members[n]))
                   @ l2_normalize(emb[n][0][gallery]).T for n in combo)

    return {" + ".join(c): r1(ps, lambda pairs, gallery, c=c: scores(c, pairs, gallery)) for c in combos}


def write_floor(path: Path) -> None:
    """The app's faint room floor (model.words_alone) as a 16 kHz file."""
    import soundfile as sf

    from model.words_alone import SAMPLE_RATE, floor_signal

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, floor_signal(), SAMPLE_RATE)


def alone_variant(heads, heads_path: Path, ps: PairSet, floor: Path, lams=(0.0, 0.1, 0.25, 0.5)) -> dict[str, float]:
    from model.audio_features import AudioFeatureExtractor
    from model.checkpoint import audio_graph
    from model.edits import ADD
    from model.modifier_parser import parse_modifier
    from model.sound_vocab import BY_ID
    from model.text_backbone import MiniLMBackbone
    from model.yamnet import YamnetBackbone

    clips, texts = embed_pairset(heads, ps)
    if not floor.is_file():
        write_floor(floor)
    extractor = AudioFeatureExtractor(YamnetBackbone(threads=2, arithmetic=audio_graph(heads_path)))
    a_floor = embed_rows(heads.embed_audio, extractor.from_file(floor)[None])
    backbone = MiniLMBackbone(threads=2)
    sounds = sorted({e.sound for t in ps.texts for e in parse_modifier(t).edits if e.kind == ADD and e.sound in BY_ID})
    words = one_slot_features(backbone.encode([f"add {BY_ID[s].name}" for s in sounds]), heads.config.text_clauses)
    alone = dict(zip(sounds, l2_normalize(compose_rows(heads, np.repeat(a_floor, len(sounds), 0),
                                                       embed_rows(heads.embed_text, words), 1.0)), strict=True))
    adds = [[alone[e.sound] for e in parse_modifier(t).edits if e.kind == ADD and e.sound in alone] for t in ps.texts]

    def scores(lam, pairs, gallery):
        q = l2_normalize(pair_queries(ps, pairs, clips, texts, heads))
        q = q + lam * np.array([np.sum(adds[ps.t[p]], axis=0) if adds[ps.t[p]] else np.zeros(q.shape[1])
                                for p in pairs], dtype=np.float32)
        return l2_normalize(q) @ l2_normalize(clips[gallery]).T

    return {f"lam {lam}": r1(ps, lambda pairs, gallery, lam=lam: scores(lam, pairs, gallery)) for lam in lams}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heads", type=Path)
    ap.add_argument("--eval", nargs="+", required=True, metavar="NAME=CACHE_ROOT")
    ap.add_argument("--ensemble", nargs="*", default=[], metavar="NAME=HEADS", help="other heads to average with")
    ap.add_argument("--floor", type=Path, help="a faint noise floor for the 'alone' variant (written if missing)")
    args = ap.parse_args(argv)
    heads = load_heads(args.heads).eval()
    members = {"shipped": heads}
    members |= {n: load_heads(Path(p)).eval() for n, _, p in (s.partition("=") for s in args.ensemble)}
    change = {}
    for name, ps in val_sets(args.eval).items():
        change[name] = change_variant(heads, ps)
        rows = {"change": change[name], "sequential": sequential_variant(heads, ps)}
        if len(members) > 1:
            rows["ensemble"] = ensemble_variant(members, ps)
        if args.floor:
            rows["alone"] = alone_variant(heads, args.heads, ps, args.floor)
        for variant, figures in rows.items():
            for setting, value in figures.items():
                print(f"{name:16s} {variant:10s} {setting:20s} R@1 {value:.3f}", flush=True)
    print(f"change term, the thirtieth round's pick: {change_pick(change)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
