"""Whether an event mixed into a demo clip is there to hear: YAMNet's logit rise for the event's class.

The demo library is what a newcomer hears first, so each of its events must be recognisable as the
sound its name and the demo's words promise. The measure: the max over patches of YAMNet's logits
for the class's AudioSet labels (`model.sound_vocab`), in the mix minus in the same clip without the
event, read through the YAMNet graph of the heads the app ships. The rule and its numbers are in MODEL_CARD
("Demo library rebuilt with events YAMNet hears").
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from model.checkpoint import audio_graph
from model.frontend import waveform_to_patches
from model.paths import heads_path
from model.sound_vocab import BY_ID, vocab_id
from model.yamnet import YamnetBackbone, class_names
from training.pair_sampler import ClipSpec, EventSpec
from training.scenes import SAMPLE_RATE

AUDIBLE_RISE = 3.0  # four of the graph's output steps (0.757 each)
AUDIBLE_FLOOR = -2.0  # and the mix's logit at least this (probability 0.12)
PEAK_LIMIT = 0.999  # a mix peaking here was scaled down whole by the renderer's clipping fix, bed included


@dataclass(frozen=True)
class Audibility:
    base: float  # the class's logit without the event
    mix: float  # with it
    peak: float  # the mix's peak before the encoder
    pool: str  # "eval" or "all": which source pool the instance came from
    draws: int  # which draw this instance was (1: the first)
    together: bool = True  # every event still heard, and the mix unscaled, in the family's clips with two events

    @property
    def rise(self) -> float:
        return self.mix - self.base

    @property
    def heard(self) -> bool:
        return is_heard(self.base, self.mix)

    @property
    def unscaled(self) -> bool:
        return self.peak < PEAK_LIMIT

    @property
    def kept(self) -> bool:
        return self.heard and self.unscaled and self.together


def is_heard(base: float, mix: float) -> bool:
    """The class's logit rises by AUDIBLE_RISE to AUDIBLE_FLOOR or more when the event is mixed in."""
    return mix - base >= AUDIBLE_RISE and mix >= AUDIBLE_FLOOR


def all_heard(levels: list[tuple[float, float]], peak: float) -> bool:
    """Every event of a mix is heard (is_heard), and the mix was not scaled down."""
    return peak < PEAK_LIMIT and all(is_heard(base, mix) for base, mix in levels)


def ogg_round_trip(samples: np.ndarray) -> np.ndarray:
    """The samples as the demo ships them: encoded to Ogg Vorbis and decoded (the codec can hide an event)."""
    buffer = io.BytesIO()
    sf.write(buffer, samples, SAMPLE_RATE, format="OGG", subtype="VORBIS")
    buffer.seek(0)
    decoded, _ = sf.read(buffer, dtype="float32")
    return decoded


def app_backbone() -> YamnetBackbone:
    """YAMNet with the arithmetic of the heads the app ships (their audio graph): what the search reads."""
    return YamnetBackbone(arithmetic=audio_graph(heads_path()))


class EventAudibility:
    """Renders a clip with and without its events and reads YAMNet's logits for their classes."""

    def __init__(self, sources_dir: Path, backbone: YamnetBackbone | None = None) -> None:
        self.sources_dir = sources_dir
        self.backbone = backbone or app_backbone()
        self._names = {name: i for i, name in enumerate(class_names())}
        self._bare: dict[ClipSpec, np.ndarray] = {}

    def columns(self, label: str) -> list[int]:
        return [self._names[n] for n in BY_ID[vocab_id(label)].audioset]

    def logits(self, spec: ClipSpec) -> tuple[np.ndarray, float]:
        """(YAMNet's max logit per class over the clip as shipped, the mix's peak before the encoder)."""
        from training.scaper_render import render_clip

        mix, _ = render_clip(spec, self.sources_dir, None, None)
        _, logits = self.backbone.run(waveform_to_patches(ogg_round_trip(np.clip(mix, -1, 1))), with_classes=True)
        return logits.max(axis=0), float(np.abs(mix).max())

    def class_max(self, logits: np.ndarray, label: str) -> float:
        return float(logits[self.columns(label)].max())

    def measure(self, bare: ClipSpec, events: tuple[EventSpec, ...]) -> tuple[list[tuple[float, float]], float]:
        """Each event's (class logit in the bare clip, in the mix of all ``events`` over it), and that mix's peak."""
        if bare not in self._bare:
            self._bare[bare] = self.logits(bare)[0]
        mixed, peak = self.logits(replace(bare, events=bare.events + events))
        return [(self.class_max(self._bare[bare], e.label), self.class_max(mixed, e.label)) for e in events], peak
