"""Render a clip spec to 16 kHz mono audio: the v2 mixer (pure numpy, no Scaper).

A clip is a background bed (or none: an isolated sound) plus placed sounds, each at a level in dB
RMS full scale *in the mix* (before the per-file gain). Three layers of randomness, all drawn by the
planner (training.pair_plan) from one numpy Generator and written into the spec, so rendering is a
pure function of the spec:

- per sound: EQ (low/high shelf or band-pass) and distance (air absorption and the wet share of the
  room's reverb); the same sound in clips a and b gets the same processing,
- per clip (shared by a and b of a pair: the same room and microphone): room reverb (exponentially
  decaying noise, RT60 0.1-1.5 s), microphone high-pass and tilt, noise floor,
- per file (drawn for a and for each b apart, independent of the edit): gain (peak- or
  RMS-normalized, or a random gain), band-limiting through a lower sample rate, lossy codec round trip.

Levels: a bed's level is its RMS over the first `level_span` seconds (shared by a and b, so a longer
b keeps the bed level); a placed sound's level is the RMS of its processed signal (EQ, distance,
reverb) over its rendered span, excluding the reverb tail. SNR = sound level - reference level
(the bed, or the main sound of an isolated clip). Each written clip gets a sidecar JSON
(training.mixer_sidecar) with every level and parameter.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from training import mixer_dsp as dsp
from training.audio_utils import load_mono

SR = dsp.SR
MAIN, EVENT, OTHER = "main", "event", "other"  # roles of placed sounds ("other": unlabelled distractor)
NOISE_SECONDS = 32  # synthetic noise floors are drawn this long, then cut (clips are at most 30 s)


@dataclass(frozen=True)
class Source:
    """One catalog recording."""
    clip_id: str
    file: str  # relative to the catalog folder
    label: str  # sound_vocab id, "" = unlabelled
    duration: float
    group: str  # source-recording family


@dataclass(frozen=True)
class Eq:
    kind: str = "none"  # none | low_shelf | high_shelf | bandpass
    freq: float = 0.0  # shelf corner / band-pass low edge, Hz
    gain_db: float = 0.0  # shelves only
    freq2: float = 0.0  # band-pass high edge, Hz


@dataclass(frozen=True)
class Placement:
    """A sound placed in the clip."""
    source: Source
    role: str  # MAIN | EVENT | OTHER
    onset: float  # s in the clip
    duration: float  # s, at most (short sources are used whole, silence trimmed)
    source_offset: float  # s into the source
    level_db: float  # RMS dBFS of the processed sound over its span, in the mix
    eq: Eq = field(default_factory=Eq)
    distance: float = 0.0  # 0 close and dry .. 1 far: duller and wetter

    @property
    def label(self) -> str:
        return self.source.label if self.role != OTHER else ""


@dataclass(frozen=True)
class Bed:
    source: Source
    offset: float  # s into the recording (looped with crossfades when shorter than the clip)
    level_db: float  # RMS dBFS over the first level_span seconds
    level_span: float
    named: bool = True  # False: a faint unlabelled floor under an isolated sound


@dataclass(frozen=True)
class Room:
    """Per-clip recording chain, shared by clips a and b of a pair."""
    rt60: float
    ir_seed: int
    mic_highpass_hz: float = 0.0  # 0 = none
    mic_tilt_db: float = 0.0  # high shelf at 3 kHz
    noise_db: float | None = None  # synthetic noise floor level (dBFS RMS), None = none
    noise_alpha: float = 1.0  # 1/f^alpha colour of the floor
    noise_seed: int = 0


@dataclass(frozen=True)
class FileChain:
    """How a library stored this one file."""
    gain_mode: str = "none"  # peak | loudness | random | none
    gain_target_db: float = 0.0  # peak dBFS | RMS dBFS | gain dB
    resample_hz: int = 0  # band-limit via this rate, 0 = none
    codec: str = ""  # "" | ogg | mp3
    codec_quality: float = 0.0  # 0 best .. 1 smallest


@dataclass(frozen=True)
class ClipSpec:
    scene: str
    duration: float
    bed: Bed | None
    sounds: tuple[Placement, ...]
    room: Room
    file: FileChain = field(default_factory=FileChain)

    @property
    def reference_db(self) -> float:
        """The level SNRs are relative to: the bed, or the main sound of an isolated clip."""
        if self.bed is not None and self.bed.named:
            return self.bed.level_db
        mains = [s.level_db for s in self.sounds if s.role == MAIN]
        return mains[0] if mains else 0.0

    @property
    def main_label(self) -> str:
        if self.bed is not None and self.bed.named:
            return self.bed.source.label
        return next((s.label for s in self.sounds if s.role == MAIN), "")

    @property
    def labels(self) -> set[str]:
        """Named sounds present (the bed, the main sound, labelled events; never 'other')."""
        named = {s.label for s in self.sounds if s.label}
        if self.bed is not None and self.bed.named and self.bed.source.label:
            named.add(self.bed.source.label)
        return named


@dataclass
class Rendered:
    audio: np.ndarray  # the file's samples (after the file chain)
    mix: np.ndarray  # before the file chain
    stems: dict[str, np.ndarray]  # "bed", "noise", "sound<i>" (i = index in spec.sounds), full length
    spans: dict[str, tuple[int, int]]  # sample span over which each stem's level was set
    file_gain_db: float  # audio / mix gain (before codec and band-limiting effects)
    codec_applied: bool
    offsets: dict[str, float] = field(default_factory=dict)  # source offsets really used, s


class SourceCache:
    """Decoded catalog recordings, least recently used dropped beyond max_mb."""

    def __init__(self, root: Path, max_mb: float = 400.0):
        self.root, self.max_bytes = Path(root), int(max_mb * 2 ** 20)
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0

    def get(self, file: str) -> np.ndarray:
        if file in self._items:
            self._items.move_to_end(file)
            return self._items[file]
        audio = load_mono(self.root / file, SR)
        self._items[file] = audio
        self._bytes += audio.nbytes
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self._bytes -= old.nbytes
        return audio


def _apply_eq(audio: np.ndarray, eq: Eq) -> np.ndarray:
    if eq.kind == "low_shelf":
        return dsp.shelf(audio, eq.freq, eq.gain_db, high=False)
    if eq.kind == "high_shelf":
        return dsp.shelf(audio, eq.freq, eq.gain_db, high=True)
    if eq.kind == "bandpass":
        return dsp.butter_sos(audio, "bandpass", (eq.freq, eq.freq2))
    return audio


def _segment(audio: np.ndarray, s: Placement) -> tuple[np.ndarray, float]:
    """The source samples of a placed sound and the offset (s) really used.

    A source no longer than the requested duration is used whole with its silence trimmed. A cut
    from a longer source that is near-silent (20 dB below the recording) moves to the loudest
    window of the same length, so a level set by RMS never amplifies a pause.
    """
    n = max(1, int(round(s.duration * SR)))
    start = int(round(s.source_offset * SR))
    if len(audio) <= n + SR // 100:
        seg, trim_start = dsp.trim_silence(audio)
        return seg[:n], trim_start / SR
    start = min(start, len(audio) - n)
    seg = audio[start: start + n]
    if dsp.rms_db(seg) < dsp.rms_db(audio) - 20:
        start = dsp.loudest_window(audio, n)
        seg = audio[start: start + n]
    return seg, start / SR


def _place_sound(s: Placement, audio: np.ndarray, ir: np.ndarray, n_clip: int
                 ) -> tuple[np.ndarray, tuple[int, int], float]:
    seg, used_offset = _segment(audio, s)
    x = dsp.fade_edges(seg, 80, min(800, len(seg) // 4))
    x = _apply_eq(x, s.eq)
    if s.distance > 0.2:  # air absorption: far sounds lose their top
        x = dsp.butter_sos(x, "lowpass", 7500.0 - 5500.0 * s.distance)
    onset = int(round(s.onset * SR))
    x = dsp.reverberate(x, ir, wet=0.05 + 0.75 * s.distance, max_tail=n_clip - onset - len(seg))
    span = (onset, min(n_clip, onset + len(seg)))
    body = x[: span[1] - span[0]]
    level = dsp.rms_db(body)
    gain = dsp.db_to_gain(s.level_db - level) if level > -100 else 0.0
    stem = np.zeros(n_clip, np.float32)
    end = min(n_clip, onset + len(x))
    stem[onset:end] = gain * x[: end - onset]
    return stem, span, used_offset


def render(spec: ClipSpec, sources: SourceCache) -> Rendered:
    """Mix the spec, then apply its file chain."""
    n = int(round(spec.duration * SR))
    stems: dict[str, np.ndarray] = {}
    spans: dict[str, tuple[int, int]] = {}
    offsets: dict[str, float] = {}
    if spec.bed is not None:
        bed = dsp.loop_from(sources.get(spec.bed.source.file), int(round(spec.bed.offset * SR)),
                            max(n, int(round(spec.bed.level_span * SR))))
        span_n = int(round(spec.bed.level_span * SR))
        level = dsp.rms_db(bed[:span_n])
        stems["bed"] = (bed[:n] * (dsp.db_to_gain(spec.bed.level_db - level) if level > -100 else 0.0))
        spans["bed"] = (0, min(n, span_n))
    if spec.room.noise_db is not None:
        # drawn at a fixed length, so a longer b starts with a's floor
        noise = dsp.colored_noise(max(n, NOISE_SECONDS * SR), spec.room.noise_alpha, spec.room.noise_seed)[:n]
        stems["noise"] = noise * dsp.db_to_gain(spec.room.noise_db)
        spans["noise"] = (0, n)
    ir = dsp.noise_ir(spec.room.rt60, spec.room.ir_seed)
    for i, s in enumerate(spec.sounds):
        stems[f"sound{i}"], spans[f"sound{i}"], offsets[f"sound{i}"] = _place_sound(
            s, sources.get(s.source.file), ir, n)
    mix = np.zeros(n, np.float32)
    for stem in stems.values():
        mix += stem
    if spec.room.mic_highpass_hz > 0:
        mix = dsp.butter_sos(mix, "highpass", spec.room.mic_highpass_hz)
    if spec.room.mic_tilt_db:
        mix = dsp.shelf(mix, 3000.0, spec.room.mic_tilt_db, high=True)
    audio, gain_db, codec_applied = apply_file_chain(mix, spec.file)
    return Rendered(audio, mix, stems, spans, gain_db, codec_applied, offsets)


def apply_file_chain(mix: np.ndarray, chain: FileChain) -> tuple[np.ndarray, float, bool]:
    """Band-limit, gain (normalize or random), codec round trip, never clip; returns (audio, gain dB,
    codec applied)."""
    x = dsp.band_limit(mix, chain.resample_hz) if chain.resample_hz else mix.copy()
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if chain.gain_mode == "peak":
        gain_db = chain.gain_target_db - 20 * np.log10(peak + dsp.EPS)
    elif chain.gain_mode == "loudness":
        gain_db = chain.gain_target_db - dsp.rms_db(x)
    elif chain.gain_mode == "random":
        gain_db = chain.gain_target_db
    else:
        gain_db = 0.0
    gain_db = float(min(gain_db, -20 * np.log10(peak + dsp.EPS) - 0.1))  # no clipping: peak <= -0.1 dBFS
    x = x * dsp.db_to_gain(gain_db)
    codec_applied = False
    if chain.codec:
        coded = dsp.codec_roundtrip(x, chain.codec, chain.codec_quality)
        if coded is not None:
            x, codec_applied = coded, True
            over = float(np.max(np.abs(x))) if x.size else 0.0
            if over > 0.999:  # lossy coding can overshoot the normalized peak
                x = x * (0.999 / over)
                gain_db += float(20 * np.log10(0.999 / over))
    return x.astype(np.float32), gain_db, codec_applied
