"""Frozen backbone features for one pairs.csv set, computed once (prepare-then-memmap).

Output in ``data/features/<scene>/<split>/``:
    audio.npy         (n_clips, FEATURE_DIM) float32, one row per unique clip (memmap on read)
    text.npy          (n_texts, TEXT_DIM) float32, one row per unique description
    text_clauses.npy  (n_texts, MAX_CLAUSES * TEXT_DIM) float32, the same descriptions split into edits
                      (model.modifier_parser.modifier_clauses: a canonical text per edit read), one
                      slot per clause, zeros where absent
    index.json        clip paths (relative to the pairs folder), texts, source hash, versions
    pairs.csv         copy of the pairs file the cache was built from
    paraphrases.json  (with --paraphrases K) K extra seen-template descriptions per pair, as text rows
    reversals.json    (with --reversals) per pair, the text row describing the inverse edit b -> a

Audio runs on a pool of worker processes, each with its own single-threaded YAMNet. Resumable:
rows land in ``audio.partial.npy`` and a done-mask is flushed regularly, so a killed run
continues where it stopped; the final files appear by atomic rename only when complete. A pairs set
that grew (more pairs, the old clip files untouched) keeps the old cache's audio rows of those clips.

    python -m training.feature_cache data/pairs/rain/dev/pairs.csv [more pairs.csv ...]
    python -m training.feature_cache --all          # every data/pairs/*/*/pairs.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from model import modifier_parser, text_backbone, yamnet
from model.audio_features import FEATURE_DIM
from model.yamnet_graph import GRAPHS

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAIRS_ROOT = REPO_ROOT / "data" / "pairs"
DEFAULT_FEATURES_ROOT = REPO_ROOT / "data" / "features"
CACHE_VERSION = 1
CLAUSE_DIM = text_backbone.MAX_CLAUSES * text_backbone.TEXT_DIM
log = logging.getLogger("feature_cache")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_pairs(pairs_csv: Path) -> list[dict[str, str]]:
    with open(pairs_csv, newline="") as f:
        return list(csv.DictReader(f))


def unique_clips_and_texts(rows: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """Unique a/b clip paths and descriptions, in first-appearance order."""
    clips = dict.fromkeys(p for row in rows for p in (row["a_path"], row["b_path"]))
    texts = dict.fromkeys(row["text"] for row in rows)
    return list(clips), list(texts)


def _row_diffs(row: dict[str, str]) -> list:
    from training.descriptions import Diff
    from training.scenes import SCENES

    diffs = []
    for d in row["diff_types"].split("|"):
        kind, _, label = d.partition(":")
        diffs.append(Diff(kind, label or SCENES[row["scene"]].background))
    return diffs


def _pair_rng(row: dict[str, str], seed: int) -> np.random.Generator:
    import zlib

    return np.random.default_rng([seed, zlib.crc32(row["pair_id"].encode())])


def paraphrase_texts(rows: list[dict[str, str]], k: int, seed: int = 0) -> list[list[str]]:
    """K fresh descriptions per pair from the seen (non held-out) templates, seeded per pair."""
    from training.descriptions import describe

    return [[describe(_row_diffs(row), rng, heldout=False).text for _ in range(k)]
            for row in rows for rng in [_pair_rng(row, seed)]]


def reversal_texts(rows: list[dict[str, str]], seed: int = 1) -> list[str]:
    """Per pair, a seen-template description of the inverse edit (how to turn b back into a)."""
    from training.descriptions import describe, invert_diff

    return [describe([invert_diff(d) for d in _row_diffs(row)], _pair_rng(row, seed), heldout=False).text
            for row in rows]


def cache_dir_for(pairs_csv: Path, features_root: Path = DEFAULT_FEATURES_ROOT) -> Path:
    """data/pairs/<scene>/<split>/pairs.csv -> <features_root>/<scene>/<split>."""
    pairs_csv = Path(pairs_csv).resolve()
    return Path(features_root) / pairs_csv.parent.parent.name / pairs_csv.parent.name


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def _atomic_save_npy(path: Path, array: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
    with os.fdopen(fd, "wb") as f:  # a file object: np.save would append ".npy" to a name
        np.save(f, array)
    os.replace(tmp, path)


# audio workers ------------------------------------------------------------------------------
_EXTRACTOR = None


def _init_worker(threads: int, arithmetic: str = yamnet.GRAPH_VERSION) -> None:
    global _EXTRACTOR
    from model.audio_features import AudioFeatureExtractor

    _EXTRACTOR = AudioFeatureExtractor(yamnet.YamnetBackbone(threads=threads, arithmetic=arithmetic))


def _extract(job: tuple[int, str]) -> tuple[int, np.ndarray]:
    row, path = job
    assert _EXTRACTOR is not None
    return row, _EXTRACTOR.from_file(path)


def compute_audio(
    paths: list[Path], out: Path, workers: int = 2, flush_every: int = 256, progress_every: float = 30.0,
    arithmetic: str = yamnet.GRAPH_VERSION,
) -> None:
    """Fill ``out`` (.npy) with one feature row per path; resumes from ``out``.partial files.
    arithmetic: a graph of model.yamnet_graph.GRAPHS (default the shipped heads')."""
    partial = out.with_name(out.stem + ".partial.npy")
    done_path = out.with_name(out.stem + ".done.npy")
    n = len(paths)
    if partial.exists() and done_path.exists():
        feats = np.lib.format.open_memmap(partial, mode="r+")
        done = np.load(done_path)
        if feats.shape != (n, FEATURE_DIM) or done.shape != (n,):
            feats, done = None, None
    else:
        feats, done = None, None
    if feats is None:
        feats = np.lib.format.open_memmap(partial, mode="w+", dtype=np.float32, shape=(n, FEATURE_DIM))
        done = np.zeros(n, dtype=bool)
    todo = [(i, str(paths[i])) for i in np.flatnonzero(~done)]
    log.info("audio: %d clips, %d already done, %d to go, %d workers", n, n - len(todo), len(todo), workers)
    yamnet.prepared_model_path(arithmetic=arithmetic)  # build the edited graph once, before workers race for it
    start = last = time.monotonic()
    if todo:
        ctx = mp.get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(1, arithmetic)) as pool:
            for count, (row, vec) in enumerate(pool.imap_unordered(_extract, todo, chunksize=4), 1):
                feats[row] = vec
                done[row] = True
                if count % flush_every == 0 or count == len(todo):
                    feats.flush()
                    _atomic_save_npy(done_path, done)
                if time.monotonic() - last > progress_every:
                    last = time.monotonic()
                    rate = count / (last - start)
                    log.info("audio: %d/%d (%.1f clips/s, %.0f s left)", count, len(todo), rate,
                             (len(todo) - count) / rate)
    feats.flush()
    del feats
    assert done.all()
    os.replace(partial, out)
    done_path.unlink(missing_ok=True)
    log.info("audio: wrote %s in %.1f s", out, time.monotonic() - start)


