"""Evaluate the model on your own (query, text, target) pairs: R@1/5/10, proposed query vs audio-only.

The gallery is the set of unique target files, or with ``--gallery library`` every indexed file of
the user's library; a query file that is also in the gallery is left out of its own ranking (as
search does). Paths in the CSV are relative to the CSV's folder. Given a reranker, the proposed ranks are
reordered moment by moment as search reorders its first results (app.evaluate_rerank.PairReranker); the baseline
never is.
"""

from __future__ import annotations

import csv
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.errors import LibraryError, describe_path
from app.evaluate_checks import query_copies, target_copies, target_not_in_library, without_self_targets
from app.evaluate_extract import extract_with_classes, gallery_class_maxima
from model.aligned_rerank import AlignedReranker, PatchEvidence
from model.compose import compose_query, l2_normalize
from model.ranking import recall_at_k, target_ranks

if TYPE_CHECKING:
    from app.evaluate_rerank import PairReranker

REQUIRED_COLUMNS = ("query_path", "text", "target_path")
# Other names a pairs file may use for them, first match wins: the training pairs' own a_path / b_path (clip a, the
# words, clip b), and the plain names people write.
COLUMN_ALIASES = {
    "query_path": ("query_path", "a_path", "query", "audio_a", "clip_a", "a", "query_audio", "query_file",
                   "audio_query", "source", "input"),
    "text": ("text", "modifier", "description", "caption", "words", "text_modifier", "modification", "instruction",
             "prompt", "edit", "query_text"),
    "target_path": ("target_path", "b_path", "target", "audio_b", "clip_b", "b", "target_audio", "target_file",
                    "audio_target", "output"),
}
RANGE_COLUMNS = (("query_start", "query_end"), ("target_start", "target_end"))  # optional, seconds (or m:ss)
KS = (1, 5, 10)


@dataclass(frozen=True)
class Pair:
    query: Path
    text: str
    target: Path
    line: int  # CSV line number, for messages
    query_range: tuple[float, float] | None = None  # only this region of the query file is the query
    target_range: tuple[float, float] | None = None  # a hit's moment must overlap this range of the target

    @property
    def ranged(self) -> bool:
        """Whether the pair has a query or target time range (ranked by moments: app.evaluate_moments)."""
        return self.query_range is not None or self.target_range is not None


@dataclass(frozen=True)
class PairRanks:
    """Where one pair's target ranked: with the words (proposed) and audio only (baseline), 1 = first; None
    when it never counts as found (a time range no moment of the target overlaps)."""
    pair: Pair
    proposed: int | None
    baseline: int | None
    proposed_first: str | None = None  # the gallery file ranked first with the words (what search shows first)
    baseline_first: str | None = None  # ... and audio only


@dataclass
class EvalResult:
    metrics: dict[str, float]  # flat: pairs, gallery, proposed_R@1 ..., baseline_R@1 ...
    skipped: list[str] = field(default_factory=list)  # pairs left out, with the reason
    ranks: list[PairRanks] = field(default_factory=list)  # each evaluated pair, in CSV order


def scored_result(kept: list[Pair], skipped: list[str], gallery_size: int, ranks: dict[str, np.ndarray],
                  firsts: dict[str, list[str | None]] | None = None) -> EvalResult:
    """Metrics and per-pair ranks from each query kind's target ranks (``proposed``, ``baseline``); ``firsts``:
    each kind's first result per pair (a gallery file), when known."""
    from model.modifier_parser import parse_modifier

    out: dict[str, float] = {"pairs": float(len(kept)), "gallery": float(gallery_size),
                             "no_words": float(sum(not p.text for p in kept)),  # trial 56: used unsaid
                             "unknown_words": float(sum(bool(p.text and parse_modifier(p.text).unknown) for p in kept))}
    for name, r in ranks.items():
        out.update({f"{name}_{key}": value for key, value in recall_at_k(r, KS).items()})
    firsts = firsts or {}
    none = [None] * len(kept)
    per_pair = [PairRanks(p, _finite_rank(a), _finite_rank(b), fa, fb)
                for p, a, b, fa, fb in zip(kept, ranks["proposed"], ranks["baseline"],
                                           firsts.get("proposed", none), firsts.get("baseline", none), strict=True)]
    return EvalResult(out, skipped, per_pair)


