"""Edit-aware reranking: targets from the parser, consistency signs, the probe file, the service's rescoring."""

from __future__ import annotations

import numpy as np
import pytest

from model.edit_rerank import (
    EditProbe,
    EditTarget,
    RerankSettings,
    consistency,
    edit_targets,
    rerank_scores,
)
from model.modifier_parser import ParsedModifier, UnknownSound, parse_modifier

NAMES = ["Speech", "Dog", "Thunder", "Rain", "Theremin"]  # a small AudioSet-like column list
DIM = 8


def toy_probe(settings: RerankSettings | None = None, heads_version: str = "v") -> EditProbe:
    """Evidence read straight off the unit vector: class j max = 10 * x[j], mean = 5 * x[j], floor = x[5],
    catalog label 'thunder' = x[2]."""
    n = len(NAMES)
    weight = np.zeros((DIM, 2 * n + 2), dtype=np.float32)
    for j in range(n):
        weight[j, j], weight[j, n + j] = 10.0, 5.0
    weight[5, 2 * n] = 1.0
    weight[2, 2 * n + 1] = 1.0
    return EditProbe(weight, np.zeros(2 * n + 2, dtype=np.float32), NAMES, ["thunder"],
                     settings or RerankSettings(weight=0.1), heads_version)


def unit(*pairs: tuple[int, float]) -> np.ndarray:
    v = np.full(DIM, 0.1, dtype=np.float32)
    for j, value in pairs:
        v[j] = value
    return v / np.linalg.norm(v)


def test_targets_follow_the_parser():
    targets = edit_targets(parse_modifier("add thunder and make it quieter"), NAMES, ["thunder"])
    assert [(t.kind, t.columns, t.label_column) for t in targets] == [("add", (2,), 0), ("quieter", (), None)]
    rain = edit_targets(parse_modifier("make the rain louder"), NAMES)[0]
    assert rain.bed and rain.columns == (3,)
    # a sound without AudioSet columns in the probe is left to the cosine
    assert edit_targets(parse_modifier("add a dog barking"), ["Speech"]) == []


def test_unknown_words_are_scored_through_audioset_only_with_a_kind():
    parsed = ParsedModifier([], ["add a theremin"], [UnknownSound("theremin", [], ["Theremin"], "add")])
    assert edit_targets(parsed, NAMES) == [EditTarget("add", "theremin", (4,), via_audioset=True)]
    no_kind = ParsedModifier([], ["theremin"], [UnknownSound("theremin", [], ["Theremin"], None)])
    assert edit_targets(no_kind, NAMES) == []
    assert "matched through AudioSet classes (Theremin)" in UnknownSound("theremin", [], ["Theremin"], "add",
                                                                         scored=True).message()
    assert "not a sound Nudge knows" in UnknownSound("theremin", [], ["Theremin"], "add").message()


@pytest.mark.parametrize("pool", ["max", "mean", "both", "label"])
def test_add_prefers_the_candidate_that_gained_the_sound_and_remove_the_opposite(pool):
    probe = toy_probe(RerankSettings(weight=0.1, pool=pool))
    a = probe.evidence(unit((3, 0.9))[None])  # rain, no thunder
    cands = probe.evidence(np.stack([unit((3, 0.9), (2, 0.8)), unit((3, 0.9)), unit((3, 0.9), (1, 0.8))]))
    add = consistency([EditTarget("add", "thunder", (2,), label_column=0)], a, cands, probe.settings)
    remove = consistency([EditTarget("remove", "thunder", (2,), label_column=0)], a, cands, probe.settings)
    assert add.argmax() == 0 and remove.argmin() == 0
    np.testing.assert_allclose(add, -remove, atol=1e-6)


def test_main_sound_level_edits_read_the_floor_and_named_events_the_opposite_way():
    probe = toy_probe(RerankSettings(weight=0.1, level_weight=1.0))
    a = probe.evidence(unit((5, 0.3))[None])
    cands = probe.evidence(np.stack([unit((5, 0.8)), unit((5, 0.3)), unit((5, -0.2))]))
    louder = consistency([EditTarget("louder", "it")], a, cands, probe.settings)
    assert list(np.argsort(-louder)) == [0, 1, 2]
    quieter = consistency([EditTarget("quieter", "it")], a, cands, probe.settings)
    assert list(np.argsort(-quieter)) == [2, 1, 0]
    # a named event getting louder: same class evidence, so the floor falling (peaks up) decides
    event = consistency([EditTarget("louder", "dog", (1,))], a, cands, probe.settings)
    assert list(np.argsort(-event)) == [2, 1, 0]


