"""SQL of the files' vector blocks (part of the db layer; LibraryDB mixes it in).

A file's vectors are one contiguous block of rows in its model version's store: the whole-file
vector at ``files.vector_row``, then ``files.segments`` window vectors (model.segments; none for
short files). ``segment_tail`` is the start of the last window in seconds, ``segment_layout`` the
window layout the block was cut with (0: imported before windows existed; such long files are
embedded again by the next import, and stay searchable as whole files meanwhile).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from app.errors import describe_path
from app.scope import SearchScope

BLOCKS_MIGRATION = (
    6,
    "vector blocks: window rows after each file's whole-file row",
    """
    ALTER TABLE files ADD COLUMN segments INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE files ADD COLUMN segment_tail REAL;
    ALTER TABLE files ADD COLUMN segment_layout INTEGER NOT NULL DEFAULT 0;
    """,
)


def path_key(path: str | os.PathLike | bytes) -> bytes:
    """The database key of a path: absolute, normalised, as bytes."""
    return os.fsencode(os.path.abspath(os.fsdecode(path)))


@dataclass(frozen=True)
class VectorRef:
    """Where an indexed file's vectors are: its block and the file state they were made from."""

    id: int
    size: int
    mtime_ns: int
    model_version: str | None
    row: int | None  # first row of the block (the whole-file vector)
    norm: float | None  # |A(audio)| of the whole file (the store keeps unit vectors)
    segments: int = 0  # window rows after the whole-file row
    tail_start: float | None = None
    duration: float | None = None

    @property
    def rows(self) -> int:
        return 1 + self.segments


