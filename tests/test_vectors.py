"""Vector store: append/commit protocol, aborted appends, lost files, compaction."""

from __future__ import annotations

import numpy as np

from app.db import LibraryDB, path_key
from app.vectors import compact, open_store, remove_stale_stores, unused_share
from model.compose import l2_normalize

VERSION = "test-model"


def commit(lib: LibraryDB, store, vectors: np.ndarray, names: list[str]) -> None:
    """The importer's protocol: append + fsync, then one transaction with rows and count."""
    first = store.append(vectors)
    with lib.transaction() as conn:
        for i, name in enumerate(names):
            conn.execute(
                "INSERT INTO files (path, display, size, mtime_ns, status, model_version, vector_row, norm, "
                "updated_at) VALUES (?, ?, 1, 1, 'ok', ?, ?, 1.0, 0) ON CONFLICT(path) DO UPDATE SET "
                "vector_row = excluded.vector_row",
                (path_key(f"/s/{name}"), name, VERSION, first + i),
            )
        conn.execute("UPDATE vector_stores SET rows = ? WHERE model_version = ?", (first + len(names), VERSION))
    store.rows = first + len(names)


def unit(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return l2_normalize(np.random.default_rng(seed).standard_normal((n, dim)))


def stored(lib: LibraryDB, store, name: str) -> np.ndarray:
    row = lib.conn.execute("SELECT vector_row FROM files WHERE path = ?", (path_key(f"/s/{name}"),)).fetchone()[0]
    return np.asarray(store.matrix()[row])


def test_append_commit_and_reopen(tmp_path):
    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    a, b = unit(3, seed=1), unit(2, seed=2)
    commit(lib, store, a, ["a0", "a1", "a2"])
    commit(lib, store, b, ["b0", "b1"])
    again = open_store(lib, tmp_path, VERSION, 8)
    assert again.rows == 5
    np.testing.assert_array_equal(again.matrix(), np.concatenate([a, b]))


def test_aborted_append_is_ignored_then_overwritten(tmp_path):
    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    commit(lib, store, unit(2, seed=1), ["a0", "a1"])
    store.append(unit(4, seed=9))  # "killed" before the SQLite commit
    reopened = open_store(lib, tmp_path, VERSION, 8)
    assert reopened.rows == 2 and reopened.matrix().shape == (2, 8)
    fresh = unit(1, seed=3)
    commit(lib, reopened, fresh, ["c0"])
    np.testing.assert_array_equal(stored(lib, reopened, "c0"), fresh[0])
    assert reopened.path.stat().st_size == 3 * 8 * 4  # the aborted tail is gone


def test_short_vector_file_marks_affected_files_for_re_embedding(tmp_path):
    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    commit(lib, store, unit(4), ["a0", "a1", "a2", "a3"])
    with open(store.path, "r+b") as f:
        f.truncate(2 * 8 * 4 + 5)  # e.g. restored from an older backup
    repaired = open_store(lib, tmp_path, VERSION, 8)
    assert repaired.rows == 2
    lost = lib.conn.execute("SELECT COUNT(*) FROM files WHERE model_version IS NULL").fetchone()[0]
    assert lost == 2


def test_compaction_keeps_referenced_vectors(tmp_path):
    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    vectors = unit(6, seed=4)
    commit(lib, store, vectors, [f"f{i}" for i in range(6)])
    replacement = unit(2, seed=5)
    commit(lib, store, replacement, ["f0", "f1"])  # re-embedded: rows 0 and 1 unused now
    with lib.transaction() as conn:
        conn.execute("DELETE FROM files WHERE path = ?", (path_key("/s/f5"),))
    assert unused_share(lib, store) == 3 / 8
    old_path = store.path
    new = compact(lib, store)
    assert new.rows == 5 and not old_path.exists()
    assert unused_share(lib, new) == 0.0
    expected = {"f0": replacement[0], "f1": replacement[1], "f2": vectors[2], "f3": vectors[3], "f4": vectors[4]}
    for name, vector in expected.items():
        np.testing.assert_array_equal(stored(lib, new, name), vector)
    assert open_store(lib, tmp_path, VERSION, 8).filename == new.filename


def test_stale_stores_and_stray_files_are_removed(tmp_path):
    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    commit(lib, store, unit(1), ["a"])
    old = open_store(lib, tmp_path, "old-model", 8)
    old.append(unit(1))
    stray = tmp_path / "vectors-deadbeef0000-7.f32"
    stray.write_bytes(b"\0" * 64)
    remove_stale_stores(lib, tmp_path)
    assert lib.vector_store("old-model") is None and lib.vector_store(VERSION) is not None
    assert not stray.exists() and not old.path.exists() and store.path.exists()


def test_repair_does_not_fire_on_a_concurrent_compaction(tmp_path):
    from app.vectors import VectorStore, _repair_short_store

    lib = LibraryDB(tmp_path)
    store = open_store(lib, tmp_path, VERSION, 8)
    commit(lib, store, unit(4), ["a0", "a1", "a2", "a3"])
    stale = VectorStore(tmp_path, VERSION, store.filename, 8, store.rows)  # a reader's view before ...
    with lib.transaction() as conn:
        conn.execute("DELETE FROM files WHERE path = ?", (path_key("/s/a0"),))
    new = compact(lib, store)  # ... another process compacts and deletes the old file
    assert stale.file_rows() == 0
    _repair_short_store(lib, stale)
    assert stale.filename == new.filename and stale.rows == 3
    assert lib.conn.execute("SELECT COUNT(*) FROM files WHERE model_version IS NULL").fetchone()[0] == 0
