"""Waveform overview peaks: values, odd lengths, cache invalidation, bad files."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from app.db import LibraryDB
from app.errors import QueryFileError
from app.peaks import BLOCK_SECONDS, cached_peaks, compute_peaks
from tests.helpers import write_wav


def test_peaks_match_reference_across_blocks(tmp_path):
    rng = np.random.default_rng(0)
    n = int(BLOCK_SECONDS * 44_100) * 2 + 12345  # several read blocks, bins straddling block edges
    x = np.clip(rng.standard_normal((n, 2)) * 0.3, -1, 1).astype(np.float32)
    path = tmp_path / "s.wav"
    sf.write(path, x, 44_100, subtype="FLOAT")
    peaks = compute_peaks(path, 333)
    assert peaks.shape == (333, 2) and peaks.dtype == np.float32
    # bin i covers samples [ceil(i*n/bins), ...): same partition as array_split up to rounding at edges
    ref_bins = [np.flatnonzero((np.arange(n) * 333) // n == i) for i in range(333)]
    ref = np.array([[x[b].min(), x[b].max()] for b in ref_bins])
    np.testing.assert_allclose(peaks, ref, atol=1e-6)


def test_square_wave_envelope(tmp_path):
    x = np.tile(np.r_[np.full(50, 0.5), np.full(50, -0.25)], 100).astype(np.float32)
    peaks = compute_peaks(write_wav(tmp_path / "sq.wav", x), 10)
    np.testing.assert_allclose(peaks, np.tile([[-0.25, 0.5]], (10, 1)), atol=1e-4)


def test_file_shorter_than_bins_is_stretched(tmp_path):
    x = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    sf.write(tmp_path / "tiny.wav", x, 8000, subtype="FLOAT")
    peaks = compute_peaks(tmp_path / "tiny.wav", 6)
    np.testing.assert_allclose(peaks[:, 1], [0.1, 0.1, -0.2, -0.2, 0.3, 0.3], atol=1e-6)


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", os.urandom(2000)])
def test_bad_files_raise_query_file_error(tmp_path, content):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(QueryFileError):
        compute_peaks(path)
    with pytest.raises(QueryFileError):
        cached_peaks(LibraryDB(tmp_path / "db"), tmp_path / "nope.wav")


def test_cache_is_used_and_invalidated(tmp_path):
    lib = LibraryDB(tmp_path / "db")
    path = write_wav(tmp_path / "a.wav", np.full(1000, 0.5, dtype=np.float32))
    first = cached_peaks(lib, path, 20)
    assert lib.conn.execute("SELECT COUNT(*) FROM peaks").fetchone()[0] == 1
    np.testing.assert_array_equal(cached_peaks(lib, path, 20), first)
    write_wav(path, np.full(1000, -0.75, dtype=np.float32))
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    np.testing.assert_allclose(cached_peaks(lib, path, 20)[:, 0], -0.75, atol=1e-4)
    assert cached_peaks(lib, path, 7).shape == (7, 2)


def test_range_peaks_show_only_that_range(tmp_path):
    """The detail of a zoomed view: peaks of 2-3 s of a file that is quiet but for a loud second at 2-3 s."""
    sr = 8_000
    x = np.full(5 * sr, 0.01, dtype=np.float32)
    x[2 * sr: 3 * sr] = 0.8
    path = write_wav(tmp_path / "burst.wav", x, sr)
    inside = compute_peaks(path, 50, 2.0, 3.0)
    assert inside.shape == (50, 2) and np.allclose(inside[:, 1], 0.8, atol=1e-3)
    before = compute_peaks(path, 50, 0.5, 1.5)
    assert np.allclose(before[:, 1], 0.01, atol=1e-3)
    tail = compute_peaks(path, 40, 4.5, 9.0)  # past the end: only what is there
    assert tail.shape == (40, 2) and np.allclose(tail[:, 1], 0.01, atol=1e-3)


def test_bin_splits_agree_with_the_per_sample_rule():
    """Bins from their edges (10x faster on a long take) put every sample where (i x bins) // frames does, the last
    bin taking samples past the header's frame count."""
    from app.peaks import _bin_splits

    rng = np.random.default_rng(1)
    for _ in range(300):
        frames = int(rng.integers(1, 5000))
        bins = int(rng.integers(1, min(frames, 900) + 1))
        start = int(rng.integers(0, frames + 50))
        n = int(rng.integers(1, 3000))
        per_sample = np.minimum((np.arange(start, start + n) * bins) // frames, bins - 1)
        first_bin, splits = _bin_splits(start, n, frames, bins)
        lengths = np.diff(np.concatenate([splits, [n]]))
        assert (lengths > 0).all() and splits[0] == 0
        assert np.array_equal(np.repeat(np.arange(first_bin, first_bin + len(splits)), lengths), per_sample)
