"""Scoring-only check of the planted-event sets: where is the moment placed inside the right take?

    python -m bench.bench_moment_place --set data/moments3/long/set_30x600s_e4_s0 [--set ...]

Embeds each query of a set once (the composed query at strength 1, A(clip), its class maxima, T(words);
cached in <set>/place_cache.npz) and then ranks every take of the set exhaustively with the app's own
scoring (app.moments.block_scores with app.moment_terms, then place_scores and best_moment), as
bench_long_files does through search. Found = the right take in the top --top with a moment (at most
--max-range s) overlapping the event. Prints found and right-take shares per query kind and event. No
import, no HNSW: a rule can be tried on a set in seconds (the fresh figures come from bench_long_files).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import IndexConfig  # noqa: E402
from app.moment_terms import moment_terms, place_scores  # noqa: E402
from app.moments import DEFAULT_SHARE, best_moment, block_scores, block_spans, class_block  # noqa: E402
from model.sound_vocab import VOCAB  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


class CachedText:
    """embed_text from the cache (moment_terms asks T(words) of the query's text), and the heads (their event
    classifier gates the words' contrast: IndexConfig.moment_event_gate)."""

    def __init__(self, texts: dict[str, np.ndarray], heads=None):
        self.texts, self.heads = texts, heads

    def embed_text(self, texts):
        return np.stack([self.texts[t] for t in texts])


def load_set(folder: Path) -> dict:
    """The set's queries, their cached embeddings (made on first use), and its index's rows."""
    from app.service import SearchService

    rows = list(csv.DictReader(open(folder / "queries.csv", newline="")))
    svc = SearchService(folder / "index")
    svc.load_model()
    snap = svc._current_snapshot()
    blocks = svc.db.searchable_blocks(snap.store.version)
    records = svc.db.records([int(i) for i in blocks.ids])
    names = [f"library/{Path(records[int(i)].path).name}" for i in blocks.ids]
    cache = folder / "place_cache.npz"
    if cache.exists():
        data = dict(np.load(cache))
    else:
        q, audio, classes = [], [], []
        for row in rows:
            region = (float(row["query_start"]), float(row["query_end"])) if row.get("query_start") else None
            a, _, c = svc._query_embedding(folder / row["query_path"], snap, region)
            q.append(svc.encoder.query_vector(a, row["text"], 1.0))
            audio.append(a)
            classes.append(np.zeros(521, np.uint8) if c is None else c)
        texts = sorted({r["text"] for r in rows})
        data = {"q": np.stack(q), "audio": np.stack(audio), "classes": np.stack(classes),
                "texts": np.array(texts), "text_vectors": svc.encoder.embed_text(texts)}
        np.savez(cache, **data)
    vocabulary = [f"add {c.names[0]}" for c in VOCAB]  # app.moment_terms.common_add_direction's texts
    missing = sorted(set(vocabulary) - {str(x) for x in data["texts"]})
    if missing:
        data["texts"] = np.concatenate([data["texts"], np.array(missing)])
        data["text_vectors"] = np.concatenate([data["text_vectors"], svc.encoder.embed_text(missing)])
        np.savez(cache, **data)
    matrix = np.asarray(snap.store.matrix(), dtype=np.float32)
    store_classes = None if snap.classes is None else np.asarray(snap.classes)
    svc.close()
    spans = [block_spans(blocks.segments[i], blocks.tail_start[i], blocks.duration[i]) for i in range(len(names))]
    return {"rows": rows, "data": data, "matrix": matrix, "classes": store_classes, "blocks": blocks,
            "names": names, "spans": spans, "heads": svc.encoder.heads}


def evaluate(s: dict, weights, top: int = 10, max_range: float = 60.0, share: float = DEFAULT_SHARE) -> list[dict]:
    """One outcome per query: found (right take in the top ``top`` and its moment overlapping the event), take
    (right take in the top), the moment."""
    d, blocks = s["data"], s["blocks"]
    text = CachedText(dict(zip([str(t) for t in d["texts"]], d["text_vectors"], strict=True)), s["heads"])
    out = []
    for i, row in enumerate(s["rows"]):
        clip = d["classes"][i] if d["classes"][i].any() else None
        terms = moment_terms(text, row["text"], d["audio"][i], clip, 1.0, weights)
        region = (float(row["query_start"]), float(row["query_end"])) if row.get("query_start") else None
        scored = []
        for p in range(len(s["names"])):
            first, n = int(blocks.first[p]), int(1 + blocks.segments[p])
            exclude = np.empty(0, np.int64)
            if region is not None and s["names"][p] == row["query_path"]:  # the selection's own windows
                spans = s["spans"][p]
                inside = np.flatnonzero((spans[:, 0] < region[1]) & (spans[:, 1] > region[0]))
                exclude = first + np.concatenate([[0], 1 + inside])
            scores = block_scores(s["matrix"], first, n, d["q"][i], exclude, terms, s["classes"])
            scored.append((float(scores.max()), p, scores))
        scored.sort(key=lambda t: -t[0])
        result = {**row, "found": False, "take": False, "start": None, "end": None}
        for _, p, scores in scored[:top]:
            if s["names"][p] != row["target_path"]:
                continue
            placing = place_scores(scores, class_block(s["classes"], int(blocks.first[p]), len(scores)), terms)
            moment, _ = best_moment(placing, s["spans"][p], share)
            end = float(blocks.duration[p]) if moment.end is None else moment.end
            ok = moment.end is not None and end - moment.start <= max_range
            ok = ok and moment.start < float(row["target_end"]) and float(row["target_start"]) < end
            result.update(take=True, found=bool(ok), start=moment.start, end=moment.end)
        out.append(result)
    return out


def report(label: str, outcomes: list[dict], detail: bool = False) -> str:
    kinds = defaultdict(list)
    for o in outcomes:
        kinds[o["kind"]].append(o)
    parts = [f"{k} {np.mean([o['found'] for o in v]):.3f}/{np.mean([o['take'] for o in v]):.2f}"
             for k, v in sorted(kinds.items())]
    line = f"{label:<34} all {np.mean([o['found'] for o in outcomes]):.3f}  " + "  ".join(parts)
    if detail:
        events = defaultdict(list)
        for o in outcomes:
            if o["kind"] == "event+words":
                events[o["event"]].append(o)
        line += "\n    event+words by event: " + "  ".join(
            f"{e} {np.mean([o['found'] for o in v]):.2f}/{np.mean([o['take'] for o in v]):.2f}"
            for e, v in sorted(events.items()))
    return line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, action="append", required=True)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--clip-contrast", type=float, nargs="*", default=None,
                    help="moment_clip_contrast weights to compare with the config's")
    ap.add_argument("--event-gate", type=float, nargs="*", default=None,
                    help="moment_event_gate values (logits) to compare with the config's")
    ap.add_argument("--specific", type=float, nargs="*", default=None,
                    help="moment_specific shares to compare with the config's")
    ap.add_argument("--take-cap", type=float, nargs="*", default=None,
                    help="moment_take_cap values to compare with the config's")
    ap.add_argument("--take-relief", action="store_true", help="also moment_take_relief on")
    ap.add_argument("--take-floor", action="store_true", help="also moment_take_floor on, alone and with the relief")
    ap.add_argument("--take-floor-at", type=float, nargs="*", default=[], help="also these moment_take_floor_at values")
    ap.add_argument("--min-windows", type=int, nargs="*", default=[], help="also these moment_min_windows values")
    ap.add_argument("--take-heard", type=float, nargs="*", default=[], help="also these moment_take_heard values")
    ap.add_argument("--take-floor-own", type=float, nargs="*", default=[],
                    help="also these moment_take_floor_own values")
    ap.add_argument("--bed-heard", type=float, nargs="*", default=[], help="also these moment_bed_heard values")
    ap.add_argument("--row-floor", action="store_true", help="also moment_row_floor on")
    args = ap.parse_args(argv)
    sets = [load_set(folder) for folder in args.set]
    config = IndexConfig()
    variants = [("config", config.moment_weights())]
    for w in args.clip_contrast or []:
        variants.append((f"clip contrast {w:g}", replace(config.moment_weights(), clip=w)))
    for g in args.event_gate or []:
        variants.append((f"event gate {g:g}", replace(config.moment_weights(), event_gate=g)))
    for a in args.specific or []:
        variants.append((f"specific {a:g}", replace(config.moment_weights(), specific=a)))
    for cap in args.take_cap or []:
        variants.append((f"take cap {cap:g}", replace(config.moment_weights(), take_cap=cap)))
    if args.take_relief:
        variants.append(("take relief", replace(config.moment_weights(), take_relief=True)))
    if args.take_floor:
        variants.append(("take floor", replace(config.moment_weights(), take_floor=True)))
        variants.append(("floor+relief", replace(config.moment_weights(), take_floor=True, take_relief=True)))
    for v in args.take_floor_at:
        variants.append((f"floor at {v:g}", replace(config.moment_weights(), take_floor_at=v)))
    for k in args.min_windows:
        variants.append((f"min windows {k}", replace(config.moment_weights(), min_windows=k)))
    for h in args.take_heard:
        variants.append((f"take heard {h:g}", replace(config.moment_weights(), take_heard=h)))
    for v in args.take_floor_own:
        variants.append((f"floor own {v:g}", replace(config.moment_weights(), take_floor_own=v)))
    for h in args.bed_heard:
        variants.append((f"bed heard {h:g}", replace(config.moment_weights(), bed_heard=h)))
    if args.row_floor:
        variants.append(("row floor", replace(config.moment_weights(), row_floor=True)))
    for label, weights in variants:
        every = []
        for folder, s in zip(args.set, sets, strict=True):
            outcomes = evaluate(s, weights, args.top)
            every += outcomes
            print(report(f"{label} {folder.name[-2:]}", outcomes, detail=True), flush=True)
        print(report(f"{label} mean", every))
    return 0


if __name__ == "__main__":
    sys.exit(main())