def _finite_rank(rank: float) -> int | None:
    return int(rank) if np.isfinite(rank) else None


def _resolve(base: Path, name: str) -> Path:
    """A path of the pairs file: relative to its folder, or absolute, or from the home folder ("~/Sounds/rain.wav")."""
    return Path(os.path.abspath(base / os.path.expanduser(name)))


def _seconds(text: str) -> float:
    value = 0.0
    for part in text.split(":"):
        value = value * 60 + float(part)
    return value


def _range(row: dict, columns: tuple[str, str], where: str) -> tuple[float, float] | None:
    """A (start, end) pair of optional columns in seconds or m:ss; None when both are empty."""
    start, end = ((row.get(c) or "").strip() for c in columns)
    if not start and not end:
        return None
    try:
        span = (_seconds(start or "0"), _seconds(end))
    except ValueError:
        span = (float("nan"), float("nan"))
    if not (0 <= span[0] < span[1] < float("inf")):
        raise LibraryError(f"{where}: {columns[0]},{columns[1]} = {start!r},{end!r} is not a time range "
                           "(seconds or m:ss, start < end)")
    return span


def pair_columns(header: list[str], csv_path: Path) -> dict[str, str]:
    """The header's column for each of REQUIRED_COLUMNS (COLUMN_ALIASES; case, spaces and hyphens ignored); LibraryError
    naming what is missing and what would do."""
    found = {re.sub(r"[\s-]+", "_", h.strip().lower()): h for h in header if h}
    names, missing = {}, []
    for column, aliases in COLUMN_ALIASES.items():
        match = next((found[a] for a in aliases if a in found), None)
        if match is None:
            missing.append(f"{column} (or {' / '.join(aliases[1:])})")
        else:
            names[column] = match
    if missing:
        raise LibraryError(f"{describe_path(csv_path)}: missing column(s) {'; '.join(missing)}; "
                           "the header must name the query, the words and the target, e.g. "
                           f"{','.join(REQUIRED_COLUMNS)}")
    return names


def _delimiter(f) -> str:  # noqa: ANN001 - an open text file
    """',' unless the header line holds more ';' or tabs (what spreadsheets in many locales save)."""
    header = f.readline()
    f.seek(0)
    return max((",", ";", "\t"), key=header.count)


def _encoding(csv_path: Path) -> str:
    """UTF-16 when the file starts with its byte-order mark (a spreadsheet's "Unicode text"), else UTF-8 (with or
    without its mark)."""
    with open(csv_path, "rb") as f:
        start = f.read(2)
    return "utf-16" if start in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def _headerless(first_row: list[str]) -> bool:
    """A first line that is a pair, not a header: three fields, the first and the last a sound file's name."""
    from app.scan import is_audio_name

    fields = [f.strip() for f in first_row]
    return len(fields) == 3 and is_audio_name(fields[0]) and is_audio_name(fields[2])


def no_pair_message(skipped: list[str]) -> str:
    """Why no pair of a file could be evaluated: the first reasons, one per line."""
    more = f"\n  ... and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return "no pair could be evaluated:\n  " + "\n  ".join(skipped[:5]) + more


