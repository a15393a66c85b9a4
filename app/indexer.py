"""Import: scan folders, extract features in a process pool, project and store in small transactions.

Each commit first appends and fsyncs the batch's vectors, then commits the rows that point at
them in one SQLite transaction. Killed at any moment, the library holds exactly the files of
the committed batches, and the next import carries on with the rest.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.db import LibraryDB
from app.db_blocks import path_key
from app.embed_pool import Extracted, extract_all, read_header
from app.errors import LibraryError, describe_path
from app.import_lock import import_lock
from app.metadata import FileMeta, read_metadata
from app.same_audio import same_audio
from app.scan import Candidate, plan_import
from app.vectors import (
    VectorStore,
    append_classes,
    checksum,
    compact,
    damaged_rows,
    open_store,
    remove_stale_stores,
    unused_share,
)
from model.segments import SEGMENT_LAYOUT

log = logging.getLogger(__name__)
EVIDENCE_STAGE = "evidence"
EVIDENCE_BATCH = 50  # files per transaction of the evidence fill (a kill loses at most these)


@dataclass
class ImportProgress:
    done: int
    total: int
    current: str  # printable path of the file just finished
    failed: int
    stage: str = "import"  # or EVIDENCE_STAGE: after the import, older files read whole for the reranking


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    missing: int = 0
    moved: int = 0  # known files found renamed or moved: their stars, tags and vectors followed them
    restored: int = 0  # files missing at an earlier import, there again (unchanged)
    still_failed: int = 0  # files that failed before, unchanged since (not tried again)
    still_missing: int = 0  # files missing at an earlier import and still not there (``missing``: newly missing)
    cancelled: bool = False
    missing_folders: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    damaged: int = 0  # stored vectors found damaged (non-finite, not unit, checksum mismatch): re-embedded
    extract_cpu_seconds: float = 0.0  # CPU time of decoding + features, summed over workers
    evidence_filled: int = 0  # older files read whole whose per-patch evidence was read after the import
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # (old path, new path) of the files ``moved``
    links: list[tuple[Path, Path]] = field(default_factory=list)  # (path left out, path imported): one file, reached
    # by a symbolic or hard link too, is imported once (app.scan.leave_out_links)

    def counts_text(self) -> str:
        """"3 added, 0 updated, 5 unchanged, 0 failed, 1 missing" for the scanned folders as they are now (failed
        and missing include those of earlier imports), with the moves and the files found again when any."""
        moved = f", {self.moved} renamed or moved (stars and tags kept)" if self.moved else ""
        back = f", {self.restored} found again" if self.restored else ""
        links = (f", {len(self.links)} {'link' if len(self.links) == 1 else 'links'} to a file imported under "
                 "another path left out" if self.links else "")
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged{moved}{back}{links}, "
                f"{self.failed + self.still_failed} failed, {self.missing + self.still_missing} missing")


class Importer:
    """Runs one import against a database, a model encoder and the current vector store."""

    def __init__(self, db: LibraryDB, data_dir: Path, encoder, config: IndexConfig | None = None):
        self.db = db
        self.data_dir = Path(data_dir)
        self.encoder = encoder
        self.config = config or IndexConfig()

    def run(
        self,
        folders: list[Path],
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        started = time.perf_counter()
        with import_lock(self.data_dir):
            store = open_store(self.db, self.data_dir, self.encoder.version, self.encoder.embed_dim)
            damaged = self._forget_damaged(store)
            report = self._run(folders, store, progress, cancel)
            report.damaged = damaged
            if not report.cancelled:
                remove_stale_stores(self.db, self.data_dir)
                if unused_share(self.db, store) > self.config.compact_above:
                    compact(self.db, store)
        report.seconds = time.perf_counter() - started
        return report

    def _forget_damaged(self, store: VectorStore) -> int:
        """Verify the stored vectors; files whose vector is damaged are planned for re-embedding."""
        bad = damaged_rows(self.db, store)
        if not bad:
            return 0
        with self.db.transaction() as conn:
            files = self.db.forget_vectors(conn, store.version, rows=bad)
            self.db.bump_generation(conn)
        log.warning("%d damaged vectors in %s (%d files): they are embedded again", len(bad), store.filename, files)
        return files

    def _run(self, folders, store: VectorStore, progress, cancel) -> ImportReport:
        plan = plan_import(self.db, folders, self.encoder.version)
        report = ImportReport(
            unchanged=plan.count("unchanged"),
            restored=plan.count("restored"),
            still_failed=plan.count("still_failed"),
            still_missing=len(set(plan.still_missing_ids)),
            moved=len(plan.moves),
            moves=[(Path(os.fsdecode(m.old_key)), Path(m.new_path)) for m in plan.moves],
            missing=len(plan.missing_ids),
            missing_folders=plan.missing_folders,
            warnings=plan.warnings,
            links=[(Path(a), Path(b)) for a, b in plan.links],
        )
        with self.db.transaction() as conn:
            self.db.set_status(conn, plan.missing_ids, "missing")
            self.db.set_status(conn, plan.restored_ids, "ok")
            self.db.move_files(conn, [(m.file_id, m.old_key, m.new_path) for m in plan.moves])
            self.db.drop_links(conn, plan.link_rows)  # recorded by an older import: the file is listed once
            for cand in plan.candidates:
                if cand.action == "reject":
                    self._write_failed(conn, cand, cand.error or "unreadable")
                    report.failed += 1
            self.db.bump_generation(conn)

        todo = {c.path: c for c in plan.to_embed()}
        total = len(todo)
        writer = _BatchWriter(self, store, todo, report, missing=(set(plan.missing_ids), set(plan.still_missing_ids)))
        workers = self.config.workers if total >= self.config.in_process_below else 0
        extractor = self.encoder.features if workers == 0 else None
        if progress is not None:
            progress(ImportProgress(0, total, "", report.failed))  # scan finished: the total is known
        done = 0
        results = extract_all(list(todo), workers, extractor, cancel, self.config.decode_timeout,
                              self.encoder.audio_graph)
        try:
            for result in results:
                writer.add(result)
                done += 1
                if progress is not None:
                    progress(ImportProgress(done, total, describe_path(result.path), report.failed))
                if cancel is not None and cancel.is_set():
                    break
            writer.flush()
        finally:
            results.close()  # stops the worker processes now, also on errors
        report.cancelled = done < total
        if not report.cancelled:
            self.fill_metadata(cancel)
            report.evidence_filled = self.fill_evidence(progress, cancel)
            report.cancelled = cancel is not None and cancel.is_set()
        return report

    def fill_metadata(self, cancel: threading.Event | None = None) -> int:
        """Read the metadata of files imported before it was kept (or changed since): header reads only."""
        filled = 0
        while not (cancel is not None and cancel.is_set()):
            todo = self.db.files_without_metadata(limit=200)
            if not todo:
                break
            with self.db.transaction() as conn:
                for path, size, mtime_ns in todo:
                    write_metadata(conn, path, size, mtime_ns, read_metadata(path))
            filled += len(todo)
        return filled

    def fill_evidence(self, progress: Callable[[ImportProgress], None] | None = None,
                      cancel: threading.Event | None = None) -> int:
        """Keep the per-patch evidence (app.db_evidence) of indexed files read whole that have none for this
        YAMNet graph: libraries imported before it was kept would otherwise pay it in their first searches. Off with the
        reranking. Committed every EVIDENCE_BATCH files; a file that cannot be read is skipped (searches skip it too).
        Returns how many were kept."""
        if not self.config.aligned_rerank:
            return 0
        from app.rerank import whole_file_evidence

        graph = self.encoder.audio_graph
        total = self.db.count_without_evidence(graph)
        kept = done = last_id = 0
        while total and not (cancel is not None and cancel.is_set()):
            todo = self.db.files_without_evidence(graph, last_id, EVIDENCE_BATCH)
            if not todo:
                break
            rows = []
            for file_id, key, size, mtime_ns in todo:
                if cancel is not None and cancel.is_set():
                    break
                path = Path(os.fsdecode(key))
                evidence = whole_file_evidence(self.encoder.features.backbone, path) if _unchanged(
                    path, size, mtime_ns) else None  # changed since the scan: the next import reads it
                if evidence is not None:
                    rows.append(((key, size, mtime_ns), evidence))
                last_id, done = file_id, done + 1
                if progress is not None:
                    progress(ImportProgress(min(done, total), total, describe_path(path), 0, EVIDENCE_STAGE))
            if rows:
                with self.db.transaction() as conn:
                    self.db.put_evidence(conn, rows, graph)
                kept += len(rows)
        return kept

    def install(self, folder: Path, vectors: Mapping[str, np.ndarray], version: str,
                classes: Mapping[str, np.ndarray] | None = None) -> ImportReport:
        """Store A(audio) vectors computed elsewhere (keyed by absolute path) for a folder's new or changed
        files, without a model, with their class maxima where given; files without a vector stay for the next
        import."""
        started = time.perf_counter()
        table = {os.path.abspath(k): np.asarray(v, dtype=np.float32) for k, v in vectors.items()}
        maxima = {os.path.abspath(k): np.asarray(v, dtype=np.uint8) for k, v in (classes or {}).items()}
        if not table:
            return ImportReport()
        dims = {v.shape for v in table.values()}
        if len(dims) != 1 or len(next(iter(dims))) != 1 or not all(np.isfinite(v).all() for v in table.values()):
            raise LibraryError("the vectors to install must be finite and all of one dimension")
        with import_lock(self.data_dir):
            store = open_store(self.db, self.data_dir, version, next(iter(dims))[0])
            plan = plan_import(self.db, [folder], version, find_moves=False)
            todo = {c.path: c for c in plan.to_embed() if os.path.abspath(c.path) in table}
            report = ImportReport(unchanged=plan.count("unchanged"), restored=plan.count("restored"))
            writer = _BatchWriter(self, store, todo, report, project=lambda x: x)
            for path in todo:
                writer.add(read_header(Extracted(path, table[os.path.abspath(path)],
                                                 classes=maxima.get(os.path.abspath(path)))))
            writer.flush()
        report.seconds = time.perf_counter() - started
        return report

    def _write_failed(self, conn, cand: Candidate, error: str, info: Extracted | None = None) -> None:
        header = (info.duration, info.sample_rate, info.channels) if info is not None else None
        self.db.write_failed(conn, cand.path, cand.size, cand.mtime_ns, error, header)


def _unchanged(path: Path, size: int, mtime_ns: int) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (size, mtime_ns)


def write_metadata(conn, path, size: int, mtime_ns: int, meta: FileMeta) -> None:
    LibraryDB.put_metadata(conn, path, size, mtime_ns, meta.to_row(), meta.search_text)


class _BatchWriter:
    """Collects results and commits them in batches: vectors fsynced first, then one transaction."""

    def __init__(self, importer: Importer, store: VectorStore, todo: dict[str, Candidate], report: ImportReport,
                 project: Callable[[np.ndarray], np.ndarray] | None = None,
                 missing: tuple[set[int], set[int]] = (set(), set())):
        self.importer = importer
        self.missing = missing  # files newly missing and still missing (report.missing, report.still_missing)
        self.adopted: set[int] = set()  # gone files a renamed file took over
        self.project = project or importer.encoder.project_audio  # features -> A(audio)
        self.store = store
        self.todo = todo
        self.report = report
        self.pending: list[Extracted] = []
        self.last_commit = time.monotonic()
        self.vanished = 0  # files gone between the scan and their decoding (_vanished)
        self._vanished_note = -1

    def add(self, result: Extracted) -> None:
        self.report.extract_cpu_seconds += result.cpu_seconds
        if result.error is not None and not os.path.lexists(result.path):  # gone since the scan: no bad file
            self._vanished(result.path)
            return
        self.pending.append(result)
        if result.error is not None:
            self.report.failed += 1
        if result.warning is not None:
            self.report.warnings.append(result.warning)
        cfg = self.importer.config
        if len(self.pending) >= cfg.commit_every or time.monotonic() - self.last_commit >= cfg.commit_seconds:
            self.flush()

    def _vanished(self, path: str) -> None:
        """A file gone between the scan and its decoding (its folder unplugged, moved or renamed mid-import): not
        recorded as failed (a rescan would never try it again once back); a known file is missing, as a rescan
        would find it, and the import says how many."""
        self.vanished += 1
        if self.vanished == 1:
            self.report.warnings.append("")  # filled in as the count grows (below)
            self._vanished_note = len(self.report.warnings) - 1
        self.report.warnings[self._vanished_note] = (
            f"{self.vanished} file{'s' if self.vanished > 1 else ''} vanished during the import (a folder unplugged, "
            "moved or renamed?): not recorded as failed; a rescan imports them once they are back")
        with self.importer.db.transaction() as conn:
            if self.importer.db.mark_missing(conn, [path]):
                self.report.missing += 1

    def flush(self) -> None:
        if not self.pending:
            return
        good = [r for r in self.pending if r.features is not None]
        first_row = 0
        unit = norms = np.zeros((0,))
        blocks = [np.vstack([r.features[None], _windows(r)]) for r in good]  # whole-file row, then windows
        offsets = np.cumsum([0] + [len(b) for b in blocks])
        if good:
            raw = self.project(np.concatenate(blocks))
            norms = np.linalg.norm(raw, axis=1)
            unit = (raw / np.maximum(norms, 1e-12)[:, None]).astype(np.float32)
            try:
                first_row = self.store.append(unit)
                append_classes(self.store, first_row, np.concatenate([r.class_rows(len(b)) for r, b in
                                                                      zip(good, blocks, strict=True)]))
            except OSError as exc:  # disk full, permissions: nothing committed, the index stays as it was
                raise LibraryError(
                    f"cannot write the library vectors in {describe_path(self.store.data_dir)}: "
                    f"{exc.strerror or exc}. Free some disk space (or fix the folder's permissions) and import "
                    "again: files already imported are kept.") from exc
        db = self.importer.db
        with db.transaction() as conn:
            for i, result in enumerate(good):
                self._write_ok(conn, result, first_row + int(offsets[i]), float(norms[offsets[i]]),
                               len(blocks[i]) - 1, unit[offsets[i]])
            for result in self.pending:
                if result.features is None:
                    self.importer._write_failed(conn, self.todo[result.path], result.error or "failed", result)
                if result.meta is not None:
                    cand = self.todo[result.path]
                    write_metadata(conn, cand.path, cand.size, cand.mtime_ns, result.meta)
            todo = [(self.todo[r.path], r.evidence) for r in good if r.evidence is not None]
            kept = [((path_key(c.path), c.size, c.mtime_ns), e) for c, e in todo]  # files read whole (app.db_evidence)
            if kept:
                db.put_evidence(conn, kept, self.importer.encoder.audio_graph)
            if good:
                db.set_store(conn, self.store.version, first_row + len(unit))
                db.add_checksum(conn, self.store.version, first_row, len(unit), checksum(unit))
            db.bump_generation(conn)
        if good:
            self.store.rows = first_row + len(unit)
        self.pending = []
        self.last_commit = time.monotonic()

    def _write_ok(self, conn, result: Extracted, row: int, norm: float, segments: int, whole: np.ndarray) -> None:
        cand = self.todo[result.path]
        header = (result.duration, result.sample_rate, result.channels)
        renamed = self._renamed(conn, cand, whole, result.duration) if cand.renamed_from else None
        existed = self.importer.db.write_indexed(conn, cand.path, cand.size, cand.mtime_ns, header,
                                                 self.store.version, row, norm, segments,
                                                 result.tail_start if segments else None, SEGMENT_LAYOUT)
        if result.warning is not None:  # kept: the Problems tab and status --failures show it later
            self.importer.db.set_note(conn, cand.path, result.warning)
        if existed:
            self.report.updated += 1
        elif renamed is not None:
            self.report.moved += 1
            self.report.missing -= renamed in self.missing[0]
            self.report.still_missing -= renamed in self.missing[1]
        else:
            self.report.added += 1

    def _renamed(self, conn, cand: Candidate, whole: np.ndarray, seconds: float | None) -> int | None:
        """The gone file this one is, renamed (its stored vector is the same audio's), taken over; else None."""
        db = self.importer.db
        ids = tuple(i for i in cand.renamed_from if i not in self.adopted)
        for old_id, row, old_seconds in db.renamed_candidates(conn, ids, self.store.version) if ids else []:
            if row < self.store.rows and same_audio(whole, self.store.matrix()[row], seconds, old_seconds):
                old_path = conn.execute("SELECT path FROM files WHERE id = ?", (old_id,)).fetchone()[0]
                self.report.moves.append((Path(os.fsdecode(old_path)), Path(cand.path)))
                db.adopt_file(conn, old_id, cand.path)
                self.adopted.add(old_id)
                return old_id
        return None


def _windows(result: Extracted) -> np.ndarray:
    """The window features of a result as (W, F) rows (W = 0 for short files and whole-file extractors)."""
    if result.windows is None or not len(result.windows):
        return np.zeros((0, len(result.features)), dtype=np.float32)
    return result.windows
