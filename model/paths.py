"""Where the run-time model files are: the one place that resolves them.

The model folder (default: the repository's ``assets/``; override with ``NUDGE_MODEL_DIR``) holds
``nudge_heads.safetensors`` (the trained heads as plain arrays with their config) and
``nudge_text.onnx`` (the frozen text backbone), both written by ``python -m training.export_runtime``, and
``nudge_rerank.json`` (model.aligned_rerank's weights, fitted for those heads by ``python -m training.aligned_fit``).
``NUDGE_HEADS`` (or an explicit path, e.g. ``--heads``) points at another heads file, such as a training
run's checkpoint; the text backbone is independent of the heads and always comes from the model folder.
"""

from __future__ import annotations

import os
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
HEADS_FILE = "nudge_heads.safetensors"
TEXT_ONNX_FILE = "nudge_text.onnx"
RERANK_FILE = "nudge_rerank.json"


def model_dir() -> Path:
    """The folder of the run-time model files: $NUDGE_MODEL_DIR, else the bundled assets/."""
    return Path(os.environ.get("NUDGE_MODEL_DIR") or ASSETS)


def heads_path(explicit: str | os.PathLike | None = None) -> Path:
    """The heads file to load: ``explicit`` if given, else $NUDGE_HEADS, else the model folder's."""
    return Path(explicit or os.environ.get("NUDGE_HEADS") or model_dir() / HEADS_FILE)


def text_onnx_path() -> Path:
    """The exported text backbone in the model folder."""
    return model_dir() / TEXT_ONNX_FILE


def rerank_path() -> Path:
    """The moment-by-moment reranker's weights in the model folder (model.aligned_rerank; beside the default heads)."""
    return model_dir() / RERANK_FILE
