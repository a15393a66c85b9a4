"""Notes on library files holding a sound the words add when no result does (app.named_sounds), from class rows
made by hand, and through the service on an imported library."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from app.named_sounds import HEARD_MIN, asked_sounds, named_sound_notes, sound_presence, with_named_classes
from model.class_scores import main_sound_class, probabilities
from model.yamnet import class_names
from tests.library_helpers import imported_library

COLUMN = {name: i for i, name in enumerate(class_names())}


def raw_for(p: float) -> int:
    """The uint8 class output whose probability is nearest p."""
    return int(np.argmin(np.abs(probabilities(np.arange(256, dtype=np.uint8)) - p)))


def rows(n: int, heard: dict[int, tuple[str, float]]) -> np.ndarray:
    """n class rows at a faint floor; row i holds AudioSet class name at probability p for heard[i] = (name, p)."""
    out = np.full((n, 521), raw_for(0.02), dtype=np.uint8)
    for i, (name, p) in heard.items():
        out[i, COLUMN[name]] = raw_for(p)
    return out


LIB = [Path(f"/lib/{name}.wav") for name in ("rain", "thunder_a", "thunder_b", "growl", "dog")]
CLASSES = rows(5, {1: ("Thunder", 0.97), 2: ("Thunder", 0.9), 3: ("Growling", 0.95), 4: ("Dog", 0.6)})


def test_asked_sounds_are_the_sounds_the_words_add():
    assert asked_sounds("add thunder and a dog barking") == ["thunder", "dog"]
    assert asked_sounds("make the rain louder") == []  # the query holds it already
    assert asked_sounds("remove the thunder") == [] and asked_sounds("") == []


def notes_for(text: str, shown: list[int], gone: tuple[int, ...] = ()):
    """Notes with LIB as the library (row i = LIB[i]) and the results ``shown`` (row indices)."""
    return named_sound_notes(asked_sounds(text), len(shown), np.array(shown, dtype=np.int64), CLASSES,
                             np.arange(len(LIB)), lambda picked: [None if i in gone else LIB[i] for i in picked])


def test_a_note_names_the_strongest_holders_when_no_result_holds_the_sound():
    notes = notes_for("add thunder", [0, 3])
    assert len(notes) == 1 and notes[0].sound == "thunder" and notes[0].in_library == 2
    assert notes[0].examples == (LIB[1], LIB[2])  # strongest first
    assert notes[0].message() == ("thunder: Nudge hears it clearly in 2 library files not among the first 2 results: "
                                  "thunder_a.wav, thunder_b.wav")


def test_no_note_when_a_result_holds_it_or_nothing_is_heard_or_nothing_shown():
    assert notes_for("add thunder", [2]) == []
    assert notes_for("add a car horn", [0]) == []  # nobody: no claim at all
    assert notes_for("add thunder", []) == []
    assert notes_for("add thunder", [0], gone=(1, 2)) == []  # the holders left the library since


def test_only_the_main_class_counts_and_under_the_threshold_nothing():
    assert main_sound_class("dog") == COLUMN["Dog"] and main_sound_class("no such sound") is None
    presence = sound_presence(CLASSES, "dog")
    assert presence[3] < 0.1  # growling is not a dog
    assert 0.55 < presence[4] < HEARD_MIN  # a dog heard at 0.6 is not named
    assert notes_for("add a dog barking", [0]) == []
    assert not sound_presence(np.zeros((2, 521), dtype=np.uint8), "thunder").any()  # rows without class scores


def test_service_notes_skip_the_query_and_follow_the_class_rows(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 4)
    snap = svc._current_snapshot()
    fake = np.full((len(snap.classes), 521), raw_for(0.02), dtype=np.uint8)
    row = {svc.db.vector_ref(p).row: p for p in paths}
    thunder_row = next(r for r, p in row.items() if p == paths[2])
    fake[thunder_row, COLUMN["Thunder"]] = raw_for(0.9)
    svc._current_snapshot = lambda: replace(snap, classes=fake)
    ids = [svc.file_info(p).id for p in paths]
    notes = svc.named_sound_notes("add thunder", [ids[1]], exclude=[paths[0]])
    assert [n.examples for n in notes] == [(paths[2],)]
    assert svc.named_sound_notes("add thunder", [ids[1]], exclude=[paths[2]]) == []  # the query itself
    assert svc.named_sound_notes("add thunder", [ids[2]]) == []
    assert svc.named_sound_notes("make it louder", [ids[1]]) == []
    svc.close()


def test_words_alone_weigh_the_named_sounds_class():
    """Hiss ranked first for "thunder" by cosine: the files YAMNet hears thunder in come first once weighed."""
    from app.moments import FileHit

    hits = [FileHit(block, block, score, 0.0, None, 0) for block, score in ((0, 0.50), (3, 0.45), (1, 0.40),
                                                                         (2, 0.38), (4, 0.30))]
    first_rows = np.arange(5)
    order = [h.block for h in with_named_classes(hits, first_rows, CLASSES, ["thunder"], 0.4)]
    assert order == [1, 2, 0, 3, 4]
    assert with_named_classes(hits, first_rows, CLASSES, ["thunder"], 0.0) == hits
    assert with_named_classes(hits, first_rows, CLASSES, [], 0.4) == hits


def test_a_search_with_words_alone_puts_the_file_holding_the_sound_first(tmp_path, encoder):
    from app.config import IndexConfig

    svc, paths = imported_library(tmp_path, encoder, 6)
    snap = svc._current_snapshot()
    fake = np.full((len(snap.classes), 521), raw_for(0.02), dtype=np.uint8)
    plain = svc.search(None, "thunder", top_k=6)
    last = plain[-1].path  # the cosine's last: YAMNet hears thunder there
    fake[svc.db.vector_ref(last).row, COLUMN["Thunder"]] = raw_for(0.95)
    svc._current_snapshot = lambda: replace(snap, classes=fake)
    assert svc.search(None, "thunder", top_k=6)[0].path == last
    svc.config = IndexConfig(workers=0, words_alone_classes=0.0)
    assert [r.path for r in svc.search(None, "thunder", top_k=6)] == [r.path for r in plain]
    svc.close()


def test_a_result_that_holds_the_sound_under_others_says_no_note():
    """A mix holds the added sound under the bed: YAMNet hears it far below HEARD_MIN there; no note then (it read
    as "your results lack thunder" beside five thunder mixes)."""
    mixed = rows(6, {1: ("Thunder", 0.97), 2: ("Thunder", 0.9), 5: ("Thunder", 0.3)})
    lib = [*LIB, Path("/lib/rain_with_thunder.wav")]

    def notes(classes):
        return named_sound_notes(["thunder"], 1, np.array([5]), classes, np.arange(6), lambda p: [lib[i] for i in p])

    assert notes(mixed) == []
    assert len(notes(rows(6, {1: ("Thunder", 0.97), 5: ("Thunder", 0.03)}))) == 1  # heard nowhere in the result


def test_same_named_files_in_a_note_are_told_apart_by_their_folder():
    from app.named_sounds import NamedSoundNote

    note = NamedSoundNote("insects", 10, 2, (Path("/a/forest/cricket_loop.flac"), Path("/a/night/cricket_loop.flac")))
    assert note.message().endswith("cricket_loop.flac (in forest), cricket_loop.flac (in night)")


def test_seagulls_are_heard_as_squawks_not_as_birdsong():
    assert main_sound_class("seagull") == COLUMN["Squawk"] != main_sound_class("chirping_birds")


def test_a_level_change_or_removal_of_a_sound_the_query_lacks_is_said():
    """A trial's "make the wind louder" on a forest of birds sent the results to glass and swords with no word why."""
    from app.named_sounds import unheard_in_query
    from model.modifier_parser import parse_modifier

    def notes(text: str, query: np.ndarray | None) -> list[str]:
        return [n.message() for n in unheard_in_query(parse_modifier(text).edits, query)]

    birds = rows(1, {0: ("Bird vocalization, bird call, bird song", 0.9)})[0]
    assert notes("make the wind louder", birds) == [
        "wind: Nudge does not hear it in the query, so there is none to make louder "
        "(\u201cadd wind\u201d asks for it)"]
    assert notes("remove the dog and make the thunder quieter", birds) == [
        "dog barking: Nudge does not hear it in the query, so there may be none to remove",
        "thunder: Nudge does not hear it in the query, so there may be none to make quieter"]
    assert notes("make the birds quieter", birds) == [  # heard: the only sound, so a hint (tests/test_own_sound.py)
        "birds: the sound Nudge hears most in the query; if the query is birds alone, \u201cmake it quieter\u201d "
        "leans a little toward quieter takes of it among other recordings; naming the sound, as here, reads its "
        "level in edited versions of this clip better"]
    assert notes("add wind", birds) == notes("make it louder", birds) == []  # an add; no sound named
    windy = rows(1, {0: ("Wind noise (microphone)", 0.3)})[0]  # any of the sound's AudioSet classes counts
    assert notes("make the wind louder", windy) == []
    assert notes("make the wind louder", None) == notes("make the wind louder", np.zeros(521, np.uint8)) == []


