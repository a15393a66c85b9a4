"""Demo library: shipped precomputed vectors install without the model (SearchService.install_vectors)
and search like a real import."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from app.demo import DEMO_DIR, DEMO_INDEX, demo_suggestions, ensure_demo_library, first_demo_query, load_precomputed
from app.errors import LibraryError
from app.service import SearchService
from tests.helpers import make_random_heads

pytestmark = pytest.mark.skipif(not (DEMO_DIR / "demo_pairs.csv").is_file(), reason="demo library not built")


def test_precomputed_install_needs_no_model_and_matches_a_real_import(tmp_path, heads_path, encoder, demo_index):
    svc = SearchService(tmp_path / "a", heads_path=heads_path)
    status = ensure_demo_library(svc, DEMO_DIR, demo_index)
    assert not svc.model_ready  # installed from the shipped vectors, nothing was embedded
    n = len([p for p in DEMO_DIR.iterdir() if p.suffix == ".ogg"])
    assert status.installed == n and not status.needs_import and status.folder == DEMO_DIR.resolve()
    assert svc.counts().indexed == n and svc.folders() == [DEMO_DIR.resolve()]
    assert status.start_query == DEMO_DIR.resolve() / "rain_01.ogg" and "add thunder" in status.suggestions
    svc.close()

    installed = SearchService(tmp_path / "a", encoder=encoder)
    imported = SearchService(tmp_path / "b", encoder=encoder)
    report = imported.import_folders([DEMO_DIR])
    assert report.added == n
    query = DEMO_DIR / "rain_01.ogg"
    for text in ("", "add thunder"):
        a, b = installed.search(query, text, top_k=10), imported.search(query, text, top_k=10)
        assert [r.path.name for r in a] == [r.path.name for r in b]
        np.testing.assert_allclose([r.score for r in a], [r.score for r in b], atol=1e-5)
    # installed files carry YAMNet's class maxima like imported ones (the notes that read them work on the demo)
    a_snap, b_snap = installed._current_snapshot(), imported._current_snapshot()
    for path in sorted(DEMO_DIR.glob("*.ogg")):
        a_row, b_row = installed.db.vector_ref(path).row, imported.db.vector_ref(path).row
        np.testing.assert_array_equal(a_snap.classes[a_row], b_snap.classes[b_row])
    assert [n.sound for n in installed.unheard_in_query(query, "make the dog louder")] == ["dog barking"]
    # installed files carry their header like imported ones (the query panel says "library", columns fill)
    for path in sorted(DEMO_DIR.glob("*.ogg"))[:3]:
        got, want = installed.file_info(path), imported.file_info(path)
        assert got.duration and (got.duration, got.sample_rate, got.channels) == (
            want.duration, want.sample_rate, want.channels)
    installed.close()
    imported.close()


def test_other_heads_or_changed_files_fall_back_to_import(tmp_path, demo_index):
    other = make_random_heads(tmp_path / "other.safetensors", seed=1)
    svc = SearchService(tmp_path / "a", heads_path=other)
    status = ensure_demo_library(svc, DEMO_DIR, demo_index)
    assert status.needs_import and status.installed == 0 and "other model heads" in status.message
    assert svc.folders() == [DEMO_DIR.resolve()] and svc.counts().indexed == 0
    svc.close()

    copy = tmp_path / "demo_copy"
    shutil.copytree(DEMO_DIR, copy)
    with open(copy / "rain_02.ogg", "ab") as f:
        f.write(b"\0")
    svc = SearchService(tmp_path / "b", heads_path=other)
    status = ensure_demo_library(svc, copy, demo_index)
    assert status.needs_import and svc.counts().indexed == 0
    svc.close()


def test_missing_index_and_suggestions(tmp_path, heads_path):
    svc = SearchService(tmp_path / "a", heads_path=heads_path)
    status = ensure_demo_library(svc, DEMO_DIR, tmp_path / "absent.npz")
    assert status.needs_import and "no precomputed demo index" in status.message
    svc.close()
    assert first_demo_query(DEMO_DIR) == DEMO_DIR / "rain_01.ogg"
    assert demo_suggestions(DEMO_DIR / "rain_01.ogg")[:2] == ["add thunder", "add a dog barking"]
    assert demo_suggestions(tmp_path / "rain_01.ogg") == []
    assert ensure_demo_library(svc, tmp_path / "nowhere").folder is None


def test_loaded_model_decides_by_version(tmp_path, encoder, demo_index):
    svc = SearchService(tmp_path / "a", heads_path=tmp_path / "not_used.safetensors", encoder=encoder)
    status = ensure_demo_library(svc, DEMO_DIR, demo_index)
    assert status.installed == svc.counts().indexed > 0
    assert len(svc.search(DEMO_DIR / "rain_01.ogg", "add thunder", top_k=5)) == 5
    svc.close()


def test_install_vectors_is_checked_and_incremental(tmp_path, heads_path, encoder, demo_index):
    vectors, version, why = load_precomputed(DEMO_DIR, demo_index)
    assert vectors is not None and why == "" and version == encoder.version
    svc = SearchService(tmp_path / "a", heads_path=heads_path)
    with pytest.raises(LibraryError, match="other model heads"):
        svc.install_vectors(DEMO_DIR, vectors, "another-version")
    bad = dict(vectors) | {next(iter(vectors)): np.full(encoder.embed_dim, np.nan)}
    with pytest.raises(LibraryError, match="finite"):
        svc.install_vectors(DEMO_DIR, bad, version)
    assert svc.counts().indexed == 0
    some = dict(list(vectors.items())[:5])
    assert svc.install_vectors(DEMO_DIR, some, version).added == 5
    again = svc.install_vectors(DEMO_DIR, vectors, version)  # the rest; the first five are unchanged
    assert (again.added, again.unchanged) == (len(vectors) - 5, 5)
    assert svc.counts().indexed == len(vectors) and not svc.model_ready
    svc.close()


def test_old_or_broken_index_falls_back_to_import(tmp_path, demo_index):
    with np.load(demo_index, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays["meta"])) | {"format": "nudge-demo-index-2"}
    old = tmp_path / "old.npz"
    np.savez(old, **(arrays | {"meta": np.array(json.dumps(meta))}))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for path, why in ((old, "format 'nudge-demo-index-2'"), (broken, "unreadable")):
        vectors, _, note = load_precomputed(DEMO_DIR, path)
        assert vectors is None and why in note


SHIPPED_HEADS = DEMO_DIR.parent / "nudge_heads.safetensors"


@pytest.mark.skipif(not (SHIPPED_HEADS.is_file() and DEMO_INDEX.is_file()), reason="no shipped heads or demo index")
def test_shipped_demo_index_fits_the_shipped_heads(tmp_path):
    """Fails when the heads were retrained without `python -m app.demo build` (the demo would be re-imported)."""
    svc = SearchService(tmp_path / "a", heads_path=SHIPPED_HEADS)
    status = ensure_demo_library(svc)
    assert status.installed > 0 and not status.needs_import, status.message
    svc.close()


def test_the_demos_first_example_ranks_a_thunder_clip_first(tmp_path, monkeypatch):
    """Issue 12's ship condition, held by the shipped heads and their shipped demo vectors: rain_01 + "add
    thunder" at the default strength puts a thunder clip first; without the words the nearest is other rain."""
    monkeypatch.delenv("NUDGE_HEADS", raising=False)
    monkeypatch.delenv("NUDGE_MODEL_DIR", raising=False)
    svc = SearchService(tmp_path / "a")  # the shipped heads
    assert ensure_demo_library(svc, DEMO_DIR, DEMO_INDEX).installed > 0
    query = DEMO_DIR / "rain_01.ogg"
    with_words = svc.search(query, "add thunder", top_k=5)
    assert "thunder" in with_words[0].path.name, [r.path.name for r in with_words]
    assert "thunder" not in svc.search(query, "", top_k=1)[0].path.name
    svc.close()