def carry_audio_rows(old_audio: Path, old_clips: list[str], base: Path, clips: list[str]) -> int:
    """Seed ``audio.partial.npy`` / ``audio.done.npy`` next to ``old_audio`` (a complete cache of
    ``old_clips``) with the rows of ``clips`` it already holds, for files not modified since it was
    written; compute_audio then computes only the rest. Returns the number of rows carried."""
    old_row = {c: i for i, c in enumerate(old_clips)}
    written = old_audio.stat().st_mtime_ns
    old = np.load(old_audio, mmap_mode="r")
    if old.shape != (len(old_clips), FEATURE_DIM):
        return 0
    keep = [(i, old_row[c]) for i, c in enumerate(clips)
            if c in old_row and (base / c).stat().st_mtime_ns <= written]
    if not keep:
        return 0
    partial = old_audio.with_name("audio.partial.npy")
    feats = np.lib.format.open_memmap(partial, mode="w+", dtype=np.float32, shape=(len(clips), FEATURE_DIM))
    done = np.zeros(len(clips), dtype=bool)
    new_rows, old_rows = (np.array(x) for x in zip(*keep, strict=True))
    feats[new_rows] = old[old_rows]
    done[new_rows] = True
    feats.flush()
    del feats
    _atomic_save_npy(old_audio.with_name("audio.done.npy"), done)
    return len(keep)


