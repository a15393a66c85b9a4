"""A region of a file written as a new WAV: the source's rate, channels and encoding, the range's length,
short fades where it cuts the sound, never an overwrite; the drag-out file is reused for the same range."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from app.errors import QueryFileError
from app.export import FADE_SECONDS, drag_region_file, export_region, region_subtype


def _stereo_take(path, seconds: float = 3.0, sr: int = 44_100, subtype: str = "PCM_24"):
    t = np.arange(int(seconds * sr)) / sr
    # a constant level (DC-free square-ish signal) so the fades are easy to read off the envelope
    left = 0.5 * np.sign(np.sin(2 * np.pi * 100 * t) + 1e-9)
    right = 0.25 * np.ones_like(t)
    sf.write(str(path), np.stack([left, right], axis=1).astype(np.float32), sr, subtype=subtype)
    return path


def test_region_keeps_rate_channels_depth_length_and_fades(tmp_path):
    source = _stereo_take(tmp_path / "take.wav")
    out = export_region(source, 1.0, 2.5, tmp_path / "out")
    assert out.name == "take_00m01.0s-00m02.5s.wav" and out.parent == tmp_path / "out"
    info = sf.info(str(out))
    assert (info.samplerate, info.channels, info.subtype, info.format) == (44_100, 2, "PCM_24", "WAV")
    data, _ = sf.read(str(out), dtype="float32")
    original, _ = sf.read(str(source), start=44_100, stop=int(2.5 * 44_100), dtype="float32")
    assert len(data) == len(original) == int(1.5 * 44_100)
    fade = int(round(FADE_SECONDS * 44_100))
    middle = slice(fade, len(data) - fade)
    np.testing.assert_allclose(data[middle], original[middle], atol=1e-6)  # untouched between the fades
    right = data[:, 1]
    assert abs(right[0]) < 0.01 and abs(right[-1]) < 0.01  # starts and ends near silence: no click
    assert np.all(np.diff(right[:fade]) > 0) and np.all(np.diff(right[-fade:]) < 0)  # ramps in and out
    assert right[fade] == pytest.approx(0.25, abs=1e-4)
    # a second export of the same range never overwrites the first
    again = export_region(source, 1.0, 2.5, tmp_path / "out")
    assert again.name == "take_00m01.0s-00m02.5s-2.wav" and out.is_file()
    assert not list((tmp_path / "out").glob(".*.part"))


def test_region_to_the_end_has_no_fade_out_and_float_stays_float(tmp_path):
    source = _stereo_take(tmp_path / "float.wav", seconds=2.0, sr=48_000, subtype="FLOAT")
    out = export_region(source, 1.5, None, tmp_path)
    info = sf.info(str(out))
    assert (info.samplerate, info.channels, info.subtype) == (48_000, 2, "FLOAT")
    data, _ = sf.read(str(out), dtype="float32")
    assert len(data) == 24_000 and data[-1, 1] == pytest.approx(0.25)  # the file's own end: not faded
    whole = export_region(source, 0.0, None, tmp_path)  # the whole file: no cut, no fade
    np.testing.assert_array_equal(sf.read(str(whole), dtype="float32")[0], sf.read(str(source), dtype="float32")[0])


def test_subtypes_and_bad_ranges(tmp_path):
    assert [region_subtype(s) for s in ("PCM_16", "PCM_24", "FLOAT", "VORBIS", "MPEG_LAYER_III", "ALAC_20",
                                        "PCM_S8", "ULAW", "DOUBLE")] == [
        "PCM_16", "PCM_24", "FLOAT", "FLOAT", "FLOAT", "PCM_24", "PCM_16", "PCM_16", "DOUBLE"]
    source = _stereo_take(tmp_path / "take.wav", seconds=1.0)
    for start, end in ((0.8, 0.2), (-1.0, 0.5), (5.0, 6.0), (float("nan"), 1.0)):
        with pytest.raises(QueryFileError):
            export_region(source, start, end, tmp_path / "out")
    with pytest.raises(QueryFileError):
        export_region(tmp_path / "missing.wav", 0.0, 1.0, tmp_path / "out")


def test_drag_file_is_written_once_per_range(tmp_path):
    source = _stereo_take(tmp_path / "take.wav")
    cache = tmp_path / "drag"
    first = drag_region_file(source, 0.5, 1.5, cache)
    assert first.name == "take_00m00.5s-00m01.5s.wav" and sf.info(str(first)).frames == 44_100
    assert drag_region_file(source, 0.5, 1.5, cache) == first  # the same drag again: reused
    other = drag_region_file(source, 0.5, 2.0, cache)
    assert other != first and len(list(cache.glob("*/*.wav"))) == 2


def test_bench_region_runs(capsys):
    from bench.bench_region import main

    assert main(["--minutes", "3", "--rate", "8000", "--channels", "1", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "drag-out file of a 10 s moment" in out and "s of audio per second" in out


def test_a_full_disk_is_said_and_leaves_no_part_file(tmp_path, monkeypatch):
    """libsndfile says only "System error." for a full disk; the export said "Export failed: System error." and left
    its hidden part file in the user's folder."""
    import shutil
    from collections import namedtuple

    from app.errors import LibraryError

    source = _stereo_take(tmp_path / "take.wav")
    usage = namedtuple("usage", "total used free")

    def full(self, data):
        raise sf.LibsndfileError(2, "Error : ")

    monkeypatch.setattr(sf.SoundFile, "write", full)
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: usage(10 << 20, 10 << 20, 0))
    out = tmp_path / "out"
    with pytest.raises(LibraryError, match="cannot write the region to .*out: no space left on the disk"):
        export_region(source, 0.5, 2.0, out)
    assert list(out.iterdir()) == []
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: usage(10 << 20, 0, 10 << 20))
    with pytest.raises(LibraryError, match="the sound could not be written"):  # another write failure: its words
        drag_region_file(source, 0.5, 2.0, tmp_path / "drag")
    assert [p for p in (tmp_path / "drag").rglob("*") if p.is_file()] == []