@dataclass(frozen=True)
class Blocks:
    """The searchable files' blocks, sorted by first row (arrays of equal length)."""

    ids: np.ndarray  # file id
    first: np.ndarray  # first row (whole-file vector)
    segments: np.ndarray  # window rows after it
    tail_start: np.ndarray  # start (s) of the last window, nan without windows
    duration: np.ndarray  # seconds, nan if unknown

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> Blocks:
        """From (id, first row, segments, tail start, duration) rows."""
        data = sorted(rows, key=lambda r: r[1])
        cols = list(zip(*data, strict=True)) if data else [(), (), (), (), ()]
        as_float = [[np.nan if v is None else v for v in col] for col in cols[3:]]
        return cls(np.asarray(cols[0], dtype=np.int64), np.asarray(cols[1], dtype=np.int64),
                   np.asarray(cols[2], dtype=np.int64), np.asarray(as_float[0], dtype=np.float64),
                   np.asarray(as_float[1], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def end(self) -> np.ndarray:
        """One past the last row of each block."""
        return self.first + 1 + self.segments

    def keep(self, mask: np.ndarray) -> Blocks:
        return Blocks(self.ids[mask], self.first[mask], self.segments[mask], self.tail_start[mask],
                      self.duration[mask])

    def rows(self) -> np.ndarray:
        """Every row of every block, ascending."""
        if not len(self):
            return np.empty(0, dtype=np.int64)
        sizes = 1 + self.segments
        offsets = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.repeat(self.first, sizes) + offsets

    def block_of(self, rows: np.ndarray) -> np.ndarray:
        """Position of the block holding each row (-1 for rows outside every block)."""
        rows = np.asarray(rows, dtype=np.int64)
        pos = np.searchsorted(self.first, rows, side="right") - 1
        inside = (pos >= 0) & (rows < self.end[np.maximum(pos, 0)])
        return np.where(inside, pos, -1)


class FileBlocksMixin:
    """LibraryDB's queries and writes of files' vector blocks (``self.conn``, ``self.scope_clause``)."""

    def vector_ref(self, path: str | os.PathLike | bytes, missing_too: bool = False) -> VectorRef | None:
        """Vectors of an indexed ('ok') file (``missing_too``: or of one found gone at the last import, whose vectors
        are kept until it is forgotten), or None."""
        statuses = ("ok", "missing") if missing_too else ("ok", "ok")
        row = self.conn.execute(
            "SELECT id, size, mtime_ns, model_version, vector_row, norm, segments, segment_tail, duration FROM files "
            "WHERE path = ? AND status IN (?, ?)", (path_key(path), *statuses)).fetchone()
        return VectorRef(*row) if row else None

    def searchable(self, version: str, keyword: str = "", scope: SearchScope | None = None
                   ) -> tuple[list[int], list[int]]:
        """(file ids, whole-file vector rows) of indexed files with vectors of this model version (in the scope)."""
        blocks = self.searchable_blocks(version, keyword, scope)
        return blocks.ids.tolist(), blocks.first.tolist()

    def searchable_blocks(self, version: str, keyword: str = "", scope: SearchScope | None = None) -> Blocks:
        """Blocks of the indexed files with vectors of this model version (in the scope)."""
        where, args = self.scope_clause(scope) if scope is not None else self.keyword_clause(keyword)
        rows = self.conn.execute(
            "SELECT id, vector_row, segments, segment_tail, duration FROM files "
            f"WHERE status = 'ok' AND model_version = ? AND vector_row IS NOT NULL AND {where}",
            [version, *args],
        ).fetchall()
        return Blocks.from_rows(rows)

    def counts(self, version: str | None, present_rows: dict[str, int] | None = None) -> dict[str, int]:
        """ok/failed/missing counts. 'ok' counts only files whose vectors are really there: of this model
        version (any, when None) and below the rows present in its store file (``present_rows`` per model
        version, default: the committed rows); 'pending' = the other ok files (re-embedded by the next import)."""
        out = {"ok": 0, "failed": 0, "missing": 0, "pending": 0}
        for status, n in self.conn.execute("SELECT status, COUNT(*) FROM files GROUP BY status"):
            out[status] = n
        searchable = 0
        for store_version, rows in self.conn.execute("SELECT model_version, rows FROM vector_stores").fetchall():
            if version is not None and store_version != version:
                continue
            limit = min(rows, (present_rows or {}).get(store_version, rows))
            searchable += self.conn.execute(
                "SELECT COUNT(*) FROM files WHERE status = 'ok' AND model_version = ? AND vector_row + segments < ?",
                (store_version, limit),
            ).fetchone()[0]
        out["pending"] = out["ok"] - searchable
        out["ok"] = searchable
        return out

    _WRITE_INDEXED = (
        "INSERT INTO files (path, display, size, mtime_ns, duration, sample_rate, channels, status, error, "
        "model_version, vector_row, norm, updated_at, segments, segment_tail, segment_layout) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'ok', NULL, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
        "duration = excluded.duration, sample_rate = excluded.sample_rate, channels = excluded.channels, "
        "status = 'ok', error = NULL, model_version = excluded.model_version, "
        "vector_row = excluded.vector_row, norm = excluded.norm, updated_at = excluded.updated_at, "
        "segments = excluded.segments, segment_tail = excluded.segment_tail, "
        "segment_layout = excluded.segment_layout"
    )

    @classmethod
    def write_indexed(cls, conn, path: str, size: int, mtime_ns: int, header: tuple, version: str, row: int,
                      norm: float, segments: int = 0, tail_start: float | None = None, layout: int = 0) -> bool:
        """Record a file and its block (whole-file row ``row``, then ``segments`` window rows, cut with window
        layout ``layout``); returns whether the file was already in the library."""
        key = path_key(path)
        existed = conn.execute("SELECT 1 FROM files WHERE path = ?", (key,)).fetchone() is not None
        conn.execute(cls._WRITE_INDEXED, (key, describe_path(path), size, mtime_ns, *header, version, row, norm,
                                          time.time(), segments, tail_start, layout))
        return existed

    @classmethod
    def write_indexed_many(cls, conn, rows: Iterable[tuple]) -> None:
        """Bulk write_indexed of (path, size, mtime_ns, header, version, row, norm[, segments, tail_start, layout])
        tuples (benchmarks)."""
        now = time.time()

        def values(item: tuple) -> tuple:
            p, size, mtime, header, version, row, norm, *blocks = item
            segments, tail, layout = (list(blocks) + [0, None, 0][len(blocks):])[:3]
            return (path_key(p), describe_path(p), size, mtime, *header, version, row, norm, now, segments, tail,
                    layout)

        conn.executemany(cls._WRITE_INDEXED, (values(item) for item in rows))

    @staticmethod
    def forget_vectors(conn, version: str, rows: list[int] | None = None, from_row: int | None = None) -> int:
        """Files whose block holds a lost row (given rows, or any row >= from_row): the next import re-embeds them."""
        sql = ("UPDATE files SET model_version = NULL, vector_row = NULL, norm = NULL, segments = 0, "
               "segment_tail = NULL WHERE model_version = ? AND ")
        if rows is not None:
            return sum(conn.execute(sql + "vector_row <= ? AND vector_row + segments >= ?", (version, r, r)).rowcount
                       for r in rows)
        conn.execute("DELETE FROM vector_checksums WHERE model_version = ? AND first_row + rows > ?",
                     (version, from_row))
        return conn.execute(sql + "vector_row + segments >= ?", (version, from_row)).rowcount

    def used_rows(self, version: str) -> int:
        """Rows the files' blocks use."""
        return self.conn.execute(
            "SELECT COALESCE(SUM(1 + segments), 0) FROM files WHERE model_version = ? AND vector_row IS NOT NULL",
            (version,),
        ).fetchone()[0]

    def vector_refs(self, version: str) -> list[tuple[int, int, int]]:
        """(file id, first row, rows) of every file's block of this model version, by row."""
        return self.conn.execute(
            "SELECT id, vector_row, 1 + segments FROM files WHERE model_version = ? AND vector_row IS NOT NULL "
            "ORDER BY vector_row", (version,),
        ).fetchall()

    @staticmethod
    def move_rows(conn, new_rows: list[tuple[int, int]]) -> None:
        """(new first row, file id) pairs, after a compaction."""
        conn.executemany("UPDATE files SET vector_row = ? WHERE id = ?", new_rows)
