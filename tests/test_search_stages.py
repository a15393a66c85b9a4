"""Stage 0: indexed queries with an empty or precomputed modifier search before any model loads, with
numpy only (no torch), and give exactly what the loaded model gives; anything else names the stage it needs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.demo import DEMO_DIR, demo_suggestions, ensure_demo_library
from app.errors import ModelNotReadyError
from app.service import SearchService
from tests import ui_support
from tests.helpers import make_random_heads

library = ui_support.library  # fixture

pytestmark = pytest.mark.skipif(not (DEMO_DIR / "demo_pairs.csv").is_file(), reason="demo library not built")
ROOT = Path(__file__).resolve().parents[1]
QUERY = DEMO_DIR.resolve() / "rain_01.ogg"

# a fresh interpreter: first launch on the demo, then searches, with nothing but stage 0 loaded
FIRST_LAUNCH = """
import json, sys
from pathlib import Path
from app.demo import DEMO_DIR, ensure_demo_library
from app.service import SearchService

data, heads, index = map(Path, sys.argv[1:4])
svc = SearchService(data, heads_path=heads, demo_index=index)
installed = ensure_demo_library(svc, DEMO_DIR, index).installed
ready = svc.load_search_stage()
words = svc.known_sound_words()
found = {t: [(r.path.name, r.score) for r in svc.search(DEMO_DIR / "rain_01.ogg", t, top_k=10)]
         for t in ("", "add thunder", "More  Rain")}
heavy = sorted(m for m in ("torch", "transformers", "safetensors.torch", "model.encoder") if m in sys.modules)
print(json.dumps({"installed": installed, "ready": ready, "words": len(words), "found": found, "heavy": heavy}))
"""


def test_demo_search_needs_no_torch_and_matches_the_loaded_model(tmp_path, heads_path, demo_index):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", FIRST_LAUNCH, str(tmp_path / "data"), str(heads_path),
                          str(demo_index)], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["heavy"] == [], f"stage 0 imported {got['heavy']}"
    assert got["installed"] > 0 and got["ready"] and got["words"] > 0
    svc = SearchService(tmp_path / "data", heads_path=heads_path, demo_index=demo_index)
    svc.load_audio_model()  # the same library, now with the model
    try:
        for text, results in got["found"].items():
            want = [(r.path.name, r.score) for r in svc.search(QUERY, text, top_k=10)]
            assert [tuple(r) for r in results] == want, text  # same files, same scores to the last bit
    finally:
        svc.close()


def _search_all(svc: SearchService, texts: list[str]) -> dict:
    return {(t, s): [(r.path, r.score) for r in svc.search(QUERY, t, strength=s, top_k=50)]
            for t in texts for s in (1.0, 0.4)}


def test_stage0_results_equal_the_full_model(tmp_path, heads_path, encoder, demo_index):
    svc = SearchService(tmp_path / "a", heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc).installed > 0
    texts = ["", *demo_suggestions(QUERY), "  ADD thunder "]
    assert svc.load_search_stage() and not svc.model_ready and svc.precomputed_texts > 0
    assert not any(svc.needs_text_model(t) for t in texts)
    light = _search_all(svc, texts)
    assert all(len(v) == svc.counts().indexed - 1 for v in light.values())
    svc.load_model()  # audio, then the text backbone
    assert svc.text_model_ready
    assert _search_all(svc, texts) == light
    # and the model computing T(text) itself (no precomputed texts) ranks the same, to float precision
    reference = SearchService(tmp_path / "a", encoder=encoder)
    for (text, strength), results in light.items():
        want = reference.search(QUERY, text, strength=strength, top_k=8)
        assert [p for p, _ in results[:8]] == [r.path for r in want]
        np.testing.assert_allclose([s for _, s in results[:8]], [r.score for r in want], atol=1e-5)
    reference.close()
    svc.close()


def test_stage0_names_the_stage_a_search_needs(tmp_path, heads_path, demo_index, library):
    demo = tmp_path / "demo"  # a copy, so one file can change after the install
    shutil.copytree(DEMO_DIR, demo)
    svc = SearchService(tmp_path / "a", heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc, demo).installed > 0 and svc.load_search_stage()
    assert len(svc.search(demo / "rain_01.ogg", "add thunder", top_k=3)) == 3
    assert svc.needs_text_model("add a distant waterfall")
    with pytest.raises(ModelNotReadyError, match="needs the text model") as err:
        svc.search(demo / "rain_01.ogg", "add a distant waterfall")
    assert err.value.stage == "text"
    with pytest.raises(ModelNotReadyError, match="not indexed") as err:
        svc.search(library / "tone_01.wav", "")  # never imported
    assert err.value.stage == "audio"
    os.utime(demo / "rain_02.ogg", ns=(1, 1))  # changed since the import: the stored vector is stale
    with pytest.raises(ModelNotReadyError, match="not indexed") as err:
        svc.search(demo / "rain_02.ogg", "")
    assert err.value.stage == "audio"
    svc.close()


def test_no_stage0_without_an_index_made_from_these_heads(tmp_path, heads_path, demo_index):
    other = make_random_heads(tmp_path / "other.safetensors", seed=3)
    for heads, index, why in ((other, demo_index, "other model heads"),
                              (heads_path, tmp_path / "absent.npz", "no precomputed demo index")):
        svc = SearchService(tmp_path / "a", heads_path=heads, demo_index=index)
        assert not svc.load_search_stage() and not svc.search_ready
        assert svc.precomputed_texts == 0 and why in svc.precomputed_note
        with pytest.raises(ModelNotReadyError):
            svc.search(QUERY, "")
        svc.close()



def test_audio_model_reuses_stage0_texts_without_reading_the_index_again(tmp_path, heads_path, demo_index,
                                                                        monkeypatch):
    import app.demo

    reads = []
    real_read = app.demo._read_index
    monkeypatch.setattr(app.demo, "_read_index", lambda path: reads.append(path) or real_read(path))
    svc = SearchService(tmp_path / "a", heads_path=heads_path, demo_index=demo_index)
    assert svc.load_search_stage() and len(reads) == 1
    stage0 = svc.precomputed_texts
    svc.load_audio_model()
    assert len(reads) == 1, "the demo index was read a second time"
    assert svc.precomputed_texts == stage0 > 0 and svc.precomputed_note == ""
    assert not svc.needs_text_model("add thunder")
    svc.close()
    # without stage 0 the audio model still seeds the texts, from the file
    svc = SearchService(tmp_path / "b", heads_path=heads_path, demo_index=demo_index)
    svc.load_audio_model()
    assert len(reads) == 2 and svc.precomputed_texts == stage0
    svc.close()
