"""The results header names library files that hold a sound the words add when no result does."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app.named_sounds import NamedSoundNote
from app.ui.session import named_sound_notes
from tests import ui_support
from tests.ui_support import close_window, open_window, results_after, typed_search

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_header_shows_the_note_and_a_failing_lookup_costs_nothing(qtbot, tmp_path, indexed_service, library,
                                                                   monkeypatch):
    asked = []

    def notes(text, shown, exclude=()):
        asked.append((text, list(shown), list(exclude)))
        return [NamedSoundNote("thunder", len(shown), 1, (library / "rain_like_03.wav",))]

    monkeypatch.setattr(indexed_service, "named_sound_notes", notes)
    window = open_window(qtbot, indexed_service, tmp_path)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    assert done.notes and "more:0'>rain_like_03.wav</a>" in window.results.header.text()
    text, shown, exclude = asked[-1]
    assert text == "add thunder" and shown == [r.record.id for r in done.results]
    assert exclude == [library / "rain_like_00.wav"]

    # clicking the named file marks it "more like this": a new step, searched with the same words
    marked = results_after(qtbot, window, lambda: window.results.header.linkActivated.emit("more:0"),
                           text="add thunder")
    assert [(m.path, sign) for m, sign in marked.step.feedback] == [(library / "rain_like_03.wav", 1)]
    window.results.header.linkActivated.emit("more:7")  # a stale or foreign link does nothing
    window.results.header.linkActivated.emit("https://example.org")
    assert window.session.history.current == marked.step
    close_window(window)


def test_notes_are_empty_without_words_or_when_the_lookup_fails():
    class Step:
        text, query, strength, query_range = "add thunder", Path("/q.wav"), 1.0, None

    class Broken:
        def named_sound_notes(self, *args, **kwargs):
            raise OSError("library folder vanished")

    assert named_sound_notes(Broken(), Step(), [SimpleNamespace(record=SimpleNamespace(id=1))]) == ()
    Step.text = ""
    assert named_sound_notes(Broken(), Step(), [SimpleNamespace(record=SimpleNamespace(id=1))]) == ()

    class Asked:
        def named_sound_notes(self, *args, **kwargs):
            return ["a note"]

        def unheard_in_query(self, query, text, query_range):
            return ["no wind in the query"] if "wind" in text else []

    Step.text, Step.strength = "add thunder", 0.0  # the words count for nothing: no note about what they add
    assert named_sound_notes(Asked(), Step(), [SimpleNamespace(record=SimpleNamespace(id=1))]) == ()
    Step.strength = 1.0
    assert named_sound_notes(Asked(), Step(), [SimpleNamespace(record=SimpleNamespace(id=1))]) == ("a note",)
    Step.text = "add thunder and make the wind louder"
    assert named_sound_notes(Asked(), Step(), [SimpleNamespace(record=SimpleNamespace(id=1))]) == (
        "a note", "no wind in the query")


def test_header_says_when_the_words_left_the_first_results_as_they_were(qtbot, tmp_path, indexed_service, library,
                                                                          monkeypatch):
    asked = []

    def unchanged(results, query, words="", **search):
        asked.append((query, search))
        assert words == "add thunder"  # the words: ones that only keep sounds get no note
        return 7

    monkeypatch.setattr(indexed_service, "unchanged_by_words", unchanged)
    window = open_window(qtbot, indexed_service, tmp_path)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    assert done.unchanged == 7
    assert "The words changed little: all 7 results are the same as without them" in window.results.header.text()
    query, search = asked[-1]
    assert query == library / "rain_like_00.wav" and search["query_range"] is None and "earlier" not in search
    monkeypatch.setattr(indexed_service, "unchanged_by_words", lambda *a, **k: 2)  # the words moved the top: quiet
    typed_search(qtbot, window, library / "rain_like_00.wav", "add a dog")
    assert "changed little" not in window.results.header.text()
    close_window(window)


def test_a_note_on_a_sound_the_query_lacks_shows_no_file_links():
    from app.named_sounds import UnheardNote
    from app.ui.step_text import note_html

    shown = note_html(UnheardNote("wind", "remove"), 0)
    assert "wind: Nudge does not hear it in the query" in shown and "click a name" not in shown and "href" not in shown
    assert "href='addsound:wind'" in note_html(UnheardNote("wind", "louder"), 0)  # only its suggestion is a link


@pytest.mark.parametrize(("note", "typed", "link", "searched"), [
    # "wind: YAMNet does not hear it in the query, so there is none to make louder (“add wind” asks for it)": the
    # suggestion searches with the wind added instead of raised, the other edits kept
    (("unheard", "wind", "louder"), "make the wind louder and remove the dog", "addsound:wind>add wind",
     "add wind and remove the dog barking"),
    # a trial's single rain recording + "make the rain louder": the own-sound note's "make it louder" searches with it
    (("own", "rain", "louder"), "make the rain louder and add thunder", "itlevel:rain>make it louder",
     "make it louder and add thunder"),
    # trials 58 and 62: "make it louder" on a rain clip: the it-level note's "make the rain louder" searches with it
    (("it", "rain", "louder"), "make it louder and add thunder", "namelevel:rain>make the rain louder",
     "make the rain louder and add thunder"),
])
def test_a_notes_suggestion_is_a_link_that_searches_with_it(qtbot, tmp_path, indexed_service, library, monkeypatch,
                                                             note, typed, link, searched):
    from app.named_sounds import ItLevelNote, OwnSoundNote, UnheardNote

    kind, sound, level = note
    shown = {"unheard": UnheardNote, "own": OwnSoundNote, "it": ItLevelNote}[kind](sound, level)
    said = f"{'it' if kind == 'it' else sound} {level}"
    monkeypatch.setattr(indexed_service, "unheard_in_query",
                        lambda query, text, query_range=None: [shown] if said in text else [])
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", typed)
    target, _, label = link.partition(">")
    assert f"href='{target}'>{label}</a>" in window.results.header.text()
    done = results_after(qtbot, window, lambda: window.results.header.linkActivated.emit(target), text=searched)
    assert done.step.text == searched
    assert indexed_service.with_sound_added("make it louder", "wind") is None  # no louder wind: no link target
    close_window(window)


def test_and_n_more_opens_a_menu_of_the_rest_and_marks_the_one_chosen(qtbot, tmp_path, indexed_service, library,
                                                                      monkeypatch):
    """A trial: "gull1.wav, gull2.wav, gull4.wav and 1 more" named gull5.wav nowhere."""
    others = (library / "rain_like_02.wav", library / "rain_like_03.wav")

    def notes(text, shown, exclude=()):
        return [NamedSoundNote("thunder", len(shown), 4, (library / "rain_like_01.wav",), others=others)]

    monkeypatch.setattr(indexed_service, "named_sound_notes", notes)
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    assert "and <a href='others:0'>3 more</a>" in window.results.header.text()
    window.results.header.linkActivated.emit("others:0")
    menu = window._others_menu
    assert [a.text() for a in menu.actions()] == ["rain_like_02.wav", "rain_like_03.wav", "and 1 more not listed"]
    assert not menu.actions()[2].isEnabled()
    marked = results_after(qtbot, window, lambda: menu.actions()[1].trigger(), text="add thunder")
    assert [(m.path, sign) for m, sign in marked.step.feedback] == [(library / "rain_like_03.wav", 1)]
    window.results.header.linkActivated.emit("others:5")  # a stale link does nothing
    close_window(window)
