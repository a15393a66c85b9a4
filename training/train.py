"""Train the Nudge heads on cached frozen features (one model for all scenes).

Loss: symmetric InfoNCE between normalize(A(a) + T(t)) and normalize(A(b)) + rho * multi-label
BCE on A(a) and A(b). Adam; the epoch with the lowest validation loss is kept (validation pairs
come from source files unseen in training). Writes a self-describing checkpoint
(model.checkpoint.save_heads, extra = args, metrics, data hashes), log.jsonl and curve.png.

    python -m training.train --out runs/proposed            # defaults: data/features/*/dev, */val

Fine-tuning (training.finetune): ``--init HEADS`` starts from a heads file (architecture and
temperature from its header, its classes first, new classes as zero rows), ``--anchor-weight``
pulls the weights toward that start (L2-SP), ``--freeze audio`` keeps parts fixed; epoch 0 (the
start itself) is validated and kept if no epoch beats it.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import logging
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from model.audio_features import LOUDNESS_DIM
from model.checkpoint import read_metadata, save_heads
from model.heads import HeadsConfig, NudgeHeads
from model.ranking import recall_at_k
from model.sound_vocab import BY_ID
from training.backgrounds import pair_backgrounds
from training.chain_twins import TwinTerm
from training.curves import plot_curve
from training.descriptions import KNOWN_SOUND_WORDS
from training.finetune import PARTS, Anchor, Distill, freeze, init_heads, load_relabelled, pairs_of
from training.levels import LEVEL_SCALE_DB, pair_levels
from training.losses import class_bce, multi_positive_infonce, nudge_loss
from training.pairset import PairSet, cache_graph, load_many
from training.retrieval import embed_pairset, rank_pairs, scene_gallery
from training.scenes import ALL_CLASSES

REPO_ROOT = Path(__file__).resolve().parents[1]
FEATURES_ROOT = REPO_ROOT / "data" / "features"
log = logging.getLogger("train")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", nargs="+", type=Path, help="feature cache folders (default */dev)")
    p.add_argument("--val", nargs="+", type=Path, help="feature cache folders (default */val)")
    p.add_argument("--out", type=Path, default=REPO_ROOT / "runs" / "proposed")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--patience", type=int, default=10, help="stop after this many epochs without val gain")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--rho", type=float, default=1.0, help="weight of the classification loss")
    p.add_argument("--temperature", type=float, default=0.07, help="initial / fixed softmax temperature")
    p.add_argument("--fixed-temperature", action="store_true")
    p.add_argument("--embed-dim", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--no-loudness", action="store_true", help="conv features only (HeadsConfig.use_loudness)")
    p.add_argument("--batching", choices=["random", "scene", "anchor", "background"], default="random",
                   help="random batches, single-scene batches, batches packed with pairs sharing clip a, "
                        "or batches of pairs over one background recording")
    p.add_argument("--a-negatives", action="store_true", help="use the query clips A(a) as extra negatives")
    p.add_argument("--self-negatives", action="store_true",
                   help="a pair with an event added or removed gets its own clip a as an extra negative")
    p.add_argument("--self-negative-cos", type=float, default=1.0,
                   help="only pairs whose clips a and b differ audibly: cosine of their backbone (conv) features "
                   "below this")
    p.add_argument("--paraphrase-prob", type=float, default=0.0,
                   help="chance to swap a pair's description for a cached paraphrase (text augmentation)")
    p.add_argument("--input-dropout", type=float, default=0.0,
                   help="dropout on the frozen features during training (regularizer against memorizing sources)")
    p.add_argument("--reversed-pairs", action="store_true",
                   help="also train on every pair run backwards (b, inverse description, a); needs --reversals caches")
    p.add_argument("--level-weight", type=float, default=0.0,
                   help="weight of an auxiliary regression of each present class's level from A(audio) "
                        "(training.levels; the regressor is not saved)")
    p.add_argument("--edit-weight", type=float, default=0.0,
                   help="weight of an auxiliary InfoNCE between A(b) - A(a) and T(t) (same edit = positive)")
    p.add_argument("--text-clauses", type=int, choices=[1, 2], default=1,
                   help="2: split each description into its edits and sum their T (needs text_clauses.npy caches)")
    p.add_argument("--composer", choices=["add", "residual"], default="add",
                   help="query composition: the paper's sum, or the sum plus a learned correction R([A(a); T(t)])")
    p.add_argument("--init", type=Path, help="start from this heads file (fine-tuning; its header sets "
                   "embed dim, dropout, loudness, composer, text clauses and the initial temperature)")
    p.add_argument("--anchor-weight", type=float, default=0.0,
                   help="L2-SP: weight * squared distance of the trainable weights to their start (with --init)")
    p.add_argument("--freeze", nargs="*", choices=sorted(PARTS), default=[], help="parts of the heads not trained")
    p.add_argument("--distill-weight", type=float, default=0.0,
                   help="keep A(a), A(b) and the query near the --init heads' on --distill pairs (training.finetune)")
    p.add_argument("--distill", nargs="+", type=Path, help="training caches whose pairs are distilled (default all)")
    p.add_argument("--twins-weight", type=float, default=0.0,
                   help="weight of the chain-twin term (training.chain_twins; needs twins.npz in train caches)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    if (args.anchor_weight > 0 or args.distill_weight > 0 or args.distill) and not args.init:
        p.error("--anchor-weight, --distill-weight and --distill need --init")
    return args


def default_caches(split: str) -> list[Path]:
    return sorted(p.parent for p in FEATURES_ROOT.glob(f"*/{split}/index.json"))


def self_negative_pairs(ps: PairSet, max_cos: float = 1.0) -> np.ndarray:
    """(n_pairs,) bool: pairs with an event added or removed whose clips' backbone (conv) features have a
    cosine below ``max_cos`` (1: all of them), i.e. the edit changed the clip audibly."""
    edited = np.array([any(d.startswith(("event_added", "event_removed")) for d in diffs)
                       for diffs in ps.diff_types], dtype=bool)
    if max_cos >= 1.0:
        return edited
    conv = np.asarray(ps.audio, dtype=np.float32)[:, :-LOUDNESS_DIM]
    conv = conv / np.maximum(np.linalg.norm(conv, axis=1, keepdims=True), 1e-12)
    return edited & (np.sum(conv[ps.a] * conv[ps.b], axis=1) < max_cos)


def make_batches(ps: PairSet, batch_size: int, mode: str, rng: np.random.Generator,
                 backgrounds: np.ndarray | None = None) -> list[np.ndarray]:
    """Index batches for one epoch. 'scene', 'anchor' and 'background' put harder negatives in each batch.

    'background' needs each pair's background recording id (training.backgrounds).
    """
    if mode == "random":
        order = rng.permutation(len(ps))
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if mode == "background" and backgrounds is None:
        raise ValueError("background batching needs each pair's background recording")
    groups = ps.scene if mode != "background" else np.char.add(ps.scene.astype(str), "/" + backgrounds.astype(str))
    batches: list[np.ndarray] = []
    for group in np.unique(groups):
        idx = rng.permutation(np.flatnonzero(groups == group))
        if mode == "anchor":  # keep pairs with the same query clip next to each other
            by_anchor: dict[int, list[int]] = {}
            for i in idx:
                by_anchor.setdefault(int(ps.a[i]), []).append(i)
            keys = list(by_anchor)
            idx = np.array([i for k in rng.permutation(len(keys)) for i in by_anchor[keys[k]]], dtype=np.int64)
        batches += [idx[i : i + batch_size] for i in range(0, len(idx), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


class Trainer:
    """Holds the feature tensors, the heads and the learnable logit scale."""

    def __init__(self, args: argparse.Namespace, train: PairSet, val: PairSet,
                 backgrounds: np.ndarray | None = None, levels: tuple[np.ndarray, np.ndarray] | None = None,
                 label_masks: tuple[np.ndarray, np.ndarray] | None = None, distilled: np.ndarray | None = None):
        """``label_masks``: (train, val) bool (n_pairs, n_classes), the classes each pair's data labels;
        ``distilled``: (n_train_pairs,) bool, the pairs of the distillation term."""
        self.args, self.train, self.val, self.backgrounds = args, train, val, backgrounds
        if args.init:  # the header's architecture; train.class_names is already the merged list
            self.heads = init_heads(args.init, list(train.class_names))
            c = self.heads.config
            args.embed_dim, args.dropout, args.no_loudness = c.embed_dim, c.dropout, not c.use_loudness
            args.composer, args.text_clauses, args.temperature = c.composer, c.text_clauses, c.temperature
        else:
            self.heads = NudgeHeads(HeadsConfig(
                embed_dim=args.embed_dim, dropout=args.dropout, use_loudness=not args.no_loudness,
                audio_feature_dim=train.audio.shape[1], class_names=list(train.class_names),
                temperature=args.temperature, composer=args.composer, text_clauses=args.text_clauses))
        freeze(self.heads, args.freeze)
        self.anchor = Anchor(self.heads, args.anchor_weight) if args.init else None
        self.distill = Distill(self.heads, args.distill_weight) if args.init and args.distill_weight > 0 else None
        self.distilled = np.ones(len(train), dtype=bool) if distilled is None else distilled
        self.twins: TwinTerm | None = None  # the chain-twin term (main() sets it from the train caches)
        self.label_masks = None if label_masks is None else tuple(torch.from_numpy(m) for m in label_masks)
        self.logit_scale = torch.nn.Parameter(torch.tensor(math.log(1.0 / args.temperature)),
                                              requires_grad=not args.fixed_temperature)
        params = [p for p in self.heads.parameters() if p.requires_grad]
        params += [self.logit_scale] if not args.fixed_temperature else []
        self.levels = None  # (levels_a, levels_b) scaled, NaN = absent; regressor trained but not saved
        if levels is not None and args.level_weight > 0:
            self.levels = tuple(torch.from_numpy(x / LEVEL_SCALE_DB) for x in levels)
            self.level_regressor = torch.nn.Linear(args.embed_dim, levels[0].shape[1])
            params += list(self.level_regressor.parameters())
        self.self_negative = self_negative_pairs(train, args.self_negative_cos)
        edit_keys = ["|".join(sorted(d)) for d in train.diff_types]
        self.edit_ids = np.unique(edit_keys, return_inverse=True)[1].astype(np.int64)
        self.opt = torch.optim.Adam(params, lr=args.lr, weight_decay=args.weight_decay)
        self.t_audio = torch.from_numpy(np.asarray(train.audio, dtype=np.float32))
        self.t_text = torch.from_numpy(np.asarray(train.text_features(args.text_clauses), dtype=np.float32))

    def input_dropout(self, x: torch.Tensor) -> torch.Tensor:
        p = self.args.input_dropout
        return torch.nn.functional.dropout(x, p) if p > 0 else x

    def scale(self) -> torch.Tensor:
        return self.logit_scale.exp().clamp(max=100.0)

    def train_epoch(self, rng: np.random.Generator) -> dict[str, float]:
        self.heads.train()
        ps, sums, n = self.train, {}, 0
        for idx in make_batches(ps, self.args.batch_size, self.args.batching, rng, self.backgrounds):
            if len(idx) < 2:
                continue
            t_rows = ps.t[idx]
            if self.args.paraphrase_prob > 0 and ps.paraphrases is not None:
                swap = rng.random(len(idx)) < self.args.paraphrase_prob
                alt = ps.paraphrases[idx, rng.integers(0, ps.paraphrases.shape[1], len(idx))]
                t_rows = np.where(swap, alt, t_rows)
            drop = self.input_dropout
            loss, parts = nudge_loss(
                self.heads, drop(self.t_audio[ps.a[idx]]), drop(self.t_text[t_rows]), drop(self.t_audio[ps.b[idx]]),
                torch.from_numpy(ps.b[idx]), torch.from_numpy(ps.labels_a[idx]),
                torch.from_numpy(ps.labels_b[idx]), self.scale(), self.args.rho,
                a_negatives=self.args.a_negatives, levels=self.batch_levels(idx), edits=self.batch_edits(idx),
                label_mask=None if self.label_masks is None else self.label_masks[0][torch.from_numpy(idx)],
                self_negatives=(torch.from_numpy(ps.a[idx]), torch.from_numpy(self.self_negative[idx]))
                if self.args.self_negatives else None)
            if self.anchor is not None and self.anchor.weight > 0:
                anchor = self.anchor.penalty(self.heads)
                loss = loss + anchor
                parts = {**parts, "anchor": float(anchor.detach()), "loss": float(loss.detach())}
            rows = idx[self.distilled[idx]]
            if self.distill is not None and len(rows):
                kept = self.distill.penalty(self.heads, self.t_audio[ps.a[rows]], self.t_text[ps.t[rows]],
                                            self.t_audio[ps.b[rows]])
                loss = loss + kept * len(rows) / len(idx)
                parts = {**parts, "distill": float(kept.detach()), "loss": float(loss.detach())}
            if self.twins is not None:
                twin = self.twins.penalty(self.heads, self.scale(), rng)
                loss = loss + twin
                parts = {**parts, "twins": float(twin.detach()), "loss": float(loss.detach())}
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v * len(idx)
            n += len(idx)
        out = {f"train_{k}": v / n for k, v in sums.items()}
        if self.anchor is not None:
            out["distance_to_init"] = self.anchor.distance(self.heads)
        return out

    def batch_levels(self, idx: np.ndarray) -> tuple | None:
        if self.levels is None:
            return None
        rows = torch.from_numpy(idx)
        return self.levels[0][rows], self.levels[1][rows], self.level_regressor, self.args.level_weight

    def batch_edits(self, idx: np.ndarray) -> tuple | None:
        weight = self.args.edit_weight
        return (torch.from_numpy(self.edit_ids[idx]), weight) if weight > 0 else None

    @torch.inference_mode()
    def validate(self) -> dict[str, float]:
        """Full-gallery loss per scene (batch-independent) and retrieval recall on the val set."""
        ps = self.val
        self.heads.eval()
        clips, texts = embed_pairset(self.heads, ps)
        clips_t, texts_t = torch.from_numpy(clips), torch.from_numpy(texts)
        out: dict[str, float] = {}
        losses = []
        for scene in ps.scenes():
            pairs, gallery, target = scene_gallery(ps, scene)
            composed = self.heads.compose(clips_t[ps.a[pairs]], texts_t[ps.t[pairs]])
            query = torch.nn.functional.normalize(composed, dim=-1)
            key = torch.nn.functional.normalize(clips_t[gallery], dim=-1)
            # one query per gallery item would need dedup; use pair-level keys with duplicate mask
            keys = key[torch.from_numpy(target)]
            tgt = torch.from_numpy(target)
            loss = multi_positive_infonce(query, keys, tgt[:, None] == tgt[None, :], self.scale())
            if self.args.rho > 0:
                emb = clips_t[np.concatenate([ps.a[pairs], ps.b[pairs]])]
                labels = torch.from_numpy(np.concatenate([ps.labels_a[pairs], ps.labels_b[pairs]]))
                rows = torch.from_numpy(np.concatenate([pairs, pairs]))
                mask = None if self.label_masks is None else self.label_masks[1][rows]
                bce = class_bce(self.heads.classify(emb), labels, mask)
                loss = loss + self.args.rho * bce
            losses.append(float(loss))
            out[f"val_loss/{scene}"] = float(loss)
        ranks = rank_pairs(ps, clips, texts, heads=self.heads)
        for scene in ps.scenes():
            sel = ps.scene == scene
            out.update(recall_at_k(ranks[sel], prefix=f"val_{scene}/"))
        out["val_loss"] = float(np.mean(losses))
        out.update(recall_at_k(ranks, prefix="val/"))
        return out


def sound_words(class_names: tuple[str, ...]) -> list[str]:
    """The app's suggested sound words: the first data release's list for its 8 classes, else every
    name of each trained class in model.sound_vocab."""
    if set(class_names) == set(ALL_CLASSES):
        return list(KNOWN_SOUND_WORDS)
    return sorted({name for c in class_names if c in BY_ID for name in BY_ID[c].names})


def data_hash(ps: PairSet) -> str:
    return hashlib.sha256("".join(sorted(ps.sources)).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    train_caches = args.train or default_caches("dev")
    val_caches = args.val or default_caches("val")
    graph = cache_graph([*train_caches, *val_caches])  # recorded in the heads: the app runs the same graph
    label_masks = None
    if args.init:  # the initial heads' classes first, then each cache's new ones; per-pair label masks
        init_names = read_metadata(args.init)["config"]["class_names"]
        train, train_mask, val, val_mask = load_relabelled(train_caches, val_caches, init_names)
        label_masks = (train_mask, val_mask)
        log.info("init %s: %d classes (%d new)", args.init, len(train.class_names),
                 len(train.class_names) - len(init_names))
    else:
        train, val = load_many(train_caches), load_many(val_caches)
    backgrounds = None
    if args.batching == "background":  # recorded in pairs.csv (v2 synthesis) or read from Scaper's .jams
        backgrounds = train.background if train.background is not None else np.concatenate(
            [pair_backgrounds(d) for d in train_caches])
    levels = None
    if args.level_weight > 0:
        per_cache = [pair_levels(d) for d in train_caches]
        levels = (np.concatenate([a for a, _ in per_cache]), np.concatenate([b for _, b in per_cache]))
    if args.reversed_pairs:
        train = train.with_reversed()
        backgrounds = None if backgrounds is None else np.concatenate([backgrounds, backgrounds])
        levels = None if levels is None else (np.concatenate(levels), np.concatenate(levels[::-1]))
    log.info("train %d pairs (%s), val %d pairs", len(train), ", ".join(train.scenes()), len(val))
    distilled = pairs_of(train_caches, args.distill) if args.distill else None
    if distilled is not None and args.reversed_pairs:
        distilled = np.concatenate([distilled, distilled])
    trainer = Trainer(args, train, val, backgrounds, levels, label_masks, distilled)
    trainer.twins = TwinTerm.from_caches(train_caches, args.twins_weight)
    args.out.mkdir(parents=True, exist_ok=True)
    history: list[dict] = []
    best, best_state, stale = math.inf, None, 0
    start = time.monotonic()
    with open(args.out / "log.jsonl", "w") as log_file:
        for epoch in range(0 if args.init else 1, args.epochs + 1):
            trained = trainer.train_epoch(rng) if epoch > 0 else {"train_loss": math.nan}  # epoch 0: the start
            row = {"epoch": epoch, **trained, **trainer.validate(),
                   "temperature": float(1.0 / trainer.scale().detach()), "seconds": round(time.monotonic() - start, 1)}
            history.append(row)
            log_file.write(json.dumps(row) + "\n")
            log_file.flush()
            log.info("epoch %d train %.4f val %.4f val R@1 %.3f R@10 %.3f T %.4f", epoch, row["train_loss"],
                     row["val_loss"], row["val/R@1"], row["val/R@10"], row["temperature"])
            if row["val_loss"] < best - 1e-4:
                best, stale = row["val_loss"], 0
                best_state = (copy.deepcopy(trainer.heads.state_dict()), row)
            else:
                stale += 1
                if stale >= args.patience:
                    break
    assert best_state is not None
    state, best_row = best_state
    trainer.heads.load_state_dict(state)
    trainer.heads.config.temperature = best_row["temperature"]
    extra = {
        "args": json.loads(json.dumps(vars(args), default=str)),
        "best_epoch": best_row["epoch"],
        "val_metrics": {k: v for k, v in best_row.items() if k.startswith("val")},
        "data_hash": data_hash(train) + "/" + data_hash(val),
        "sound_words": sound_words(train.class_names),  # the app's modifier suggestions
        "audio_graph": graph,
        "train_pairs": len(train),
        "val_pairs": len(val),
    }
    save_heads(trainer.heads.eval(), args.out / "heads.safetensors", extra=extra)
    (args.out / "summary.json").write_text(json.dumps(extra, indent=1))
    plot_curve(history, args.out / "curve.png")
    log.info("best epoch %d val loss %.4f -> %s", best_row["epoch"], best, args.out / "heads.safetensors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
