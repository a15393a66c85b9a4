"""Copying files out (export_files): a folder that cannot be written to is said once, a file that cannot be read is
named as the source of the failure, a copy cut short (full disk) never stays under the real name, and a folder that
vanishes midway stops the export with what was done."""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import pytest

from app.errors import LibraryError
from app.export import export_files
from tests.library_helpers import make_clips


def test_an_unwritable_folder_is_said_once(tmp_path, monkeypatch):
    paths = make_clips(tmp_path / "lib", 3)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "out" / ".nudge-check-x"))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(LibraryError, match="cannot write into the export folder .*out: Permission denied"):
        export_files(paths, tmp_path / "out")


def test_failures_name_the_side_that_failed_and_no_cut_file_stays(tmp_path, monkeypatch):
    paths = make_clips(tmp_path / "lib", 3)
    paths[0].unlink()  # deleted since it was listed
    real_copy = shutil.copy2

    def disk_full(src, dst, **kwargs):
        if str(src).endswith("clip_002.wav"):
            with open(dst, "wb") as f:
                f.write(b"RIFF")  # a few bytes, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(src))  # sendfile names the source
        return real_copy(src, dst, **kwargs)

    monkeypatch.setattr(shutil, "copy2", disk_full)
    report = export_files(paths, tmp_path / "out")
    reasons = dict((src.name, why) for src, why in report.failed)
    assert reasons["clip_000.wav"].startswith("cannot read it: No such file")
    assert reasons["clip_002.wav"] == f"cannot write it into {tmp_path / 'out'}: No space left on device"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["clip_001.wav"]  # no cut file, no part file


def test_a_folder_gone_midway_stops_the_export(tmp_path):
    paths = make_clips(tmp_path / "lib", 3)
    out = tmp_path / "out"

    def progress(done, total, name):
        if done == 1:
            shutil.rmtree(out)

    with pytest.raises(LibraryError, match="is gone .*: 1 file\\(s\\) were copied before"):
        export_files(paths, out, progress)


def test_two_exports_into_one_folder_at_once_both_succeed(tmp_path, monkeypatch):
    """A trial pressed Ctrl+E twice: both exports wrote the same hidden part file, and the one that renamed it second
    reported "No such file or directory". Here both copy the first file at the same moment (a barrier)."""
    import os
    import threading

    sources = []
    for i in range(3):
        src = tmp_path / "src" / f"take_{i}.wav"
        src.parent.mkdir(exist_ok=True)
        src.write_bytes(os.urandom(200_000))
        sources.append(src)
    together, copy = threading.Barrier(2, timeout=10), shutil.copy2

    def copy_side_by_side(src, dst, **kwargs):
        copied = copy(src, dst, **kwargs)
        if Path(src).name == "take_0.wav":
            together.wait()  # both part files written before either is renamed
        return copied

    monkeypatch.setattr("app.export.shutil.copy2", copy_side_by_side)
    reports = []
    runs = [threading.Thread(target=lambda: reports.append(export_files(sources, tmp_path / "out"))) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert len(reports) == 2 and all(not r.failed for r in reports), [r.failed for r in reports]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["take_0.wav", "take_1.wav", "take_2.wav"]