def test_adding_an_event_the_query_clearly_holds_is_said():
    """A trial's "put the cow in the rain" on a cow recording read "add cow", more of the query's own sound, with no
    word about it; a bed added ("add rain" to rain: more rain, as meant) or a sound heard faintly is not said."""
    from app.named_sounds import unheard_in_query
    from model.modifier_parser import parse_modifier

    def notes(text: str, query: np.ndarray) -> list[str]:
        return [n.message() for n in unheard_in_query(parse_modifier(text).edits, query)]

    cow = rows(1, {0: ("Cattle, bovinae", 0.95)})[0]
    assert notes("put the cow in the rain", cow) == [
        "cow: Nudge already hears it clearly in the query, so \u201cadd cow\u201d asks for more of it (to put it in a "
        "place, add that place's sound instead, as \u201cadd rain\u201d)"]
    faint = rows(1, {0: ("Cattle, bovinae", 0.4)})[0]
    assert notes("add a cow", faint) == []
    rain = rows(1, {0: ("Rain", 0.95)})[0]
    assert notes("add rain", rain) == []


def test_a_crowd_heard_as_speech_is_heard():
    """A trial's market crowd, heard by YAMNet as speech (0.95) and not as "Crowd" or "Chatter", was said to have no
    crowd to make quieter; speech counts for a crowd now (HEARD_ALSO), a voice alone too, birds still do not."""
    from app.named_sounds import unheard_in_query
    from model.modifier_parser import parse_modifier

    def notes(text: str, query: np.ndarray) -> list[str]:
        return [n.sound for n in unheard_in_query(parse_modifier(text).edits, query)]

    market = rows(1, {0: ("Speech", 0.95)})[0]
    assert notes("make the crowd quieter", market) == notes("get the people out", market) == []
    birds = rows(1, {0: ("Bird vocalization, bird call, bird song", 0.9)})[0]
    assert notes("make the crowd quieter", birds) == ["crowd"]