def test_rerank_adds_weighted_consistency_and_weight_zero_keeps_the_cosine():
    probe = toy_probe()
    query = unit((3, 0.9))
    cands = np.stack([unit((3, 0.9)), unit((3, 0.9), (2, 0.9))])
    targets = [EditTarget("add", "thunder", (2,))]
    cosine = np.array([0.9, 0.85], dtype=np.float32)
    new, cons = rerank_scores(cosine, query, cands, targets, probe)
    np.testing.assert_allclose(new, cosine + 0.1 * cons, atol=1e-6)
    assert new[1] > new[0]
    same, _ = rerank_scores(cosine, query, cands, targets, probe, weight=0.0)
    np.testing.assert_allclose(same, cosine)
    assert np.all(consistency([], probe.evidence(query[None]), probe.evidence(cands), probe.settings) == 0)


def test_probe_file_round_trip_and_heads_check(tmp_path):
    probe = toy_probe(RerankSettings(top_k=50, weight=0.03, pool="label", level_weight=0.5, enabled=True))
    probe.info = {"quality": {"mean_probe_auc": 0.6}}
    path = tmp_path / "p.safetensors"
    probe.save(path)
    back = EditProbe.from_file(path)
    assert back.settings == probe.settings and back.audioset == NAMES and back.label_ids == ["thunder"]
    assert back.info == probe.info
    x = np.stack([unit((2, 0.7)), unit((4, 0.2))])
    np.testing.assert_allclose(back.evidence(x).max, probe.evidence(x).max, rtol=2e-3, atol=2e-3)
    assert back.heads_version == "v"


def test_reranked_rank_matches_a_full_sort():
    from training.rerank_bench import reranked_rank

    rng = np.random.default_rng(0)
    scores = rng.normal(size=40).astype(np.float32)
    bonus = rng.normal(size=40).astype(np.float32)
    for target in range(40):
        for k in (5, 40):
            top = np.argsort(-scores, kind="stable")[:k]
            got = reranked_rank(scores, target, lambda t: bonus[t], k, 0.5)
            if target in top:
                new = scores[top] + 0.5 * bonus[top]
                expected = list(top[np.argsort(-new, kind="stable")]).index(target) + 1
            else:
                expected = list(np.argsort(-scores, kind="stable")).index(target) + 1
            assert got == expected

def test_ridge_probe_recovers_a_linear_map_and_floor_is_floor_minus_peak():
    from training.edit_probe import LOUDNESS_DIM, fit_ridge, floor_level

    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 6)).astype(np.float32)
    w_true = rng.normal(size=(6, 3)).astype(np.float32)
    weight, bias = fit_ridge(x, x @ w_true + 0.5, alpha=1e-6)
    np.testing.assert_allclose(weight, w_true, atol=1e-3)
    np.testing.assert_allclose(bias, 0.5, atol=1e-3)
    features = np.zeros((2, 20 + LOUDNESS_DIM), dtype=np.float32)
    features[:, 20 + 2], features[:, 20 + 7] = [1.0, 3.0], [4.0, 4.0]  # 25th and 100th percentile
    np.testing.assert_allclose(floor_level(features), [-3.0, -1.0])


def test_class_score_chunks_load_only_when_complete(tmp_path):
    import json

    from training.class_score_cache import load_scores

    (tmp_path / "meta.json").write_text(json.dumps({"clips": 3, "chunk": 2}))
    np.save(tmp_path / "chunk_00000.npy", np.zeros((2, 2, 521), dtype=np.float16))
    with pytest.raises(ValueError, match="1 chunks still missing"):
        load_scores(tmp_path)
    np.save(tmp_path / "chunk_00001.npy", np.ones((1, 2, 521), dtype=np.float16))
    scores = load_scores(tmp_path)
    assert scores.shape == (3, 2, 521) and scores[2, 0, 0] == 1.0
