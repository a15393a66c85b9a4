"""Errors the model package raises, each with a message a user can act on."""


class NudgeModelError(Exception):
    """Base class for model package errors."""


class ModelFileError(NudgeModelError):
    """A backbone model file is missing or unreadable."""


class CheckpointError(NudgeModelError):
    """A heads checkpoint is missing, corrupt or incompatible with this version."""


class AudioDecodeError(NudgeModelError):
    """An audio file could not be decoded (corrupt, empty, unsupported or unreadable)."""
