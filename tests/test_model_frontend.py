"""Front end, decoding and feature invariants: framing, streaming, resampling, stereo, lengths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from model.audio_features import FEATURE_DIM, AudioFeatureExtractor
from model.audio_io import iter_blocks_16k, load_audio_16k
from model.errors import AudioDecodeError
from model.frontend import (
    PATCH_FRAMES,
    log_mel,
    mel_matrix,
    stream_patches,
    waveform_to_patches,
)
from tests.helpers import noise, tone, write_wav


@pytest.fixture(scope="module")
def extractor() -> AudioFeatureExtractor:
    return AudioFeatureExtractor(threads=2)


def test_log_mel_shape_and_floor() -> None:
    mel = log_mel(np.zeros(16_000, dtype=np.float32))
    assert mel.shape == (98, 64)
    assert np.allclose(mel, np.log(0.001))


def test_mel_matrix_peaks_follow_frequency() -> None:
    weights = mel_matrix()
    assert weights.shape == (257, 64) and np.all(weights[0] == 0)
    peaks = weights.argmax(axis=0)
    assert np.all(np.diff(peaks) >= 0)


def test_tone_energy_lands_in_the_right_mel_band() -> None:
    low, high = log_mel(tone(300.0, 1.0)).mean(0).argmax(), log_mel(tone(3000.0, 1.0)).mean(0).argmax()
    assert low < high


def test_patch_count_for_ten_seconds() -> None:
    patches = waveform_to_patches(np.zeros(160_000, dtype=np.float32))
    assert patches.shape == (20, PATCH_FRAMES, 64)


def test_very_short_input_is_padded_to_one_patch() -> None:
    assert waveform_to_patches(np.zeros(10, dtype=np.float32)).shape == (1, PATCH_FRAMES, 64)


@pytest.mark.parametrize("block", [1000, 7919, 48_000, 200_000])
def test_streaming_equals_whole_signal(block: int) -> None:
    signal = noise(23.37, seed=3)
    whole = waveform_to_patches(signal)
    blocks = [signal[i : i + block] for i in range(0, signal.size, block)]
    streamed = np.concatenate(list(stream_patches(blocks, patches_per_chunk=8)))
    assert streamed.shape == whole.shape
    np.testing.assert_allclose(streamed, whole, atol=1e-4)


def test_features_are_deterministic(extractor: AudioFeatureExtractor, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", noise(3.0) + tone(500.0, 3.0, amp=0.1))
    first, second = extractor.from_file(path), extractor.from_file(path)
    assert first.shape == (FEATURE_DIM,)
    np.testing.assert_array_equal(first, second)


def _chord(sr: int, seconds: float = 4.0, freqs: tuple[float, ...] = (440.0, 1250.0, 3100.0)) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 0.7 * t)
    return (0.2 * envelope * sum(np.sin(2 * np.pi * f * t) for f in freqs)).astype(np.float32)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_resampled_input_gives_nearly_the_same_features(extractor: AudioFeatureExtractor, tmp_path: Path) -> None:
    f16 = extractor.from_file(write_wav(tmp_path / "a16.wav", _chord(16_000), 16_000))
    f44 = extractor.from_file(write_wav(tmp_path / "a44.wav", _chord(44_100), 44_100))
    f48 = extractor.from_file(write_wav(tmp_path / "a48.wav", _chord(48_000), 48_000))
    other = extractor.from_file(write_wav(tmp_path / "b16.wav", _chord(16_000, freqs=(200.0, 5000.0)), 16_000))
    assert _cos(f16, f44) > 0.99 and _cos(f16, f48) > 0.99
    assert _cos(f16, other) < _cos(f16, f44) - 0.05


def test_stereo_with_equal_channels_equals_mono(extractor: AudioFeatureExtractor, tmp_path: Path) -> None:
    mono = noise(2.0, seed=5)
    f_mono = extractor.from_file(write_wav(tmp_path / "m.wav", mono, 22_050))
    f_stereo = extractor.from_file(write_wav(tmp_path / "s.wav", np.stack([mono, mono], axis=1), 22_050))
    np.testing.assert_allclose(f_mono, f_stereo, atol=1e-3)


def test_in_memory_stereo_any_layout(extractor: AudioFeatureExtractor) -> None:
    mono = noise(1.5, seed=6)
    a = extractor.from_waveform(np.stack([mono, mono]), 16_000)  # (channels, frames)
    b = extractor.from_waveform(np.stack([mono, mono], axis=1), 16_000)  # (frames, channels)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_very_short_file(extractor: AudioFeatureExtractor, tmp_path: Path) -> None:
    features = extractor.from_file(write_wav(tmp_path / "click.wav", tone(1000.0, 0.02), 48_000))
    assert features.shape == (FEATURE_DIM,) and np.all(np.isfinite(features))


def test_long_file_streams_in_blocks(extractor: AudioFeatureExtractor, tmp_path: Path) -> None:
    path = tmp_path / "long.flac"
    sf.write(str(path), noise(95.0, sr=22_050, seed=9), 22_050)
    blocks = list(iter_blocks_16k(path, block_seconds=10.0))
    assert len(blocks) >= 9 and max(b.size for b in blocks) <= 10 * 16_000 + 1000
    assert abs(sum(b.size for b in blocks) - 95 * 16_000) < 200
    assert np.all(np.isfinite(extractor.from_file(path)))


def test_loudness_features_track_level(extractor: AudioFeatureExtractor) -> None:
    loud = extractor.from_16k(noise(3.0, amp=0.3))
    quiet = extractor.from_16k(noise(3.0, amp=0.03))
    assert loud[1024:1034].mean() > quiet[1024:1034].mean()


@pytest.mark.parametrize(
    "content",
    [b"", b"RIFF\x00\x00\x00\x00WAVEfmt garbage", bytes(range(256)) * 40],
    ids=["empty", "truncated-header", "random-bytes"],
)
def test_corrupt_files_raise_a_clear_error(extractor: AudioFeatureExtractor, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioDecodeError, match="bad.wav"):
        extractor.from_file(path)


def test_missing_file_and_folder_raise(tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError):
        load_audio_16k(tmp_path / "nope.wav")
    (tmp_path / "dir.wav").mkdir()
    with pytest.raises(AudioDecodeError, match="folder"):
        load_audio_16k(tmp_path / "dir.wav")


def test_zero_frame_wav_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    sf.write(str(path), np.zeros(0, dtype=np.float32), 16_000)
    with pytest.raises(AudioDecodeError, match="no audio"):
        load_audio_16k(path)
