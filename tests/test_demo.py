"""Demo library: shipped precomputed vectors install without the model and search like a real import."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from app.demo import (
    DEMO_DIR,
    DEMO_INDEX,
    build_demo_index,
    demo_suggestions,
    ensure_demo_library,
    first_demo_query,
    load_precomputed,
)
from app.service import SearchService
from tests.helpers import make_random_heads

pytestmark = pytest.mark.skipif(not (DEMO_DIR / "demo_pairs.csv").is_file(), reason="demo library not built")


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory, heads_path) -> Path:
    return build_demo_index(heads_path, DEMO_DIR, tmp_path_factory.mktemp("demo") / "demo_index.npz")


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


SHIPPED_HEADS = DEMO_DIR.parent / "nudge_heads.safetensors"


@pytest.mark.skipif(not (SHIPPED_HEADS.is_file() and DEMO_INDEX.is_file()), reason="no shipped heads or demo index")
def test_shipped_demo_index_fits_the_shipped_heads(tmp_path):
    """Fails when the heads were retrained without `python -m app.demo build` (the demo would be re-imported)."""
    svc = SearchService(tmp_path / "a", heads_path=SHIPPED_HEADS)
    precomputed, why = load_precomputed(svc)
    assert precomputed is not None, why
    svc.close()
