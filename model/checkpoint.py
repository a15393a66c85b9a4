"""Self-describing checkpoints: one safetensors file with the config and versions in its header.

Loading needs no training code: ``load_heads(path)`` rebuilds NudgeHeads from the header.
Reading (``read_metadata``, ``sound_words``, ``model_version``, ``model.runtime_heads``) needs numpy
only; ``save_heads`` / ``load_heads`` build the torch training model and import torch when called.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from safetensors import SafetensorError, safe_open

from model import text_backbone, yamnet
from model.errors import CheckpointError
from model.yamnet_graph import GRAPHS

if TYPE_CHECKING:
    from model.heads import NudgeHeads

FORMAT = "nudge-heads"
FORMAT_VERSION = 1


def save_heads(heads: NudgeHeads, path: str | os.PathLike, extra: dict | None = None) -> None:
    """Write weights + config atomically (temp file, then rename)."""
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "config": json.dumps(heads.config.to_dict()),
        "extra": json.dumps(extra or {}),
    }
    state = {k: v.detach().contiguous() for k, v in heads.state_dict().items()}
    write_atomic(path, lambda tmp: save_file(state, tmp, metadata=metadata))


def write_atomic(path: Path, write: Callable[[str], None], suffix: str = ".tmp") -> None:
    """``write(temp path)`` beside ``path`` (temp name ending in ``suffix``), then rename: readers never
    see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_metadata(path: str | os.PathLike) -> dict:
    """The checkpoint header: format, version, config (dict) and extra (dict)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"model heads file not found: {path}")
    try:
        with safe_open(str(path), framework="np") as f:  # "np": the header without importing torch
            meta = f.metadata() or {}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"model heads file is corrupt or not a checkpoint: {path} ({exc})") from exc
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a Nudge heads checkpoint")
    if int(meta.get("format_version", "0")) > FORMAT_VERSION:
        raise CheckpointError(
            f"{path} has format version {meta['format_version']}; this Nudge reads up to {FORMAT_VERSION}"
        )
    return {
        "format_version": int(meta["format_version"]),
        "config": json.loads(meta["config"]),
        "extra": json.loads(meta.get("extra", "{}")),
    }


def sound_words(path: str | os.PathLike) -> list[str]:
    """Sound words the heads were trained with (``extra["sound_words"]``, else the class names), sorted;
    from the header only. CheckpointError if the file is unusable."""
    meta = read_metadata(path)
    words = meta["extra"].get("sound_words") or meta["config"].get("class_names", [])
    return sorted({w.replace("_", " ").strip() for w in words if isinstance(w, str) and w.strip()})


def load_heads(path: str | os.PathLike) -> NudgeHeads:
    """Rebuild the heads from a checkpoint, in eval mode; CheckpointError if unusable."""
    from safetensors.torch import load_file

    from model.heads import HeadsConfig, NudgeHeads

    meta = read_metadata(path)
    try:
        config = HeadsConfig.from_dict(meta["config"])
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"{path}: incompatible config ({exc})") from exc
    if config.audio_backbone != yamnet.BACKBONE_ID or config.text_backbone != text_backbone.BACKBONE_ID:
        raise CheckpointError(
            f"{path} was trained on backbones {config.audio_backbone} / {config.text_backbone}, "
            f"but this Nudge runs {yamnet.BACKBONE_ID} / {text_backbone.BACKBONE_ID}"
        )
    heads = NudgeHeads(config)
    try:
        state = load_file(str(path))
        heads.load_state_dict(state)
    except (SafetensorError, RuntimeError, OSError) as exc:
        raise CheckpointError(f"{path}: weights do not match the config ({exc})") from exc
    return heads.eval()


def model_version(path: str | os.PathLike) -> str:
    """Identifier of what the heads compute: backbones + canonical config + tensor contents.

    Independent of file layout (safetensors may order its header differently on each save), so
    re-saving identical weights does not force a library to re-embed.
    """
    import hashlib

    import numpy as np

    meta = read_metadata(path)
    digest = hashlib.sha256(json.dumps(meta["config"], sort_keys=True).encode())
    try:
        with safe_open(str(path), framework="np") as f:
            state = {name: f.get_tensor(name) for name in f.keys()}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"model heads file is corrupt: {path} ({exc})") from exc
    for name in sorted(state):
        array = np.ascontiguousarray(state[name])
        # dtype spelled as torch did when checkpoints were hashed from torch tensors: same versions as before
        digest.update(f"{name}:torch.{array.dtype.name}:{tuple(array.shape)}".encode())
        digest.update(array.tobytes())
    return f"{yamnet.BACKBONE_ID}.{audio_graph(path)}+{digest.hexdigest()[:12]}"


def audio_graph(path: str | os.PathLike) -> str:
    """The YAMNet graph (model.yamnet_graph) whose features the heads were trained on, from the header's
    ``extra``; heads without the field were trained before it existed, on the app's first graph."""
    graph = read_metadata(path)["extra"].get("audio_graph", yamnet.GRAPH_VERSION)
    if graph not in GRAPHS:
        raise CheckpointError(f"{path} needs the YAMNet graph {graph!r}, which this version of Nudge cannot build "
                              f"(it has {', '.join(GRAPHS)}); update Nudge or use other heads")
    return graph


def text_clauses(path: str | os.PathLike) -> int:
    """How many edits of a modifier the heads embed separately (1: the whole text at once); header only."""
    return int(read_metadata(path)["config"].get("text_clauses", 1))


__all__ = ["load_heads", "model_version", "read_metadata", "save_heads", "sound_words",
           "text_clauses"]