def test_the_service_says_it_for_a_library_query_from_its_stored_classes(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 3)
    snap = svc._current_snapshot()
    fake = np.full((len(snap.classes), 521), raw_for(0.02), dtype=np.uint8)
    fake[svc.db.vector_ref(paths[1]).row, COLUMN["Wind"]] = raw_for(0.8)
    svc._current_snapshot = lambda: replace(snap, classes=fake)
    assert [n.sound for n in svc.unheard_in_query(paths[0], "make the wind louder")] == ["wind"]
    from app.named_sounds import OwnSoundNote

    assert svc.unheard_in_query(paths[1], "make the wind louder") == [OwnSoundNote("wind", "louder")]  # heard alone
    assert svc.unheard_in_query(None, "make the wind louder") == svc.unheard_in_query(paths[0], "") == []
    svc.close()

def test_a_query_named_for_the_sound_yamnet_hardly_hears_is_said_so(tmp_path, encoder):
    """A trial: "YAMNet does not hear it in the query" on helicopter.wav ("make the helicopter louder") and on
    jet_engine_outside.wav ("lose the jet whine") read as plainly wrong; the note now says the name says it, and
    offers no "add helicopter" to a helicopter."""
    import shutil

    svc, paths = imported_library(tmp_path, encoder, 3)
    named = paths[0].with_name("jet_engine_outside.wav")
    shutil.copy(paths[0], named)
    for text, kind in (("make the helicopter louder", "make louder"), ("lose the jet whine", "remove")):
        query = named if "jet" in text else paths[0].with_name("helicopter.wav")
        if not query.exists():
            shutil.copy(paths[0], query)
        [note] = svc.unheard_in_query(query, text)
        assert note.named and note.suggestion == ""
        assert note.message() == (f"{note.sound}: the query's file name says it, but Nudge hardly hears it there, "
                                  f"so the words have little of it to {kind} (the results may drift)")
    assert not svc.unheard_in_query(paths[0], "make the helicopter louder")[0].named  # named for nothing
    svc.close()



