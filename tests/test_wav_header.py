"""model.wav_header: a WAV cut short is told from a complete one, and odd headers are left alone."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from model.wav_header import cut_short, cut_short_note


@pytest.fixture
def wav(tmp_path):
    path = tmp_path / "take.wav"
    sf.write(path, np.zeros(16_000 * 4, dtype=np.float32), 16_000, subtype="PCM_16")  # 4 s
    return path


def test_a_complete_wav_is_not_cut(wav):
    assert cut_short(wav) is None and cut_short_note(wav, "take.wav") is None


def test_a_wav_cut_short_says_what_it_promised_and_holds(wav, tmp_path):
    data = wav.read_bytes()
    cut = tmp_path / "cut.WAV"
    cut.write_bytes(data[: 44 + 32_000])  # the header and 1 s of 16-bit mono audio
    assert cut_short(cut) == pytest.approx((4.0, 1.0))
    note = cut_short_note(cut, "cut.WAV")
    assert note.startswith("cut.WAV is cut short") and "promises 4.0 s" in note and "holds 1.0 s" in note


def test_other_files_and_odd_headers_are_not_known_to_be_cut(wav, tmp_path):
    data = wav.read_bytes()
    other = tmp_path / "cut.flac"
    other.write_bytes(data[:1000])
    streamed = tmp_path / "streamed.wav"  # a size left open by a streaming writer promises nothing
    streamed.write_bytes(data[:40] + b"\xff\xff\xff\xff" + data[44:1000])
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00")
    for path in (other, streamed, junk, tmp_path / "absent.wav"):
        assert cut_short(path) is None, path.name


def test_a_few_milliseconds_left_are_not_said_as_nothing(wav, tmp_path):
    cut = tmp_path / "cut.wav"
    cut.write_bytes(wav.read_bytes()[: 44 + 960])  # 30 ms of 16-bit mono at 16 kHz
    assert "holds 0.03 s" in cut_short_note(cut, "cut.wav")
