"""A level edit naming the query's only sound is read as "it" (model.own_sound), by search and evaluate alike.

A trial's single rain recording + "make the rain louder" lost the lean "make it louder" has: the heads read a named
level edit as one sound's level in a mix (MODEL_CARD, seventieth round)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

import model.own_sound
from model.own_sound import is_only_sound, own_sound_text
from tests.library_helpers import imported_library
from tests.test_named_sounds import COLUMN, raw_for, rows

RAIN = rows(1, {0: ("Rain", 0.9)})[0]


def test_a_level_edit_of_the_only_sound_heard_is_said_as_it():
    assert own_sound_text("make the rain louder", RAIN, 0.3) == "make it louder"
    assert own_sound_text("more rain", RAIN, 0.3) == "make it louder"
    assert own_sound_text("turn the rain down a bit", RAIN, 0.3) == "make it quieter"
    assert own_sound_text("more rain and add thunder", RAIN, 0.3) == "make it louder and add thunder"
    assert own_sound_text("make it louder", RAIN, 0.3) == "make it louder"


def test_a_mix_an_unheard_sound_other_edits_and_unread_words_keep_their_words():
    rain_and_dog = rows(1, {0: ("Rain", 0.9)})[0]
    rain_and_dog[COLUMN["Dog"]] = raw_for(0.5)
    assert own_sound_text("make the rain louder", rain_and_dog, 0.3) == "make the rain louder"  # a mix
    assert own_sound_text("make the rain louder", rain_and_dog, 0.6) == "make it louder"  # the dog under 0.6
    assert own_sound_text("make the wind louder", RAIN, 0.3) == "make the wind louder"  # not heard
    assert own_sound_text("remove the rain", RAIN, 0.3) == "remove the rain"  # not a level edit
    assert own_sound_text("add rain", RAIN, 0.3) == "add rain"
    assert own_sound_text("make the rain louder and the kazoo", RAIN, 0.3) == "make the rain louder and the kazoo"
    assert own_sound_text("make the rain louder", None, 0.3) == "make the rain louder"  # no class scores
    assert own_sound_text("make the rain louder", np.zeros(521, np.uint8), 0.3) == "make the rain louder"


def test_a_rooms_tone_counts_unless_left_out_and_the_sounds_own_classes_never_do(monkeypatch):
    indoors = rows(1, {0: ("Rain", 0.9)})[0]
    indoors[COLUMN["Inside, small room"]] = raw_for(0.9)  # room tone's main class
    assert not is_only_sound(indoors, "rain", 0.3)
    monkeypatch.setattr(model.own_sound, "NOT_OTHER", frozenset({"room_tone"}))  # the seventieth round's O3
    assert is_only_sound(indoors, "rain", 0.3)
    clang = rows(1, {0: ("Clang", 0.9)})[0]  # a sword's first class, also metal clank's main one
    assert is_only_sound(clang, "sword", 0.3)


def test_the_rule_is_off_unless_a_limit_is_set(monkeypatch):
    monkeypatch.setattr(model.own_sound, "OTHER_HEARD_MAX", None)
    assert own_sound_text("make the rain louder", RAIN) == "make the rain louder"
    monkeypatch.setattr(model.own_sound, "OTHER_HEARD_MAX", 0.3)
    assert own_sound_text("make the rain louder", RAIN) == "make it louder"


def test_search_reads_the_named_edit_as_it_on_a_query_of_that_sound_alone(tmp_path, encoder, monkeypatch):
    monkeypatch.setattr(model.own_sound, "OTHER_HEARD_MAX", 0.3)
    svc, paths = imported_library(tmp_path, encoder, 6)
    snap = svc._current_snapshot()
    fake = np.full((len(snap.classes), 521), raw_for(0.02), dtype=np.uint8)
    fake[svc.db.vector_ref(paths[0]).row, COLUMN["Rain"]] = raw_for(0.9)
    svc._current_snapshot = lambda: replace(snap, classes=fake)

    def scores(query: Path, words: str) -> list[tuple[str, float]]:
        return [(r.path.name, round(r.score, 6)) for r in svc.search(query, words, top_k=5)]

    assert scores(paths[0], "make the rain louder") == scores(paths[0], "make it louder")
    assert scores(paths[0], "make the rain louder") != scores(paths[0], "make the rain quieter")
    assert scores(paths[1], "make the rain louder") != scores(paths[1], "make it louder")  # no rain heard there
    svc.close()


def test_evaluate_reads_the_pairs_words_against_their_query_sounds(monkeypatch):
    from app.evaluate import Pair, _read_against_queries

    monkeypatch.setattr(model.own_sound, "OTHER_HEARD_MAX", 0.3)
    pairs = [Pair(Path("/q/rain.wav"), "make the rain louder", Path("/t/a.wav"), 2),
             Pair(Path("/q/mix.wav"), "make the rain louder", Path("/t/b.wav"), 3)]
    read = _read_against_queries(pairs, {"/q/rain.wav": RAIN})
    assert [p.text for p in read] == ["make it louder", "make the rain louder"]


def test_a_level_edit_of_the_only_sound_heard_gets_a_note_suggesting_it(monkeypatch):
    """The rule stays off (the seventieth and seventy-first rounds); a note says which words lean the way asked."""
    from app.named_sounds import OwnSoundNote, unheard_in_query
    from app.ui.step_text import note_html
    from model.modifier_parser import parse_modifier

    def notes(text: str, query: np.ndarray) -> list:
        return unheard_in_query(parse_modifier(text).edits, query)

    assert notes("more rain and add thunder", RAIN) == [OwnSoundNote("rain", "louder")]
    assert notes("make the rain quieter", RAIN)[0].message() == (
        "rain: the sound Nudge hears most in the query; if the query is rain alone, \u201cmake it quieter\u201d "
        "leans a little toward quieter takes of it among other recordings; naming the sound, as here, reads its "
        "level in edited versions of this clip better")
    take = rows(1, {0: ("Rain", 0.9)})[0]
    take[COLUMN["Stream"]] = raw_for(0.7)  # a real rain take also sounds like a stream
    assert notes("make the rain louder", take) == [OwnSoundNote("rain", "louder")]
    dog_in_rain = rows(1, {0: ("Rain", 0.9)})[0]
    dog_in_rain[COLUMN["Dog"]] = raw_for(0.95)
    faint = rows(1, {0: ("Rain", 0.4)})[0]
    assert notes("make the rain louder", dog_in_rain) == notes("make the rain louder", faint) == []
    assert notes("remove the rain", RAIN) == []
    assert "href='itlevel:rain'>make it louder</a>" in note_html(OwnSoundNote("rain", "louder"), 0)
    monkeypatch.setattr(model.own_sound, "OTHER_HEARD_MAX", 0.3)  # the search reads it as "it" itself: no note
    assert notes("make the rain louder", RAIN) == []


def test_a_level_edit_of_it_on_a_bed_gets_a_note_naming_the_bed():
    """Trials 58 and 62: "make it louder" on a rain clip put its -6 / -8 dB versions first, "make the rain louder"
    the louder ones: a note names the bed YAMNet hears most, with the named words as a link."""
    from app.named_sounds import ItLevelNote, unheard_in_query
    from app.ui.step_text import note_html
    from model.modifier_parser import parse_modifier

    def notes(text: str, query: np.ndarray) -> list:
        return unheard_in_query(parse_modifier(text).edits, query)

    assert notes("make it louder", RAIN) == [ItLevelNote("rain", "louder")]
    assert notes("make it quieter and add thunder", RAIN) == [ItLevelNote("rain", "quieter")]
    assert notes("make it quieter", RAIN)[0].message() == (
        "\u201cmake it quieter\u201d reads the whole clip, which leans toward quieter takes among other recordings; "
        "in edited versions of this clip a named sound's level reads far better: \u201cmake the rain quieter\u201d "
        "(rain: the sound Nudge hears most in the query)")
    dog = rows(1, {0: ("Dog", 0.9)})[0]
    rain_under_dog = rows(1, {0: ("Rain", 0.6)})[0]
    rain_under_dog[COLUMN["Dog"]] = raw_for(0.9)
    faint = rows(1, {0: ("Rain", 0.3)})[0]
    assert notes("make it louder", dog) == notes("make it louder", rain_under_dog) == []  # no bed heard most
    assert notes("make it louder", faint) == notes("add thunder", RAIN) == []
    assert "href='namelevel:rain'>make the rain louder</a>" in note_html(ItLevelNote("rain", "louder"), 0)


def test_the_notes_link_says_the_level_of_it(tmp_path, encoder):
    svc, _ = imported_library(tmp_path, encoder, 1)
    assert svc.with_level_as_it("more rain and add thunder", "rain") == "make it louder and add thunder"
    assert svc.with_level_as_it("make the dog quieter", "dog barking") == "make it quieter"
    assert svc.with_level_as_it("make the dog quieter", "rain") is None
    assert svc.with_it_named("make it louder and add thunder", "rain") == "make the rain louder and add thunder"
    assert svc.with_it_named("turn it down", "stream") == "make the stream quieter"
    assert svc.with_it_named("make the dog quieter", "rain") is None  # no level edit of "it"
    assert svc.with_it_named("make it louder", "no such sound") is None
    svc.close()


def test_the_reordering_reads_it_as_the_bed_heard_most():
    """Trials 58-60: "make it louder" on a rain bed listed its -8 dB version first; the reordering reads the level of a
    named sound in a version far better, so "it" is read as the bed YAMNet hears most (model.own_sound.it_as_bed)."""
    from model.edits import ADD, LOUDER, QUIETER, Edit
    from model.own_sound import it_as_bed

    louder, quieter, add_dog = Edit(LOUDER, None, True), Edit(QUIETER, None, True), Edit(ADD, "dog")
    assert it_as_bed([louder], RAIN) == [Edit(LOUDER, "rain", False)]
    assert it_as_bed([quieter, add_dog], RAIN) == [Edit(QUIETER, "rain", False), add_dog]
    dog = rows(1, {0: ("Dog", 0.9)})[0]  # an event heard most: "it" stays "it"
    assert it_as_bed([louder], dog) == [louder]
    faint = rows(1, {0: ("Rain", 0.3)})[0]  # a bed heard under 0.5
    assert it_as_bed([louder], faint) == [louder]
    rain_under_dog = rows(1, {0: ("Rain", 0.6)})[0]
    rain_under_dog[COLUMN["Dog"]] = raw_for(0.9)  # the dog heard more clearly than the rain
    assert it_as_bed([louder], rain_under_dog) == [louder]
    assert it_as_bed([louder], None) == [louder] and it_as_bed([Edit(LOUDER, "wind")], RAIN) == [Edit(LOUDER, "wind")]


def test_search_hands_the_reordering_it_as_the_bed_and_embeds_the_words_as_typed(tmp_path, monkeypatch):
    """The demo's rain_01 (YAMNet hears rain clearly) and two level versions of it: with IndexConfig.it_as_bed the
    reordering reads "make it louder" as the rain louder; off, as "it"."""
    import soundfile as sf

    import app.rerank
    from app.config import IndexConfig
    from app.service import SearchService
    from model.edits import LOUDER, Edit

    rain = Path(__file__).resolve().parents[1] / "assets" / "demo_library" / "rain_01.ogg"
    samples, rate = sf.read(str(rain))
    (tmp_path / "lib").mkdir()
    for name, gain in (("louder", 2.0), ("quieter", 0.4)):
        sf.write(str(tmp_path / "lib" / f"{name}.wav"), samples * gain, rate)
    seen, order = [], app.rerank.rerank_order
    monkeypatch.setattr(app.rerank, "rerank_order", lambda r, edits, *a, **k: seen.append(list(edits)) or order(
        r, edits, *a, **k))
    for on in (True, False):
        with SearchService(tmp_path / f"data{on}", config=IndexConfig(workers=0, it_as_bed=on)) as svc:
            svc.import_folders([tmp_path / "lib"])
            assert [r.path.stem for r in svc.search(rain, "make it louder", top_k=2)] == ["louder", "quieter"]
    assert seen == [[Edit(LOUDER, "rain", False)], [Edit(LOUDER, None, True)]]
