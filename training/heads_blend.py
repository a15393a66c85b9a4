"""Blend two heads files and rescale the text offset, without training (MODEL_CARD "sixth round").

``--alpha`` interpolates every weight from heads A (alpha 0) to heads B (alpha 1): a weight-space
average of a start point and its fine-tuned copy ("model soup" / WiSE-FT). B's classifier may hold
more classes than A's (fine-tuning appends rows); A's classes are blended row by row and B's extra
rows are kept. The temperature is blended geometrically.

``--text-scale s`` bakes a query strength into the weights: the blended heads compose
``A(a) + s * (T(t) + R([A(a); T(t)]))`` at strength 1, exactly what the originals give at strength s
(T's LayerNorm gain and bias times s; R's text inputs divided by s and its output times s).

    python -m training.heads_blend --a assets/nudge_heads.safetensors --b runs/finetune/r5_w10/heads.safetensors \\
        --alpha 0.5 --text-scale 1.25 --out runs/finetune/r6_s50_t125/heads.safetensors
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import torch

from model.checkpoint import audio_graph, load_heads, read_metadata, save_heads
from model.heads import HeadsConfig, NudgeHeads


def blend(a: NudgeHeads, b: NudgeHeads, alpha: float) -> NudgeHeads:
    """Heads with B's config and every weight (1 - alpha) * A + alpha * B (classifier rows by class)."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    names_a, names_b = list(a.config.class_names), list(b.config.class_names)
    missing = set(names_a) - set(names_b)
    if missing:
        raise ValueError(f"heads B lack classes of heads A: {sorted(missing)}")
    out = NudgeHeads(HeadsConfig.from_dict(b.config.to_dict()))  # a copy: B's config stays as it is
    state_a, state_b = a.state_dict(), b.state_dict()
    if set(state_a) != set(state_b):
        raise ValueError(f"heads differ in parts: {sorted(set(state_a) ^ set(state_b))}")
    rows = [names_b.index(c) for c in names_a]
    mixed = {}
    for key, wb in state_b.items():
        wa = state_a[key]
        if key.startswith("classifier."):
            w = wb.clone()
            w[rows] = (1 - alpha) * wa + alpha * wb[rows]
        elif wa.shape != wb.shape:
            raise ValueError(f"{key}: shapes differ, {tuple(wa.shape)} vs {tuple(wb.shape)}")
        else:
            w = (1 - alpha) * wa + alpha * wb
        mixed[key] = w
    out.load_state_dict(mixed)
    t_a, t_b = a.config.temperature, b.config.temperature
    out.config.temperature = math.exp((1 - alpha) * math.log(t_a) + alpha * math.log(t_b))
    return out.eval()


def scale_text(heads: NudgeHeads, s: float) -> NudgeHeads:
    """Bake strength ``s`` into the heads in place: compose(a, t, 1) afterwards == compose(a, t, s) before."""
    if not s > 0:
        raise ValueError(f"text scale must be positive, got {s}")
    d = heads.config.embed_dim
    with torch.no_grad():
        heads.text.layer_norm.weight.mul_(s)
        heads.text.layer_norm.bias.mul_(s)
        if heads.config.composer == "residual":
            heads.composer[0].weight[:, d:] /= s  # R sees T(t) as before
            heads.composer[2].weight.mul_(s)
            heads.composer[2].bias.mul_(s)
    return heads


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--a", required=True, type=Path, help="heads at alpha 0 (the start point)")
    p.add_argument("--b", type=Path, help="heads at alpha 1 (default: A)")
    p.add_argument("--alpha", type=float, default=0.0)
    p.add_argument("--text-scale", type=float, default=1.0)
    p.add_argument("--out", required=True, type=Path)
    args = p.parse_args(argv)
    a = load_heads(args.a)
    b = load_heads(args.b) if args.b else a
    heads = scale_text(blend(a, b, args.alpha), args.text_scale)
    words = read_metadata(args.b or args.a)["extra"].get("sound_words")
    extra = {"sound_words": words} if words else {}
    extra["blend"] = {"a": str(args.a), "b": str(args.b or args.a), "alpha": args.alpha,
                      "text_scale": args.text_scale}
    # B's graph: a fine-tuned run (B) blended back toward its start (A) is used on the features B learned
    extra["audio_graph"] = audio_graph(args.b or args.a)
    save_heads(heads, args.out, extra=extra)
    print(f"{args.out}: alpha {args.alpha} text scale {args.text_scale}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
