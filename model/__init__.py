"""Nudge model package: frozen audio/text backbones, projection heads, query composition.

Nothing here imports the app or Qt; the app talks to :class:`model.encoder.NudgeEncoder`.
"""

import os

# Everything runs offline: onnxruntime's telemetry (remote host lookups, a device id stored under
# ~/.cache) is switched off before any module of this package can load onnxruntime. Worker
# processes import this package too, and inherit the variable.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

from model.compose import compose_query, cosine_scores, l2_normalize
from model.errors import AudioDecodeError, CheckpointError, ModelFileError

__all__ = [
    "AudioDecodeError",
    "CheckpointError",
    "ModelFileError",
    "compose_query",
    "cosine_scores",
    "l2_normalize",
]
