"""Embedding store: unit vectors as raw float32 rows in one file per model version, memory-mapped.

Crash safety comes from the write order. An append writes rows past the committed count,
flushes and fsyncs them, and only then does the caller commit the SQLite transaction that
references them and raises the committed count. Bytes beyond the committed count are the
remains of an aborted append: readers never look at them and the next writer overwrites them.
Compaction writes a new file under a new name and switches to it in one transaction.

Beside each vector file, ``<vector file>.cls`` holds each row's YAMNet class maxima (model.class_scores:
521 uint8 a row, row for row with the vectors), appended and fsynced in the same way before the same commit.
Rows it does not reach, and all-zero rows, have no class scores (a library imported before they were kept).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import zlib
from pathlib import Path

import numpy as np

from app.db import LibraryDB
from app.errors import LibraryError
from model.class_scores import CLASS_COUNT

log = logging.getLogger(__name__)
_ITEM = np.dtype(np.float32).itemsize
CLASS_SUFFIX = ".cls"


class VectorStore:
    """Committed rows [0, rows) of one model version's unit vectors."""

    def __init__(self, data_dir: Path, version: str, filename: str, dim: int, rows: int):
        self.data_dir = Path(data_dir)
        self.version = version
        self.filename = filename
        self.dim = dim
        self.rows = rows
        self._map: np.ndarray | None = None

    @property
    def path(self) -> Path:
        return self.data_dir / self.filename

    def matrix(self) -> np.ndarray:
        """Read-only (rows, dim) view of the committed vectors, memory-mapped."""
        if self.rows == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._map is None or self._map.shape[0] != self.rows:
            self._map = np.memmap(self.path, dtype=np.float32, mode="r", shape=(self.rows, self.dim))
        return self._map

    def append(self, unit: np.ndarray) -> int:
        """Write rows after the committed ones and fsync; returns the first new row (not yet committed)."""
        unit = np.ascontiguousarray(unit, dtype=np.float32)
        if unit.ndim != 2 or unit.shape[1] != self.dim:
            raise ValueError(f"expected (n, {self.dim}) vectors, got {unit.shape}")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, self.rows * self.dim * _ITEM)  # drop any aborted append
            os.lseek(fd, 0, os.SEEK_END)
            view = memoryview(unit.reshape(-1).view(np.uint8))
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        return self.rows

    def file_rows(self) -> int:
        """Complete rows physically present in the file."""
        try:
            return self.path.stat().st_size // (self.dim * _ITEM)
        except FileNotFoundError:
            return 0


def class_path(store: VectorStore) -> Path:
    """The store's class file: its rows' YAMNet class maxima, row for row."""
    return store.path.with_name(store.filename + CLASS_SUFFIX)


