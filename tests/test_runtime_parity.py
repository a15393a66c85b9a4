"""The run-time model (numpy + onnxruntime, model.encoder.NudgeEncoder) against the training model
(torch model.heads.NudgeHeads + transformers MiniLM): one implementation each, tied by these tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoint import save_heads
from model.heads import HeadsConfig, NudgeHeads
from model.runtime_heads import RuntimeHeads
from model.text_backbone import TEXT_DIM
from tests.helpers import noise, tone

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_HEADS = ROOT / "assets" / "nudge_heads.safetensors"
MIN_COSINE = 0.999


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


@pytest.mark.parametrize("config", [
    HeadsConfig(embed_dim=16, class_names=["rain"]),
    HeadsConfig(embed_dim=16, class_names=["rain"], composer="residual", text_clauses=2),
    HeadsConfig(embed_dim=8, class_names=["rain", "dog"], use_loudness=False, composer="residual"),
], ids=["add", "residual-2-clauses", "no-loudness"])
def test_runtime_heads_compute_what_the_torch_heads_compute(tmp_path: Path, config: HeadsConfig) -> None:
    torch.manual_seed(0)
    heads = NudgeHeads(config).eval()
    if config.composer == "residual":
        torch.nn.init.normal_(heads.composer[2].weight)  # trained composers are not zero
    with torch.no_grad():
        heads.text.layer_norm.weight.normal_()  # trained LayerNorms are not the identity
        heads.audio.layer_norm.bias.normal_()
    save_heads(heads, tmp_path / "h.safetensors")
    runtime = RuntimeHeads.from_file(tmp_path / "h.safetensors")
    features = torch.randn(5, config.audio_feature_dim)
    text = torch.randn(5, config.text_clauses * TEXT_DIM)
    if config.text_clauses == 2:
        text[:2, TEXT_DIM:] = 0.0  # one-edit modifiers: the second slot is absent
    with torch.inference_mode():
        a, t = heads.embed_audio(features), heads.embed_text(text)
        q = heads.compose(a, t, 0.7)
    a_run, t_run = runtime.project_audio(features.numpy()), runtime.project_text(text.numpy())
    np.testing.assert_allclose(a_run, a.numpy(), atol=2e-5, rtol=1e-4)
    np.testing.assert_allclose(t_run, t.numpy(), atol=2e-5, rtol=1e-4)
    np.testing.assert_allclose(runtime.compose(a_run, t_run, 0.7), q.numpy(), atol=5e-5, rtol=1e-4)


@pytest.mark.slow
def test_runtime_matches_the_torch_model_on_texts_and_clips(tmp_path: Path) -> None:
    """T(text) of 300 modifier texts, A(audio) of 60 clips and their composed queries: cosine >= 0.999."""
    from model.audio_features import AudioFeatureExtractor
    from model.checkpoint import load_heads
    from model.encoder import NudgeEncoder
    from model.text_backbone import MiniLMBackbone
    from training.export_runtime import parity_texts

    texts = parity_texts(300)
    heads = load_heads(SHIPPED_HEADS)
    backbone = MiniLMBackbone(threads=2)
    k = heads.config.text_clauses
    frozen = backbone.encode(texts) if k == 1 else backbone.encode_clauses(texts, k)
    extractor = AudioFeatureExtractor(threads=2)
    rng = np.random.default_rng(0)
    clips = [tone(float(f), 1.5, amp=float(a)) for f, a in zip(rng.uniform(80, 6000, 30), rng.uniform(0.05, 0.9, 30),
                                                                 strict=True)]
    clips += [noise(float(s), seed=i) + tone(440.0 * (1 + i % 5), float(s), amp=0.1)
              for i, s in enumerate(rng.uniform(0.5, 4.0, 30))]
    features = np.stack([extractor.from_waveform(c, 16_000) for c in clips])
    pick = rng.integers(0, len(clips), len(texts))
    with torch.inference_mode():
        t_ref = heads.embed_text(torch.from_numpy(frozen))
        a_ref = heads.embed_audio(torch.from_numpy(features))
        q_ref = torch.nn.functional.normalize(heads.compose(a_ref[torch.from_numpy(pick)], t_ref), dim=-1).numpy()

    encoder = NudgeEncoder(SHIPPED_HEADS, load_audio=False)
    t_run = encoder.embed_text(texts)  # batched: padded token rows
    fresh = NudgeEncoder(SHIPPED_HEADS, load_audio=False)  # empty cache: each text below is a batch of one
    alone = np.stack([fresh.embed_text([t])[0] for t in texts[:5]])
    a_run = encoder.project_audio(features)
    q_run = encoder.compose(a_run[pick], t_run)
    assert _cosines(t_run, t_ref.numpy()).min() >= MIN_COSINE
    assert _cosines(alone, t_ref.numpy()[:5]).min() >= MIN_COSINE  # unpadded single texts too
    assert _cosines(a_run, a_ref.numpy()).min() >= MIN_COSINE
    assert _cosines(q_run, q_ref).min() >= MIN_COSINE
    one = encoder.query_vector(a_run[pick[0]], texts[0])  # the app's path for one query
    assert _cosines(one, q_ref[0]) >= MIN_COSINE


def test_run_time_tokens_equal_the_transformers_tokenizer() -> None:
    """Same lower-casing, accents, unknown characters, truncation at MAX_TOKENS and padding as training."""
    from transformers import AutoTokenizer

    from model.paths import text_onnx_path
    from model.text_backbone import MAX_TOKENS, minilm_dir
    from model.text_onnx import OnnxTextBackbone

    texts = ["Add  THUNDER, Café and naïve rain! " * 12, "remove the car horn", "", "make the 🐕 quieter"]
    reference = AutoTokenizer.from_pretrained(str(minilm_dir()), local_files_only=True)(
        texts, padding=True, truncation=True, max_length=MAX_TOKENS)
    encoded = OnnxTextBackbone(text_onnx_path()).tokenizer.encode_batch(texts)
    assert [e.ids for e in encoded] == reference["input_ids"]
    assert [e.attention_mask for e in encoded] == reference["attention_mask"]
    assert len(encoded[0].ids) == MAX_TOKENS


NO_TORCH_RUN = """
import sys
from pathlib import Path
from app.cli import main
library, data = Path(sys.argv[1]), Path(sys.argv[2])
assert main(["--data-dir", str(data), "index", str(library)]) == 0
assert main(["--data-dir", str(data), "search", "--query", str(library / "a.wav"), "--modify",
             "add a dog and make the rain quieter", "--json"]) == 0
from model.encoder import NudgeEncoder
encoder = NudgeEncoder()
assert encoder.embed_text(["add thunder"]).shape == (1, encoder.embed_dim)
heavy = [m for m in ("torch", "transformers") if m in sys.modules]
print("HEAVY", heavy)
"""


def test_the_app_runtime_never_imports_torch_or_transformers(tmp_path: Path) -> None:
    from tests.helpers import write_wav

    library = tmp_path / "lib"
    write_wav(library / "a.wav", tone(440, 1.0))
    write_wav(library / "b.wav", noise(1.0))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NUDGE_HEADS", None)
    env.pop("NUDGE_MODEL_DIR", None)
    out = subprocess.run([sys.executable, "-c", NO_TORCH_RUN, str(library), str(tmp_path / "data")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stdout