def test_an_outside_query_file_is_embedded_once_for_a_search_and_its_notes(tmp_path, encoder, monkeypatch):
    """A search asks again for its notes with the same query (the words changing little, a sound the query lacks):
    a file from outside the library is read and embedded once, not once per note; a change on disk reads it again."""
    import os

    from tests.helpers import tone, write_wav

    svc, paths = imported_library(tmp_path, encoder, 3)
    outside = tmp_path / "outside.wav"
    write_wav(outside, tone(440.0, 2.0))
    calls: list[str] = []
    embed = encoder.embed_file_with_classes
    monkeypatch.setattr(encoder, "embed_file_with_classes", lambda p: calls.append(str(p)) or embed(p))
    svc.search(outside, "make the wind louder", top_k=3)
    svc.unheard_in_query(outside, "make the wind louder")
    svc.search(outside, "", top_k=3)
    assert calls == [str(outside)]
    st = outside.stat()
    os.utime(outside, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    svc.unheard_in_query(outside, "make the wind louder")
    assert len(calls) == 2
    svc.close()


def test_a_holder_whose_name_says_it_is_another_sound_is_not_named():
    """A trial: "add rain" named river_fast_21.flac (YAMNet's Rain class fires on rivers) and "add thunder" jet.flac;
    a file named or filed as another sound, and not as this one, is not named and not counted."""
    from app.named_sounds import name_sounds

    lib = [Path("/sfx/Ambiences/Water/river_fast_21.flac"), Path("/sfx/Vehicles/Aircraft/jet.flac"),
           Path("/sfx/Weather/Thunder/thunder_11.flac"), Path("/sfx/Ambiences/Rain/RAIN.flac"),
           Path("/sfx/Ambiences/Fire/fire2.flac"), Path("/sfx/takes/take_03.wav")]
    assert "water_stream" in name_sounds(lib[0]) and name_sounds(lib[4]) == {"fire"} and not name_sounds(lib[5])
    classes = rows(6, {0: ("Rain", 0.97), 3: ("Rain", 0.9), 4: ("Rain", 0.9), 5: ("Rain", 0.88)})
    classes[1, COLUMN["Thunder"]], classes[2, COLUMN["Thunder"]] = raw_for(0.95), raw_for(0.9)

    def note(sound: str):
        return named_sound_notes([sound], 1, np.array([], dtype=np.int64), classes, np.arange(6),
                                 lambda picked: [lib[i] for i in picked])[0]

    rain = note("rain")
    assert rain.examples == (lib[3], lib[5]) and rain.in_library == 2  # the river and the fire left out
    thunder = note("thunder")
    assert thunder.examples == (lib[2],) and thunder.in_library == 1
