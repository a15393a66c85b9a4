"""The recordings a long-file benchmark may use, and which of them play which part.

Only recordings the shipped heads never trained on: the first release's evaluation split
(`data/sources/split.csv`, split `eval`: originals, original segments and footstep walks, no pitch or
filter variants; the heads were trained on its `dev` split) and, for beds of classes the first release
did not have, the catalog's evaluation split (`data/catalog/catalog.csv`, split `eval`). The reserved
packages never enter either table.

Per bed class the longest recording is the bed; the others are the query recordings (a bed clip "from
another recording"). A class with one recording is cut in two: its first 75 % is the bed, the rest the
query recording. Events keep every recording for planting; a query that starts from the event sound
uses another recording of the class when there is one. A recording the catalog labelled as another
class after listening (YAMNet) is not planted.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
BED_CLASSES_SOURCES = ("rain", "chirping_birds", "traffic")  # known to the shipped heads
BED_CLASSES_CATALOG = ("wind", "water_stream")  # unknown to them: beds the words cannot name
EVENT_CLASSES = ("dog", "thunder", "car_horn", "church_bells", "footsteps", "chirping_birds")
SOURCE_KINDS = {"original", "original_segment", "walk"}
MAX_EVENT_SECONDS = 12.0  # longer recordings of an event class (e.g. a 100 s birds take) are beds
SPLIT_AT = 0.75

# The words of a query, per class: what a user would type.
ADD_WORDS = {"dog": "add dog barking", "thunder": "add thunder", "car_horn": "add a car horn",
             "church_bells": "add church bells", "footsteps": "add footsteps", "chirping_birds": "add birds",
             "rain": "add rain", "traffic": "add traffic", "wind": "add wind", "water_stream": "add a stream"}


@dataclass(frozen=True)
class Recording:
    """A sound file (or consecutive segment files of one take, played in order), or the part
    [start, end) seconds of it (end None: to the end)."""

    paths: tuple[Path, ...]
    label: str
    start: float = 0.0
    end: float | None = None

    @property
    def path(self) -> Path:
        return self.paths[0]

    def load(self) -> np.ndarray:
        from model.audio_io import load_audio_16k

        audio = np.concatenate([load_audio_16k(p) for p in self.paths])
        stop = None if self.end is None else int(self.end * SAMPLE_RATE)
        return audio[int(self.start * SAMPLE_RATE) : stop]

    @property
    def name(self) -> str:
        more = f"+{len(self.paths) - 1}" if len(self.paths) > 1 else ""
        part = "" if (self.start, self.end) == (0.0, None) else f"[{self.start:g}-{self.end or ''}s]"
        return f"{self.path.name}{more}{part}"


@dataclass
class SoundPool:
    beds: dict[str, list[Recording]] = field(default_factory=dict)  # class -> bed recordings
    bed_queries: dict[str, list[Recording]] = field(default_factory=dict)  # class -> query recordings
    events: dict[str, list[Recording]] = field(default_factory=dict)  # class -> planted recordings

    def check(self) -> None:
        empty = [c for c in self.beds if not self.beds[c] or not self.bed_queries.get(c)]
        empty += [c for c, recs in self.events.items() if not recs]
        if empty or not self.beds or not self.events:
            raise ValueError(f"sound pool has no recordings for: {', '.join(empty) or 'beds or events'}")

    def event_query(self, label: str, planted: Recording, rng: np.random.Generator) -> Recording:
        """A recording of ``label`` other than ``planted`` when the class has one."""
        others = [r for r in self.events[label] if r.path != planted.path]
        return others[rng.integers(len(others))] if others else planted


def _split_beds(pool: SoundPool, label: str, recordings: list[tuple[Recording, float]]) -> None:
    recordings = sorted(recordings, key=lambda rd: (-rd[1], str(rd[0].path)))
    if len(recordings) == 1:
        rec, seconds = recordings[0]
        cut = round(SPLIT_AT * seconds, 3)
        pool.beds[label] = [Recording(rec.paths, label, 0.0, cut)]
        pool.bed_queries[label] = [Recording(rec.paths, label, cut, None)]
    else:
        pool.beds[label] = [recordings[0][0]]
        pool.bed_queries[label] = [r for r, _ in recordings[1:]]


def catalog_disagrees(sources: Path, catalog: Path) -> set[str]:
    """Source groups the catalog labelled as another class after listening with YAMNet (e.g. a game's
    "dog" voice line that is speech): not planted as that class."""
    with open(sources / "manifest.csv", newline="") as f:
        origin = {r["source_path"]: (r["file"], r["class"]) for r in csv.DictReader(f)}
    with open(catalog / "catalog.csv", newline="") as f:
        return {origin[r["source_path"]][0] for r in csv.DictReader(f)
                if r["source_path"] in origin and r["label"] != origin[r["source_path"]][1]}


def project_pool(sources: Path, catalog: Path) -> SoundPool:
    """The pool of this project's held-out recordings (see the module docstring)."""
    pool = SoundPool()
    relabelled = catalog_disagrees(sources, catalog)
    groups: dict[str, dict[str, list[tuple[Path, float]]]] = defaultdict(lambda: defaultdict(list))
    events: dict[str, list[Recording]] = defaultdict(list)
    with open(sources / "split.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] != "eval" or row["kind"] not in SOURCE_KINDS:
                continue
            path, label, seconds = sources / row["file"], row["class"], float(row["duration"])
            if label in BED_CLASSES_SOURCES and (row["role"] == "bg" or seconds > MAX_EVENT_SECONDS):
                groups[label][row["group"]].append((path, seconds))
            elif label in EVENT_CLASSES and seconds <= MAX_EVENT_SECONDS and row["group"] not in relabelled:
                events[label].append(Recording((path,), label))
    for label, by_group in groups.items():
        # a group's segments (seg00, seg01, ...) are one take cut in 10 s pieces: one recording
        recordings = [(Recording(tuple(p for p, _ in sorted(parts)), label), sum(s for _, s in parts))
                      for parts in by_group.values()]
        _split_beds(pool, label, recordings)
    with open(catalog / "catalog.csv", newline="") as f:
        by_label: dict[str, list[tuple[Recording, float]]] = defaultdict(list)
        for row in csv.DictReader(f):
            if row["split"] == "eval" and row["label"] in BED_CLASSES_CATALOG and row["role"] == "background":
                by_label[row["label"]].append(
                    (Recording((catalog / row["file"],), row["label"]), float(row["duration"])))
    for label, recordings in by_label.items():
        _split_beds(pool, label, recordings)
    pool.events = {label: sorted(recs, key=lambda r: str(r.path)) for label, recs in events.items()}
    pool.check()
    return pool


def tiny_pool(folder: Path, seed: int = 0) -> SoundPool:
    """A synthetic pool (filtered noise beds, tone-burst events) for the smoke setting and tests."""
    from model.audio_io import write_wav

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pool = SoundPool()

    def write(name: str, audio: np.ndarray) -> Path:
        path = folder / f"{name}.wav"
        write_wav(path, (audio / (np.abs(audio).max() + 1e-9) * 0.5).astype(np.float32), SAMPLE_RATE)
        return path

    for b, label in enumerate(("rain", "traffic")):
        takes = []
        for take in range(2):
            noise = rng.standard_normal(SAMPLE_RATE * 8)
            kernel = np.hanning(4 + 20 * b)  # traffic is darker than rain
            takes.append(Recording((write(f"{label}_{take}", np.convolve(noise, kernel, "same")),), label))
        pool.beds[label], pool.bed_queries[label] = takes[:1], takes[1:]
    t = np.arange(int(SAMPLE_RATE * 1.5)) / SAMPLE_RATE
    for e, label in enumerate(("dog", "thunder")):
        pool.events[label] = [
            Recording((write(f"{label}_{i}", np.sin(2 * np.pi * (300 + 900 * e + 40 * i) * t) * np.exp(-2 * t)),),
                      label) for i in range(2)]
    return pool
