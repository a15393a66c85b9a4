"""`evaluate` with time ranges: pairs whose query is a region of a file and/or whose target is a moment.

Optional CSV columns ``query_start,query_end`` embed only that region of the query file;
``target_start,target_end`` make a hit need the right file *and* a best moment overlapping that range.
The gallery is ranked as search ranks it (app.moments): each file scores its best row (whole file or one
of its windows), and its moment is the best window merged with its near neighbours. Without range
columns `evaluate` keeps its whole-file path (app.evaluate), so its figures do not change.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.db_blocks import Blocks
from app.embed_pool import Extracted
from app.errors import LibraryError, describe_path
from app.evaluate import EvalResult, Pair, as_indexed, no_pair_message, scored_result
from app.evaluate_checks import target_not_in_library
from app.evaluate_extract import extract_results
from app.moment_terms import MomentTerms, TermWeights, moment_terms, place_scores
from app.moments import DEFAULT_SHARE, add_contrast, best_moment, block_spans
from app.vectors import class_rows
from model.audio_io import read_native
from model.compose import compose_query, l2_normalize
from model.errors import AudioDecodeError
from model.own_sound import own_sound_text


@dataclass
class BlockGallery:
    """Gallery files as vector blocks: rows [first[i], first[i] + 1 + segments[i]) of ``vectors`` are file i's
    whole-file vector then its windows (unit rows)."""

    paths: list[str]  # absolute
    vectors: np.ndarray  # (R, D)
    first: np.ndarray  # (N,) ascending
    segments: np.ndarray  # (N,)
    tail_start: np.ndarray  # (N,) nan without windows
    duration: np.ndarray  # (N,) nan if unknown
    classes: np.ndarray | None = None  # (R, 521) uint8 class rows (model.class_scores), None: none stored

    def spans(self, i: int) -> np.ndarray:
        return block_spans(self.segments[i], self.tail_start[i], self.duration[i])

    @classmethod
    def from_store(cls, matrix: np.ndarray, blocks: Blocks, paths: list[str], classes: np.ndarray | None = None
                   ) -> BlockGallery:
        """The blocks' rows of a vector store (``paths``: one per block; ``classes``: the store's class rows, see
        app.vectors.class_matrix) gathered into a gallery."""
        sizes = 1 + blocks.segments
        rows = blocks.rows()
        vectors = np.asarray(matrix[rows], dtype=np.float32).reshape(-1, matrix.shape[1])
        gathered = class_rows(classes, rows) if classes is not None else None
        return cls(paths, vectors, np.cumsum(sizes) - sizes, blocks.segments, blocks.tail_start, blocks.duration,
                   gathered)


def uses_ranges(pairs: list[Pair]) -> bool:
    return any(p.ranged for p in pairs)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gallery_from_results(results: list[Extracted], encoder) -> BlockGallery:
    blocks = [np.vstack([r.features[None], r.windows if r.windows is not None and len(r.windows)
                         else np.zeros((0, len(r.features)), np.float32)]) for r in results]
    sizes = np.array([len(b) for b in blocks], dtype=np.int64)
    vectors = l2_normalize(encoder.project_audio(np.concatenate(blocks)))
    segments = sizes - 1
    tails = np.array([r.tail_start if s else np.nan for r, s in zip(results, segments, strict=True)], dtype=float)
    durations = np.array([np.nan if r.duration is None else r.duration for r in results], dtype=float)
    classes = np.concatenate([r.class_rows(n) for r, n in zip(results, sizes, strict=True)])
    return BlockGallery([os.path.abspath(r.path) for r in results], vectors, np.cumsum(sizes) - sizes, segments,
                        tails, durations, classes)


def _region_features(encoder, path: Path | str, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
    """Features and class maxima of a region of a file."""
    samples, sr = read_native(path, max_seconds=end - start, start_seconds=start)
    return encoder.features.with_classes_from_waveform(samples, sr)


def _past_the_end(pair: Pair, seconds: float) -> str | None:
    """Why a pair's target range cannot be found: it starts at or after the target's end (None: it can)."""
    if pair.target_range is None or not np.isfinite(seconds) or pair.target_range[0] < seconds:
        return None
    return (f"the target {describe_path(pair.target)} is {seconds:.1f} s long: its range from "
            f"{pair.target_range[0]:.1f} s is past its end")


def evaluate_moments(pairs: list[Pair], encoder, strength: float = 1.0, workers: int = 2,
                     progress: Callable[[int, int], None] | None = None, cancel: threading.Event | None = None,
                     library: BlockGallery | None = None, share: float = DEFAULT_SHARE,
                     weights: TermWeights | None = None, named_floor: bool = IndexConfig().moment_named_floor
                     ) -> EvalResult:
    """R@k of the proposed and audio-only queries when hits need the right file and (for pairs with a target
    range) an overlapping best moment. ``library``: the indexed library's blocks (SearchService.library_blocks)
    as the gallery; default: the CSV's target files, cut into windows here. Long takes' windows are scored with
    the query's moment terms (app.moment_terms, ``weights`` default IndexConfig's) as search scores them, takes
    named for a sound the words add or raise floored at their cosine with ``named_floor`` (app.moments.rank_files)."""
    weights = weights or IndexConfig().moment_weights()
    if library is not None:  # paths through a symlinked folder: the files the library indexed (as evaluate_pairs)
        indexed = {p: i for i, p in enumerate(library.paths)}
        pairs = [as_indexed(p, indexed) for p in pairs]
    whole_queries = {str(p.query) for p in pairs if p.query_range is None}
    targets = sorted({str(p.target) for p in pairs}) if library is None else []
    extracted, errors = extract_results(sorted(whole_queries | set(targets)), encoder, workers, progress, cancel)
    gallery = library if library is not None else _gallery_from_results(
        [extracted[t] for t in targets if t in extracted], encoder)
    position = {p: i for i, p in enumerate(gallery.paths)}
    kept, skipped, features, clip_classes = [], [], [], []
    for p in pairs:
        why, feature, classes = None, None, None
        if os.path.abspath(p.target) not in position:
            why = errors.get(str(p.target)) or target_not_in_library(p.target)
        elif (past := _past_the_end(p, gallery.duration[position[os.path.abspath(p.target)]])) is not None:
            why = past
        elif p.query_range is None:
            found = extracted.get(str(p.query))
            why, feature = (None, found.features) if found else (errors.get(str(p.query)) or "not embedded", None)
            classes = found.classes[0] if found is not None and found.classes is not None else None
        else:
            try:
                feature, classes = _region_features(encoder, p.query, *p.query_range)
            except AudioDecodeError as exc:
                why = str(exc)
        if why is not None:
            skipped.append(f"line {p.line}: {why}")
            continue
        kept.append(p)
        features.append(feature)
        clip_classes.append(classes)
    if not kept:
        raise LibraryError(no_pair_message(skipped))
    kept = [replace(p, text=own_sound_text(p.text, c)) for p, c in zip(kept, clip_classes, strict=True)]  # as search
    audio = encoder.project_audio(np.stack(features))
    text = encoder.embed_text([p.text for p in kept])
    text[[not p.text for p in kept]] = 0.0  # empty text: plain similarity, as in search
    ranks: dict[str, np.ndarray] = {}
    firsts: dict[str, list[str | None]] = {}
    terms = [moment_terms(encoder, p.text, a, c, strength, weights)
             for p, a, c in zip(kept, audio, clip_classes, strict=True)]
    names = take_names(gallery) if named_floor else []  # read once: every pair checks its words against them
    floored = [named_takes(gallery, p.text, names) if named_floor else set() for p in kept]
    for name, queries in (("proposed", encoder.compose(audio, text, strength)), ("baseline", compose_query(audio))):
        words = terms if name == "proposed" else [None] * len(kept)
        found = [_rank(gallery, position, p, q, share, c, f)
                 for p, q, c, f in zip(kept, queries, words, floored, strict=True)]
        ranks[name] = np.array([rank for rank, _ in found])
        firsts[name] = [None if first is None else str(gallery.paths[first]) for _, first in found]
    return scored_result(kept, skipped, len(gallery.paths), ranks, firsts)


def take_names(gallery: BlockGallery) -> list[tuple[int, set[str]]]:
    """(gallery position, the sounds its name says: app.named_sounds.name_sounds) of every long take."""
    from app.named_sounds import name_sounds

    return [(i, name_sounds(Path(path))) for i, (path, segments) in
            enumerate(zip(gallery.paths, gallery.segments, strict=True)) if segments > 0]


def named_takes(gallery: BlockGallery, text: str, names: list[tuple[int, set[str]]] | None = None) -> set[int]:
    """Gallery positions of the long takes named for a sound the words add or raise (``names``: take_names, read
    once for many texts; SearchService._named_takes for a search)."""
    from app.named_sounds import sounds_added, takes_named_for

    return takes_named_for(take_names(gallery) if names is None else names, sounds_added(text))


def _rank(gallery: BlockGallery, position: dict[str, int], pair: Pair, q: np.ndarray, share: float,
          terms: MomentTerms | None = None, floored: set[int] = frozenset()) -> tuple[float, int | None]:
    """1-based rank of the pair's target file by best row (ties against it), inf when its best moment misses the
    target range, and the gallery file ranked first (None: none ranked). The query's own file is left out (only
    its rows over the query range, for a region query). Long files' windows are scored with the query's moment
    ``terms`` as search scores them (app.moments)."""
    scores = (gallery.vectors @ q).astype(np.float64)
    if terms is not None:
        for i, (first, segments) in enumerate(zip(gallery.first, gallery.segments, strict=True)):
            block = slice(first, first + 1 + segments)
            classes = gallery.classes[block] if gallery.classes is not None else None
            cosine = scores[block].copy()
            add_contrast(scores[block], gallery.vectors[block], terms, classes)
            if i in floored:  # a take named for what the words add: no row below its cosine (seventeenth round)
                np.maximum(scores[block], cosine, out=scores[block])
    own = position.get(os.path.abspath(pair.query))
    if own is not None:
        first, rows = int(gallery.first[own]), int(1 + gallery.segments[own])
        if pair.query_range is None:
            scores[first : first + rows] = -np.inf
        else:
            spans = gallery.spans(own)
            hit = np.flatnonzero((spans[:, 0] < pair.query_range[1]) & (spans[:, 1] > pair.query_range[0]))
            scores[np.concatenate([[first], first + 1 + hit]).astype(np.int64)] = -np.inf
    file_scores = np.maximum.reduceat(scores, gallery.first)
    leader = int(np.argmax(file_scores)) if np.isfinite(file_scores.max()) else None
    target = position[os.path.abspath(pair.target)]
    rank = float((file_scores >= file_scores[target]).sum())
    if pair.target_range is None or not np.isfinite(file_scores[target]):
        return (rank if np.isfinite(file_scores[target]) else float("inf")), leader
    first = int(gallery.first[target])
    rows = slice(first, first + 1 + int(gallery.segments[target]))
    classes = gallery.classes[rows] if gallery.classes is not None else None
    moment, _ = best_moment(place_scores(scores[rows], classes, terms), gallery.spans(target), share)
    duration = gallery.duration[target]
    end = moment.end if moment.end is not None else (np.inf if np.isnan(duration) else float(duration))
    return (rank if overlaps((moment.start, end), pair.target_range) else float("inf")), leader
