"""Scope in the app: the library filter's words, a folder, duration and sample-rate limits narrow the
ranked results; more results page by page; "Match names" ranks by text match without a query."""

from __future__ import annotations

from pathlib import Path

from app.service import SearchService
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.helpers import tone, write_wav
from tests.test_metadata import write_bwf
from tests.ui_support import WAIT_MS, close_window, make_service, results_after


def _started(qtbot, svc, settings: Settings, settings_path) -> MainWindow:
    """A shown window started on the service's library (no demo), its list read."""
    window = MainWindow(svc, settings, settings_path, audio=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    return window


def test_scope_bar_filter_words_pages_and_find_by_words(qtbot, tmp_path, encoder):
    foley, field = tmp_path / "lib" / "foley", tmp_path / "lib" / "field"
    write_bwf(foley / "door_a.wav", description="creaky wooden door", sr=48_000)
    write_bwf(foley / "door_b.wav", sr=48_000)
    for i in range(5):
        write_wav(field / f"wind_{i}.wav", tone(200 + 40 * i, 2.5, 22_050), 22_050)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([foley, field])
    window = _started(qtbot, svc, Settings(top_k=3), tmp_path / "ui_settings.json")
    bar = window.results.scope_bar
    assert [bar.folder.itemText(i) for i in range(bar.folder.count())] == ["All folders", "field", "foley"]
    first = results_after(qtbot, window, lambda: window.load_query(field / "wind_0.wav"), text="")
    assert len(first.results) == 3 and window.results.more_button.isVisible()  # a page of top_k = 3
    # more results: the next page, same history step
    more = results_after(qtbot, window, window.results.more_button.click)
    assert len(more.results) == 6 and [r.rank for r in more.results] == list(range(1, 7))
    assert len(window.session.history.steps) == 1
    last = results_after(qtbot, window, window.results.more_button.click)
    assert len(last.results) == 6 and not window.results.more_button.isVisible()  # all there is
    # a folder
    in_foley = results_after(qtbot, window, lambda: bar.folder.setCurrentIndex(bar.folder.findText("foley")))
    assert {r.path.parent for r in in_foley.results} == {foley} and "only in foley" in window.results.header.text()
    results_after(qtbot, window, lambda: bar.folder.setCurrentIndex(0))
    # duration and sample rate
    longer = results_after(qtbot, window, lambda: bar.min_duration.setValue(2.0))
    assert {r.path.parent for r in longer.results} == {field}
    results_after(qtbot, window, lambda: bar.min_duration.setValue(0.0))
    rate = results_after(qtbot, window, lambda: bar.min_rate.setCurrentIndex(bar.min_rate.findData(44_100)))
    assert {r.path.name for r in rate.results} == {"door_a.wav", "door_b.wav"}
    results_after(qtbot, window, lambda: bar.min_rate.setCurrentIndex(0))
    # the library filter's words scope the results once ticked (here: a word of a BWF description); typing them
    # alone (to find a query file) leaves the results whole: a trial's searches came back with 0-1 results
    window.library.filter_edit.setText("creaky")
    qtbot.wait(50)
    assert bar.scope().keyword == "" and bar.words_scope().keyword == "creaky"
    whole = results_after(qtbot, window, lambda: window.session.search("", 1.0))
    assert len(whole.results) > 1 and "creaky" not in window.results.header.text()
    creaky = results_after(qtbot, window, lambda: window.library.filter_results.setChecked(True))
    assert [r.path.name for r in creaky.results] == ["door_a.wav"]
    assert "words “creaky”" in window.results.header.text()
    # find by words: no query sound, ranked by text match
    results_after(qtbot, window, lambda: window.library.filter_edit.setText("door creaky"))
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        bar.words_button.click()
    assert [r.path.name for r in found.args[0]] == ["door_a.wav", "door_b.wav"]
    assert window.results.model.path(0).name == "door_a.wav" and "text match" in window.results.header.text()
    close_window(window)
    svc.close()


def doors_and_winds(tmp_path: Path, encoder, door_seconds: float) -> tuple[SearchService, Path, Path]:
    """A service with lib/foley (3 door tones of ``door_seconds``) and lib/field (3 wind tones of 2.5 s) imported."""
    foley, field = tmp_path / "lib" / "foley", tmp_path / "lib" / "field"
    for i in range(3):
        write_wav(foley / f"door_{i}.wav", tone(300 + 50 * i, door_seconds, 22_050), 22_050)
        write_wav(field / f"wind_{i}.wav", tone(200 + 40 * i, 2.5, 22_050), 22_050)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([foley, field])
    return svc, foley, field


def test_the_scope_and_the_library_filter_come_back_after_a_restart(qtbot, tmp_path, encoder):
    """A trial: the restored session was searched in the whole library, its folder and duration limits and the library
    filter gone; a folder that left the library meanwhile is dropped from the scope."""
    svc, foley, field = doors_and_winds(tmp_path, encoder, door_seconds=1.5)
    settings_path = tmp_path / "ui_settings.json"

    def opened() -> MainWindow:
        return _started(qtbot, svc, Settings.load(settings_path), settings_path)

    window = opened()
    bar = window.results.scope_bar
    results_after(qtbot, window, lambda: window.load_query(field / "wind_0.wav"), text="")
    results_after(qtbot, window, lambda: bar.folder.setCurrentIndex(bar.folder.findText("foley")))
    results_after(qtbot, window, lambda: bar.min_duration.setValue(1.0))
    window.library.filter_edit.setText("door")
    results_after(qtbot, window, lambda: window.library.filter_results.setChecked(True))
    before = bar.scope()
    close_window(window)

    again = opened()
    assert again.results.scope_bar.scope() == before and again.session.scope == before
    assert again.results.scope_bar.folder.currentText() == "foley" and again.library.filter_edit.text() == "door"
    assert again.library.filter_results.isChecked()
    close_window(again)

    svc.remove_folder(foley)  # the folder left the library: the next launch searches all folders
    last = opened()
    assert last.results.scope_bar.scope().folder is None and last.results.scope_bar.folder.currentIndex() == 0
    close_window(last)
    svc.close()


def test_the_folder_scope_offers_the_subfolders_a_library_is_organised_by(qtbot, tmp_path, encoder):
    """A trial: one library root holding ambiences/, animals/, vehicles/: "Only:" offered the root alone."""
    root = tmp_path / "Sounds"
    write_wav(root / "animals" / "dogs" / "bark.wav", tone(500, 1.0, 22_050), 22_050)
    write_wav(root / "animals" / "cat.wav", tone(700, 1.0, 22_050), 22_050)
    write_wav(root / "ambiences" / "rain.wav", tone(200, 2.0, 22_050), 22_050)
    write_wav(root / "vehicles" / "cars" / "old" / "deep" / "engine.wav", tone(90, 2.0, 22_050), 22_050)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([root])
    assert svc.subfolders() == [root / "ambiences", root / "animals", root / "vehicles", root / "animals" / "dogs",
                                root / "vehicles" / "cars"]  # two levels down at most
    window = _started(qtbot, svc, Settings(top_k=10), tmp_path / "ui_settings.json")
    bar = window.results.scope_bar
    assert [bar.folder.itemText(i) for i in range(bar.folder.count())] == [
        "All folders", "Sounds", "    ambiences", "    animals", "        dogs", "    vehicles", "        cars"]
    results_after(qtbot, window, lambda: window.load_query(root / "ambiences" / "rain.wav"), text="")
    animals = results_after(qtbot, window, lambda: bar.folder.setCurrentIndex(bar.folder.findText("    animals")))
    assert {r.path.name for r in animals.results} == {"bark.wav", "cat.wav"}
    assert "only in animals" in window.results.header.text()
    close_window(window)
    svc.close()


def test_a_duration_box_emptied_with_backspace_means_any(qtbot):
    """A trial could not clear the "from" box with Backspace (only typing 0 did)."""
    from PySide6.QtCore import Qt

    from app.ui.scope_bar import SecondsBox

    box = SecondsBox()
    box.setRange(0.0, 100.0)
    box.setSuffix(" s")
    box.setSpecialValueText("any")
    qtbot.addWidget(box)
    box.setValue(12.5)
    box.show()
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 0.0 and box.text() == "any"
    box.selectAll()
    qtbot.keyClicks(box, "3")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 3.0  # a number still reads as one


def test_the_match_names_button_is_never_squeezed_below_its_label(qtbot):
    """Trial 45: in a narrow window the focused "Match names" button showed "/latch name:"."""
    from app.ui.scope_bar import ScopeBar

    bar = ScopeBar()
    qtbot.addWidget(bar)
    bar.resize(300, 30)
    bar.show()
    qtbot.wait(20)
    button = bar.words_button
    text = button.fontMetrics().horizontalAdvance(button.text())
    assert button.minimumWidth() > text and button.width() >= button.minimumWidth()


def test_the_header_shows_all_results_again_in_one_click(qtbot, tmp_path, encoder):
    """Trial 50: "keep only files named “heli”" went on through Back and a restart (it is restored, as a trial asked),
    said only by the filter box. The header's "show all results" lifts every limit; the filter stays on the list."""
    svc, foley, field = doors_and_winds(tmp_path, encoder, door_seconds=1.0)
    settings = Settings(top_k=10, library_filter="door", filter_results=True,
                        last_scope={"min_duration": 0.5, "favourites": False})
    window = _started(qtbot, svc, settings, tmp_path / "ui_settings.json")
    limited = results_after(qtbot, window, lambda: window.load_query(field / "wind_0.wav"), text="")
    header = window.results.header.text()
    assert {r.path.parent for r in limited.results} == {foley}
    assert "only words “door”, ≥ 0.5 s (<a href='scope:all'>show all results</a>)" in header
    everything = results_after(qtbot, window, lambda: window._note_link("scope:all"))
    assert {r.path.parent for r in everything.results} == {foley, field} and not everything.scope.active
    assert "only" not in window.results.header.text() and "scope:all" not in window.results.header.text()
    assert window.library.filter_edit.text() == "door" and not window.library.filter_results.isChecked()
    assert window.results.scope_bar.min_duration.value() == 0.0
    close_window(window)
    svc.close()
