"""Heads blending and the baked text scale: exact identities on tiny random heads."""

from __future__ import annotations

import pytest
import torch

from model.checkpoint import load_heads
from model.heads import HeadsConfig, NudgeHeads
from training.heads_blend import blend, main, scale_text


def _heads(seed: int, classes: list[str], temperature: float = 0.05) -> NudgeHeads:
    torch.manual_seed(seed)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, class_names=classes, composer="residual", text_clauses=2,
                                   temperature=temperature))
    with torch.no_grad():
        for p in heads.parameters():
            p.normal_(std=0.2)
    return heads.eval()


def test_scale_text_equals_strength():
    heads = _heads(0, ["rain", "dog"])
    x_text = torch.randn(5, 2 * heads.config.text_dim)
    x_audio = torch.randn(5, heads.config.audio_input_dim)
    with torch.no_grad():
        a, t = heads.embed_audio(x_audio), heads.embed_text(x_text)
        want = heads.compose(a, t, strength=1.7)
        scaled = scale_text(heads, 1.7)
        got = scaled.compose(scaled.embed_audio(x_audio), scaled.embed_text(x_text), strength=1.0)
    assert torch.allclose(got, want, atol=1e-5)
    assert not torch.allclose(got, scaled.embed_audio(x_audio) + t)  # the offset really changed


def test_blend_endpoints_and_classifier_rows():
    a = _heads(0, ["rain", "dog"], temperature=0.04)
    b = _heads(1, ["rain", "dog", "wind"], temperature=0.01)
    x = torch.randn(3, a.config.audio_input_dim)
    with torch.no_grad():
        assert torch.allclose(blend(a, b, 1.0).embed_audio(x), b.embed_audio(x), atol=1e-6)
        start = blend(a, b, 0.0)
        assert torch.allclose(start.embed_audio(x), a.embed_audio(x), atol=1e-6)
        assert torch.allclose(start.classifier.weight[:2], a.classifier.weight)
        assert torch.allclose(start.classifier.weight[2], b.classifier.weight[2])  # B's extra class kept
        assert b.config.temperature == 0.01  # B untouched
        half = blend(a, b, 0.5)
        assert torch.allclose(half.audio.linear1.weight, (a.audio.linear1.weight + b.audio.linear1.weight) / 2)
    assert half.config.temperature == pytest.approx(0.02)  # geometric mean


def test_blend_rejects_lost_classes_and_bad_alpha():
    a = _heads(0, ["rain", "dog"])
    with pytest.raises(ValueError, match="lack classes"):
        blend(a, _heads(1, ["rain"]), 0.5)
    with pytest.raises(ValueError, match="alpha"):
        blend(a, a, 1.5)
    with pytest.raises(ValueError, match="positive"):
        scale_text(a, 0.0)


def test_cli_writes_loadable_heads(tmp_path):
    from model.checkpoint import read_metadata, save_heads

    save_heads(_heads(0, ["rain", "dog"]), tmp_path / "a.safetensors", extra={"sound_words": ["rain", "dog"]})
    save_heads(_heads(1, ["rain", "dog", "wind"]), tmp_path / "b.safetensors")
    out = tmp_path / "mix" / "heads.safetensors"
    assert main(["--a", str(tmp_path / "a.safetensors"), "--b", str(tmp_path / "b.safetensors"),
                 "--alpha", "0.25", "--text-scale", "1.5", "--out", str(out)]) == 0
    heads = load_heads(out)
    assert heads.config.class_names == ["rain", "dog", "wind"]
    assert read_metadata(out)["extra"]["blend"]["text_scale"] == 1.5


def test_round6_rule_eligibility_and_ties():
    from training.round6_pick import blend_of, pick

    r1 = {"S_s1": {"rain/R@1": 0.38, "traffic/R@1": 0.62}, "S_s1:audio": {},
          "SF_a0.5_s1.25": {"rain/R@1": 0.38, "traffic/R@1": 0.63},
          "SF_a0.25_s1.5": {"rain/R@1": 0.39, "traffic/R@1": 0.62},
          "W20_s1": {"rain/R@1": 0.37, "traffic/R@1": 0.70}}  # best v2 val, not eligible
    v2 = {"S_s1": {"all/R@1": 0.21}, "SF_a0.5_s1.25": {"all/R@1": 0.2505},
          "SF_a0.25_s1.5": {"all/R@1": 0.2500}, "W20_s1": {"all/R@1": 0.30}}
    assert blend_of("S_s2") == (2.0, 0.0) and blend_of("W20_s1.25") == (1.25, 1.0)
    chosen, lines = pick(r1, v2)
    assert chosen == "SF_a0.5_s1.25"  # tied within 0.001 with a larger scale
    assert len(lines) == 4 and "eligible" not in lines[0]
    r1["S_s1"]["rain/R@1"] = 0.5
    assert pick(r1, v2)[0] == "S_s1"


