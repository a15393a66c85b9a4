"""The trained heads at run time: plain numpy arrays read from the checkpoint, no torch.

Mirrors ``model.heads.NudgeHeads`` (the training model) for what search needs: the audio projection,
the text projection (summed over a modifier's edits) and the query composer. tests/test_runtime_parity.py
ties the two together; there is no second run-time implementation.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
from safetensors import SafetensorError, safe_open

from model import text_backbone, yamnet
from model.audio_features import CONV_CHANNELS
from model.checkpoint import read_metadata
from model.errors import CheckpointError

_LN_EPS = 1e-5  # torch.nn.LayerNorm default


def _layer_norm(x: np.ndarray, weight: np.ndarray | None = None, bias: np.ndarray | None = None) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    out = centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + np.float32(_LN_EPS))
    if weight is not None:
        out = out * weight + bias
    return out.astype(np.float32, copy=False)


_erf = np.vectorize(math.erf, otypes=[np.float64])  # numpy has no erf; scipy.special costs 0.3 s to import


def _gelu(x: np.ndarray) -> np.ndarray:  # exact (erf) GELU, torch.nn.functional.gelu's default
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(np.float32, copy=False)


def _gelu_tanh(x: np.ndarray) -> np.ndarray:  # nn.GELU(approximate="tanh") of the composer
    return 0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608028654) * (x + np.float32(0.044715) * x**3)))


@dataclass(frozen=True)
class _Projection:
    """Linear -> GELU -> Linear, residual, LayerNorm (model.heads.Projection without its dropout)."""

    w1: np.ndarray
    w2: np.ndarray
    ln_weight: np.ndarray
    ln_bias: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        embed1 = x @ self.w1.T
        return _layer_norm(embed1 + _gelu(embed1) @ self.w2.T, self.ln_weight, self.ln_bias)


class RuntimeHeads:
    """A(audio), T(text) and the query composition of a heads checkpoint, in numpy."""

    def __init__(self, config: dict, arrays: dict[str, np.ndarray]):
        self.config = config
        self.classifier = arrays.get("classifier.weight")  # (classes, embed_dim): the event classifier, if kept
        self.classifier_bias = arrays.get("classifier.bias")  # (classes,)
        try:
            self.audio = self._projection(arrays, "audio")
            self.text = self._projection(arrays, "text")
            self.composer = None
            if config.get("composer", "add") == "residual":
                names = ("0.weight", "0.bias", "2.weight", "2.bias")
                self.composer = tuple(arrays[f"composer.{name}"] for name in names)
            elif config.get("composer", "add") != "add":
                raise ValueError(f"unknown composer {config.get('composer')!r}")
        except KeyError as exc:
            raise CheckpointError(f"the heads file lacks the tensor {exc}") from exc
        if self.audio.w1.shape != (self.embed_dim, self.audio_input_dim) or \
                self.text.w1.shape != (self.embed_dim, self.text_dim):
            raise CheckpointError("the heads' weights do not match their config")

    @staticmethod
    def _projection(arrays: dict[str, np.ndarray], prefix: str) -> _Projection:
        return _Projection(arrays[f"{prefix}.linear1.weight"], arrays[f"{prefix}.linear2.weight"],
                           arrays[f"{prefix}.layer_norm.weight"], arrays[f"{prefix}.layer_norm.bias"])

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> RuntimeHeads:
        """Read a heads checkpoint with numpy; CheckpointError if it is unusable or made for other backbones."""
        config = read_metadata(path)["config"]
        audio_id, text_id = config.get("audio_backbone"), config.get("text_backbone")
        if audio_id != yamnet.BACKBONE_ID or text_id != text_backbone.BACKBONE_ID:
            raise CheckpointError(f"{path} was trained on backbones {audio_id} / {text_id}, but this Nudge runs "
                                  f"{yamnet.BACKBONE_ID} / {text_backbone.BACKBONE_ID}")
        try:
            with safe_open(str(path), framework="np") as f:
                arrays = {k: np.ascontiguousarray(f.get_tensor(k), dtype=np.float32) for k in f.keys()}
            return cls(config, arrays)
        except (SafetensorError, OSError, ValueError, TypeError) as exc:
            raise CheckpointError(f"{path}: weights do not match the config ({exc})") from exc

    @property
    def embed_dim(self) -> int:
        return int(self.config.get("embed_dim", 256))

    @property
    def text_dim(self) -> int:
        return int(self.config.get("text_dim", text_backbone.TEXT_DIM))

    @property
    def text_clauses(self) -> int:
        return int(self.config.get("text_clauses", 1))

    @property
    def use_loudness(self) -> bool:
        return bool(self.config.get("use_loudness", True))

    @property
    def audio_input_dim(self) -> int:
        return int(self.config.get("audio_feature_dim", 0)) if self.use_loudness else CONV_CHANNELS

    @property
    def class_names(self) -> list[str]:
        return list(self.config.get("class_names", []))

    def project_audio(self, features: np.ndarray) -> np.ndarray:
        """Frozen audio features (N, FEATURE_DIM) -> A(audio) (N, D)."""
        x = np.asarray(features, dtype=np.float32)
        if not self.use_loudness:
            x = x[..., :CONV_CHANNELS]
        return self.audio(_layer_norm(x))

    def project_text(self, features: np.ndarray) -> np.ndarray:
        """Frozen text features (N, text_clauses * text_dim) -> T(text) (N, D); with several clauses T is
        the sum of each present (non-zero) clause's projection."""
        x = np.asarray(features, dtype=np.float32)
        k = self.text_clauses
        if k == 1:
            return self.text(x)
        clauses = x.reshape(*x.shape[:-1], k, self.text_dim)
        present = (np.abs(clauses).sum(-1, keepdims=True) > 0).astype(np.float32)
        return (self.text(clauses) * present).sum(-2)

    def compose(self, audio: np.ndarray, text: np.ndarray, strength: float = 1.0) -> np.ndarray:
        """Unnormalized query A(a) + strength * (T(t) [+ R([A(a); T(t)])]), as NudgeHeads.compose."""
        audio, text = np.asarray(audio, dtype=np.float32), np.asarray(text, dtype=np.float32)
        offset = text
        if self.composer is not None:
            w1, b1, w2, b2 = self.composer
            x = np.concatenate(np.broadcast_arrays(audio, text), axis=-1)
            offset = text + _gelu_tanh(x @ w1.T + b1) @ w2.T + b2
        return audio + np.float32(strength) * offset
