"""A seeded set of long recordings with planted events, their ground truth and the queries.

Layout of ``out``:
    library/take_NN.wav    the long files (16 kHz mono PCM-16), one bed each, events planted
    queries/q_NNN.wav      query clips (never inside the library folder)
    ground_truth.csv       file,bed,bed_source,event,event_source,start,end,snr_db
    queries.csv            query_path,query_start,query_end,text,target_path,target_start,target_end,kind,bed,event
    plan.json              the parameters; a build with the same parameters is reused

Queries, one or two per planted event ("audio + add X" in the issue's sense):
    bed+words    10 s of the bed's class from another recording + "add <event>" (e.g. rain + "add dog
                 barking" must find the dog's moment in a rain take)
    event+words  the event's sound from another recording of its class when there is one + "add <bed>"
                 (only beds the shipped heads have words for: rain, traffic, birds)
    region+words a 10 s region of the same take, at least 15 s from any of its events (query_start,
                 query_end), + "add <event>": "find the dog in this take" from a selection of it
The audio-only baseline is the same query without the words.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from bench.long.pool import ADD_WORDS, EVENT_CLASSES, SoundPool
from bench.long.render import BED_DB, SAMPLE_RATE, bed_track, event_sound, loop_to, plant, set_level

BUILD_VERSION = 1  # the takes
QUERIES_VERSION = 2  # the queries (rebuilt alone when only this changes)
WORDED_BEDS = ("rain", "traffic", "chirping_birds")  # bed classes the shipped heads were trained on
QUERY_SECONDS = 10.0
MARGIN_SECONDS = 15.0
REGION_GAP_SECONDS = 15.0


@dataclass(frozen=True)
class LongSetConfig:
    files: int = 30
    seconds: float = 600.0
    events_per_file: int = 4
    snr_db: tuple[float, float] = (3.0, 12.0)
    seed: int = 0


@dataclass(frozen=True)
class PlantedEvent:
    file: str
    bed: str
    bed_source: str
    event: str
    event_source: str
    start: float
    end: float
    snr_db: float


def event_times(rng: np.random.Generator, n: int, seconds: float, lengths: list[float]) -> list[float]:
    """One start per event, each inside its own equal slot of [MARGIN, seconds - MARGIN] (no overlaps)."""
    slot = (seconds - 2 * MARGIN_SECONDS) / n
    return [round(MARGIN_SECONDS + i * slot + float(rng.uniform(0, max(0.0, slot - lengths[i] - 1.0))), 2)
            for i in range(n)]


def render_take(pool: SoundPool, config: LongSetConfig, index: int, bed: str,
                cache: dict) -> tuple[np.ndarray, list[PlantedEvent]]:
    rng = np.random.default_rng([config.seed, index])
    bed_rec = pool.beds[bed][index // len(pool.beds) % len(pool.beds[bed])]
    track = bed_track(_load(bed_rec, cache), config.seconds, rng)
    classes = [c for c in EVENT_CLASSES if c in pool.events and c != bed]
    chosen = [classes[i] for i in rng.permutation(len(classes))[: config.events_per_file]]
    recs = [pool.events[c][rng.integers(len(pool.events[c]))] for c in chosen]
    sounds = [event_sound(_load(r, cache), rng) for r in recs]
    times = event_times(rng, len(chosen), config.seconds, [len(s) / SAMPLE_RATE for s in sounds])
    name = f"take_{index:02d}.wav"
    planted = []
    for label, rec, sound, at in zip(chosen, recs, sounds, times, strict=True):
        snr = round(float(rng.uniform(*config.snr_db)), 1)
        start, end = plant(track, sound, at, snr)
        planted.append(PlantedEvent(name, bed, bed_rec.name, label, rec.name, round(start, 3), round(end, 3), snr))
    return track, planted


def _load(rec, cache: dict) -> np.ndarray:
    if rec not in cache:
        cache[rec] = rec.load()
    return cache[rec]


def make_queries(pool: SoundPool, planted: list[PlantedEvent], out: Path, seed: int, seconds: float,
                 cache: dict) -> list[dict]:
    rng = np.random.default_rng([seed, 10_000])
    (out / "queries").mkdir(parents=True, exist_ok=True)
    rows = []
    by_name = {r.name: r for recs in pool.events.values() for r in recs}

    def write(audio: np.ndarray) -> str:
        rel = f"queries/q_{len(rows):03d}.wav"
        sf.write(out / rel, np.clip(audio, -1, 1), SAMPLE_RATE, subtype="PCM_16")
        return rel

    for ev in planted:
        target = {"target_path": f"library/{ev.file}", "target_start": ev.start, "target_end": ev.end,
                  "bed": ev.bed, "event": ev.event}
        take = pool.bed_queries[ev.bed][rng.integers(len(pool.bed_queries[ev.bed]))]
        rows.append({"query_path": write(loop_to(_load(take, cache), QUERY_SECONDS, rng)),
                     "text": ADD_WORDS[ev.event], "kind": "bed+words", **target})
        if ev.bed in WORDED_BEDS:
            other = pool.event_query(ev.event, by_name[ev.event_source], rng)
            sound = set_level(event_sound(_load(other, cache), rng), BED_DB + 6)
            rows.append({"query_path": write(sound), "text": ADD_WORDS[ev.bed], "kind": "event+words", **target})
    rows = [{"query_start": "", "query_end": "", **r} for r in rows]
    region_rng = np.random.default_rng([seed, 20_000])
    for ev in planted:
        start = quiet_region(region_rng, [e for e in planted if e.file == ev.file], seconds)
        if start is not None:
            rows.append({"query_start": start, "query_end": start + QUERY_SECONDS,
                         "query_path": f"library/{ev.file}", "text": ADD_WORDS[ev.event], "kind": "region+words",
                         "target_path": f"library/{ev.file}", "target_start": ev.start, "target_end": ev.end,
                         "bed": ev.bed, "event": ev.event})
    return rows


def quiet_region(rng: np.random.Generator, events: list[PlantedEvent], seconds: float) -> float | None:
    """Start of a QUERY_SECONDS region at least REGION_GAP_SECONDS away from every event, or None."""
    for _ in range(200):
        start = round(float(rng.uniform(5.0, seconds - QUERY_SECONDS - 5.0)), 2)
        if all(start + QUERY_SECONDS + REGION_GAP_SECONDS <= e.start or e.end + REGION_GAP_SECONDS <= start
               for e in events):
            return start
    return None


def build_long_set(pool: SoundPool, config: LongSetConfig, out: Path) -> tuple[list[PlantedEvent], list[dict]]:
    """Write the set (or reuse one built with the same parameters); returns (planted events, query rows)."""
    plan = {"version": BUILD_VERSION, **asdict(config),
            "pool": {k: [r.name for r in v] for k, v in sorted({**pool.beds, **pool.events}.items())}}
    plan_path = out / "plan.json"
    old = json.loads(plan_path.read_text()) if plan_path.exists() else {}
    if old.pop("queries_version", None) == QUERIES_VERSION and old == json.loads(json.dumps(plan)):
        return read_ground_truth(out / "ground_truth.csv"), read_rows(out / "queries.csv")
    plan_path.unlink(missing_ok=True)
    if old == json.loads(json.dumps(plan)):  # same takes: new queries only
        planted = read_ground_truth(out / "ground_truth.csv")
        rows = make_queries(pool, planted, out, config.seed, config.seconds, {})
        write_csv(out / "queries.csv", rows)
        plan_path.write_text(json.dumps({**plan, "queries_version": QUERIES_VERSION}, indent=1))
        return planted, rows
    (out / "library").mkdir(parents=True, exist_ok=True)
    beds = sorted(pool.beds)
    cache: dict = {}
    planted: list[PlantedEvent] = []
    for i in range(config.files):
        track, events = render_take(pool, config, i, beds[i % len(beds)], cache)
        peak = float(np.abs(track).max())  # a loud event may clip: scale the take down (SNRs unchanged)
        sf.write(out / "library" / f"take_{i:02d}.wav", track / max(1.0, peak / 0.99), SAMPLE_RATE,
                 subtype="PCM_16")
        planted += events
    rows = make_queries(pool, planted, out, config.seed, config.seconds, cache)
    write_csv(out / "ground_truth.csv", [asdict(p) for p in planted])
    write_csv(out / "queries.csv", rows)
    plan_path.write_text(json.dumps({**plan, "queries_version": QUERIES_VERSION}, indent=1))
    return planted, rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def read_ground_truth(path: Path) -> list[PlantedEvent]:
    return [PlantedEvent(r["file"], r["bed"], r["bed_source"], r["event"], r["event_source"], float(r["start"]),
                         float(r["end"]), float(r["snr_db"])) for r in read_rows(path)]
