"""Nudge model package: frozen audio/text backbones, projection heads, query composition.

Nothing here imports the app or Qt; the app talks to :class:`model.encoder.NudgeEncoder`.
"""

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