def test_round6_rule_margin_keeps_the_incumbent():
    from training.round6_pick import pick

    r1 = {"S_s1": {"rain/R@1": 0.38, "traffic/R@1": 0.62}, "SF_a0.5_s1": {"rain/R@1": 0.38, "traffic/R@1": 0.62},
          "new_a1_s1": {"rain/R@1": 0.39, "traffic/R@1": 0.63}}
    v2 = {"S_s1": {"all/R@1": 0.21}, "SF_a0.5_s1": {"all/R@1": 0.238}, "new_a1_s1": {"all/R@1": 0.241}}
    assert pick(r1, v2)[0] == "new_a1_s1"
    assert pick(r1, v2, "SF_a0.5_s1", 0.005)[0] == "SF_a0.5_s1"
    v2["new_a1_s1"]["all/R@1"] = 0.25
    assert pick(r1, v2, "SF_a0.5_s1", 0.005)[0] == "new_a1_s1"


def test_round13_rule_floor_is_the_named_shipped_heads():
    from training.round6_pick import pick

    r1 = {"S2": {"rain/R@1": 0.389, "traffic/R@1": 0.625},
          "d13_fromS_a1_s1": {"rain/R@1": 0.385, "traffic/R@1": 0.640},  # under S2's rain floor
          "d13_fromS2_a0.5_s1": {"rain/R@1": 0.390, "traffic/R@1": 0.625}}
    v2 = {"S2": {"all/R@1": 0.26}, "d13_fromS_a1_s1": {"all/R@1": 0.30}, "d13_fromS2_a0.5_s1": {"all/R@1": 0.263}}
    assert pick(r1, v2, "S2", 0.005, "S2")[0] == "S2"  # the eligible one beats S2 by less than the margin
    v2["d13_fromS2_a0.5_s1"]["all/R@1"] = 0.27
    assert pick(r1, v2, "S2", 0.005, "S2")[0] == "d13_fromS2_a0.5_s1"
    v2["d13_fromS2_a0.5_s1"]["all/R@1"] = 0.2605
    assert pick(r1, v2, "S2", 0.0, "S2")[0] == "S2"  # a tie within 0.001 keeps the shipped heads


def test_round19_rule_ranks_the_eligible_by_another_val_set():
    from training.round6_pick import pick

    r1 = {"S2": {"rain/R@1": 0.39, "traffic/R@1": 0.63},
          "a_a1_s1": {"rain/R@1": 0.40, "traffic/R@1": 0.64},
          "b_a1_s1": {"rain/R@1": 0.41, "traffic/R@1": 0.64},
          "c_a1_s1": {"rain/R@1": 0.38, "traffic/R@1": 0.70}}  # under the rain floor
    v2 = {"S2": {"all/R@1": 0.25}, "a_a1_s1": {"all/R@1": 0.36}, "b_a1_s1": {"all/R@1": 0.34},
          "c_a1_s1": {"all/R@1": 0.40}}
    rank = {"a_a1_s1": {"all/R@1": 0.50}, "b_a1_s1": {"all/R@1": 0.55}, "c_a1_s1": {"all/R@1": 0.60}}
    chosen, lines = pick(r1, v2, "S2", 0.005, "S2", rank)
    assert chosen == "b_a1_s1"  # the highest ranked among the eligible, though a has the higher v2 val
    assert [line.split()[0] for line in lines] == ["c_a1_s1", "b_a1_s1", "a_a1_s1"]
    rank["a_a1_s1"]["all/R@1"] = 0.5495
    assert pick(r1, v2, "S2", 0.005, "S2", rank)[0] == "a_a1_s1"  # tied within 0.001: the higher v2 val
    v2["a_a1_s1"]["all/R@1"] = v2["b_a1_s1"]["all/R@1"] = 0.254  # neither beats S2 by the margin
    assert pick(r1, v2, "S2", 0.005, "S2", rank)[0] == "S2"


def test_round14_rule_joins_the_incumbent_scored_on_its_own_caches(tmp_path, capsys):
    """S2 (the app's graph) and the candidates (exact) come from two results folders of the same pairs."""
    import json

    from training.round6_pick import main

    def write(folder, release1, v2):
        for split, results in (("release1_val", release1), ("v2_val", v2)):
            (folder / split).mkdir(parents=True)
            (folder / split / "results.json").write_text(json.dumps({"results": results}))

    write(tmp_path / "exact", {"raw-audio": {}, "d14_a1_s1": {"rain/R@1": 0.48, "traffic/R@1": 0.65}},
          {"raw-audio": {}, "d14_a1_s1": {"all/R@1": 0.36}})
    write(tmp_path / "S2", {"raw-audio": {}, "S2": {"rain/R@1": 0.39, "traffic/R@1": 0.63}},
          {"raw-audio": {}, "S2": {"all/R@1": 0.25}})
    assert main([str(tmp_path / "exact"), "--also", str(tmp_path / "S2"), "--margin", "0.005",
                 "--incumbent", "S2", "--floor", "S2"]) == 0
    out = capsys.readouterr().out
    assert "pick: d14_a1_s1" in out and "floor (shipped, first-release val): rain 0.390 traffic 0.630" in out
