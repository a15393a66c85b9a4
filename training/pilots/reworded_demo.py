"""The shipped heads on the demo pairs re-worded by the description generator: the parser's canonical
clauses vs the raw clause split the heads were trained with.

Each demo pair's text is parsed to its edit, then re-worded K times (seen phrasings, and held-out
ones: templates, joiners and the request family never used in dev/val); R@1/5 against the demo
targets with T from (a) model.modifier_parser.modifier_clauses and (b) model.text_backbone.split_clauses.

    python -m training.pilots.reworded_demo [--k 10] [--seed 0]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from app.evaluate import Pair, evaluate_pairs, read_pairs
from model.modifier_parser import modifier_clauses, parse_modifier
from model.sound_vocab import BY_ID
from model.text_backbone import clause_features, split_clauses
from training.wording import describe

DEMO_PAIRS = Path(__file__).resolve().parents[2] / "assets" / "demo_library" / "demo_pairs.csv"


class ReaderEncoder:
    """A NudgeEncoder whose clause heads embed the clauses of another reader."""

    def __init__(self, encoder, reader):
        self._encoder, self._reader = encoder, reader

    def __getattr__(self, name):
        return getattr(self._encoder, name)

    def embed_text(self, texts: list[str]) -> np.ndarray:
        enc = self._encoder
        frozen = clause_features(enc._text.encode, list(texts), enc.heads.text_clauses, self._reader)
        return enc.heads.project_text(frozen)


def reworded(pairs: list[Pair], k: int, seed: int, heldout: bool) -> list[Pair]:
    out = []
    for i, pair in enumerate(pairs):
        main = pair.query.name.split("_")[0]
        main = main if main in BY_ID else None
        edits = parse_modifier(pair.text, main_sound=main).edits
        for j in range(k):
            rng = np.random.default_rng([seed, i, j, int(heldout)])
            text = describe(edits, rng, main_sound=main, heldout=heldout).text
            out.append(Pair(pair.query, text, pair.target, pair.line))
    return out


def main(argv: list[str] | None = None) -> int:
    from model.encoder import NudgeEncoder

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--k", type=int, default=10, help="re-wordings per pair and phrasing split")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    pairs = read_pairs(DEMO_PAIRS)
    encoder = NudgeEncoder(threads=2)
    readers = {"parser": modifier_clauses, "raw split": split_clauses}
    sets = {"as written": pairs, "seen phrasings": reworded(pairs, args.k, args.seed, False),
            "held-out phrasings": reworded(pairs, args.k, args.seed, True)}
    print(f"{'pairs':<20}{'n':>5}" + "".join(f"{name + ' R@1':>16}{name + ' R@5':>16}" for name in readers))
    for set_name, set_pairs in sets.items():
        cells = []
        for reader in readers.values():
            metrics = evaluate_pairs(set_pairs, ReaderEncoder(encoder, reader), workers=0).metrics
            cells += [metrics["proposed_R@1"], metrics["proposed_R@5"]]
        print(f"{set_name:<20}{len(set_pairs):>5}" + "".join(f"{c:>16.3f}" for c in cells))
    base = evaluate_pairs(pairs, encoder, workers=0).metrics
    print(f"audio-only: R@1 {base['baseline_R@1']:.3f}, R@5 {base['baseline_R@5']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
