"""The results header names library files that hold a sound the words add when no result does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.named_sounds import NamedSoundNote
from app.ui.session import named_sound_messages
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_header_shows_the_note_and_a_failing_lookup_costs_nothing(qtbot, tmp_path, indexed_service, library,
                                                                   monkeypatch):
    asked = []

    def notes(text, shown, exclude=()):
        asked.append((text, list(shown), list(exclude)))
        return [NamedSoundNote("thunder", len(shown), 1, (Path("/elsewhere/big_thunder.wav"),))]

    monkeypatch.setattr(indexed_service, "named_sound_notes", notes)
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    window.session.set_query(library / "rain_like_00.wav")
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, "add thunder")
    done = results_after(qtbot, window, lambda: qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return),
                         text="add thunder")
    assert done.notes and "big_thunder.wav" in window.results.header.text()
    text, shown, exclude = asked[-1]
    assert text == "add thunder" and shown == [r.path for r in done.results]
    assert exclude == [library / "rain_like_00.wav"]
    close_window(window)


def test_messages_are_empty_without_words_or_when_the_lookup_fails():
    class Step:
        text, query = "add thunder", Path("/q.wav")

    class Broken:
        def named_sound_notes(self, *args, **kwargs):
            raise OSError("library folder vanished")

    assert named_sound_messages(Broken(), Step(), [object()]) == ()
    Step.text = ""
    assert named_sound_messages(Broken(), Step(), [object()]) == ()
