"""training.aligned_evidence: the evidence tables follow the graph of their cache's features (as the app does)."""

from __future__ import annotations

import json

from training.aligned_evidence import evidence_graph, out_path


def _cache(tmp_path, graph: str | None):
    cache = tmp_path / "features_x" / "rain" / "val"
    cache.mkdir(parents=True)
    (cache / "index.json").write_text(json.dumps({} if graph is None else {"audio_graph": graph}))
    return cache


def test_tables_follow_the_cache_graph(tmp_path, monkeypatch):
    monkeypatch.delenv("NUDGE_EVIDENCE_GRAPH", raising=False)
    exact = _cache(tmp_path, "exact")
    assert evidence_graph(exact) == "exact"
    assert out_path(exact).name == "rain_val.exact.npz" and out_path(exact).parent.name == "features_x"
    assert out_path(exact, "pairsat1").name == "rain_val.npz"  # the tables rounds up to the sixtieth read


def test_environment_names_the_graph_and_old_caches_read_pairsat1(tmp_path, monkeypatch):
    monkeypatch.delenv("NUDGE_EVIDENCE_GRAPH", raising=False)
    old = _cache(tmp_path, None)
    assert evidence_graph(old) == "pairsat1"
    monkeypatch.setenv("NUDGE_EVIDENCE_GRAPH", "pairsat1")
    (old / "index.json").write_text(json.dumps({"audio_graph": "exact"}))
    assert evidence_graph(old) == "pairsat1" and out_path(old).name == "rain_val.npz"
