"""Refine-loop benchmark: simulated search sessions, the product's figure of merit.

A session starts from a pair's clip a and wants its clip b. At each step the simulated user states
one remaining difference (the pair's description split into its edits, stated in turn: edit 1, edit
2, edit 1, ...; a one-edit pair restates its edit), searches the scene's whole gallery (every clip
a and b of that scene in the set, the query itself left out), and succeeds when b is in the top 10.
Otherwise the user promotes the top-10 result that sounds closest to b — judged by the frozen
backbone features, an "ear" independent of the trained heads — and goes on from there. The
audio-only loop is the same without words. Reported: share of sessions that reach b within 1..4
steps, per scene and overall.

    python -m training.refine_bench --model new=runs/x/heads.safetensors --eval data/features_v2/*/eval \
        --out training/results/refine.json
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.change_term import ChangeWeights, change_scores
from model.compose import l2_normalize

log = logging.getLogger("refine_bench")
MAX_STEPS = 4
TOP = 10


@dataclass(frozen=True)
class Session:
    start: int  # gallery position of clip a
    target: int  # gallery position of clip b
    steps: tuple[int, ...]  # row of each stated edit in the step-text table (cycled)


def run_sessions(
    gallery_emb: np.ndarray, ear: np.ndarray, sessions: list[Session],
    compose: Callable[[np.ndarray, np.ndarray | None], np.ndarray], step_text: np.ndarray | None,
    max_steps: int = MAX_STEPS, top: int = TOP,
    rescore: Callable[[np.ndarray, np.ndarray, list[int]], np.ndarray] | None = None,
    memory: float = 0.0, change: ChangeWeights | None = None,
    trace: Callable[[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray], None] | None = None,
    carry: bool = False, leave_out_start: bool = False,
) -> np.ndarray:
    """First step (1-based) at which each session finds its target in the top ``top``; 0 = never.

    gallery_emb (G, D) A(.) of the gallery; ear (G, F) features the simulated user hears with;
    compose(audio (N, D), text (N, D) | None) -> queries (N, D); step_text (T, D) T(.) of the stated
    edits, or None for the audio-only loop. rescore(scores (n, G), current gallery positions (n,), step-text
    rows) -> scores: edit-aware reranking of each session's candidates (None: cosine only). memory: from step 2
    on, the query is the unit sum of this step's composed query and ``memory`` x the previous step's (a search
    that remembers where the session was heading; 0: each step stands alone, as the app searches). change: steps
    with words also score model.change_term (from the step's clip and its composed query).
    trace(step, sessions, scores before the rescore, scores after it, the step's clips): called at every step.
    carry: rescore also gets ``history``, each session's (first clip, step-text rows of its earlier steps), so it
    can keep reading what the session asked for before (training.aligned_scoring's carried edits).
    leave_out_start: with carry, from step 2 on the session's first clip is not a result (the app leaves it out of
    a step whose earlier edits still hold: app.feedback.start_rows; here every earlier step counts as holding).
    """
    keys = l2_normalize(gallery_emb)
    ear = l2_normalize(ear)
    found = np.zeros(len(sessions), dtype=np.int64)
    current = np.array([s.start for s in sessions], dtype=np.int64)
    active = np.arange(len(sessions))
    previous = np.zeros((len(sessions), gallery_emb.shape[1]), dtype=np.float32)
    said: list[list[int]] = [[] for _ in sessions]  # step-text rows each session has stated
    for step in range(1, max_steps + 1):
        if not len(active):
            break
        text, rows = None, []
        if step_text is not None:
            rows = [sessions[i].steps[(step - 1) % len(sessions[i].steps)] for i in active]
            text = step_text[rows]
        clips = gallery_emb[current[active]]
        composed = compose(clips, text)
        queries = l2_normalize(composed)
        if memory and step > 1:
            queries = l2_normalize(queries + memory * previous[active])
        previous[active] = queries
        scores = queries @ keys.T
        if change is not None and text is not None:
            scores += change_scores(keys, clips, composed - clips, change)
        scores[np.arange(len(active)), current[active]] = -np.inf  # the query is not its own result
        if leave_out_start and carry and step > 1:
            scores[np.arange(len(active)), [sessions[i].start for i in active]] = -np.inf
        before = scores
        if rescore is not None and text is not None:
            if carry:
                history = [(sessions[i].start, tuple(said[i])) for i in active]
                scores = rescore(scores, current[active], rows, history=history)
            else:
                scores = rescore(scores, current[active], rows)
            for i, row in zip(active, rows, strict=True):
                said[i].append(row)
        if trace is not None:
            trace(step, active.copy(), before, scores, current[active].copy())
        shortlist = np.argpartition(-scores, top - 1, axis=1)[:, :top]
        targets = np.array([sessions[i].target for i in active])
        hit = (shortlist == targets[:, None]).any(axis=1)
        found[active[hit]] = step
        still = ~hit
        # promote the shortlisted clip that sounds closest to the target
        near = np.einsum("nkf,nf->nk", ear[shortlist[still]], ear[targets[still]])
        current[active[still]] = shortlist[still][np.arange(still.sum()), near.argmax(axis=1)]
        active = active[still]
    return found


def success_table(found: np.ndarray, max_steps: int = MAX_STEPS, prefix: str = "") -> dict[str, float]:
    """{prefix + 'within_k': share of sessions that found the target by step k} for k = 1..max_steps."""
    n = max(len(found), 1)
    out = {f"{prefix}within_{k}": float(((found >= 1) & (found <= k)).sum() / n) for k in range(1, max_steps + 1)}
    out[f"{prefix}n"] = float(len(found))
    return out


def scene_sessions(a: np.ndarray, b: np.ndarray, step_rows: list[tuple[int, ...]]
                   ) -> tuple[np.ndarray, list[Session]]:
    """Gallery (unique clip rows of a and b) and one session per pair, in gallery positions."""
    gallery = np.unique(np.concatenate([a, b]))
    pos = {int(r): i for i, r in enumerate(gallery)}
    return gallery, [Session(pos[int(x)], pos[int(y)], s) for x, y, s in zip(a, b, step_rows, strict=True)]


def stated_edits(heads, ps, backbone, reader: Callable[[str, int], list[str]]
                 ) -> tuple[list[str], list[tuple[int, ...]], np.ndarray]:
    """(every stated edit's text, each pair's step rows into them, T(.) of each stated edit): one edit per step,
    its features in slot 1, the other slots empty."""
    from training.retrieval import embed_rows, one_slot_features

    # every text's stated edits; a text the reader keeps nothing of (reader 140's "get rid off the beeb" reads as a
    # keep) is stated as typed, one step, so that its session still runs
    clauses = [reader(t, heads.config.text_clauses) or [t] for t in ps.texts]
    unique = sorted({c for cs in clauses for c in cs})
    row_of = {c: i for i, c in enumerate(unique)}
    step_text = embed_rows(heads.embed_text, one_slot_features(backbone.encode(unique), heads.config.text_clauses))
    return unique, [tuple(row_of[c] for c in clauses[ps.t[i]]) for i in range(len(ps.a))], step_text


def main(argv: list[str] | None = None) -> int:
    from model.checkpoint import audio_graph, load_heads
    from model.modifier_parser import modifier_clauses
    from model.text_backbone import MiniLMBackbone, split_clauses
    from training.evaluate import change_weights
    from training.pairset import check_graph, load_many
    from training.retrieval import compose_rows, embed_rows
    from training.tables import write_results_json

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", action="append", default=[], metavar="NAME=PATH", help="heads checkpoint (repeat)")
    p.add_argument("--eval", nargs="+", type=Path, required=True, help="feature cache folders")
    p.add_argument("--out", type=Path, help="JSON output")
    p.add_argument("--steps", type=int, default=MAX_STEPS)
    p.add_argument("--memory", type=float, default=0.0, help="weight of the previous step's query (0: none)")
    p.add_argument("--change", type=change_weights, metavar="WEIGHT,POWER",
                   help="steps with words also score this change term (model.change_term; default off)")
    p.add_argument("--rerank", type=Path, metavar="FILE", help="steps with words reorder their first K by this "
                   "model.aligned_rerank file (per-patch tables: training.aligned_evidence)")
    p.add_argument("--carry", type=float, default=0.0, metavar="WEIGHT", help="with --rerank: from step 2 on, "
                   "the edits stated earlier also count, read against the session's first clip, x WEIGHT (0: off)")
    p.add_argument("--leave-out-start", action="store_true", help="with --carry: from step 2 on, the session's "
                   "first clip is left out of the results, as the app leaves it out")
    p.add_argument("--split-reader", default="", help="comma-separated models that read text with the first "
                   "releases' joiner split instead of the modifier parser")
    p.add_argument("--probe", action="append", default=[], metavar="NAME=PATH",
                   help="edit-aware rerank probe of model NAME (adds the loop NAME:text+rerank)")
    args = p.parse_args(argv)
    probes = {k: Path(v) for k, v in (m.split("=", 1) for m in args.probe)}
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    models = {k: Path(v) for k, v in (m.split("=", 1) for m in args.model)}
    check_graph({name: audio_graph(path) for name, path in models.items()}, args.eval)
    ps = load_many(args.eval)
    backbone = MiniLMBackbone(threads=2)
    aligned = None
    if args.rerank:
        from training.aligned_scoring import load_scorer

        aligned = load_scorer(args.rerank, args.eval)
    results: dict[str, dict[str, float]] = {}
    for name, path in models.items():
        heads = load_heads(path).eval()
        reader = split_clauses if name in args.split_reader.split(",") else modifier_clauses
        unique, pair_steps, step_text = stated_edits(heads, ps, backbone, reader)
        clip_emb = embed_rows(heads.embed_audio, np.asarray(ps.audio))
        loops = ("text", "audio", "text+rerank") if name in probes else ("text", "audio")
        for loop in loops:
            found_all = []
            for scene in ps.scenes():
                sel = np.flatnonzero(ps.scene == scene)
                steps = [pair_steps[i] for i in sel]
                gallery, sessions = scene_sessions(ps.a[sel], ps.b[sel], steps)

                def compose(audio: np.ndarray, text: np.ndarray | None, _heads=heads) -> np.ndarray:
                    return audio if text is None else compose_rows(_heads, audio, text.astype(np.float32), 1.0)

                rescore = None
                if aligned is not None:
                    def rescore(scores, current, rows, history=None, _gallery=gallery, _unique=unique):
                        carried = None if history is None else [
                            (_gallery[first], [_unique[r] for r in earlier]) for first, earlier in history]
                        return aligned.rescore(scores, _gallery[current], _gallery, [_unique[r] for r in rows],
                                               carried, args.carry)
                if loop == "text+rerank":
                    from model.edit_rerank import EditProbe
                    from training.rerank_bench import refine_rescorer

                    rescore = refine_rescorer(EditProbe.from_file(probes[name]), clip_emb[gallery], unique)
                found = run_sessions(clip_emb[gallery], np.asarray(ps.audio)[gallery], sessions, compose,
                                     None if loop == "audio" else step_text, args.steps, rescore=rescore,
                                     memory=args.memory, change=args.change,
                                     carry=aligned is not None and args.carry > 0 and loop == "text",
                                     leave_out_start=args.leave_out_start)
                found_all.append(found)
                results.setdefault(f"{name}:{loop}", {}).update(success_table(found, args.steps, f"{scene}/"))
            results[f"{name}:{loop}"].update(success_table(np.concatenate(found_all), args.steps, "all/"))
    for method, r in results.items():
        log.info("%s: %s", method, {k: round(v, 3) for k, v in r.items() if k.startswith("all/")})
    if args.out:
        write_results_json(args.out, "training.refine_bench", argv, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
