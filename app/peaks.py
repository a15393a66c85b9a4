"""Waveform overview for drawing: min/max per bin, computed streaming from the file and cached."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from app.db import LibraryDB, path_key
from app.errors import QueryFileError, describe_path
from model.audio_io import explain_open_error, quiet_decoder

BLOCK_FRAMES = 1 << 18


def compute_peaks(path: str | os.PathLike, n_bins: int = 800) -> np.ndarray:
    """(n_bins, 2) float32 [min, max] over all channels per bin, in [-1, 1]; bounded memory."""
    if n_bins < 1:
        raise ValueError("n_bins must be positive")
    if Path(path).is_dir():
        raise QueryFileError(f"{describe_path(path)} is a folder, not an audio file")
    try:
        with quiet_decoder(path):
            f = sf.SoundFile(os.fsencode(path) if os.name == "posix" else os.fspath(path))
        with f, quiet_decoder(path):
            frames = f.frames
            if frames <= 0:
                raise QueryFileError(f"{describe_path(path)} contains no audio")
            bins = min(n_bins, frames)  # fewer samples than bins: one bin per sample, stretched below
            lo = np.full(bins, np.inf, dtype=np.float32)
            hi = np.full(bins, -np.inf, dtype=np.float32)
            start = 0
            for block in f.blocks(blocksize=BLOCK_FRAMES, dtype="float32", always_2d=True):
                n = block.shape[0]
                bin_of = np.minimum((np.arange(start, start + n, dtype=np.int64) * bins) // frames, bins - 1)
                edges = np.flatnonzero(np.diff(bin_of)) + 1
                first = np.concatenate([[0], edges])
                ids = bin_of[first]
                np.minimum.at(lo, ids, np.minimum.reduceat(block.min(axis=1), first))
                np.maximum.at(hi, ids, np.maximum.reduceat(block.max(axis=1), first))
                start += n
    except QueryFileError:
        raise
    except (sf.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        raise QueryFileError(f"cannot read {describe_path(path)}: {explain_open_error(path, exc)}") from exc
    empty = ~np.isfinite(lo)  # header promised more frames than the file holds
    lo[empty], hi[empty] = 0.0, 0.0
    peaks = np.clip(np.stack([lo, hi], axis=1), -1.0, 1.0)
    if bins < n_bins:
        peaks = peaks[(np.arange(n_bins) * bins) // n_bins]
    return np.nan_to_num(peaks).astype(np.float32)


def cached_peaks(db: LibraryDB, path: str | os.PathLike, n_bins: int = 800) -> np.ndarray:
    """compute_peaks, cached in the database and recomputed when the file's size or mtime changes."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise QueryFileError(f"cannot open {describe_path(path)}: {exc.strerror or exc}") from exc
    key = path_key(path)
    row = db.conn.execute(
        "SELECT data FROM peaks WHERE path = ? AND n_bins = ? AND size = ? AND mtime_ns = ?",
        (key, n_bins, st.st_size, st.st_mtime_ns),
    ).fetchone()
    if row is not None:
        return np.frombuffer(row[0], dtype=np.float32).reshape(n_bins, 2).copy()
    peaks = compute_peaks(path, n_bins)
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO peaks VALUES (?, ?, ?, ?, ?)",
            (key, n_bins, st.st_size, st.st_mtime_ns, peaks.tobytes()),
        )
    return peaks
