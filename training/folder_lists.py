"""Searches in a folder of single recordings, recorded as the reranker reads them, for its fit (MODEL_CARD, forty-first
round).

    python -m training.folder_lists --split train --out data/pilots/aligned/k80/folder_train.pt

Builds a library of a catalog split's labelled files as bench.bench_real_folder does, imports it as the app does and
searches with every file and: "make it quieter" / "make it louder" (or "make the <its sound> ..."; right answers: the
other files of its sound) and "add <Y>" for two sounds Y drawn per file (right answers: Y's files). For each search
the app reranks, the reranker's inputs for the first K results are kept: their scores, each edit's features, whether
the length gate reads each (the app's gate on the files' lengths, from the ``--rerank`` file) and which are right.
Lists with no right answer among the first K are left out.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch

import app.rerank as app_rerank
from app.config import IndexConfig
from app.service import SearchService
from bench.bench_named_sounds import labelled_files
from model.aligned_rerank import ALL_FEATURES, candidate_features
from model.edits import KINDS
from model.sound_vocab import BY_ID

SHIPPED = Path("assets/nudge_rerank.json")


class Recorder:
    """Wraps a service's reranking to keep, per search, the first K files and what the reranker was given."""

    def __init__(self, svc: SearchService) -> None:
        self.svc, self.top_ids, self.inputs = svc, None, None
        original_hits, original_order = svc._reranked_hits, app_rerank.rerank_order

        def reranked_hits(plan, hits, *rest):
            self.top_ids = [h.file_id for h in hits[: plan.reranker.k]]
            return original_hits(plan, hits, *rest)

        def order(reranker, edits, query, candidates, scores, lengths=None, **options):
            self.inputs = (list(edits), query, reranker.readable(list(candidates), lengths), list(scores))
            return original_order(reranker, edits, query, candidates, scores, lengths, **options)

        svc._reranked_hits = reranked_hits
        app_rerank.rerank_order = order

    def search(self, query: Path, words: str) -> tuple[list[Path], tuple] | None:
        """The first K files and the reranker's inputs, or None when the search was not reranked."""
        self.top_ids = self.inputs = None
        self.svc.search(query, words, top_k=10)
        if self.top_ids is None or self.inputs is None:
            return None
        records = self.svc.db.records(self.top_ids)
        return [records[i].path if i in records else None for i in self.top_ids], self.inputs


def searches(labels: dict[Path, str], seed: int) -> list[tuple[Path, str, str]]:
    """(query file, words, the sound whose files are right) for every file: one level word, two "add <Y>"."""
    rng = random.Random(seed)
    counts = Counter(labels.values())
    addable = sorted(c for c, n in counts.items() if n >= 2 and BY_ID[c].role != "background")
    out = []
    for path, label in sorted(labels.items()):
        if counts[label] >= 2:
            level = rng.choice(("quieter", "louder"))
            subject = rng.choice(("it", f"the {BY_ID[label].name}"))
            out.append((path, f"make {subject} {level}", label))
        for wanted in rng.sample([c for c in addable if c != label], k=min(2, len(addable) - 1)):
            out.append((path, f"add {BY_ID[wanted].name}", wanted))
    return out


def record(labels: dict[Path, str], recorder: Recorder, plan: list[tuple[Path, str, str]], k: int) -> dict:
    """The lists as tensors: cos (N, K), feats (N, 2, K, F), kinds (N, 2, KINDS), right (N, K), readable (N, K)."""
    cos, feats, kinds, right, readable = [], [], [], [], []
    for n, (query, words, wanted) in enumerate(plan):
        found = recorder.search(query, words)
        if found is not None:
            paths, (edits, q, cands, scores) = found
            ok = [p is not None and labels.get(p) == wanted for p in paths]
            if any(ok) and len(paths) == k and edits:
                known = [j for j, c in enumerate(cands) if c is not None]
                f = np.zeros((2, k, len(ALL_FEATURES)), dtype=np.float32)
                one_hot = np.zeros((2, len(KINDS)), dtype=np.float32)
                if known:
                    f[: len(edits), known] = candidate_features(edits[:2], q, [cands[j] for j in known])[:2]
                for i, edit in enumerate(edits[:2]):
                    one_hot[i, KINDS.index(edit.kind)] = 1.0
                cos.append(np.asarray(scores, dtype=np.float32))
                feats.append(f)
                kinds.append(one_hot)
                right.append(ok)
                readable.append([c is not None for c in cands])
        if (n + 1) % 500 == 0:
            print(f"{n + 1} / {len(plan)} searches, {len(cos)} lists", flush=True)
    return {"cos": torch.from_numpy(np.stack(cos)), "feats": torch.from_numpy(np.stack(feats)),
            "kinds": torch.from_numpy(np.stack(kinds)), "right": torch.tensor(right),
            "readable": torch.tensor(readable)}


def build(catalog: Path, split: str, k: int, rerank: Path, out: Path, seed: int = 0, encoder=None,
          workers: int = 2) -> dict:
    """Record the split's searches (``encoder``: a NudgeEncoder to use instead of the shipped heads') to ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        data = json.loads(rerank.read_text())
        data["k"] = k
        data["heads_sha256"] = ""  # only its length gate is read, so it serves any heads (the service's or NUDGE_HEADS)
        weights = Path(tmp) / "rerank.json"
        weights.write_text(json.dumps(data))
        folder = Path(tmp) / "library"
        folder.mkdir()
        labels = labelled_files(catalog, split, folder)
        plan = searches(labels, seed)
        print(f"{split}: {len(labels)} labelled files, {len(plan)} searches, K {k}", flush=True)
        config = IndexConfig(aligned_rerank=True, workers=workers)
        with SearchService(Path(tmp) / "data", encoder=encoder, config=config, rerank_weights=weights) as svc:
            print(svc.rerank_status, flush=True)
            svc.import_folders([folder])
            original = app_rerank.rerank_order
            try:
                lists = record(labels, Recorder(svc), plan, k)
            finally:
                app_rerank.rerank_order = original
    lists["source"] = {"catalog": str(catalog), "split": split, "k": k, "gate_from": str(rerank), "seed": seed,
                       "length_tolerance": data.get("length_tolerance"), "length_floor": data.get("length_floor")}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(".tmp")
    torch.save(lists, tmp_out)
    tmp_out.replace(out)
    print(f"{out}: {len(lists['cos'])} lists; right answers per list {float(lists['right'].sum(1).float().mean()):.1f}",
          flush=True)
    return lists


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--split", default="train", help="the catalog split whose files form the folder")
    parser.add_argument("--k", type=int, default=80, help="results kept per search")
    parser.add_argument("--rerank", type=Path, default=SHIPPED, help="the length gate's file (its network is unused)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    build(args.catalog, args.split, args.k, args.rerank, args.out, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
