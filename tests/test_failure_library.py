"""Failure cases of a damaged or unusual library (issue 15): damaged vectors, truncated vector file,
SQLite corruption, disk full, a read-only library, unusable caches."""

from __future__ import annotations

import errno
import json
import math
import os
import stat

import numpy as np
import pytest

from app.cli import main
from app.db import DB_NAME
from app.errors import LibraryError
from app.service import SearchService
from tests.library_helpers import make_clips, service

N = 6


@pytest.fixture
def library(tmp_path, encoder):
    make_clips(tmp_path / "lib", N)
    svc = service(tmp_path, encoder, commit_every=3)
    assert svc.import_folders([tmp_path / "lib"]).added == N
    return svc


def vector_file(svc: SearchService):
    return svc._current_snapshot().store.path


@pytest.mark.parametrize("damage", ["nan", "random", "unit_but_changed"])
def test_damaged_vectors_are_found_and_re_embedded(library, tmp_path, damage):
    path, dim = vector_file(library), library.encoder.embed_dim
    raw = np.fromfile(path, dtype=np.float32).reshape(-1, dim)
    rng = np.random.default_rng(0)
    if damage == "nan":
        raw[1] = np.nan
    elif damage == "random":
        raw[1] = np.frombuffer(rng.bytes(dim * 4), dtype=np.float32)
    else:  # finite and unit norm, yet not what the import wrote: only the checksum sees it
        other = rng.standard_normal(dim).astype(np.float32)
        raw[1] = other / np.linalg.norm(other)
    with open(path, "r+b") as f:  # overwritten in place, same size
        f.write(raw.tobytes())
    query = tmp_path / "lib" / "clip_000.wav"
    results = library.search(query, top_k=N)
    assert all(math.isfinite(r.score) for r in results)
    report = library.import_folders()
    assert report.damaged >= 1 and report.updated >= 1  # "unchanged" before the fix
    assert report.updated + report.unchanged == N
    fresh = library.search(query, top_k=N)
    assert len(fresh) == N - 1 and all(math.isfinite(r.score) for r in fresh)
    assert library.import_folders().damaged == 0


def test_status_counts_only_files_with_a_vector(library, tmp_path, heads_path, monkeypatch, capsys):
    path, dim = vector_file(library), library.encoder.embed_dim
    with open(path, "r+b") as f:
        f.truncate(2 * dim * 4)  # two rows left
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    assert main(["--data-dir", str(tmp_path / "data"), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 2
    assert library.counts().indexed == 2 and library.counts().pending == N - 2


def test_corrupt_database_gives_a_message_not_a_traceback(library, tmp_path, heads_path, monkeypatch, capsys):
    library.close()
    db = tmp_path / "data" / DB_NAME
    for suffix in ("-wal", "-shm"):
        (tmp_path / "data" / (DB_NAME + suffix)).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page after the header: b-tree pages damaged
        data[start : start + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    for args in (["search", "--query", str(tmp_path / "lib" / "clip_000.wav")], ["index"], ["status"]):
        code = main(["--data-dir", str(tmp_path / "data"), *args])
        err = capsys.readouterr().err
        assert code == 1 and "damaged" in err and "import your folders again" in err, (args, err)


def test_disk_full_on_import_is_a_message(library, tmp_path, heads_path, monkeypatch, capsys):
    from app.vectors import VectorStore

    def full(self, unit):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(VectorStore, "append", full)
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    make_clips(tmp_path / "more", 2, start=50)
    assert main(["--data-dir", str(tmp_path / "data"), "index", str(tmp_path / "more"), "--workers", "0"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Free some disk space" in err and "Traceback" not in err


def test_cache_dir_that_is_a_file_is_a_message(tmp_path, monkeypatch):
    from model.errors import ModelFileError
    from model.yamnet import prepared_model_path

    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("NUDGE_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(ModelFileError, match="NUDGE_CACHE_DIR"):
        prepared_model_path()


def test_corrupt_yamnet_cache_is_rebuilt(tmp_path):
    from model.yamnet import YamnetBackbone, prepared_model_path

    good = prepared_model_path(tmp_path)
    good.write_bytes(b"\x08\x01garbage" * 100)  # a half-written or damaged cache file
    backbone = YamnetBackbone(threads=1, cache_dir=tmp_path)
    conv, _ = backbone.run(np.zeros((1, 96, 64), dtype=np.float32))
    assert conv.shape[0] == 1 and np.all(np.isfinite(conv))


@pytest.fixture
def read_only(monkeypatch):
    """Make the data folder unwritable; root writes anyway, so the check is patched for root."""
    made = []

    def apply(folder):
        for path in [folder, *folder.iterdir()]:
            made.append((path, stat.S_IMODE(path.stat().st_mode)))
            path.chmod(0o500 if path.is_dir() else 0o400)
        if os.geteuid() == 0:
            monkeypatch.setattr("app.db.writable", lambda f: False)

    yield apply
    for path, mode in reversed(made):
        path.chmod(mode)


def test_read_only_library_can_be_searched(library, tmp_path, encoder, read_only):
    library.close()
    read_only(tmp_path / "data")
    svc = SearchService(tmp_path / "data", encoder=encoder)
    results = svc.search(tmp_path / "lib" / "clip_000.wav", top_k=3)
    assert len(results) == 3
    assert svc.counts().indexed == N and len(svc.list_files()) == N
    assert svc.counts().read_only  # the app's counts line says so from the start (it said it only on an import)
    assert svc.waveform_peaks(tmp_path / "lib" / "clip_001.wav").shape == (800, 2)
    with pytest.raises(LibraryError, match="read-only|not writable"):
        svc.import_folders()


@pytest.mark.parametrize("sqlite_error, advice", [
    ("database disk image is malformed", "import your folders again"),
    ("database or disk is full", "free some disk space"),
    ("database is locked", "try again in a moment"),
])
def test_sqlite_errors_of_service_calls_become_advice(library, monkeypatch, sqlite_error, advice):
    import sqlite3

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError(sqlite_error)

    monkeypatch.setattr(library.db, "list_files", failing)
    with pytest.raises(LibraryError, match=advice):
        library.list_files()


def test_search_graph_that_cannot_be_saved_is_only_a_warning(tmp_path, encoder, monkeypatch):
    make_clips(tmp_path / "lib", 8)
    svc = service(tmp_path, encoder, exact_below=4)  # HNSW even for this tiny library
    svc.import_folders([tmp_path / "lib"])

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", no_space)
    for graph in (tmp_path / "data").glob("*.hnsw"):
        graph.unlink()
    svc._snapshot = None
    assert len(svc.search(tmp_path / "lib" / "clip_000.wav", top_k=3)) == 3
