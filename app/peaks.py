"""Waveform overview for drawing: min/max per bin, computed streaming from the file and cached."""

from __future__ import annotations

import os

import numpy as np

from app.db import LibraryDB, path_key
from app.errors import QueryFileError, describe_path
from model.audio_io import check_regular_file, iter_native_blocks
from model.errors import AudioDecodeError

BLOCK_SECONDS = 6.0


def _bin_splits(start: int, n: int, frames: int, bins: int) -> tuple[int, np.ndarray]:
    """The bins samples ``start`` .. ``start + n - 1`` fall in (sample i in bin (i x bins) // frames, the last bin
    taking any samples past ``frames``): the first bin, and where in the block each of its bins starts. Computed
    from the bins' edges, not per sample: a 60-minute stereo take took 13 s per sample, 2 s this way."""
    first_bin = min(start * bins // frames, bins - 1)
    last_bin = min((start + n - 1) * bins // frames, bins - 1)
    ks = np.arange(first_bin + 1, last_bin + 1, dtype=np.int64)
    edges = -((-ks * frames) // bins) - start  # the first sample of bin k: ceil(k x frames / bins)
    return first_bin, np.concatenate([[0], edges]).astype(np.int64)


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
            first_bin, splits = _bin_splits(start, n, frames, bins)
            bins_here = slice(first_bin, first_bin + len(splits))
            with np.errstate(invalid="ignore"):  # NaN samples of damaged float files: drawn as 0
                lo[bins_here] = np.minimum(lo[bins_here], np.minimum.reduceat(block, splits, axis=0).min(axis=1))
                hi[bins_here] = np.maximum(hi[bins_here], np.maximum.reduceat(block, splits, axis=0).max(axis=1))
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
