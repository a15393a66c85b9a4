"""Reliability corpus (issue 15): odd files generated here, imported through the process pool.

Summary assertion: every sound file is either indexed or recorded with a reason, nothing hangs
(a per-file decode timeout and a deadline on the whole import), nothing crashes; then every file is
tried as a query and as a waveform, which either works or raises QueryFileError.
"""

from __future__ import annotations

import json
import math
import os
import socket
import struct
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.errors import QueryFileError
from app.scan import AUDIO_EXTENSIONS, UNSUPPORTED_AUDIO_EXTENSIONS
from tests.library_helpers import clip, service
from tests.test_failure_files import run_with_deadline

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, sockets and byte names")

# format written with soundfile -> extension
WRITABLE = {"WAV": ".wav", "FLAC": ".flac", "OGG": ".ogg", "AIFF": ".aiff", "AU": ".au", "CAF": ".caf",
            "W64": ".w64", "RF64": ".rf64", "MP3": ".mp3", "VOC": ".voc", "IRCAM": ".sf", "NIST": ".nist",
            "PAF": ".paf", "SVX": ".svx", "MAT5": ".mat", "XI": ".xi", "HTK": ".htk", "AVR": ".avr",
            "WVE": ".wve", "PVF": ".pvf", "SD2": ".sd2"}


def write_valid(path, fmt: str) -> bool:
    """A short real file in this format (False if libsndfile cannot write it here)."""
    x = clip(7, 0.5, 8_000)
    subtype = {"MP3": "MPEG_LAYER_III", "OGG": "VORBIS", "XI": "DPCM_16", "WVE": "ALAW", "HTK": "PCM_16"}.get(fmt)
    try:
        sf.write(path, x, 8_000, format=fmt, subtype=subtype)
    except Exception:  # noqa: BLE001 - not every build writes every format
        return False
    return True


def wav_header(frames: int, data_bytes: int, sr: int = 16_000) -> bytes:
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, sr, 2 * sr,
            2, 16) + b"data" + struct.pack("<I", frames * 2))


