"""Copying files out (export_files): a folder that cannot be written to is said once, a file that cannot be read is
named as the source of the failure, a copy cut short (full disk) never stays under the real name, and a folder that
vanishes midway stops the export with what was done."""

from __future__ import annotations

import errno
import shutil
import tempfile

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
