"""Bookkeeping of what LibraryDB keeps beside the file rows (part of the db layer; LibraryDB mixes it in).

The vector store of each model version (its file and committed row count), the CRC-32 of each committed
append to it (checked by every import), and the cache of waveform peaks (keyed by path, bins, size, mtime).
"""

from __future__ import annotations


class StoresMixin:
    """LibraryDB's vector stores, vector checksums and peaks cache (``self.conn``, ``self.transaction``,
    ``self.read_only``)."""

    # peaks cache -------------------------------------------------------------------------------
    def cached_peaks(self, key: bytes, n_bins: int, size: int, mtime_ns: int) -> bytes | None:
        row = self.conn.execute(
            "SELECT data FROM peaks WHERE path = ? AND n_bins = ? AND size = ? AND mtime_ns = ?",
            (key, n_bins, size, mtime_ns),
        ).fetchone()
        return row[0] if row else None

    def store_peaks(self, key: bytes, n_bins: int, size: int, mtime_ns: int, data: bytes) -> None:
        """Cache a file's peaks; a read-only library just does not cache."""
        if self.read_only:
            return
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO peaks VALUES (?, ?, ?, ?, ?)", (key, n_bins, size, mtime_ns, data))

    # vector stores ---------------------------------------------------------------------------
    def vector_store(self, version: str) -> tuple[int, str, int] | None:
        """(dim, filename, committed rows) of a model version's store."""
        return self.conn.execute(
            "SELECT dim, filename, rows FROM vector_stores WHERE model_version = ?", (version,)
        ).fetchone()

    def store_versions(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT model_version FROM vector_stores")]

    def add_vector_store(self, version: str, dim: int, filename: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO vector_stores VALUES (?, ?, ?, 0)", (version, dim, filename))

    @staticmethod
    def set_store(conn, version: str, rows: int, filename: str | None = None) -> None:
        """Committed row count (and file, after a compaction) of a model version's store."""
        if filename is None:
            conn.execute("UPDATE vector_stores SET rows = ? WHERE model_version = ?", (rows, version))
        else:
            conn.execute("UPDATE vector_stores SET filename = ?, rows = ? WHERE model_version = ?",
                         (filename, rows, version))

    def drop_unused_stores(self) -> set[str]:
        """Forget stores no file refers to; returns the file names of the stores kept."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM vector_stores WHERE model_version NOT IN "
                "(SELECT DISTINCT model_version FROM files WHERE model_version IS NOT NULL)"
            )
            conn.execute("DELETE FROM vector_checksums WHERE model_version NOT IN "
                         "(SELECT model_version FROM vector_stores)")
        return {r[0] for r in self.conn.execute("SELECT filename FROM vector_stores")}

    # vector checksums ----------------------------------------------------------------------------
    @staticmethod
    def add_checksum(conn, version: str, first_row: int, rows: int, crc: int) -> None:
        conn.execute("INSERT OR REPLACE INTO vector_checksums VALUES (?, ?, ?, ?)", (version, first_row, rows, crc))

    @staticmethod
    def reset_checksums(conn, version: str) -> None:
        conn.execute("DELETE FROM vector_checksums WHERE model_version = ?", (version,))

    def checksums(self, version: str) -> list[tuple[int, int, int]]:
        """(first row, rows, crc32) of each committed append of a model version's store."""
        return self.conn.execute(
            "SELECT first_row, rows, crc32 FROM vector_checksums WHERE model_version = ? ORDER BY first_row",
            (version,),
        ).fetchall()