def read_pairs(csv_path: Path) -> list[Pair]:
    """Parse the pairs CSV (header: query_path,text,target_path, or the names of COLUMN_ALIASES such as the training
    pairs' a_path,text,b_path; optional query_start,query_end,target_start,target_end in seconds or m:ss; commas,
    semicolons or tabs between the columns; a file without a header whose lines are query,text,target; UTF-8 or
    UTF-16); LibraryError with the line on problems."""
    csv_path = Path(csv_path)
    try:
        with open(csv_path, newline="", encoding=_encoding(csv_path)) as f:
            delimiter = _delimiter(f)
            reader = csv.DictReader(f, delimiter=delimiter)
            if not reader.fieldnames:
                raise LibraryError(f"{describe_path(csv_path)} is empty: give a header line (query_path,text,"
                                   "target_path) and one line per pair")
            if _headerless(reader.fieldnames or []):
                f.seek(0)
                reader = csv.DictReader(f, fieldnames=list(REQUIRED_COLUMNS), delimiter=delimiter)
            names = pair_columns(reader.fieldnames or [], csv_path)
            pairs = []
            for row in reader:
                query, target = ((row.get(names[c]) or "").strip() for c in ("query_path", "target_path"))
                if not query or not target:
                    raise LibraryError(f"{describe_path(csv_path)} line {reader.line_num}: empty query or target path")
                base = csv_path.parent
                where = f"{describe_path(csv_path)} line {reader.line_num}"
                query_range, target_range = (_range(row, columns, where) for columns in RANGE_COLUMNS)
                pairs.append(Pair(_resolve(base, query), (row.get(names["text"]) or "").strip(), _resolve(base, target),
                                  reader.line_num, query_range, target_range))
    except FileNotFoundError as exc:
        raise LibraryError(f"pairs file not found: {describe_path(csv_path)}") from exc
    except UnicodeDecodeError as exc:
        raise LibraryError(f"cannot read {describe_path(csv_path)}: it is not UTF-8 or UTF-16 text ({exc.reason} at "
                           f"byte {exc.start}); save it as CSV UTF-8") from exc
    except (OSError, csv.Error) as exc:
        raise LibraryError(f"cannot read {describe_path(csv_path)}: {exc}") from exc
    if not pairs:
        raise LibraryError(f"{describe_path(csv_path)} holds no pairs")
    return pairs


@dataclass(frozen=True)
class Retrieval:
    ranks: dict[str, np.ndarray]  # each query kind's target rank per query, 1-based (inf: never found)
    firsts: dict[str, np.ndarray]  # each query kind's first gallery item per query (-1: none ranked)


def retrieval_ranks(
    audio: np.ndarray, text: np.ndarray, gallery: np.ndarray, target_index: np.ndarray,
    self_index: np.ndarray, strength: float = 1.0,
    compose: Callable[[np.ndarray, np.ndarray, float], np.ndarray] = compose_query,
    rerank: PairReranker | None = None,
    copies: list[np.ndarray] | None = None,
) -> Retrieval:
    """Each query's target rank and first result for the proposed and the audio-only (baseline) query, from raw
    A(query) (Q, D), T(text) (Q, D) and A(gallery) (G, D).

    ``self_index``: gallery position of each query's own file, or -1; that item is excluded.
    ``compose``: the model's query composition (``NudgeEncoder.compose``), default the plain sum.
    ``rerank``: the proposed ranks and first results reordered as search reorders them; None: cosine order.
    ``copies``: per query, gallery items with the target's own audio (target_copies): left out, so a copy ranked
    above the target does not count as a miss.
    """
    g = l2_normalize(gallery)
    ranks, firsts = {}, {}
    for name, queries in (("proposed", compose(audio, text, strength)), ("baseline", compose_query(audio))):
        scores = queries @ g.T
        rows = np.flatnonzero(self_index >= 0)
        scores[rows, self_index[rows]] = -np.inf
        for row, columns in enumerate(copies or []):
            scores[row, columns] = -np.inf
        firsts[name] = np.where(np.isfinite(scores.max(axis=1)), np.argmax(scores, axis=1), -1)
        if rerank is not None and name == "proposed":
            ranks[name] = rerank(scores, target_index)
            for row, column in rerank.first_columns.items():
                firsts[name][row] = column
        else:
            ranks[name] = target_ranks(scores, target_index)
    return Retrieval(ranks, firsts)


