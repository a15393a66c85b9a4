"""Demo library: shipped precomputed vectors install without the model and search like a real import."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from app.demo import (
    DEMO_DIR,
    DEMO_INDEX,
    EXAMPLE_TEXTS,
    demo_suggestions,
    ensure_demo_library,
    first_demo_query,
    load_precomputed,
    pair_texts,
    seed_demo_texts,
)
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


def test_demo_index_carries_the_demo_texts_made_with_the_text_model(heads_path, encoder, demo_index):
    from model.encoder import NudgeEncoder

    with np.load(demo_index, allow_pickle=False) as data:
        texts = [str(t) for t in data["texts"]]
        assert data["text_vectors"].shape == (len(texts), encoder.embed_dim)
    offered = [*pair_texts(DEMO_DIR), *EXAMPLE_TEXTS, "thunder", "add thunder", "remove the car horn", "more dog"]
    assert set(offered) <= set(texts) and len(set(texts)) == len(texts)
    fresh = NudgeEncoder(heads_path)
    n, why = seed_demo_texts(fresh, demo_index)
    assert n == len(texts) and why == ""
    served = fresh.embed_text(["add thunder", "  Add   Thunder ", "take out the barking"])
    assert not fresh.text_loaded  # every one came from the index
    np.testing.assert_array_equal(served[0], served[1])
    np.testing.assert_allclose(served, encoder.embed_text(["add thunder", "add thunder", "take out the barking"]),
                               atol=1e-5)


def test_demo_text_searches_before_the_text_model_and_other_texts_load_it(tmp_path, heads_path, encoder, demo_index):
    svc = SearchService(tmp_path / "a", heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc).installed > 0  # the service's own demo index, not the bundled one
    svc.load_audio_model()
    assert svc.model_ready and not svc.text_model_ready and svc.precomputed_texts > 0
    query = DEMO_DIR.resolve() / "rain_01.ogg"
    reference = SearchService(tmp_path / "a", encoder=encoder)  # same library, full model
    for text in demo_suggestions(query):
        assert not svc.needs_text_model(text)
        got, want = svc.search(query, text, top_k=8), reference.search(query, text, top_k=8)
        assert [r.path for r in got] == [r.path for r in want]
        np.testing.assert_allclose([r.score for r in got], [r.score for r in want], atol=1e-5)
    assert not svc.encoder.text_loaded
    assert svc.needs_text_model("add a distant waterfall")
    assert len(svc.search(query, "add a distant waterfall", top_k=8)) == 8  # loads the text stage itself
    assert svc.text_model_ready and not svc.needs_text_model("add a distant waterfall")
    reference.close()
    svc.close()


def test_other_heads_old_or_broken_index_disable_the_precomputed_texts(tmp_path, demo_index):
    other = make_random_heads(tmp_path / "other.safetensors", seed=1)
    svc = SearchService(tmp_path / "a", heads_path=other, demo_index=demo_index)
    svc.load_audio_model()
    assert svc.precomputed_texts == 0 and "other model heads" in svc.precomputed_note
    assert svc.needs_text_model("add thunder") and not svc.text_model_ready
    with np.load(demo_index, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays["meta"])) | {"format": "nudge-demo-index-1"}
    old = tmp_path / "old.npz"
    np.savez(old, **(arrays | {"meta": np.array(json.dumps(meta))}))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for path, why in ((old, "format 'nudge-demo-index-1'"), (broken, "unreadable")):
        seeded, note = seed_demo_texts(svc.encoder, path)
        assert seeded == 0 and why in note
        vectors, note = load_precomputed(svc, DEMO_DIR, path)
        assert vectors is None and why in note
    svc.close()


SHIPPED_HEADS = DEMO_DIR.parent / "nudge_heads.safetensors"


@pytest.mark.skipif(not (SHIPPED_HEADS.is_file() and DEMO_INDEX.is_file()), reason="no shipped heads or demo index")
def test_shipped_demo_index_fits_the_shipped_heads(tmp_path):
    """Fails when the heads were retrained without `python -m app.demo build` (the demo would be re-imported)."""
    from model.encoder import NudgeEncoder

    svc = SearchService(tmp_path / "a", heads_path=SHIPPED_HEADS)
    precomputed, why = load_precomputed(svc)
    assert precomputed is not None, why
    svc.close()
    encoder = NudgeEncoder(SHIPPED_HEADS, load_audio=False)
    seeded, why = seed_demo_texts(encoder)
    assert seeded > 0, why
    assert all(encoder.has_text(t) for t in [*pair_texts(DEMO_DIR), *EXAMPLE_TEXTS]) and not encoder.text_loaded
