"""Golden outputs of the run-time model: T(text) of two texts and A(audio) of two tiny generated clips
with the shipped model, stored in tests/golden_runtime.npz. A dependency upgrade (onnxruntime,
tokenizers, numpy, soxr) that drifts the model fails here.

Rewrite the file (only after a deliberate model change): python -m tests.test_runtime_golden
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from tests.helpers import noise, tone

GOLDEN = Path(__file__).with_name("golden_runtime.npz")
TEXTS = ["add thunder", "add a dog and make the rain quieter"]


def _clips() -> list[np.ndarray]:
    return [tone(440.0, 1.0) + tone(1760.0, 1.0, amp=0.1), noise(1.5, amp=0.3, seed=7)]


def _outputs() -> tuple[str, np.ndarray, np.ndarray]:
    from model.encoder import NudgeEncoder

    encoder = NudgeEncoder()  # the shipped model: $NUDGE_HEADS and $NUDGE_MODEL_DIR unset in tests
    audio = np.stack([encoder.embed_audio(c, 16_000) for c in _clips()])
    return encoder.version, encoder.embed_text(TEXTS), audio


def test_runtime_outputs_match_the_stored_golden_values(monkeypatch) -> None:
    monkeypatch.delenv("NUDGE_HEADS", raising=False)
    monkeypatch.delenv("NUDGE_MODEL_DIR", raising=False)
    golden = np.load(GOLDEN, allow_pickle=False)
    version, text, audio = _outputs()
    assert version == str(golden["version"]), "the shipped heads changed: rewrite the golden file"
    assert [str(t) for t in golden["texts"]] == TEXTS
    np.testing.assert_allclose(text, golden["text"], atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(audio, golden["audio"], atol=1e-4, rtol=1e-4)


if __name__ == "__main__":
    version, text, audio = _outputs()
    np.savez(GOLDEN, version=np.array(version), texts=np.array(TEXTS), text=text, audio=audio)
    print(f"wrote {GOLDEN} for {version}", file=sys.stderr)
