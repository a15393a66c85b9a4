"""Scenes of the v2 data: which classes can be a scene's bed, which events are typical there.

Any training class may still appear as an event in any scene (probability 1 - p_typical per event),
and the `isolated` scene (no bed: one main sound, as most library files are) draws its main sound
uniformly over all classes, so every class of classes.json is used. Rain and Traffic keep the first
release's beds and typical events (those of Takeuchi et al.'s setup) so their figures stay comparable.
Class ids missing from a split's pool are skipped; a scene without any of its beds in a split draws
from its fallback beds (e.g. traffic: car engine when the catalog has no traffic class) and is not
built when those are missing too (training.pairs_v2 prints which).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneV2:
    name: str
    beds: tuple[str, ...]  # () = isolated: no bed, one main sound
    typical: tuple[str, ...]  # event classes drawn with probability p_typical
    p_typical: float = 0.7
    # P(0, 1, 2, 3, 4 labelled events in clip a)
    n_events_p: tuple[float, ...] = (0.1, 0.3, 0.3, 0.2, 0.1)
    fallback_beds: tuple[str, ...] = ()  # used only when no class of `beds` has recordings in a split

    def bed_choices(self, available: set[str]) -> list[str]:
        """Bed classes to draw from, given the classes with bed recordings in a split."""
        return [c for c in self.beds if c in available] or [c for c in self.fallback_beds if c in available]


SCENES_V2: dict[str, SceneV2] = {s.name: s for s in (
    SceneV2("rain", ("rain",), ("thunder", "dog", "chirping_birds", "bell", "footsteps"), p_typical=0.85),
    SceneV2("traffic", ("traffic",), ("car_horn", "dog", "footsteps", "bell", "chirping_birds"), p_typical=0.85,
            fallback_beds=("car_engine",)),
    SceneV2("forest", ("forest_ambience", "wind", "chirping_birds", "insects", "water_stream"),
            ("chirping_birds", "crow", "owl", "wolf", "footsteps", "wood_impact", "insects", "frog",
             "dog", "water_splash", "thunder", "horse", "digging")),
    SceneV2("city_street", ("traffic", "crowd"),
            ("car_horn", "siren", "footsteps", "speech", "dog", "bell", "car_engine", "tire_skid",
             "glass_break", "crash", "laughter", "scream", "train", "aircraft", "helicopter"),
            fallback_beds=("car_engine",)),
    SceneV2("interior", ("room_tone", "machinery", "fire", "music"),
            ("door", "footsteps", "clock", "speech", "click", "beep", "alarm", "glass_break", "coins",
             "laughter", "breathing", "cat", "dog", "power_tool", "metal_clank", "music", "applause")),
    SceneV2("seaside", ("sea_waves", "wind"),
            ("seagull", "boat", "speech", "footsteps", "water_splash", "dog", "laughter", "bell", "wind"),
            fallback_beds=("water_stream",)),
    SceneV2("isolated", (), (), p_typical=0.0, n_events_p=(0.7, 0.25, 0.05)),
)}
SCENE_ORDER: tuple[str, ...] = tuple(SCENES_V2)  # index used in the pair seeds: never reorder


def scene_index(name: str) -> int:
    return SCENE_ORDER.index(name)
