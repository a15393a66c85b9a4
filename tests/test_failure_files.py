"""Failure cases of odd files (issue 15): FIFOs, bad queries, clear messages, escaped names."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.errors import QueryFileError
from tests.helpers import write_wav
from tests.library_helpers import clip, make_clips, service

ROOT = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and byte file names are POSIX")


def run_with_deadline(fn, seconds: float = 20.0):
    """Run fn in a thread; fail (instead of hanging the suite) if it does not return in time."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn} hung for {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def run_cli(tmp_path, heads_path, *args, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """main.py in its own process, so that a hang fails the test instead of hanging the suite
    (a blocked open() inside libsndfile holds the GIL)."""
    env = os.environ | {"NUDGE_HEADS": str(heads_path)}
    cmd = [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), *map(str, args)]
    try:
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"main.py {' '.join(map(str, args))} hung for {timeout} s") from exc


@posix_only
def test_fifo_in_library_is_recorded_not_opened(tmp_path, heads_path):
    make_clips(tmp_path / "lib", 1)
    os.mkfifo(tmp_path / "lib" / "y.wav")
    done = run_cli(tmp_path, heads_path, "index", tmp_path / "lib")
    assert done.returncode == 0 and "1 added" in done.stdout and "1 failed" in done.stdout, done.stderr
    failures = run_cli(tmp_path, heads_path, "status", "--failures").stdout
    assert "y.wav" in failures and "not a regular file" in failures and "FIFO" in failures


@posix_only
def test_fifo_as_query_or_waveform_is_refused(tmp_path, heads_path, encoder):
    make_clips(tmp_path / "lib", 2)
    fifo = tmp_path / "q.wav"
    os.mkfifo(fifo)
    run_cli(tmp_path, heads_path, "index", tmp_path / "lib")
    done = run_cli(tmp_path, heads_path, "search", "--query", fifo)
    assert done.returncode == 1 and "not a regular file" in done.stderr
    svc = service(tmp_path, encoder)  # no hang possible any more: the file is never opened
    with pytest.raises(QueryFileError, match="not a regular file"):
        run_with_deadline(lambda: svc.waveform_peaks(fifo))


def bad_queries(folder) -> dict:
    """Query files that must be refused -> words the message must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    nan = clip(1)
    nan[100:200] = np.nan
    sf.write(folder / "nan.wav", nan, 16_000, subtype="FLOAT")
    inf = clip(2)
    inf[5] = np.inf
    sf.write(folder / "inf.wav", inf, 16_000, subtype="FLOAT")
    write_wav(folder / "silent.wav", np.zeros(16_000, dtype=np.float32))
    write_wav(folder / "one.wav", np.array([0.5], dtype=np.float32))
    return {"nan.wav": "NaN or infinite", "inf.wav": "NaN or infinite", "silent.wav": "silent",
            "one.wav": "ms of audio; at least 4 ms are needed"}


def test_bad_audio_is_refused_as_query_with_a_clear_message(tmp_path, encoder):
    make_clips(tmp_path / "lib", 3)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    for name, words in bad_queries(tmp_path / "q").items():
        with pytest.raises(QueryFileError, match=words):
            svc.search(tmp_path / "q" / name)


def test_json_output_is_valid_even_for_a_bad_query(tmp_path, heads_path, monkeypatch, capsys):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    make_clips(tmp_path / "lib", 3)
    bad_queries(tmp_path / "q")

    def cli(*args):
        return main(["--data-dir", str(tmp_path / "data"), *map(str, args)])

    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "q" / "nan.wav", "--json") == 1
    out = json.loads(capsys.readouterr().out)  # bare NaN would not parse
    assert "NaN or infinite" in out["error"]
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--json") == 0
    assert all(np.isfinite(r["score"]) for r in json.loads(capsys.readouterr().out)["results"])


def test_bad_audio_in_the_library_is_recorded_with_its_reason(tmp_path, encoder):
    expected = bad_queries(tmp_path / "lib")
    make_clips(tmp_path / "lib", 1)
    svc = service(tmp_path, encoder)
    report = svc.import_folders([tmp_path / "lib"])
    assert (report.added, report.failed) == (1, len(expected))
    errors = {r.path.name: r.error for r in svc.failures()}
    for name, words in expected.items():
        assert words in errors[name], errors[name]


def test_bad_mp3_and_vanished_file_messages(tmp_path, encoder, monkeypatch):
    lib = tmp_path / "lib"
    make_clips(lib, 1)
    (lib / "bad.mp3").write_bytes(b"ID3" + np.random.default_rng(0).bytes(4000))
    (lib / "gone.wav").write_bytes((lib / "clip_000.wav").read_bytes())
    from app import indexer

    real = indexer.extract_all

    def delete_then_extract(paths, *args, **kwargs):
        os.unlink(lib / "gone.wav")  # deleted between the scan and its decoding
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(indexer, "extract_all", delete_then_extract)
    svc = service(tmp_path, encoder)
    report = svc.import_folders([lib])
    errors = {r.path.name: r.error for r in svc.failures()}
    assert "possibly a pipe" not in errors["bad.mp3"] and "not a valid .mp3 file" in errors["bad.mp3"]
    assert "gone.wav" not in errors  # gone, not bad: not recorded, said
    assert report.failed == 1 and any(w.startswith("1 file vanished during the import") for w in report.warnings)


@posix_only
def test_control_characters_in_names_are_escaped_in_cli_output(tmp_path, heads_path, monkeypatch, capsys):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    lib = tmp_path / "lib"
    make_clips(lib, 2)
    os.rename(lib / "clip_001.wav", lib / "evil\x1b[2J\x1b]0;title\x07\nname.wav")
    (lib / "bad\x1b[31m.wav").write_bytes(b"garbage" * 20)

    def cli(*args):
        return main(["--data-dir", str(tmp_path / "data"), *map(str, args)])

    assert cli("index", lib) == 0
    assert cli("search", "--query", lib / "clip_000.wav") == 0
    assert cli("status", "--failures") == 0
    captured = capsys.readouterr()
    for text in (captured.out, captured.err):
        assert "\x1b" not in text and "\x07" not in text
    assert "evil\\x1b[2J" in captured.out and "\\nname.wav" in captured.out and "bad\\x1b[31m.wav" in captured.out


@pytest.mark.skipif(sys.platform != "linux", reason="POSIX modes")
def test_data_dir_and_files_are_private(tmp_path, encoder):
    make_clips(tmp_path / "lib", 2)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    svc.waveform_peaks(tmp_path / "lib" / "clip_000.wav")
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.iterdir() if p.is_file()]
    assert len(files) >= 3  # database, vectors, lock
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