_TEXT_MODEL = None


def compute_text(texts: list[str], out: Path, threads: int = 2) -> None:
    global _TEXT_MODEL
    from model.text_backbone import MiniLMBackbone

    start = time.monotonic()
    if _TEXT_MODEL is None:
        _TEXT_MODEL = MiniLMBackbone(threads=threads)  # loaded once per process (several seconds)
    feats = _TEXT_MODEL.encode(texts) if texts else np.zeros((0, text_backbone.TEXT_DIM))
    clauses = _TEXT_MODEL.encode_clauses(texts) if texts else np.zeros((0, CLAUSE_DIM))
    _atomic_save_npy(out, feats.astype(np.float32))
    _atomic_save_npy(out.with_name("text_clauses.npy"), clauses.astype(np.float32))
    log.info("text: %d descriptions in %.1f s", len(texts), time.monotonic() - start)


def _clips_key(base: Path, clips: list[str]) -> str:
    digest = hashlib.sha256()
    for clip in clips:
        st = (base / clip).stat()
        digest.update(f"{clip}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _append_texts(texts: list[str], new: list[str], rows_path: Path,
                  rows_of: Callable[[dict[str, int]], list]) -> list[str]:
    """texts + the new ones (deduplicated, order kept); writes rows_of(text -> row) to rows_path as JSON."""
    texts = list(dict.fromkeys(texts + new))
    _atomic_write_text(rows_path, json.dumps(rows_of({t: i for i, t in enumerate(texts)})))
    return texts