def append_classes(store: VectorStore, first_row: int, raw: np.ndarray) -> None:
    """Write class rows for rows [first_row, first_row + n) of the store and fsync: whatever lies from first_row
    on (an aborted append) is dropped first, rows before it the file does not reach are zero-filled (no class
    scores). Called after the vectors' append, before the commit that references them."""
    raw = np.ascontiguousarray(raw, dtype=np.uint8)
    if raw.ndim != 2 or raw.shape[1] != CLASS_COUNT:
        raise ValueError(f"expected (n, {CLASS_COUNT}) class rows, got {raw.shape}")
    fd = os.open(class_path(store), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.ftruncate(fd, first_row * CLASS_COUNT)
        os.lseek(fd, 0, os.SEEK_END)
        view = memoryview(raw.reshape(-1))
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def class_matrix(store: VectorStore) -> np.ndarray | None:
    """Read-only (n, 521) uint8 class rows of the committed rows the class file reaches (memory-mapped), or
    None when it reaches none."""
    try:
        present = class_path(store).stat().st_size // CLASS_COUNT
    except (FileNotFoundError, ValueError):  # ValueError: a store without a file name (read-only, empty)
        return None
    rows = min(present, store.rows)
    if rows <= 0:
        return None
    return np.memmap(class_path(store), dtype=np.uint8, mode="r", shape=(rows, CLASS_COUNT))


def store_filename(version: str, generation: int) -> str:
    return f"vectors-{hashlib.sha1(version.encode()).hexdigest()[:12]}-{generation}.f32"


def open_store(db: LibraryDB, data_dir: Path, version: str, dim: int, create: bool = True) -> VectorStore | None:
    """The store of a model version (created empty if asked); repairs a lost or short file."""
    row = db.vector_store(version)
    if row is None:
        if not create or db.read_only:
            return None
        db.add_vector_store(version, dim, store_filename(version, 0))
        row = db.vector_store(version)
    stored_dim, filename, rows = row
    if stored_dim != dim:
        raise LibraryError(f"vector store {filename} has dimension {stored_dim}, the model has {dim}")
    store = VectorStore(data_dir, version, filename, dim, rows)
    if store.file_rows() < rows:
        if db.read_only:
            store.rows = store.file_rows()  # search what is there; the files beyond count as pending
        else:
            _repair_short_store(db, store)
    return store


def _repair_short_store(db: LibraryDB, store: VectorStore) -> None:
    """The file lost rows (deleted, restored from an old backup): its files get re-embedded next import."""
    with db.transaction():
        # re-check under the write lock: another process may just have compacted to a new file
        _, filename, rows = db.vector_store(store.version)
        store.filename, store.rows = filename, rows
        present = store.file_rows()
        if present >= rows:
            return
        log.warning("vector file %s has %d of %d rows; affected files will be re-embedded", filename, present, rows)
        db.forget_vectors(db.conn, store.version, from_row=present)
        db.set_store(db.conn, store.version, present)
        db.bump_generation(db.conn)
    store.rows = present


def unused_share(db: LibraryDB, store: VectorStore) -> float:
    """Share of committed rows outside every file's block (replaced, removed or forgotten vectors)."""
    if store.rows == 0:
        return 0.0
    return 1.0 - db.used_rows(store.version) / store.rows


def compact(db: LibraryDB, store: VectorStore, chunk: int = 65_536) -> VectorStore:
    """Rewrite the store keeping only the files' blocks (in row order, each block kept contiguous); caller holds
    the import lock."""
    refs = db.vector_refs(store.version)  # (file id, first row, rows)
    generation = int(store.filename.rsplit("-", 1)[1].split(".")[0]) + 1
    new = VectorStore(store.data_dir, store.version, store_filename(store.version, generation), store.dim, 0)
    sizes = np.array([r[2] for r in refs], dtype=np.int64)
    new_first = np.cumsum(sizes) - sizes
    old_rows = (np.repeat(np.array([r[1] for r in refs], dtype=np.int64), sizes)
                + np.arange(sizes.sum()) - np.repeat(new_first, sizes))
    source, source_classes = store.matrix(), class_matrix(store)
    if new.path.exists():
        new.path.unlink()  # left over from an interrupted compaction
    sums = []
    for start in range(0, len(old_rows), chunk):
        picked = old_rows[start : start + chunk]
        rows = np.ascontiguousarray(source[picked])
        new.append(rows)
        append_classes(new, new.rows, class_rows(source_classes, picked))
        sums.append((new.rows, len(rows), checksum(rows)))
        new.rows += len(rows)
    if not len(old_rows):
        new.path.touch(mode=0o600)
    with db.transaction() as conn:
        db.move_rows(conn, [(int(first), r[0]) for first, r in zip(new_first, refs, strict=True)])
        db.set_store(conn, store.version, new.rows, new.filename)
        db.reset_checksums(conn, store.version)
        for first, n, crc in sums:
            db.add_checksum(conn, store.version, first, n, crc)
        db.bump_generation(conn)
    for old in (store.path, class_path(store)):
        try:
            old.unlink(missing_ok=True)
        except OSError:  # still mapped by a reader on Windows: remove_stale_stores deletes it later
            log.info("could not delete %s yet", old)
    return new


def class_rows(classes: np.ndarray | None, rows: np.ndarray) -> np.ndarray:
    """Class rows of these store rows (zeros, "no class scores", for rows the class file does not reach)."""
    out = np.zeros((len(rows), CLASS_COUNT), dtype=np.uint8)
    if classes is not None:
        inside = rows < len(classes)
        out[inside] = classes[rows[inside]]
    return out


def remove_stale_stores(db: LibraryDB, data_dir: Path) -> None:
    """Drop stores no file refers to, and vector files no store names (interrupted compactions)."""
    named = db.drop_unused_stores()
    for path in Path(data_dir).glob("vectors-*.f32"):
        if path.name not in named:
            path.unlink(missing_ok=True)
    for suffix in (".hnsw", CLASS_SUFFIX):
        for path in Path(data_dir).glob(f"vectors-*.f32{suffix}"):
            if path.name.removesuffix(suffix) not in named:
                path.unlink(missing_ok=True)
    for path in Path(data_dir).glob("*.faiss.tmp"):
        if time.time() - path.stat().st_mtime > 3600:  # a killed write (a fresh one may be in progress)
            path.unlink(missing_ok=True)


def checksum(unit: np.ndarray) -> int:
    """CRC-32 of float32 rows as stored (detects rows overwritten in place)."""
    return zlib.crc32(np.ascontiguousarray(unit, dtype=np.float32).view(np.uint8).reshape(-1))


def damaged_rows(db: LibraryDB, store: VectorStore, tolerance: float = 1e-3, chunk: int = 65_536) -> list[int]:
    """Committed rows that are not what the import wrote: non-finite, not unit norm, or in an append whose
    checksum no longer matches (the whole append is suspect then). Reads the whole store once."""
    matrix = store.matrix()
    bad: set[int] = set()
    for start in range(0, store.rows, chunk):
        block = np.asarray(matrix[start : start + chunk])
        with np.errstate(all="ignore"):
            norms = np.linalg.norm(block, axis=1)
        bad.update((start + np.flatnonzero(~(np.abs(norms - 1.0) <= tolerance))).tolist())
    for first, rows, crc in db.checksums(store.version):
        if first + rows <= store.rows and checksum(matrix[first : first + rows]) != crc:
            bad.update(range(first, first + rows))
    return sorted(bad)


def hnsw_path(store: VectorStore) -> Path:
    """Persisted HNSW graph of a store (its positions are the store's rows)."""
    return store.path.with_name(store.filename + ".hnsw")
