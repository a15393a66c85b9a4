"""The per-patch evidence of short files, kept in the library database (part of the db layer; LibraryDB mixes it in).

The moment-by-moment reranking (app.rerank) reads YAMNet's per-patch class scores and levels of a search's query
and first results. Computing them runs YAMNet again on each file (tens of ms per file on CPUs without VNNI), so
they are kept here, written by the import (which computes them anyway), the demo install and searches: keyed by
path, valid while the file's size and mtime and the YAMNet graph are those it was computed with, like the waveform
peaks. It is a cache: a missing, stale or malformed row is
computed again, and a read-only library just does not keep it. Only the files the reranking can read whole are
kept: short files (no windows) and files up to model.segments.EVIDENCE_SECONDS (78 s), the possible versions of a
query clip of up to 60 s; about 0.7 KB per second of audio (4.3 KB for a 6 s file), at most about 55 KB.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.class_scores import CLASS_COUNT
from model.segments import EVIDENCE_SECONDS

EVIDENCE_MIGRATION = (
    7,
    "per-patch evidence of short files (the moment-by-moment reranking)",
    """
    CREATE TABLE patch_evidence (
        path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, graph TEXT NOT NULL,
        patches INTEGER NOT NULL, classes BLOB NOT NULL, levels BLOB NOT NULL
    );
    """,
)
Key = tuple[bytes, int, int]  # path key, size, mtime_ns


def encode(evidence: PatchEvidence) -> tuple[int, bytes, bytes]:
    """(patches, zlib-compressed uint8 class scores, float32 levels)."""
    classes = np.ascontiguousarray(evidence.classes, dtype=np.uint8)
    return len(evidence), zlib.compress(classes.tobytes(), 6), np.asarray(evidence.levels, dtype="<f4").tobytes()


def decode(patches: int, classes: bytes, levels: bytes) -> PatchEvidence | None:
    """The stored evidence, or None when the row is malformed (then it is computed again)."""
    try:
        table = np.frombuffer(zlib.decompress(classes), dtype=np.uint8).reshape(patches, CLASS_COUNT)
        level = np.frombuffer(levels, dtype="<f4").reshape(patches).astype(np.float32)
    except (zlib.error, ValueError, TypeError):
        return None
    return PatchEvidence(table.copy(), level) if np.all(np.isfinite(level)) else None


_WITHOUT = ("f.status = 'ok' AND f.model_version IS NOT NULL AND (f.segments = 0 OR f.duration <= "
            f"{EVIDENCE_SECONDS}) AND NOT EXISTS (SELECT 1 FROM patch_evidence e WHERE e.path = f.path AND "
            "e.size = f.size AND e.mtime_ns = f.mtime_ns AND e.graph = ?)")


class EvidenceStoreMixin:
    """LibraryDB's kept per-patch evidence (``self.conn``, ``self.transaction``, ``self.read_only``)."""

    def stored_evidence(self, keys: list[Key], graph: str) -> dict[bytes, PatchEvidence]:
        """The kept evidence of those files whose size, mtime and graph still match, by path key."""
        wanted = {path: (size, mtime) for path, size, mtime in keys}
        found: dict[bytes, PatchEvidence] = {}
        paths = list(wanted)
        for start in range(0, len(paths), 500):
            chunk = paths[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT path, size, mtime_ns, graph, patches, classes, levels FROM patch_evidence "
                f"WHERE path IN ({marks})", chunk).fetchall()
            for path, size, mtime, row_graph, patches, classes, levels in rows:
                if (size, mtime) == wanted.get(path) and row_graph == graph:
                    evidence = decode(patches, classes, levels)
                    if evidence is not None:
                        found[path] = evidence
        return found

    def keep_evidence(self, items: Iterable[tuple[Key, PatchEvidence]], graph: str) -> None:
        """Keep evidence computed for these files; a read-only or failing database just does not keep it (the
        search that computed it goes on)."""
        items = list(items)
        if self.read_only or not items:
            return
        try:
            with self.transaction() as conn:
                self.put_evidence(conn, items, graph)
        except sqlite3.Error:
            pass

    def files_without_evidence(self, graph: str, after_id: int = 0, limit: int = 100
                               ) -> list[tuple[int, bytes, int, int]]:
        """(id, path key, size, mtime_ns) of indexed files read whole (short, or up to EVIDENCE_SECONDS) past
        ``after_id`` whose evidence for this graph is missing or stale (imported before it was kept, or under another
        YAMNet graph), by id."""
        return self.conn.execute(
            f"SELECT f.id, f.path, f.size, f.mtime_ns FROM files f WHERE {_WITHOUT} AND f.id > ? ORDER BY f.id "
            "LIMIT ?", (graph, int(after_id), int(limit))).fetchall()

    def count_without_evidence(self, graph: str) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM files f WHERE {_WITHOUT}", (graph,)).fetchone()[0])

    @staticmethod
    def put_evidence(conn: sqlite3.Connection, items: Iterable[tuple[Key, PatchEvidence]], graph: str) -> None:
        """Write evidence inside the caller's transaction (an import keeps it with the files' rows)."""
        rows = [(path, size, mtime, graph, *encode(evidence)) for (path, size, mtime), evidence in items]
        conn.executemany("INSERT OR REPLACE INTO patch_evidence VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    @staticmethod
    def forget_evidence(conn: sqlite3.Connection, paths: list[bytes]) -> None:
        """Drop the kept evidence of files the library forgets (inside the caller's transaction)."""
        conn.executemany("DELETE FROM patch_evidence WHERE path = ?", [(p,) for p in paths])