def build_cache(pairs_csv: Path, cache_dir: Path, workers: int = 2, force: bool = False,
                paraphrases: int = 0, reversals: bool = False, arithmetic: str = yamnet.GRAPH_VERSION) -> Path:
    """Compute (or reuse) the feature cache of one pairs.csv; returns the cache folder. arithmetic names the
    YAMNet graph (recorded as audio_graph), one of model.yamnet_graph.GRAPHS."""
    pairs_csv = Path(pairs_csv).resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    source_hash = sha256_file(pairs_csv)
    index_path = cache_dir / "index.json"
    if index_path.exists() and not force:
        index = json.loads(index_path.read_text())
        if (index.get("pairs_sha256") == source_hash and index.get("cache_version") == CACHE_VERSION
                and index.get("paraphrases", 0) == paraphrases and index.get("reversals", False) == reversals
                and index.get("text_clauses") == text_backbone.MAX_CLAUSES
                and index.get("clause_reader") == modifier_parser.READER_VERSION
                and index.get("audio_graph") == arithmetic):
            log.info("%s: up to date", cache_dir)
            return cache_dir
    previous = json.loads(index_path.read_text()) if index_path.exists() and not force else {}
    # audio rows of another YAMNet graph (model.yamnet_graph) are never reused
    previous_clips = previous.get("clips", []) if previous.get("audio_graph") == arithmetic else []
    index_path.unlink(missing_ok=True)  # from here on the cache is incomplete until rewritten
    rows = read_pairs(pairs_csv)
    clips, texts = unique_clips_and_texts(rows)
    # a changed clip list (names, sizes or mtimes) invalidates earlier audio rows, except those
    # carried over from the previous complete cache (e.g. a pairs set extended with more pairs)
    plan = cache_dir / "plan.json"
    plan_key = _clips_key(pairs_csv.parent, clips)
    plan_now = {"clips_sha256": plan_key, "audio_graph": arithmetic}
    if force or not plan.exists() or json.loads(plan.read_text()) != plan_now:
        for stale in ("audio.partial.npy", "audio.done.npy"):
            (cache_dir / stale).unlink(missing_ok=True)
        if previous_clips and (cache_dir / "audio.npy").exists():
            carried = carry_audio_rows(cache_dir / "audio.npy", previous_clips, pairs_csv.parent, clips)
            log.info("audio: %d of %d clips carried over from the previous cache", carried, len(clips))
        (cache_dir / "audio.npy").unlink(missing_ok=True)
        _atomic_write_text(plan, json.dumps(plan_now))
    if not (cache_dir / "audio.npy").exists():
        compute_audio([pairs_csv.parent / p for p in clips], cache_dir / "audio.npy", workers=workers,
                      arithmetic=arithmetic)
    extra = paraphrase_texts(rows, paraphrases) if paraphrases else []
    if extra:
        texts = _append_texts(texts, [t for alts in extra for t in alts], cache_dir / "paraphrases.json",
                              lambda row: [[row[t] for t in alts] for alts in extra])
    else:
        (cache_dir / "paraphrases.json").unlink(missing_ok=True)
    if reversals:
        inverse = reversal_texts(rows)
        texts = _append_texts(texts, inverse, cache_dir / "reversals.json", lambda row: [row[t] for t in inverse])
    else:
        (cache_dir / "reversals.json").unlink(missing_ok=True)
    compute_text(texts, cache_dir / "text.npy", threads=workers)
    shutil.copyfile(pairs_csv, cache_dir / "pairs.csv.tmp")
    os.replace(cache_dir / "pairs.csv.tmp", cache_dir / "pairs.csv")
    index = {
        "cache_version": CACHE_VERSION,
        "pairs_csv": str(pairs_csv),
        "pairs_sha256": source_hash,
        "n_pairs": len(rows),
        "audio_backbone": yamnet.BACKBONE_ID,
        "audio_graph": arithmetic,
        "text_backbone": text_backbone.BACKBONE_ID,
        "feature_dim": FEATURE_DIM,
        "paraphrases": paraphrases,
        "reversals": reversals,
        "text_clauses": text_backbone.MAX_CLAUSES,
        "clause_reader": modifier_parser.READER_VERSION,
        "clips": clips,
        "texts": texts,
    }
    _atomic_write_text(index_path, json.dumps(index))
    return cache_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="*", type=Path, help="pairs.csv files")
    parser.add_argument("--all", action="store_true", help="every <pairs-root>/*/*/pairs.csv")
    parser.add_argument("--pairs-root", type=Path, default=DEFAULT_PAIRS_ROOT)
    parser.add_argument("--out-root", type=Path, default=DEFAULT_FEATURES_ROOT)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--force", action="store_true", help="recompute even if up to date")
    parser.add_argument("--paraphrases", type=int, default=0,
                        help="extra seen-template descriptions per pair for text augmentation (dev split)")
    parser.add_argument("--reversals", action="store_true",
                        help="describe each pair's inverse edit too, for reversed training pairs (dev split)")
    parser.add_argument("--arithmetic", choices=GRAPHS, default=yamnet.GRAPH_VERSION,
                        help="YAMNet graph: the shipped heads' (default) or every layer added exactly; heads trained "
                        "on a cache record its graph and run it in the app (MODEL_CARD 'Backbone arithmetic')")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    pairs = list(args.pairs)
    if args.all:
        pairs += sorted(args.pairs_root.glob("*/*/pairs.csv"))
    if not pairs:
        parser.error("no pairs.csv given (use paths or --all)")
    for pairs_csv in pairs:
        dev = pairs_csv.resolve().parent.name == "dev"
        build_cache(pairs_csv, cache_dir_for(pairs_csv, args.out_root), workers=args.workers, force=args.force,
                    paraphrases=args.paraphrases if dev else 0, reversals=args.reversals and dev,
                    arithmetic=args.arithmetic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