def evaluate_pairs(
    pairs: list[Pair],
    encoder,
    strength: float = 1.0,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    library: tuple[list[Path], np.ndarray] | None = None,
    reranker: AlignedReranker | None = None,
    library_evidence: Callable[[list[str]], dict[str, PatchEvidence]] | None = None,
) -> EvalResult:
    """Embed every query and target file, then score both query kinds against the target gallery.

    ``library``: (paths, unit vectors) of an indexed library (SearchService.library_gallery), and optionally its
    files' YAMNet class maxima (library_class_maxima): the
    gallery is then the whole library instead of the CSV's targets; only the queries are embedded, and
    a pair whose target is not in the library is skipped. ``reranker``: the proposed ranks are reranked moment by
    moment (app.evaluate_rerank.PairReranker); None: cosine ranks. ``library_evidence``: the library files' evidence
    as search reads them (SearchService.library_evidence: kept at import, long takes left out)."""
    pairs, self_targets = without_self_targets(pairs)
    if not pairs:
        raise LibraryError(no_pair_message(self_targets))
    if library is not None:
        result = _evaluate_on_library(pairs, encoder, library, strength, workers, progress, cancel, reranker,
                                      library_evidence)
    else:
        result = _evaluate_on_targets(pairs, encoder, strength, workers, progress, cancel, reranker)
    return replace(result, skipped=self_targets + result.skipped)


def _evaluate_on_targets(pairs: list[Pair], encoder, strength: float, workers: int,
                         progress: Callable[[int, int], None] | None, cancel: threading.Event | None,
                         reranker: AlignedReranker | None) -> EvalResult:
    """Queries and targets embedded from their files; the gallery is the CSV's targets."""
    files = sorted({str(p.query) for p in pairs} | {str(p.target) for p in pairs})
    features, errors, classes = extract_with_classes(files, encoder, workers, progress, cancel)
    skipped = [
        f"line {p.line}: {errors.get(str(p.query)) or errors.get(str(p.target)) or 'not embedded (cancelled)'}"
        for p in pairs
        if str(p.query) not in features or str(p.target) not in features
    ]
    kept = [p for p in pairs if str(p.query) in features and str(p.target) in features]
    if not kept:
        raise LibraryError(no_pair_message(skipped))
    kept = _read_against_queries(kept, classes)
    names = sorted(features)
    position = {name: i for i, name in enumerate(names)}
    embedded = encoder.project_audio(np.stack([features[n] for n in names]))
    targets = sorted({str(p.target) for p in kept})
    target_pos = {t: i for i, t in enumerate(targets)}
    gallery = embedded[[position[t] for t in targets]]
    audio = embedded[[position[str(p.query)] for p in kept]]
    maxima = ([classes.get(str(p.query)) for p in kept], gallery_class_maxima(targets, classes))
    return _scored(kept, skipped, encoder, audio, gallery, target_pos, strength, reranker, cancel, None, maxima)


def _scored(kept: list[Pair], skipped: list[str], encoder, audio: np.ndarray, gallery: np.ndarray,
            position: dict[str, int], strength: float, reranker: AlignedReranker | None = None,
            cancel: threading.Event | None = None,
            gallery_evidence: Callable[[list[str]], dict[str, PatchEvidence]] | None = None,
            class_maxima: tuple[list[np.ndarray | None], np.ndarray] | None = None) -> EvalResult:
    """Metrics of the kept pairs: raw A(query) rows in pair order, the gallery and each path's row in it;
    ``class_maxima``: the queries' YAMNet class maxima (pair order) and the gallery's (app.heard_edits's rule)."""
    text = encoder.embed_text([p.text for p in kept])
    text[[not p.text for p in kept]] = 0.0  # empty text: plain similarity, as in search
    target_index = np.array([position[str(p.target)] for p in kept])
    self_index = np.array([position.get(str(p.query), -1) for p in kept])
    files = [""] * len(gallery)  # the gallery's file of each row
    for name, row in position.items():
        files[row] = name
    rerank = None
    if reranker is not None and strength > 0:  # at strength 0 the words count for nothing, as in search
        from app.evaluate_rerank import PairReranker
        from model.class_term import class_term_for

        term = class_term_for(reranker, encoder.heads)
        vectors = None if term is None else (term, l2_normalize(audio), l2_normalize(gallery))
        rerank = PairReranker(reranker, encoder.features.backbone, [p.query for p in kept], [p.text for p in kept],
                              files, cancel, gallery_evidence=gallery_evidence, class_vectors=vectors,
                              class_maxima=class_maxima, strength=strength,
                              match_vectors=(l2_normalize(audio), l2_normalize(gallery)))
    copies = target_copies(gallery, target_index)
    of_query = query_copies(audio, gallery, target_index, self_index,
                            ([Path(p.query).name for p in kept], [Path(f).name for f in files]))
    found = retrieval_ranks(audio, text, gallery, target_index, self_index, strength, encoder.compose, rerank,
                            [np.union1d(a, b).astype(np.int64) for a, b in zip(copies, of_query, strict=True)])
    if rerank is not None and cancel is not None and cancel.is_set():  # ranks half reranked
        raise LibraryError("evaluation cancelled")
    firsts = {name: [files[j] if j >= 0 else None for j in columns] for name, columns in found.firsts.items()}
    result = scored_result(kept, skipped, len(gallery), found.ranks, firsts)
    result.metrics["target_copies"] = float(sum(len(c) > 0 for c in copies))
    result.metrics["query_copies"] = float(sum(len(c) > 0 for c in of_query))
    return result


