"""The refine loop through the real widgets: load a query, type a modifier, results, promote, back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def _library_row(window, name: str) -> int:
    names = [Path(r.path).name for r in window.library.files.records]
    return names.index(name)


def test_whole_refine_loop(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    assert "8</b> indexed" in window.library.counts_label.text()
    assert window.session.history.steps == []

    # 1. load a query from the library with the keyboard (select the row, press Return)
    view = window.library.file_view
    view.setFocus()
    view.setCurrentIndex(window.library.files.index(_library_row(window, "rain_like_00.wav"), 0))
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        done = results_after(qtbot, window, lambda: qtbot.keyClick(view, Qt.Key.Key_Return), text="")
    query = library / "rain_like_00.wav"
    assert window.session.query == query
    assert window.query.waveform.duration > 1.0
    assert len(done.results) == 7  # everything but the query itself
    scores = [r.score for r in done.results]
    assert scores == sorted(scores, reverse=True)
    assert query not in [r.path for r in done.results]

    # 2. type a modifier and press Enter
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, "add dog bark")
    with qtbot.waitSignal(window.results.peaks_loaded, timeout=WAIT_MS):
        done = results_after(qtbot, window, lambda: qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return),
                             text="add dog bark")
    assert window.results.model.rowCount() == len(done.results) == 7
    assert "add dog bark" in window.results.header.text()
    assert all(window.results.model.peaks.get(Path(r.path)) is not None for r in done.results)
    assert window.query.crumbs.buttons[-1].text() == "rain_like_00.wav + “add dog bark”"

    # 3. promote the second result by double-clicking it
    target = window.results.model.path(1)
    viewport = window.results.view.viewport()
    pos = window.results.view.visualRect(window.results.model.index(1)).center()

    def double_click() -> None:  # press/release first, as a real double-click does
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)

    promoted = results_after(qtbot, window, double_click, text="")
    assert window.session.query == target == promoted.step.query
    assert window.query.modifier.text() == ""
    assert [s.label for s in window.session.history.steps] == ["rain_like_00.wav", "rain_like_00.wav + “add dog bark”",
                                                                 target.name]
    assert [b.text() for b in window.query.crumbs.buttons] == ["rain_like_00.wav", "rain_…wav + “add dog bark”",
                                                               target.name]  # a step not shown: its name cut
    assert query in [r.path for r in promoted.results]  # the old query is now a result

    # 4. back (Alt+Left) restores the first query with its modifier; forward returns
    alt_left = lambda: qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # noqa: E731
    back = results_after(qtbot, window, alt_left, text="add dog bark")
    assert back.step.query == query and window.session.query == query
    assert window.query.modifier.text() == "add dog bark"
    assert [r.path for r in back.results] == [r.path for r in done.results]
    assert window.query.forward_button.isEnabled() and window.query.back_button.isEnabled()  # the plain search
    fwd = results_after(qtbot, window, lambda: window.query.forward_button.click(), text="")
    assert fwd.step.query == target
    close_window(window)


def test_keyboard_next_previous_promote(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    first = results_after(qtbot, window, lambda: window.load_query(library / "tone_01.wav"), text="")
    assert window.results.current_row() == 0
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.results.current_row() == 1
    # without an audio device, auditioning says why instead of failing silently
    assert "Playback disabled" in window.statusBar().currentMessage()
    ctrl_p = lambda: qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # noqa: E731
    promoted = results_after(qtbot, window, ctrl_p)
    assert promoted.step.query == first.results[1].path
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.query.modifier
    close_window(window)


def test_stale_results_are_dropped(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "tone_03.wav"), text="")
    delivered = []
    window.session.results_ready.connect(lambda done: delivered.append(done.step.text))

    def two_searches() -> None:  # the second starts before the first can be delivered
        window.session.search("add thunder", 1.0)
        window.session.search("more rain", 0.5)

    results_after(qtbot, window, two_searches, text="more rain")
    qtbot.wait(300)  # let a late first answer arrive, if it were going to be shown
    assert delivered == ["more rain"]
    assert window.session.stale_dropped == 1
    assert "more rain" in window.results.header.text()
    close_window(window)


def test_drop_a_file_from_disk_as_query(qtbot, tmp_path, indexed_service):
    from tests.helpers import tone, write_wav

    outside = write_wav(tmp_path / "elsewhere" / "my recording.wav", tone(330.0, 2.0))
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(outside))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS) as loaded:
        done = results_after(qtbot, window, lambda: window.query.dropEvent(event), text="")
    assert done.step.query == outside
    assert len(done.results) == 8  # not in the library: nothing to exclude
    assert "not in the library" in loaded.args[0].details
    close_window(window)


def test_result_drag_copy_and_context(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_02.wav"), text="")
    model = window.results.model
    mime = model.mimeData([model.index(0), model.index(2)])
    assert [Path(u.toLocalFile()) for u in mime.urls()] == [done.results[0].path, done.results[2].path]
    assert model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled
    window.results.view.setCurrentIndex(model.index(2))
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == str(done.results[2].path)
    close_window(window)


def test_modifier_completes_sound_words_and_strength_is_used(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.session.model_state_changed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    edit = window.query.modifier
    qtbot.waitUntil(lambda: "thunder" in edit.words.stringList(), timeout=WAIT_MS)  # from the model's classes
    assert "car horn" in edit.words.stringList()  # class names are shown as words
    results_after(qtbot, window, lambda: window.load_query(library / "tone_05.wav"), text="")
    edit.setFocus()
    qtbot.keyClicks(edit, "add thu")
    completer = edit.word_completer
    assert completer.popup().isVisible() and completer.currentCompletion() == "thunder"
    completer.activated.emit("thunder")  # what choosing the popup entry does
    assert edit.text() == "add thunder"
    window.query.strength.setValue(40)
    done = results_after(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key.Key_Return,
                                                               Qt.KeyboardModifier.ControlModifier), text="add thunder")
    assert done.step.strength == 0.4 and window.query.strength_label.text() == "0.40"
    assert "read as" not in window.results.header.text()  # the test heads read the modifier as one edit
    # heads that embed each edit apart: the header shows the reading, so a wrong one can be rephrased
    window.service._config = {**window.service._heads_config(), "text_clauses": 2}
    results_after(qtbot, window, lambda: window.session.search("add thunder, then more <birds>", 1.0))
    header = window.results.header.text()
    assert "read as 2 edits: “add thunder” + “make the birds louder”" in header, header
    results_after(qtbot, window, lambda: window.session.search("same but distant, like a firefight down the street",
                                                               1.0))
    header = window.results.header.text()  # trial 45: "read as 2 edits", then "no edit read"
    assert "kept as typed in 2 parts: “same but distant” + “like a firefight down the street”" in header, header
    results_after(qtbot, window, lambda: window.session.search("add a kazoo & the rain", 1.0))
    header = window.results.header.text()  # a sound word Nudge does not know is said, not misread
    assert "kazoo: not a sound Nudge knows" in header and "“add rain”" in header, header
    assert "“add a kazoo &amp; the rain”" in header, header  # typed text is escaped
    close_window(window)


def test_reveal_in_folder_opens_the_parent_folder(qtbot, tmp_path, indexed_service, library, monkeypatch):
    """Without a desktop file manager on D-Bus, the parent folder opens (tests/test_ui_reveal.py: with one)."""
    from PySide6.QtCore import QObject, Slot
    from PySide6.QtGui import QDesktopServices

    import app.ui.reveal

    monkeypatch.setattr(app.ui.reveal, "show_item_over_dbus", lambda path: False)

    class Catcher(QObject):
        urls: list[QUrl] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url)

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        window = open_window(qtbot, indexed_service, tmp_path)
        window.start(offer_demo=False)
        done = results_after(qtbot, window, lambda: window.load_query(library / "tone_07.wav"), text="")
        window.results.view.setCurrentIndex(window.results.model.index(3))
        window.results.reveal_button.click()
        assert [Path(u.toLocalFile()) for u in catcher.urls] == [done.results[3].path.parent]
        close_window(window)
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_shortcuts_help_lists_the_keys(qtbot, tmp_path, indexed_service):
    from PySide6.QtCore import QTimer

    window = open_window(qtbot, indexed_service, tmp_path)
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        seen.append(box.table.text())
        screen = window.screen().availableGeometry()  # a 768 px laptop saw no OK button under 876 px of keys
        sizes.append(box.height() <= screen.height() and box.width() <= screen.width())
        box.accept()

    sizes: list[bool] = []
    QTimer.singleShot(200, read_and_close)
    window.show_shortcuts()
    text = seen[0]
    assert sizes == [True]
    for key in ("Ctrl+Return", "Space", "Alt+Down", "Alt+Up", "Ctrl+P", "Alt+Left", "Alt+Right", "Ctrl+O", "Ctrl+I",
                "Ctrl+Shift+T", "F6", "Shift+F10",
                "+, − (in the results)", "Delete (on the waveform)", "Down (in the text box)", "Ctrl+C (in a list)"):
        assert f"<b>{key}" in text or f", {key}" in text, key
    for device_key in ("Open", "Exit", "Back", "Forward"):  # multimedia keys: "Ctrl+O, Open" read as a typo
        assert f", {device_key}<" not in text and f"<b>{device_key}<" not in text, device_key
    close_window(window)


def test_a_promoted_result_continues_the_session_until_forgotten(qtbot, tmp_path, indexed_service, library):
    from app.service import EarlierSteps
    from app.ui.step_text import earlier_html

    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    query = library / "rain_like_00.wav"
    results_after(qtbot, window, lambda: window.load_query(query), text="")
    done = results_after(qtbot, window, lambda: window.session.search("add dog bark", 1.0), text="add dog bark")
    target = done.results[0].path
    promoted = results_after(qtbot, window, lambda: window.promote(target), text="")
    assert promoted.step.earlier == EarlierSteps(query, ("add dog bark",))
    assert "after rain_like_00.wav: “add dog bark”" in window.query.crumbs.buttons[-1].toolTip()
    refined = results_after(qtbot, window, lambda: window.session.search("make it louder", 1.0), text="make it louder")
    assert refined.step.earlier == promoted.step.earlier  # new words on the same query keep the session
    again = results_after(qtbot, window, lambda: window.promote(refined.results[0].path), text="")
    assert again.step.earlier == EarlierSteps(query, ("add dog bark", "make it louder"))  # still from the first
    forgotten = results_after(qtbot, window, lambda: window._note_link("forget:"), text="")  # the header link
    assert forgotten.step.earlier is None and forgotten.step.query == again.step.query
    crumbs = [b.text() for b in window.query.crumbs.buttons[-2:]]
    assert crumbs[0] != crumbs[1] and crumbs[1].endswith("· earlier forgotten")  # not two identical crumbs
    assert window.session.history.current.earlier is None
    window.load_query(library / "tone_01.wav")
    assert window.session.history.current.earlier is None  # another query starts a new session

    class Reads:  # the header line, as a service that reranks reads the session
        carried = ["add dog barking"]

        def carried_to_show(self, text, texts):
            return self.carried if text else []

        def earlier_not_counted(self, text, texts):
            return []

        def earlier_replaced(self, text, texts):
            return self.replaced if text else []

    Reads.replaced = []
    line = earlier_html(Reads(), refined.step)
    line = line.replace("\u200b", "")  # the name may wrap after "_" (step_text.breakable)
    assert "read against the session's first sound <i>rain_like_00.wav</i>: “add dog barking”" in line
    assert "href='forget:'" in line and "replaced" not in line
    Reads.replaced = ["make the rain quieter"]  # trial 50: a dropped edit went unsaid
    assert ("“add dog barking” (“make the rain quieter”: replaced by later words about the same sound)"
            in earlier_html(Reads(), refined.step))
    assert earlier_html(Reads(), promoted.step) == ""  # no words now: nothing is carried
    Reads.carried = []  # trial 52: the only earlier edit, replaced by these words, went unsaid
    assert ("From earlier steps, replaced by these words about the same sound: “make the rain quieter”"
            in earlier_html(Reads(), refined.step))
    close_window(window)


def test_words_typed_and_not_searched_stay_for_the_promoted_result(qtbot, tmp_path, indexed_service, library):
    """A trial typed the next difference, then promoted a result: the words were cleared."""
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    window.query.modifier.setText("make it louder")  # typed, not searched
    promoted = results_after(qtbot, window, lambda: window.promote(done.results[0].path), text="")
    assert promoted.step.text == "" and window.query.modifier.text() == "make it louder"
    assert "press Enter to search with them" in window.statusBar().currentMessage()
    searched = results_after(qtbot, window, lambda: window.search_requested("make it louder", 1.0),
                             text="make it louder")
    assert "press Enter" not in window.statusBar().currentMessage()  # trial 55: it stayed over the next searches
    again = results_after(qtbot, window, lambda: window.promote(searched.results[0].path), text="")
    assert again.step.text == "" and window.query.modifier.text() == ""  # searched words start over
    close_window(window)


def test_a_files_named_note_offers_a_link_that_keeps_only_those_files(qtbot, tmp_path, indexed_service, library):
    """Trial 48: "footsteps" alone showed 2 of 116 footstep files and nothing said how to keep only them."""
    from app.named_files import NamedForItNote
    from app.ui.step_text import note_html

    note = NamedForItNote("footsteps", 10, 116, (Path("/lib/foley/footsteps/FootStepGrass1.ogg"),), keyword="footstep")
    assert "<a href='keyword:footstep'>keep only files named \u201cfootstep\u201d</a>" in note_html(note, 0)
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    plain = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    assert any("rain_like" not in r.path.name for r in plain.results)
    done = results_after(qtbot, window, lambda: window._note_link("keyword:rain_like"), text="")
    assert done.results and all("rain_like" in r.path.name for r in done.results)  # the results keep only them
    assert "only words “rain_like”" in window.results.header.text()
    assert window.session.history.current.label.endswith(" · only “rain_like”")  # trial 52: crumbs looked alike
    # trial 51: as the library filter the limit went on through Back, other words and the next run
    assert window.library.filter_edit.text() == "" and not window.library.filter_results.isChecked()
    back = results_after(qtbot, window, window.session.back, text="")
    assert [r.path for r in back.results] == [r.path for r in plain.results] and not back.scope.active
    again = results_after(qtbot, window, window.session.forward, text="")
    assert [r.path for r in again.results] == [r.path for r in done.results]
    louder = results_after(qtbot, window, lambda: window.session.search("make it louder", 1.0), text="make it louder")
    assert not louder.scope.active and any("rain_like" not in r.path.name for r in louder.results)
    close_window(window)


def test_a_step_s_own_limit_is_kept_with_the_saved_session_and_ended_by_show_all(qtbot, tmp_path, indexed_service,
                                                                                  library):
    from app.ui.saved_session import session_from_json, session_json

    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    results_after(qtbot, window, lambda: window._note_link("keyword:rain_like"), text="")
    steps, index = session_from_json(session_json(window.session.history.steps, window.session.history.index))
    assert steps[index].keyword == "rain_like" and steps[index - 1].keyword == ""
    everything = results_after(qtbot, window, lambda: window._note_link("scope:all"), text="")
    assert not everything.scope.active and any("rain_like" not in r.path.name for r in everything.results)
    assert window.session.history.current.keyword == "" and len(window.session.history.steps) == 3
    close_window(window)


def test_words_alone_in_the_app_name_the_files_named_for_the_sound_and_keep_them(qtbot, tmp_path, encoder):
    """Trial 49: "footsteps" alone in the app showed one footstep file in its top 10 and said nothing, where `search`
    named the other 47 and a keyword that keeps them; the keyword link then keeps the words-alone search."""
    import shutil

    from app.named_files import NamedForItNote
    from tests.ui_support import make_service, make_sounds

    folder = tmp_path / "lib"
    paths = make_sounds(folder)
    for i in range(3):
        shutil.copy(paths[i], folder / f"dog_bark_{i:02}.wav")
    svc = make_service(tmp_path, encoder)
    svc.import_folders([folder])
    asked = []
    svc.named_sound_notes = lambda text, shown, exclude=(): asked.append((text, len(shown))) or [
        NamedForItNote("dog barking", len(shown), 3, (folder / "dog_bark_00.wav",), keyword="dog_bark")]
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_alone("dog barking")
    header = window.results.header.text()
    assert asked == [(svc.words_alone_text("dog barking"), 10)]  # the first 10, as with a query
    assert "named or tagged for it: dog_bark_00.wav" in header and "<a href='keyword:dog_bark'>" in header
    assert "href='more:" not in header  # a file link would mark the session's step, not these results
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window._note_link("keyword:dog_bark")
    assert found.args[0] and all(r.path.name.startswith("dog_bark") for r in found.args[0])
    assert isinstance(window.alone, tuple)  # still the words-alone search, now within the filter
    close_window(window)
    svc.close()


def test_the_header_says_the_session_start_is_left_out_beside_the_earlier_steps(qtbot, tmp_path, indexed_service,
                                                                                 library, monkeypatch):
    """Trial 54: the session's first sound came back 3rd; trial 56: the note saying it is left out was below the
    header's fold, after every other note: it now follows the earlier steps' line."""
    from tests.helpers import ReverseReranker

    reranker = ReverseReranker()
    reranker.k = 50
    monkeypatch.setattr("app.rerank_reads.load_reranker", lambda heads, weights=None: (reranker, "stand-in on"))
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    query = library / "rain_like_00.wav"
    results_after(qtbot, window, lambda: window.load_query(query), text="")
    done = results_after(qtbot, window, lambda: window.session.search("add dog bark", 1.0), text="add dog bark")
    other = next(r.path for r in done.results if r.path != query)
    results_after(qtbot, window, lambda: window.promote(other), text="")
    refined = results_after(qtbot, window, lambda: window.session.search("make it louder", 1.0), text="make it louder")
    assert query not in [r.path for r in refined.results]
    header = window.results.header.text()
    still = header.find("Still asked from earlier steps")
    left = header.find("first sound, rain_like_00.wav, is left out")
    assert 0 < still < left and left < header.find("ms</span>")
    close_window(window)
