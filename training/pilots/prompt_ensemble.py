"""Each edit read as the mean of T over several phrasings (a prompt ensemble): R@1 per mode.

    python -m training.pilots.prompt_ensemble --heads assets/nudge_heads.safetensors \
        --eval data/features_v2/*/val --out training/results/prompt_ensemble/v2_val.json

For every text row of the caches the parser's clauses are read in each mode; T of a clause is the mean of T over
its phrasings (each embedded in the first clause slot, as the app embeds one edit), T of the text the sum over its
clauses, then the heads compose with A(a) at strength 1 and the scene's targets are ranked by cosine, as
training.evaluate ranks them. `canonical` reproduces training.evaluate's R@1 with text (the cached clause
features are those texts' MiniLM features).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from model.checkpoint import audio_graph, load_heads
from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.heads import NudgeHeads
from model.modifier_parser import canonical_text, parse_modifier
from model.ranking import recall_at_k
from model.sound_vocab import BY_ID
from training.pairset import PairSet, check_graph, load_many
from training.retrieval import embed_rows, one_slot_features, rank_pairs
from training.tables import write_results_json

MODES = ("canonical", "names", "verbs", "both")
N_NAMES = 4
NAMED_TEMPLATES = {
    ADD: ("add {n}", "add the sound of {n}", "bring in {n}", "with {n} added"),
    REMOVE: ("remove the {n}", "take out the {n}", "get rid of the {n}", "without the {n}"),
    LOUDER: ("make the {n} louder", "turn the {n} up", "more {n}", "raise the {n}"),
    QUIETER: ("make the {n} quieter", "turn the {n} down", "less {n}", "lower the {n}"),
}
MAIN_TEMPLATES = {
    LOUDER: ("make it louder", "turn it up", "louder", "raise the level"),
    QUIETER: ("make it quieter", "turn it down", "quieter", "lower the level"),
}


def edit_phrasings(edit: Edit, mode: str) -> list[str]:
    """The texts whose mean T reads ``edit``, canonical first, without repeats."""
    if mode not in MODES:
        raise ValueError(f"unknown phrasing mode {mode!r}: one of {', '.join(MODES)}")
    canonical = canonical_text(edit)
    if mode == "canonical":
        return [canonical]
    if edit.sound is None:  # "it": the main sound, unnamed
        texts = list(MAIN_TEMPLATES.get(edit.kind, ())) if mode in ("verbs", "both") else []
        return list(dict.fromkeys([canonical, *texts]))
    names = BY_ID[edit.sound].names
    names = names[:N_NAMES] if mode in ("names", "both") else names[:1]
    templates = NAMED_TEMPLATES[edit.kind] if mode in ("verbs", "both") else NAMED_TEMPLATES[edit.kind][:1]
    texts = [t.format(n=n) for n in names for t in templates]
    return list(dict.fromkeys([canonical, *texts]))


def clause_phrasings(text: str, max_clauses: int, mode: str) -> list[list[str]]:
    """Per clause slot the model fills for ``text`` (model.modifier_parser.modifier_clauses): its phrasings."""
    parsed = parse_modifier(text, max_clauses)
    by_text = {canonical_text(e): e for e in parsed.edits}
    return [edit_phrasings(by_text[c], mode) if c in by_text else [c] for c in parsed.clauses]


def text_table(heads: NudgeHeads, backbone, texts: list[str], mode: str) -> np.ndarray:
    """T of every text (rows of ``texts``) with each clause read as the mean over its phrasings."""
    slots = heads.config.text_clauses
    per_text = [clause_phrasings(t, slots, mode) for t in texts]
    unique = sorted({p for clauses in per_text for phrasings in clauses for p in phrasings})
    row = {p: i for i, p in enumerate(unique)}
    t_unique = embed_rows(heads.embed_text, one_slot_features(backbone.encode(unique), slots))
    out = np.zeros((len(texts), t_unique.shape[1]), dtype=np.float32)
    for i, clauses in enumerate(per_text):
        for phrasings in clauses:
            out[i] += t_unique[[row[p] for p in phrasings]].mean(axis=0)
    return out


def recall_table(ps: PairSet, ranks: np.ndarray) -> dict[str, float]:
    """R@1 and R@10 over all pairs, R@1 per scene (model.ranking.recall_at_k's keys)."""
    out = recall_at_k(ranks, (1, 10), "all/")
    for scene in ps.scenes():
        out.update(recall_at_k(ranks[ps.scene == scene], (1,), f"{scene}/"))
    return out


def main(argv: list[str] | None = None) -> int:
    from model.text_backbone import MiniLMBackbone

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--heads", type=Path, required=True)
    p.add_argument("--eval", nargs="+", type=Path, required=True, help="feature cache folders")
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    check_graph({"heads": audio_graph(args.heads)}, args.eval)
    heads = load_heads(args.heads).eval()
    ps = load_many(args.eval)
    clip_emb = embed_rows(heads.embed_audio, np.asarray(ps.audio))
    backbone = MiniLMBackbone(threads=2)
    results = {"audio-only": recall_table(ps, rank_pairs(ps, clip_emb, None))}
    for mode in args.modes:
        text_emb = text_table(heads, backbone, ps.texts, mode)
        results[mode] = recall_table(ps, rank_pairs(ps, clip_emb, text_emb, 1.0, heads))
        print(mode, {k: round(v, 4) for k, v in results[mode].items() if k.endswith("R@1")}, flush=True)
    if args.out:
        write_results_json(args.out, "training.pilots.prompt_ensemble", argv, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
