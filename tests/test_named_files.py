"""Notes on library files named or tagged for a sound the words ask for when no shown result is (app.named_files):
a trial's "add a rooster crowing" left rooster.wav 52nd and "make the rain louder" the other rain.wav 207th, unsaid."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from app.named_files import AskedSound, NamedForItNote, named_for_it_notes, says_it, sounds_asked
from tests.helpers import write_wav
from tests.library_helpers import clip, service

ROOSTER = AskedSound("chicken", ("chicken", "rooster", "hen", "cluck"), "chicken")
RAIN = AskedSound("rain", ("rain", "rainy", "drizzle", "downpour"), "rain")
THEREMIN = AskedSound("theremin", ("theremin",))


def test_the_sounds_asked_are_adds_and_raises_known_or_not():
    assert [(a.name, a.sound) for a in sounds_asked("add a rooster crowing and make the rain louder")] == [
        ("chicken", "chicken"), ("rain", "rain")]
    assert [(a.name, a.words) for a in sounds_asked("add a theremin")] == [("theremin", ("theremin",))]
    assert [a.words for a in sounds_asked("add some kazoos")] == [("kazoos", "kazoo")]  # the singular too
    assert sounds_asked("remove the rain") == [] and sounds_asked("add reverb") == [] and sounds_asked("") == []
    assert sounds_asked("make it quieter") == []  # "it": no sound to name files for
    # trial 43: "less wind" pointed at the wind files ("to search more like snowstorm_11.ogg ...")
    assert [a.sound for a in sounds_asked("more birds, less wind")] == ["chirping_birds"]
    assert sounds_asked("make the theremin quieter") == []


def test_a_name_or_tag_says_a_sound_by_a_whole_word():
    assert says_it("/lib/misc/rooster.wav", "", ROOSTER) and says_it("/lib/Rain/loop_01.wav", "", RAIN)
    assert says_it("/lib/gull/take 2.wav", "", AskedSound("seagulls", ("gull", "seagull"), "seagull"))
    assert not says_it("/lib/rainforest.wav", "", RAIN)  # no whole word
    wind = AskedSound("wind", ("wind",), "wind")  # trial 44: "add wind" named WindMill1.wav
    assert not says_it("/lib/Sounds/WindMill1.wav", "", wind) and not says_it("/lib/RainCoat.wav", "", RAIN)
    assert says_it("/lib/Sounds/WindHowl1.wav", "", wind) and says_it("/lib/RainHeavy_02.wav", "", RAIN)
    assert says_it("/lib/take_07.wav", "heavy rain on a tin roof", RAIN)  # its metadata or tags
    assert not says_it("/lib/Water/river_rain.wav", "", AskedSound("thunder", ("thunder",), "thunder"))


def notes(asked, shown=(), excluded=(), library=(), counts=None):
    files = [(i, display, text) for i, (display, text) in enumerate(library)]
    return named_for_it_notes(asked, set(shown), len(shown) or 10, lambda a: files, set(excluded),
                              lambda names: frozenset(n for n in names if (counts or {}).get(n, 1) > 1))


def test_a_note_names_files_named_for_the_sound_when_no_shown_result_is():
    library = [("/lib/a/moo.wav", ""), ("/lib/a/rooster.wav", ""), ("/lib/b/hen_02.wav", ""), ("/lib/b/rain.wav", "")]
    found = notes([ROOSTER], shown=[0], library=library)
    assert [(n.sound, n.in_library, n.examples) for n in found] == [
        ("chicken", 2, (Path("/lib/a/rooster.wav"), Path("/lib/b/hen_02.wav")))]
    assert found[0].message() == ("chicken: 2 library files other than the first result are named or tagged for it: "
                                  "rooster.wav, hen_02.wav")
    assert notes([ROOSTER], shown=[1], library=library) == []  # a shown result is named for it
    assert notes([ROOSTER], shown=[0], excluded=[1, 2], library=library) == []  # the query is never named
    assert notes([THEREMIN], shown=[0], library=library) == []  # nothing named for it: no claim at all


def test_a_note_still_names_files_when_only_a_few_shown_results_are_named_for_the_sound():
    """Trial 48: "footsteps" showed 2 footstep files in its top 10 and nothing pointed at the 116 others."""
    steps = AskedSound("footsteps", ("footstep", "footsteps", "step"), "footsteps")
    library = [(f"/lib/foley/footsteps/step_{i:02}.ogg", "") for i in range(12)]
    [note] = notes([steps], shown=[0, 1, *range(100, 108)], library=library)  # 2 of 10 shown are named for it
    assert note.in_library == 10 and note.shown == 10
    assert notes([steps], shown=[0, 1, 2, 3, *range(100, 106)], library=library) == []  # 4 of 10: enough shown


def test_files_whose_own_name_says_the_sound_come_before_those_filed_under_it():
    """Trial 45: "add thunder" named weapons/lightning/lg_fire.wav, lg_hit.wav and lg_hit2.wav (a folder's word) and
    left thunder1-3.ogg among "5 more"; the CLI's ready-made --more-like used lg_fire.wav."""
    thunder = AskedSound("thunder", ("thunder", "lightning"), "thunder")
    gun, storm = "/lib/openarena/weapons/lightning", "/lib/ufoai/ambience"
    library = [(f"{gun}/lg_fire.wav", ""), (f"{gun}/lg_hit.wav", ""), (f"{storm}/thunder1.ogg", ""),
               (f"{storm}/thunder2.ogg", "")]
    [note] = notes([thunder], shown=[9], library=library)
    assert note.examples[:2] == (Path(f"{storm}/thunder1.ogg"), Path(f"{storm}/thunder2.ogg"))


def test_files_that_also_name_another_sound_come_after_those_named_for_it_alone():
    """Trial 48: "add glass breaking" listed doors_glass_door_close.ogg and default_glass_footstep.ogg first and left
    the ten breakglass files under "10 more"; the ready-made --more-like pulled the search toward a door."""
    glass = AskedSound("glass breaking", ("glass", "shatter", "breakglass"), "glass_break")
    library = [("/lib/foley/doors/doors_glass_door_close.ogg", ""), ("/lib/foley/default_glass_footstep.ogg", ""),
               ("/lib/foley/impacts/breakglass01.ogg", ""), ("/lib/foley/impacts/default_break_glass.1.ogg", "")]
    [note] = notes([glass], shown=[9], library=library)
    assert [p.name for p in note.examples[:2]] == ["breakglass01.ogg", "default_break_glass.1.ogg"]
    assert note.in_library == 4  # the others are still counted and listed after them


def test_a_music_track_is_named_for_no_other_sound():
    """Trial 46: "add leaves rustling" named music/Helen_Leaves_Sparta.ogg, "busy traffic" The_Road_Ahead.ogg."""
    traffic = AskedSound("traffic", ("traffic", "road"), "traffic")
    leaves = AskedSound("leaves", ("leaves", "leave"))
    assert not says_it("/lib/0ad/audio/music/The_Road_Ahead.ogg", "", traffic)
    assert not says_it("/lib/0ad/audio/music/Helen_Leaves_Sparta.ogg", "", leaves)
    assert says_it("/lib/0ad/audio/music/Helen_Leaves_Sparta.ogg", "", AskedSound("music", ("music",), "music"))
    assert says_it("/lib/ambient/road_traffic_01.ogg", "", traffic) and says_it("/lib/sfx/leaves_01.wav", "", leaves)


def test_a_weapons_fire_is_no_fire():
    """Trial 45: "add a small campfire crackling" named fire.wav, bfg_fire.wav and lg_fire.wav (weapons firing)."""
    fire = AskedSound("fire", ("fire", "flame", "campfire"), "fire")
    assert not says_it("/lib/openarena/sound/weapons/bfg/bfg_fire.wav", "", fire)
    assert not says_it("/lib/sounds/gun_fire.wav", "", fire)
    assert says_it("/lib/openarena/sound/world/fire.wav", "", fire) and says_it("/lib/Fire/fire_loop.wav", "", fire)
    from app.named_sounds import name_sounds

    assert name_sounds(Path("/lib/weapons/bfg/bfg_fire.wav")) == set()
    assert name_sounds(Path("/lib/sounds/gun_fire.wav")) == {"gunshot"}
    assert name_sounds(Path("/lib/ambience/fire_loop.wav")) == {"fire"}


def test_same_named_library_files_are_told_apart_by_their_folder():
    library = [("/lib/none/misc/rain.wav", ""), ("/lib/supertux/sounds/rain.wav", "")]
    found = notes([RAIN], shown=[5], excluded=[0], library=library, counts={"rain.wav": 2})
    assert found[0].message().endswith("named or tagged for it: rain.wav (in sounds)")


def test_the_service_names_the_other_rain_file_and_the_rooster(tmp_path, encoder):
    """Through an imported library, with YAMNet hearing nothing (so only names can point at the files)."""
    lib = tmp_path / "lib"
    names = ["none/misc/rain.wav", "supertux/sounds/rain.wav", "apoc/misc/moo.wav", "apoc/misc/rooster.wav",
             "apoc/misc/hiss.wav"]
    paths = [write_wav(lib / name, clip(i), 16_000) for i, name in enumerate(names)]
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    snap = svc._current_snapshot()
    svc._current_snapshot = lambda: replace(snap, classes=np.zeros_like(snap.classes))  # YAMNet hears nothing
    ids = {p: svc.file_info(p).id for p in paths}
    louder = svc.named_sound_notes("make the rain louder", [ids[paths[4]]], exclude=[paths[0]])
    assert [n.message() for n in louder] == [
        "rain: 1 library file other than the first result is named or tagged for it: rain.wav (in sounds)"]
    rooster = svc.named_sound_notes("add a rooster crowing", [ids[paths[4]], ids[paths[0]]], exclude=[paths[2]])
    assert [(n.examples, n.evidence) for n in rooster] == [((paths[3],), "name")]  # --json: library_holds "by"
    assert svc.named_sound_notes("add a rooster crowing", [ids[paths[3]]], exclude=[paths[2]]) == []
    svc.close()


def test_a_yamnet_note_naming_few_files_comes_with_the_files_named_for_the_sound(tmp_path, encoder):
    """A trial: wind.wav + "add rain" named only the city ambience YAMNet hears rain in, never rain.wav."""
    from app.named_sounds import NamedSoundNote
    from tests.test_named_sounds import COLUMN, raw_for

    lib = tmp_path / "lib"
    names = ["sounds/wind.wav", "sounds/rain.wav", "amb/city.wav", "amb/hiss.wav"]
    paths = [write_wav(lib / name, clip(i), 16_000) for i, name in enumerate(names)]
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    snap = svc._current_snapshot()
    fake = np.zeros_like(snap.classes)
    fake[svc.db.vector_ref(paths[2]).row, COLUMN["Rain"]] = raw_for(0.95)  # YAMNet hears rain in the city only
    svc._current_snapshot = lambda: replace(snap, classes=fake)
    ids = {p: svc.file_info(p).id for p in paths}
    notes = svc.named_sound_notes("add rain", [ids[paths[3]]], exclude=[paths[0]])
    assert [(type(n), n.examples) for n in notes] == [(NamedSoundNote, (paths[2],)), (NamedForItNote, (paths[1],))]
    svc.close()


def test_same_named_examples_get_the_folder_that_differs_and_a_link_each():
    """A trial: "tank.wav (in explosions), tank.wav (in explosions)", and the second name was linked inside the
    first."""
    from app.named_files import NamedForItNote
    from app.ui.step_text import note_html

    note = NamedForItNote("car engine", 10, 2, (Path("/t/apoc/data/wav/explosions/tank.wav"),
                                                Path("/t/none/data/wav/explosions/tank.wav")))
    assert note.message().endswith("tank.wav (in apoc/\u2026/explosions), tank.wav (in none/\u2026/explosions)")
    shown = note_html(note, 0)
    assert shown.count("<a href='more:0'>tank.wav</a>") == 1 and shown.count("<a href='more:1'>tank.wav</a>") == 1


def test_a_music_track_titled_for_a_sound_is_not_named_for_it():
    wind = AskedSound("wind", ("wind", "windy", "gust", "breeze"), "wind")
    assert not says_it("/lib/music/forest/forest3.ogg", "Riding The Wind", wind)  # a trial's note named it
    assert says_it("/lib/ambience/take_3.wav", "cold wind over a ridge", wind)


def test_and_n_more_keeps_the_files_it_stands_for():
    """A trial: "gull1.wav, gull2.wav, gull4.wav and 1 more", and gull5.wav was given nowhere (not in --json either)."""
    from app.named_sounds import LISTED_FILES

    gulls = [(f"/lib/misc/gull{i}.wav", "") for i in (1, 2, 4, 5)]
    seagulls = AskedSound("seagulls", ("gull", "seagull"), "seagull")
    found = notes([seagulls], shown=[9], library=gulls)[0]
    assert found.message().endswith("gull1.wav, gull2.wav, gull4.wav and 1 more")
    assert found.others == (Path("/lib/misc/gull5.wav"),) and found.other_names() == ["gull5.wav"]
    many = [(f"/lib/{k % 2}/gull_{k:02d}.wav", "") for k in range(30)] + [("/lib/x/gull_03.wav", "")]
    kept = notes([seagulls], shown=[99], library=many, counts={"gull_03.wav": 2})[0]
    assert kept.in_library == 31 and len(kept.examples) + len(kept.others) == LISTED_FILES
    assert "gull_03.wav (in 1)" in kept.other_names()  # told apart by folder, as named files are


def test_and_n_more_is_a_link_to_the_rest():
    from app.named_files import NamedForItNote
    from app.ui.step_text import note_html

    named = tuple(Path(f"/lib/gull{i}.wav") for i in (1, 2, 4))
    note = NamedForItNote("seagulls", 10, 4, named, others=(Path("/lib/gull5.wav"),))
    assert note_html(note, 0, 2).count("and <a href='others:2'>1 more</a>") == 1
    assert "others:" not in note_html(NamedForItNote("seagulls", 10, 3, named), 0)  # nothing more to list


def test_plural_camel_case_and_ing_names_say_the_sound():
    """A name note missed "dogs_barking.wav" for a dog, "RainHeavy_02.flac" for rain and "laughing_kids.wav" for
    laughter: the names were read as whole words only, where the catalog's labels allow plurals."""
    dog = AskedSound("dog barking", ("dog", "bark", "woof"), "dog")
    laughter = AskedSound("laughter", ("laugh",), "laughter")
    assert says_it("/lib/dogs_barking.wav", "", dog) and says_it("/lib/Amb/RainHeavy_02.flac", "", RAIN)
    assert says_it("/lib/people/laughing_kids.wav", "", laughter)
    assert says_it("/lib/x/take.wav", "two dogs in the yard", dog)  # a tag or metadata text too
    assert not says_it("/lib/rainforest.wav", "", RAIN) and not says_it("/lib/dogma.wav", "", dog)


def test_shared_names_are_found_in_one_look_whatever_their_characters(tmp_path, encoder):
    """Names other library files have too (told apart by folder in a note), "_" and "%" taken as typed."""
    lib = tmp_path / "lib"
    names = ["a/rain_1.wav", "b/rain_1.wav", "c/rainx1.wav", "d/100%.wav", "e/100%.wav", "f/solo.wav"]
    for i, name in enumerate(names):
        write_wav(lib / name, clip(i), 16_000)
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    assert svc.db.shared_names(["rain_1.wav", "rainx1.wav", "100%.wav", "solo.wav", "gone.wav"]) == {
        "rain_1.wav", "100%.wav"}
    assert svc.db.shared_names([]) == frozenset()
    svc.close()


def test_the_app_names_files_missed_by_the_first_rows_it_shows():
    """Trial 44: the app held back "cow: ... moo.wav" because moo.wav was #29 of the 50 rows listed, while about ten
    rows are on screen (the command line's top 10 named it)."""
    from types import SimpleNamespace

    from app.ui.session import NOTE_ROWS, named_sound_notes

    asked = []

    class Service:
        def named_sound_notes(self, text, ids, exclude=()):
            asked.append(list(ids))
            return []

        def unheard_in_query(self, query, text, query_range=None):
            return []

    results = [SimpleNamespace(record=SimpleNamespace(id=i)) for i in range(50)]
    step = SimpleNamespace(text="add a cow", strength=1.0, query=Path("farm.wav"), query_range=None)
    assert named_sound_notes(Service(), step, results) == ()
    assert asked == [list(range(NOTE_ROWS))] and NOTE_ROWS == 10


def test_a_weapons_or_a_music_folder_further_up_says_no_other_sound():
    """Trial 49: "thunder" named the lightning gun's weapons/openarena/lightning/lg_fire.wav and the music track
    music/supertux/forest/bright_thunders.ogg; a weapon's folder still holds explosions and shots."""
    thunder = AskedSound("thunder", ("thunder", "lightning"), "thunder")
    assert not says_it("/lib/weapons/openarena/lightning/lg_fire.wav", "", thunder)
    assert not says_it("/lib/weapons/openarena/lightning/lightning.wav", "", thunder)
    assert not says_it("/lib/music/supertux/forest/bright_thunders.ogg", "", thunder)
    assert says_it("/lib/ambiences/weather/lightning.wav", "", thunder)
    boom = AskedSound("explosion", ("explosion", "explode", "grenade"), "explosion")
    assert says_it("/lib/weapons/nexuiz/grenade_explode.wav", "", boom)
    assert says_it("/lib/weapons/theremin_zap.wav", "", THEREMIN)  # a sound Nudge does not know: as typed


def test_a_keyword_is_offered_only_where_it_keeps_mostly_files_named_for_the_sound():
    """Trial 49: "keep only files named “lightning”" kept 5 lightning-gun sounds and no thunder."""
    from app.named_files import keeping_word

    holding = [(1, "weather/thunder_loud.wav", ""), (2, "weather/thunder.wav", ""),
               (3, "weapons/lightning/lg_fire.wav", ""), (4, "weapons/lightning/lg_hit.wav", ""),
               (5, "weather/lightning.wav", "")]
    assert keeping_word(("thunder", "lightning"), holding, {1, 2, 5}) == "thunder"  # 2 of 2 kept are named
    assert keeping_word(("lightning",), holding, {1, 2, 5}) == ""  # 1 of 3 kept: no suggestion
    assert keeping_word(("thunder",), holding, set()) == ""
