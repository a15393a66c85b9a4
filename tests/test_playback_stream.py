"""PlaybackStream: a file streamed from an offset to an end, at the device's rate and channel count, with
bounded read-ahead; the reader thread stops on close."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf

from app.playback import AHEAD_BLOCKS, BLOCK_SECONDS, PlaybackStream
from model.errors import AudioDecodeError


def _pull(stream: PlaybackStream, frames: int = 512) -> np.ndarray:
    parts = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        chunk, ended = stream.read(frames)
        parts.append(chunk)
        if ended:
            return np.concatenate(parts)
        if not len(chunk):
            time.sleep(0.001)  # the reader is behind: a device would play silence
    raise AssertionError("the stream never ended")


def test_range_resampled_and_mixed_down(tmp_path):
    sr = 8_000
    t = np.arange(10 * sr) / sr
    stereo = np.stack([t / 10, -t / 10], axis=1).astype(np.float32)  # a ramp: the samples say their time
    path = tmp_path / "ramp.wav"
    sf.write(str(path), stereo, sr, subtype="FLOAT")
    stream = PlaybackStream(path, start=4.0, end=6.0)
    stream.begin()
    data = _pull(stream)
    assert data.shape == (2 * sr, 2) and stream.position == pytest.approx(6.0)
    np.testing.assert_allclose(data[:, 0], t[4 * sr: 6 * sr] / 10, atol=1e-6)
    mono = PlaybackStream(path, start=9.0, rate=16_000, channels=1)  # a mono device at another rate
    mono.begin()
    data = _pull(mono)
    assert data.shape[1] == 1 and abs(len(data) - 16_000) <= 16 and mono.position == pytest.approx(10.0, abs=1e-3)
    assert abs(float(np.mean(data))) < 1e-3  # left and right cancel in the mix


def test_read_ahead_is_bounded_and_close_stops_the_reader(tmp_path):
    sr = 8_000
    path = tmp_path / "long.wav"
    sf.write(str(path), np.zeros(120 * sr, np.float32) + 0.1, sr)
    stream = PlaybackStream(path)
    stream.begin()
    time.sleep(0.3)  # nobody reads: the reader fills its queue and waits
    assert stream._queue.qsize() <= AHEAD_BLOCKS  # at most AHEAD_BLOCKS * BLOCK_SECONDS decoded ahead
    assert AHEAD_BLOCKS * BLOCK_SECONDS < 120
    stream.close()
    stream._thread.join(5)
    assert not stream._thread.is_alive()


def test_unreadable_file_raises(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    with pytest.raises(AudioDecodeError):
        PlaybackStream(bad)
