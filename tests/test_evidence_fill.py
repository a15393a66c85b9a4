"""A rescan keeps the per-patch evidence of short files imported before it was kept (app.indexer.fill_evidence), so
an older library's first searches with words do not run YAMNet on each result: with progress, cancellable and
committed in batches, off with the reranking, never for long takes or files changed since the scan."""

from __future__ import annotations

import threading

import pytest

import app.indexer
from app.config import IndexConfig
from app.db_blocks import path_key
from app.indexer import EVIDENCE_STAGE, Importer
from app.service import SearchService
from tests.helpers import write_wav
from tests.library_helpers import clip

SHORT = ("a", "b", "c", "d", "e")


@pytest.fixture
def old_library(tmp_path, encoder):
    """Five short clips and a 90 s take (windows, never read whole), imported, then their kept evidence dropped: a
    library from before the evidence was kept."""
    for i, name in enumerate(SHORT):
        write_wav(tmp_path / "lib" / f"{name}.wav", clip(i, 2.0))
    write_wav(tmp_path / "lib" / "long_take.wav", clip(9, 90.0))

    def service(**config) -> SearchService:
        return SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0, **config))

    with service() as svc:
        svc.import_folders([tmp_path / "lib"])
        assert _kept(svc) == set(_short_keys(tmp_path))  # the import keeps it; the take has none
        with svc.db.transaction() as conn:
            conn.execute("DELETE FROM patch_evidence")
    return tmp_path, service


def _kept(svc: SearchService) -> set[bytes]:
    return {row[0] for row in svc.db.conn.execute("SELECT path FROM patch_evidence")}


def _short_keys(tmp_path) -> list[bytes]:
    return [path_key(tmp_path / "lib" / f"{name}.wav") for name in SHORT]


def test_a_rescan_keeps_the_missing_evidence_with_progress(old_library, monkeypatch):
    tmp_path, service = old_library
    seen = []
    with service() as svc:
        report = svc.import_folders(None, progress=seen.append)
        assert _kept(svc) == set(_short_keys(tmp_path))
        assert report.evidence_filled == 5 and not report.cancelled and report.unchanged == 6
        stages = [p for p in seen if p.stage == EVIDENCE_STAGE]
        assert [(p.done, p.total) for p in stages] == [(i, 5) for i in range(1, 6)]

        def no_yamnet(*args):
            raise AssertionError("YAMNet ran for evidence the rescan kept")

        monkeypatch.setattr("app.rerank.whole_file_evidence", no_yamnet)
        svc._rerank.cache.clear()
        assert svc.search(tmp_path / "lib" / "a.wav", "make it louder", top_k=3)
        again = svc.import_folders(None, progress=seen.append)  # nothing left to fill
        assert again.evidence_filled == 0


def test_nothing_is_filled_with_the_reranking_off(old_library):
    _, service = old_library
    with service(aligned_rerank=False) as svc:
        report = svc.import_folders(None)
        assert report.evidence_filled == 0 and _kept(svc) == set()


def test_a_cancelled_fill_keeps_what_it_read_and_the_next_rescan_ends_it(old_library, monkeypatch):
    tmp_path, service = old_library
    monkeypatch.setattr(app.indexer, "EVIDENCE_BATCH", 2)
    cancel = threading.Event()

    def progress(p) -> None:
        if p.stage == EVIDENCE_STAGE and p.done == 3:
            cancel.set()

    with service() as svc:
        report = svc.import_folders(None, progress=progress, cancel=cancel)
        assert report.cancelled and report.evidence_filled == 3
        assert _kept(svc) == set(_short_keys(tmp_path)[:3])  # two batches: the first whole, the second cut short
        assert svc.import_folders(None).evidence_filled == 2
        assert _kept(svc) == set(_short_keys(tmp_path))


def test_a_file_changed_since_the_scan_is_left_for_the_next_import(old_library):
    tmp_path, service = old_library
    with service() as svc:
        write_wav(tmp_path / "lib" / "b.wav", clip(7, 3.0))  # edited after the library last saw it
        kept = Importer(svc.db, svc.data_dir, svc.encoder, svc.config).fill_evidence()
        assert kept == 4 and path_key(tmp_path / "lib" / "b.wav") not in _kept(svc)
        svc.import_folders(None)  # the rescan reads it (the import keeps its evidence)
        assert path_key(tmp_path / "lib" / "b.wav") in _kept(svc)
