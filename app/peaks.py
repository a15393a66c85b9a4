"""Waveform overview for drawing: min/max per bin, computed streaming from the file and cached."""

from __future__ import annotations

import os

import numpy as np

from app.db import LibraryDB, path_key
from app.errors import QueryFileError, describe_path
from model.audio_io import check_regular_file, iter_native_blocks
from model.errors import AudioDecodeError

BLOCK_SECONDS = 6.0


def compute_peaks(path: str | os.PathLike | bytes, n_bins: int = 800, start_seconds: float = 0.0,
                  end_seconds: float | None = None) -> np.ndarray:
    """(n_bins, 2) float32 [min, max] over all channels per bin, in [-1, 1], of the file or of its
    ``start_seconds``-``end_seconds`` range (a zoomed view of a long take); bounded memory."""
    if n_bins < 1:
        raise ValueError("n_bins must be positive")
    lo = hi = np.zeros(0, dtype=np.float32)
    bins = frames = start = 0
    span = None if end_seconds is None else max(end_seconds - start_seconds, 1e-6)
    try:
        for block, rate, header_frames in iter_native_blocks(path, BLOCK_SECONDS, span, start_seconds):
            if not lo.size:
                first = min(header_frames, max(0, int(round(start_seconds * rate))))
                frames = header_frames - first if span is None else min(header_frames - first,
                                                                         max(1, int(span * rate)))
                bins = min(n_bins, frames)  # fewer samples than bins: one bin per sample, stretched below
                lo = np.full(bins, np.inf, dtype=np.float32)
                hi = np.full(bins, -np.inf, dtype=np.float32)
            n = block.shape[0]
            bin_of = np.minimum((np.arange(start, start + n, dtype=np.int64) * bins) // frames, bins - 1)
            edges = np.flatnonzero(np.diff(bin_of)) + 1
            first = np.concatenate([[0], edges])
            ids = bin_of[first]
            with np.errstate(invalid="ignore"):  # NaN samples of damaged float files: drawn as 0
                np.minimum.at(lo, ids, np.minimum.reduceat(block.min(axis=1), first))
                np.maximum.at(hi, ids, np.maximum.reduceat(block.max(axis=1), first))
            start += n
    except AudioDecodeError as exc:
        raise QueryFileError(str(exc)) from exc
    if not lo.size:
        raise QueryFileError(f"{describe_path(path)} contains no audio")
    empty = ~np.isfinite(lo)  # header promised more frames than the file holds (or NaN samples)
    lo[empty], hi[empty] = 0.0, 0.0
    peaks = np.clip(np.nan_to_num(np.stack([lo, hi], axis=1)), -1.0, 1.0)
    if bins < n_bins:
        peaks = peaks[(np.arange(n_bins) * bins) // n_bins]
    return peaks.astype(np.float32)


def cached_peaks(db: LibraryDB, path: str | os.PathLike | bytes, n_bins: int = 800) -> np.ndarray:
    """compute_peaks, cached in the database and recomputed when the file's size or mtime changes."""
    try:
        st = check_regular_file(path)
    except AudioDecodeError as exc:
        raise QueryFileError(str(exc)) from exc
    key = path_key(path)
    data = db.cached_peaks(key, n_bins, st.st_size, st.st_mtime_ns)
    if data is not None:
        return np.frombuffer(data, dtype=np.float32).reshape(n_bins, 2).copy()
    peaks = compute_peaks(path, n_bins)
    db.store_peaks(key, n_bins, st.st_size, st.st_mtime_ns, peaks.tobytes())
    return peaks
