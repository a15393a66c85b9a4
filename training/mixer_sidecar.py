"""Write a rendered clip (16 kHz FLAC + sidecar JSON) and read the sidecars back.

The sidecar replaces Scaper's .jams for the v2 data: training's level regression reads `levels_db`
(every named sound's level in the mix, dBFS RMS; add `file_gain_db` for its level in the file) and
background batching reads `background.group`. Files appear by atomic rename, the JSON last, so a
clip whose JSON exists is complete; the JSON holds the spec's fingerprint, so resumable synthesis
renders a clip again when its spec changed (e.g. after the catalog was rebuilt).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import soundfile as sf

from model.checkpoint import write_atomic
from training.mixer import SR, ClipSpec, Rendered, SourceCache, render

SIDECAR_VERSION = 1


def sidecar_path(audio_path: Path) -> Path:
    return Path(audio_path).with_suffix(".json")


def spec_key(spec: ClipSpec) -> str:
    """Fingerprint of a spec (its dataclass repr): a clip made from another spec is made again."""
    return hashlib.sha1(repr(spec).encode()).hexdigest()


def is_done(audio_path: Path, spec: ClipSpec | None = None) -> bool:
    """The clip and its sidecar exist (and were rendered from this spec, when one is given)."""
    if not (Path(audio_path).exists() and sidecar_path(audio_path).exists()):
        return False
    if spec is None:
        return True
    try:
        return read_sidecar(audio_path).get("spec_sha1") == spec_key(spec)
    except (OSError, ValueError):
        return False


def sidecar(spec: ClipSpec, out: Rendered) -> dict:
    """Everything needed to know what is in the clip and how it was made."""
    ref = spec.reference_db
    sounds = []
    for i, s in enumerate(spec.sounds):
        start, stop = out.spans[f"sound{i}"]
        sounds.append({
            "clip_id": s.source.clip_id, "file": s.source.file, "group": s.source.group,
            "label": s.label, "role": s.role, "onset": round(start / SR, 4),
            "duration": round((stop - start) / SR, 4), "source_offset": round(out.offsets[f"sound{i}"], 4),
            "level_db": round(s.level_db, 3), "snr_db": round(s.level_db - ref, 3),
            "eq": asdict(s.eq), "distance": round(s.distance, 3),
        })
    bed = None
    if spec.bed is not None:
        b = spec.bed
        bed = {"clip_id": b.source.clip_id, "file": b.source.file, "group": b.source.group,
               "label": b.source.label if b.named else "", "named": b.named, "offset": round(b.offset, 4),
               "level_db": round(b.level_db, 3), "level_span": round(b.level_span, 4)}
    levels = {s["label"]: s["level_db"] for s in sounds if s["label"]}
    if bed is not None and bed["named"]:
        levels[bed["label"]] = bed["level_db"]
    return {
        "version": SIDECAR_VERSION, "sample_rate": SR, "scene": spec.scene,
        "duration": round(len(out.audio) / SR, 4), "main": spec.main_label, "reference_db": round(ref, 3),
        "background": bed, "sounds": sounds, "levels_db": levels,
        "room": asdict(spec.room), "file": asdict(spec.file),
        "file_gain_db": round(out.file_gain_db, 3), "codec_applied": out.codec_applied,
        "spec_sha1": spec_key(spec),
    }


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, write, suffix=path.suffix + ".tmp")


def write_clip(spec: ClipSpec, audio_path: Path, sources: SourceCache, extra: dict | None = None) -> dict:
    """Render spec to audio_path (16 kHz mono FLAC, PCM 16) and its sidecar; returns the sidecar."""
    out = render(spec, sources)
    doc = sidecar(spec, out) | (extra or {})
    _atomic(Path(audio_path), lambda tmp: sf.write(tmp, out.audio, SR, format="FLAC", subtype="PCM_16"))
    _atomic(sidecar_path(audio_path), lambda tmp: Path(tmp).write_text(json.dumps(doc, indent=1)))
    return doc


def read_sidecar(audio_path: Path) -> dict:
    return json.loads(sidecar_path(audio_path).read_text())


def clip_levels(doc: dict, classes: list[str], in_file: bool = False) -> np.ndarray:
    """(len(classes),) level of each named sound (dBFS RMS in the mix, or in the file); NaN if absent."""
    levels = np.full(len(classes), np.nan, dtype=np.float32)
    shift = doc["file_gain_db"] if in_file else 0.0
    for label, db in doc["levels_db"].items():
        if label in classes:
            levels[classes.index(label)] = db + shift
    return levels


def background_group(doc: dict) -> str:
    """Recording family of the clip's bed (of its main sound for an isolated clip)."""
    if doc["background"] is not None and doc["background"]["named"]:
        return doc["background"]["group"]
    return next((s["group"] for s in doc["sounds"] if s["role"] == "main"), "")