def _read_against_queries(pairs: list[Pair], classes: dict[str, np.ndarray]) -> list[Pair]:
    """The pairs' words as search reads them against each (whole-file) query sound (model.own_sound: a level edit of
    the query's only sound said as "it"); pairs with ranges go through app.evaluate_moments."""
    from model.own_sound import own_sound_text

    return [replace(p, text=own_sound_text(p.text, classes.get(str(p.query)))) for p in pairs]


def as_indexed(pair: Pair, position: dict[str, int]) -> Pair:
    """The pair with its query and target as the library indexed them (their real paths) where the paths given are
    not indexed as such: a folder reached through a symbolic link (trial 59: every target "not in the library")."""
    def indexed(path: Path) -> Path:
        return Path(real) if str(path) not in position and (real := os.path.realpath(path)) in position else path

    return replace(pair, query=indexed(pair.query), target=indexed(pair.target))


def _evaluate_on_library(pairs: list[Pair], encoder, library: tuple[list[Path], np.ndarray], strength: float,
                         workers: int, progress: Callable[[int, int], None] | None,
                         cancel: threading.Event | None, reranker: AlignedReranker | None = None,
                         library_evidence: Callable[[list[str]], dict[str, PatchEvidence]] | None = None
                         ) -> EvalResult:
    """Queries embedded from their files, ranked against every indexed library file."""
    paths, vectors, *maxima = library
    if not len(paths):
        raise LibraryError("the library holds no indexed sounds: index a folder first (main.py index FOLDER)")
    position = {os.path.abspath(p): i for i, p in enumerate(paths)}
    pairs = [as_indexed(p, position) for p in pairs]  # trial 59: paths through a symlinked folder
    queries = sorted({str(p.query) for p in pairs})
    features, errors, classes = extract_with_classes(queries, encoder, workers, progress, cancel)
    skipped, kept = [], []
    for p in pairs:
        if str(p.query) not in features:
            skipped.append(f"line {p.line}: {errors.get(str(p.query)) or 'not embedded (cancelled)'}")
        elif str(p.target) not in position:
            skipped.append(f"line {p.line}: {target_not_in_library(p.target)}")
        else:
            kept.append(p)
    if not kept:
        raise LibraryError(no_pair_message(skipped))
    kept = _read_against_queries(kept, classes)
    audio = encoder.project_audio(np.stack([features[str(p.query)] for p in kept]))
    gallery_maxima = maxima[0] if maxima else None
    class_maxima = None if gallery_maxima is None else ([classes.get(str(p.query)) for p in kept], gallery_maxima)
    return _scored(kept, skipped, encoder, audio, vectors, position, strength, reranker, cancel, library_evidence,
                   class_maxima)
