"""OOD scenes: which main sound (bed) and which event classes each scene may use.

A scene uses the classes of its lists that the ood sources hold; the main sound is the first bed
class with an ood background recording (or an event-role one of at least MIN_BED_SECONDS), else one
of training.ood.sources.PROCEDURAL_BEDS synthesized. The
isolated scene has no bed: its main sound is one event recording on a faint noise floor.
"""

from __future__ import annotations

from dataclasses import dataclass

from training.ood.sources import PROCEDURAL_BEDS, Source, SourcePool, synthetic_bed

ISOLATED = "isolated"
MIN_EVENT_CLASSES = 3  # a scene with fewer usable event classes is dropped
MIN_BED_SECONDS = 6.0  # an event-role recording this long may serve as a bed when no background one exists


@dataclass(frozen=True)
class OodScene:
    name: str
    beds: tuple[str, ...]  # main-sound classes, in order of preference; empty = isolated
    events: tuple[str, ...]  # event classes that may occur in the scene


SCENES: tuple[OodScene, ...] = (
    OodScene("rain", ("rain",), ("thunder", "dog", "chirping_birds", "bell", "footsteps", "door", "car_horn",
                                 "crow", "speech", "water_splash", "owl")),
    OodScene("traffic", ("traffic",), ("car_horn", "siren", "dog", "footsteps", "bell", "speech", "car_engine",
                                       "tire_skid", "chirping_birds", "door", "aircraft", "helicopter")),
    OodScene("forest", ("forest_ambience", "chirping_birds", "insects", "wind"),
             ("crow", "owl", "wood_impact", "dog", "footsteps", "wolf", "frog", "chirping_birds", "water_splash",
              "horse", "digging", "thunder", "insects")),
    OodScene("city_street", ("crowd", "traffic"), ("car_horn", "siren", "footsteps", "bell", "dog", "speech",
                                                   "door", "car_engine", "music", "glass_break", "laughter",
                                                   "helicopter")),
    OodScene("interior", ("room_tone", "machinery"), ("door", "clock", "footsteps", "speech", "click",
                                                      "glass_break", "laughter", "beep", "metal_clank", "coins",
                                                      "alarm", "breathing", "music", "punch", "pain_grunt")),
    OodScene("seaside", ("sea_waves",), ("seagull", "boat", "speech", "dog", "bell", "water_splash", "wind",
                                         "footsteps", "laughter", "chirping_birds", "thunder", "helicopter")),
    OodScene(ISOLATED, (), ()),  # events: every ood event class with two recordings or more
)
BY_NAME = {s.name: s for s in SCENES}


@dataclass(frozen=True)
class SceneSources:
    scene: OodScene
    main: str | None  # bed class (None for isolated)
    beds: tuple[Source, ...]  # recordings of the bed class (one procedural source if synthetic)
    events: tuple[str, ...]  # usable event classes

    @property
    def bed_synthetic(self) -> bool:
        return any(s.path is None for s in self.beds)


def resolve(scene: OodScene, pool: SourcePool) -> SceneSources | None:
    """The scene's main sound and usable event classes under this pool, or None if it is too thin."""
    if scene.name == ISOLATED:
        events = tuple(pool.event_labels(min_sources=2))
        return SceneSources(scene, None, (), events) if len(events) >= MIN_EVENT_CLASSES else None
    events = tuple(label for label in scene.events if pool.events.get(label))
    if len(events) < MIN_EVENT_CLASSES:
        return None
    for bed in scene.beds:
        recordings = pool.beds.get(bed) or [s for s in pool.events.get(bed, []) if s.duration >= MIN_BED_SECONDS]
        if recordings:
            return SceneSources(scene, bed, tuple(recordings), tuple(e for e in events if e != bed))
    for bed in scene.beds:
        if bed in PROCEDURAL_BEDS:
            return SceneSources(scene, bed, (synthetic_bed(bed),), events)
    return None