def build_corpus(root) -> dict[str, str]:
    """Creates the corpus under root/lib; returns display name -> 'regular' | 'special' (never a sound)."""
    lib = root / "lib"
    lib.mkdir(parents=True)
    rng = np.random.default_rng(15)
    made: dict[str, str] = {}

    def put(name: str | bytes, data: bytes) -> None:
        path = os.path.join(os.fsencode(lib), os.fsencode(name))
        with open(path, "wb") as f:
            f.write(data)
        made[os.fsdecode(name)] = "regular"

    for ext in sorted(AUDIO_EXTENSIONS | UNSUPPORTED_AUDIO_EXTENSIONS):
        put(f"garbage{ext}", rng.bytes(3000))
        put(f"empty{ext}", b"")
    for fmt, ext in WRITABLE.items():
        valid = lib / f"valid_{fmt.lower()}{ext}"
        if not write_valid(valid, fmt):
            continue
        data = valid.read_bytes()
        made[valid.name] = "regular"
        put(f"half_{fmt.lower()}{ext}", data[: len(data) // 2])
        put(f"head_{fmt.lower()}{ext}", data[:40])
    sf.write(lib / "one_sample.wav", np.array([0.3], np.float32), 16_000)
    sf.write(lib / "silent.wav", np.zeros(16_000, np.float32), 16_000)
    nan = clip(3)
    nan[::7] = np.nan
    sf.write(lib / "nan_float.wav", nan, 16_000, subtype="FLOAT")
    made.update({"one_sample.wav": "regular", "silent.wav": "regular", "nan_float.wav": "regular"})
    pcm = (clip(4) * 20_000).astype("<i2").tobytes()
    put("lies_frames.wav", wav_header(2**31 - 1, len(pcm)) + pcm)  # header promises ~37 hours
    put("lies_riff.wav", wav_header(len(pcm) // 2, 2**32 - 100) + pcm)
    with open(lib / "sparse_huge.wav", "wb") as f:  # 256 MB, mostly holes, no header
        f.truncate(256 << 20)
    made["sparse_huge.wav"] = "regular"
    good = (lib / "valid_wav.wav").read_bytes()
    for name in ("with space.wav", "ünïcödé ♪.wav", b"latin1-\xe9\xff.wav", "-leading-dash.wav",
                 "new\nline.wav", "esc\x1b[31mred\x1b[0m.wav", "bell\x07.wav"):
        put(name, good)
    os.symlink("loop_b.wav", lib / "loop_a.wav")
    os.symlink("loop_a.wav", lib / "loop_b.wav")
    os.symlink("nowhere.wav", lib / "dangling.wav")
    os.symlink("valid_wav.wav", lib / "link_to_valid.wav")
    made.update({"loop_a.wav": "special", "loop_b.wav": "special", "dangling.wav": "special",
                 "link_to_valid.wav": "regular"})
    os.mkfifo(lib / "fifo.wav")
    made["fifo.wav"] = "special"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.fsdecode(lib / "socket.wav"))
    sock.close()
    made["socket.wav"] = "special"
    (lib / "dir.wav").mkdir()  # a folder with a sound name is walked, not read
    (lib / "dir.wav" / "inside.wav").write_bytes(good)
    made["inside.wav"] = "regular"
    return made


def test_reliability_corpus(tmp_path, encoder):
    made = build_corpus(tmp_path)
    svc = service(tmp_path, encoder, workers=2, in_process_below=0, decode_timeout=20.0)
    started = time.monotonic()
    report = run_with_deadline(lambda: svc.import_folders([tmp_path / "lib"]), 240.0)
    seconds = time.monotonic() - started
    records = {r.path.name: r for r in svc.list_files()}

    links = [(a.name, b.name) for a, b in report.links]
    assert links == [("link_to_valid.wav", "valid_wav.wav")]  # one file reached by two paths is imported once
    unaccounted = sorted(set(made) - set(records) - {a for a, _ in links})
    assert not unaccounted, f"not indexed and not recorded: {unaccounted}"
    for name, record in records.items():
        assert record.status in ("ok", "failed"), (name, record.status)
        if record.status == "failed":
            assert record.error and len(record.error) > 20, (name, record.error)
            assert "Traceback" not in record.error and "possibly a pipe" not in record.error
    ok = sorted(n for n, r in records.items() if r.status == "ok")
    failed = {n: r.error for n, r in records.items() if r.status == "failed"}
    assert report.added == len(ok) and report.failed == len(failed)
    for name in ("fifo.wav", "socket.wav"):
        assert "not a regular file" in failed[name]
    assert "symbolic link loop" in failed["loop_a.wav"] and "does not exist" in failed["dangling.wav"]
    for name in ("one_sample.wav", "silent.wav", "nan_float.wav", "empty.wav", "garbage.mp3", "sparse_huge.wav"):
        assert name in failed, name
    for name in ("valid_wav.wav", "with space.wav", "latin1-\udce9\udcff.wav", "-leading-dash.wav", "new\nline.wav",
                 "esc\x1b[31mred\x1b[0m.wav", "inside.wav", "lies_frames.wav"):
        assert name in ok, (name, failed.get(name))
    print(f"\ncorpus: {len(records)} files, {len(ok)} indexed, {len(failed)} failed, import {seconds:.1f} s")

    # every file as a query and as a waveform: works, or a QueryFileError; scores are finite
    for path in sorted((tmp_path / "lib").rglob("*")):
        if path.is_dir():
            continue
        try:
            results = run_with_deadline(lambda p=path: svc.search(p, top_k=3), 30.0)
            assert all(math.isfinite(r.score) for r in results), path
        except QueryFileError as exc:
            assert str(exc) and "Traceback" not in str(exc)
        try:
            peaks = run_with_deadline(lambda p=path: svc.waveform_peaks(p, 64), 30.0)
            assert peaks.shape == (64, 2) and np.all(np.isfinite(peaks))
        except QueryFileError as exc:
            assert str(exc)
    svc.close()


def test_corpus_status_output_is_clean(tmp_path, heads_path, monkeypatch, capsys):
    build_corpus(tmp_path)
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "index", str(tmp_path / "lib"), "--workers", "0"]) == 0
    assert main(["--data-dir", data, "status", "--failures"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07")
    assert main(["--data-dir", data, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["indexed"] > 10 and status["failed"] > 40
