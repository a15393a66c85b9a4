"""Library panel: import progress and cancel, corrupt files, vanished folders, keyword filter."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.service import EVIDENCE_STAGE
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, make_corrupt, make_service, make_sounds, open_window, results_after

library = ui_support.library  # fixture


def _imported(qtbot, tmp_path, encoder, library):
    """A started window on a fresh library, its folder imported through the panel: (service, window, report)."""
    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS) as finished:
        window.library.start_import([library])
    return svc, window, finished.args[0]


def _window_on(qtbot, tmp_path, encoder, library):
    """A started window on a library whose folder the service imported before: (service, window)."""
    svc = make_service(tmp_path, encoder)
    svc.import_folders([library])
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    return svc, window


def _rows(panel) -> dict[str, object]:
    return {Path(r.path).name: r for r in panel.files.records}


def test_import_progress_and_cancel_then_resume(qtbot, tmp_path, encoder):
    folder = tmp_path / "many"
    make_sounds(folder, n=60, seconds=2.0)
    svc = make_service(tmp_path, encoder, commit_every=4)
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    panel = window.library
    seen: list[int] = []
    panel.progress.valueChanged.connect(seen.append)

    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS) as finished:
        panel.add_folder(folder)
        qtbot.waitUntil(lambda: panel.progress.value() >= 3, timeout=WAIT_MS)
        assert panel.progress.isVisible() and panel.progress.maximum() == 60
        assert panel.cancel_button.isEnabled() and not panel.import_button.isEnabled()
        assert "Importing" in panel.import_label.text() and "/60 new or changed files" in panel.import_label.text()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.cancelled and 0 < report.added < 60
    assert seen == sorted(seen) and seen[-1] < 60
    assert not panel.progress.isVisible() and panel.import_button.isEnabled()
    assert panel.import_label.text().startswith("Import cancelled")
    assert f"<b>{report.added}</b> indexed" in panel.counts_label.text()  # at once: a trial's lagged 5 s
    assert str(folder) in [panel.folder_list.item(i).text() for i in range(panel.folder_list.count())]

    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS) as finished:
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # rescan carries on
    rest = finished.args[0]
    assert not rest.cancelled and rest.added == 60 - report.added and rest.unchanged == report.added
    assert "<b>60</b> indexed" in panel.counts_label.text()
    close_window(window)
    svc.close()


def _importing(qtbot, tmp_path, encoder):
    """A window whose library panel is told an import is under way (no import runs), and a progress report of it."""
    import threading
    from types import SimpleNamespace

    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    window.library._cancel = threading.Event()
    return svc, window, SimpleNamespace(total=10, done=3, failed=0, stage="import", current="x.wav")


def test_the_counts_are_read_again_while_an_import_runs(qtbot, tmp_path, encoder, monkeypatch):
    """A trial saw "612 indexed" while the progress bar said 804/900: the counts stayed as before the import."""
    import app.ui.library_panel

    svc, window, report = _importing(qtbot, tmp_path, encoder)
    panel = window.library
    shown: list = []
    monkeypatch.setattr(panel, "_show_counts", shown.append)
    monkeypatch.setattr(app.ui.library_panel, "COUNTS_EVERY_S", 0.0)
    monkeypatch.setattr(app.ui.library_panel, "LIST_EVERY_S", 3600.0)  # the list's own read shows the counts too
    panel._listed_at = time.monotonic()
    panel._import_progress(report)
    panel._import_progress(report)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=WAIT_MS)
    monkeypatch.setattr(app.ui.library_panel, "COUNTS_EVERY_S", 3600.0)
    panel._import_progress(report)  # within the interval: not read again
    qtbot.wait(200)
    assert len(shown) == 2 and shown[0].indexed == 0
    panel._cancel = None
    close_window(window)
    svc.close()


def test_corrupt_file_shows_in_failures_and_loses_nothing(qtbot, tmp_path, encoder, library):
    make_corrupt(library / "broken.wav")
    svc, window, report = _imported(qtbot, tmp_path, encoder, library)
    panel = window.library
    assert report.failed == 1 and report.added == 8
    qtbot.waitUntil(lambda: panel.problem_view.topLevelItemCount() == 1, timeout=WAIT_MS)
    assert "<b>8</b> indexed · <b>1</b> failed" in panel.counts_label.text()
    assert panel.tabs.tabText(1) == "Problems (1)"
    item = panel.problem_view.topLevelItem(0)
    assert item.text(0) == "broken.wav" and item.text(1) == "failed" and item.text(2).startswith("cannot decode it: ")
    detail = panel.problem_detail.text()  # two trials read the reason cut short: the first one is shown in full
    assert detail.startswith(f"cannot decode {library / 'broken.wav'}: not a valid .wav file")
    broken = _rows(panel)["broken.wav"]
    row = panel.files.records.index(broken)
    assert "failed" in panel.files.data(panel.files.index(row, 0), Qt.ItemDataRole.ToolTipRole)

    good = results_after(qtbot, window, lambda: window.load_query(library / "tone_01.wav"), text="")
    assert broken.path not in [r.path for r in good.results]
    make_corrupt(library / "take 2" / "broken.wav")  # a second file of that name: the folders tell them apart
    panel.start_import()
    qtbot.waitUntil(lambda: panel.problem_view.topLevelItemCount() == 2 and not panel.importing, timeout=WAIT_MS)
    names = sorted(panel.problem_view.topLevelItem(i).text(0) for i in range(panel.problem_view.topLevelItemCount()))
    assert names == ["broken.wav  (in sounds)", "broken.wav  (in take 2)"]
    steps = len(window.session.history.steps)
    with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
        window.load_query(broken.path)
    assert "broken.wav" in failed.args[0]
    assert "Search failed" in window.results.header.text()
    assert window.results.stale and "from the search before" in window.results.header.text()  # dimmed, said so
    assert "broken.wav" in window.statusBar().currentMessage()
    # no dead step: the query before comes back (a trial's Back walked through five corrupt queries)
    assert len(window.session.history.steps) == steps and window.session.query == library / "tone_01.wav"
    qtbot.waitUntil(lambda: "tone_01.wav" in window.query.title.text(), timeout=WAIT_MS)
    again = results_after(qtbot, window, lambda: window.session.search("", 1.0), text="")
    assert [r.path for r in again.results] == [r.path for r in good.results]
    make_corrupt(library / "take 2" / "new\nline.wav")  # trial 53: a newline split its row in two
    panel.start_import()
    qtbot.waitUntil(lambda: panel.problem_view.topLevelItemCount() == 3 and not panel.importing, timeout=WAIT_MS)
    assert "new\\nline.wav" in [panel.problem_view.topLevelItem(i).text(0) for i in range(3)]
    close_window(window)
    svc.close()


def test_vanished_folder_is_flagged_and_its_files_missing(qtbot, tmp_path, encoder, library):
    gone = tmp_path / "usb_drive"
    make_sounds(gone, n=3)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([library, gone])
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    panel = window.library
    shutil.rmtree(gone)
    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS) as finished:
        panel.start_import()
    assert finished.args[0].missing == 3
    assert f"folder not found: {gone}" in panel.import_label.text()
    qtbot.waitUntil(lambda: "<b>3</b> missing" in panel.counts_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any("(folder not found)" in panel.folder_list.item(i).text()  # the list read after the
                                for i in range(panel.folder_list.count())), timeout=WAIT_MS)  # import (the counts may
    labels = [panel.folder_list.item(i).text() for i in range(panel.folder_list.count())]  # come first, as it runs)
    assert f"{gone}  (folder not found)" in labels and str(library) in labels
    missing = [r for r in panel.files.records if r.status == "missing"]
    assert len(missing) == 3
    idx = panel.files.index(panel.files.records.index(missing[0]), 0)
    assert isinstance(panel.files.data(idx, Qt.ItemDataRole.FontRole), QFont)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    assert not {r.path for r in done.results} & {r.path for r in missing}

    panel.folder_list.setCurrentRow(labels.index(f"{gone}  (folder not found)"))
    asked = []
    panel.confirm = lambda question: asked.append(question) and False  # Cancel: nothing is forgotten
    panel.remove_selected_folders()
    assert "forgets its 3 file(s)" in asked[0] and "The files on disk are not touched" in asked[0]
    assert panel.folder_list.count() == 2 and svc.counts().missing == 3
    panel.confirm = lambda question: True
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.remove_selected_folders()
    qtbot.waitUntil(lambda: "<b>0</b> missing" in panel.counts_label.text(), timeout=WAIT_MS)
    assert panel.folder_list.count() == 1
    assert panel.import_label.text() == (f"Removed {gone} from the library: 3 file(s) left the index "
                                         "(files on disk untouched)")
    close_window(window)
    svc.close()


def test_files_deleted_from_disk_can_be_forgotten(qtbot, tmp_path, encoder, library):
    svc, window = _window_on(qtbot, tmp_path, encoder, library)
    panel = window.library
    drive = tmp_path / "drive"
    make_sounds(drive, n=2)
    svc.import_folders([drive])
    shutil.move(drive, tmp_path / "unplugged")  # its two files are missing too, and are kept
    (library / "tone_01.wav").unlink()
    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS):
        panel.start_import()
    qtbot.waitUntil(lambda: "<b>3</b> missing" in panel.counts_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(panel.forget_button.isEnabled, timeout=WAIT_MS)  # the lists read after the import
    asked = []
    panel.confirm = lambda question: asked.append(question) or True
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.forget_button.click()
    qtbot.waitUntil(lambda: "<b>2</b> missing" in panel.counts_label.text(), timeout=WAIT_MS)
    assert "Forget the 1 missing file(s)?" in asked[0] and panel.import_label.text() == "Forgot 1 missing file(s)"
    assert not panel.forget_button.isEnabled() and panel.tabs.tabText(1) == "Problems (2)"
    reasons = {panel.problem_view.topLevelItem(i).text(2) for i in range(2)}
    assert all(r.startswith("its library folder is not on disk") for r in reasons)
    close_window(window)
    svc.close()


def test_keyword_filter(qtbot, tmp_path, encoder, library):
    svc, window = _window_on(qtbot, tmp_path, encoder, library)
    panel = window.library
    qtbot.waitUntil(lambda: panel.files.rowCount() == 8, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.filter_edit, "tone")
    qtbot.waitUntil(lambda: panel.files.rowCount() == 4, timeout=WAIT_MS)
    assert all(Path(r.path).name.startswith("tone_") for r in panel.files.records)
    assert panel.tabs.tabText(0) == "Files (4)" and panel.tabs.tabToolTip(0) == ""
    said: list[str] = []
    panel.message.connect(said.append)
    qtbot.keyClicks(panel.filter_edit, "zzq")  # "tonezzq": nothing
    qtbot.waitUntil(lambda: panel.files.rowCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any("No library file matches \u201ctonezzq\u201d" in m for m in said), timeout=5000)
    qtbot.waitUntil(lambda: "No library file matches" in window.statusBar().currentMessage(), timeout=5000)
    panel.filter_edit.setText("*one")  # matches again: the message goes (trial 56: it stayed)
    qtbot.waitUntil(lambda: panel.files.rowCount() == 4, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "No library file matches" not in window.statusBar().currentMessage(), timeout=5000)
    close_window(window)
    svc.close()


def test_a_library_longer_than_the_list_says_so(qtbot, tmp_path, encoder, library, monkeypatch):
    """A trial's 6,012 files showed as "Files (5000+)" with no word on the rest, and a fifth of the library unlisted."""
    from app.ui import library_panel

    monkeypatch.setattr(library_panel, "FILE_LIMIT", 5)
    svc, window = _window_on(qtbot, tmp_path, encoder, library)
    panel = window.library
    qtbot.waitUntil(lambda: panel.files.rowCount() == 5, timeout=WAIT_MS)
    assert panel.tabs.tabText(0) == "Files (first 5)" and "type in the filter" in panel.tabs.tabToolTip(0)
    close_window(window)
    svc.close()


def test_new_model_reindexes_the_library_by_itself(qtbot, tmp_path, encoder, library):
    from model.encoder import NudgeEncoder
    from tests.helpers import make_random_heads

    old = make_service(tmp_path, encoder)
    old.import_folders([library])
    old.close()
    new_encoder = NudgeEncoder(make_random_heads(tmp_path / "retrained.safetensors", seed=7))
    svc = make_service(tmp_path, new_encoder)
    assert svc.counts().pending == 8
    window = open_window(qtbot, svc, tmp_path)
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS) as finished:
        window.start(offer_demo=False)
    assert finished.args[0].updated == 8
    qtbot.waitUntil(lambda: "<b>8</b> indexed" in window.library.counts_label.text(), timeout=WAIT_MS)
    assert "re-index" not in window.library.counts_label.text()
    close_window(window)
    svc.close()


def drop_event(*paths: Path):
    """A copy-drop of these files/folders at (5, 5), as a file manager sends it."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event._mime = mime  # keep the mime data alive as long as the event
    return event


def test_drop_a_folder_onto_the_library(qtbot, tmp_path, encoder, library):
    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    event = drop_event(library, library / "tone_01.wav")
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS) as finished:
        window.library.dropEvent(event)
    assert finished.args[0].added == 8 and svc.folders() == [library]
    close_window(window)
    svc.close()


def test_drop_on_the_window_adds_folders_and_opens_files(qtbot, tmp_path, encoder, library):
    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    event = drop_event(library, library / "tone_03.wav")
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS) as finished:
        window.dropEvent(event)
    assert finished.args[0].added == 8 and window.session.query == library / "tone_03.wav"
    qtbot.waitUntil(lambda: window.session.last is not None and len(window.session.last.results) == 7,
                    timeout=WAIT_MS)
    close_window(window)
    svc.close()


def test_a_rescan_reads_older_files_for_the_reranking_and_says_so(qtbot, tmp_path, encoder):
    folder = tmp_path / "older"
    make_sounds(folder, n=3, seconds=2.0)
    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    panel = window.library
    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS):
        panel.add_folder(folder)
    with svc.db.transaction() as conn:  # as a library imported before the evidence was kept
        conn.execute("DELETE FROM patch_evidence")
    stages: list[str] = []
    shown = panel._import_progress

    def progress(p) -> None:
        shown(p)
        stages.append(p.stage)
        if p.stage == EVIDENCE_STAGE:
            labels.append(panel.import_label.text())

    labels: list[str] = []
    panel._import_progress = progress
    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS) as finished:
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert finished.args[0].evidence_filled == 3
    assert "3 older sounds read for the reranking" in panel.import_label.text()
    assert labels and all(t.startswith("Reading sounds for the reranking") for t in labels), stages
    close_window(window)
    svc.close()


def test_the_problems_tab_gives_the_reason_without_the_path_again():
    """The Why column repeated each file's full path, so no reason was readable at the panel's width (a
    messy-library trial); the File column and the tooltip give the path."""
    from pathlib import Path

    from app.errors import short_reason

    path = Path("/sounds/field/a take.ogg")
    assert short_reason(path, f"cannot decode {path}: not a valid .ogg file") == \
        "cannot decode it: not a valid .ogg file"
    assert short_reason(path, f"{path} is empty (0 bytes)") == "it is empty (0 bytes)"
    assert short_reason(path, f"{path}: unsupported audio format (.m4a)") == "unsupported audio format (.m4a)"
    assert short_reason(path, "symbolic link loop") == "symbolic link loop"


def test_an_import_stopped_midway_goes_on_at_the_next_start(qtbot, tmp_path, encoder, library):
    """A trial closed the app during an import: the next launch showed 256 of 900 files indexed and said nothing."""
    svc = make_service(tmp_path, encoder)
    svc.add_folder(library)
    svc.db.set_import_unfinished(True)  # as left by a close, a cancel or a kill during an import
    window = open_window(qtbot, svc, tmp_path)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.start(offer_demo=False)
    qtbot.waitUntil(lambda: svc.counts().indexed == len(list(library.glob("*.wav"))), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.library.importing, timeout=WAIT_MS)
    assert not svc.import_unfinished()
    assert "The last import did not finish: importing the rest of the library…" in said
    close_window(window)
    svc.close()


def test_the_import_says_what_it_warned_about(qtbot, tmp_path, encoder, library):
    """A WAV cut short (an interrupted copy) is imported and the import line says so, every warning in its tooltip."""
    whole = (library / "tone_01.wav").read_bytes()
    for name in ("cut_a.wav", "cut_b.wav"):
        (library / name).write_bytes(whole[: len(whole) // 2])
    svc, window, report = _imported(qtbot, tmp_path, encoder, library)
    panel = window.library
    assert report.failed == 0 and len(report.warnings) == 2
    text = panel.import_label.text()
    assert "cut_a.wav is cut short" in text and "(and 1 more: point at this line)" in text
    assert "cut_b.wav is cut short" in panel.import_label.toolTip()
    qtbot.waitUntil(lambda: panel.problem_view.topLevelItemCount() == 2, timeout=WAIT_MS)  # kept: found again later
    item = panel.problem_view.topLevelItem(0)
    assert item.text(0) == "cut_a.wav" and item.text(1) == "imported" and "is cut short" in item.toolTip(2)
    row = next(i for i, r in enumerate(panel.files.records) if Path(r.path).name == "cut_a.wav")
    assert "note: " in panel.files.data(panel.files.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert svc.counts().failed == 0  # a note is no failure
    close_window(window)
    svc.close()


def test_the_lists_follow_a_change_made_by_another_process(qtbot, tmp_path, encoder, library):
    """The CLI (or a second window) imports or removes a folder while the app is open: the panel reads its folders,
    counts and files again (it kept the old ones, and Remove offered a folder no longer in the library)."""
    svc, window, _ = _imported(qtbot, tmp_path, encoder, library)
    panel = window.library
    other_folder = tmp_path / "more"
    make_sounds(other_folder, 3)
    other = make_service(tmp_path, encoder)  # another process's service on the same data dir
    other.import_folders([other_folder])
    qtbot.waitUntil(lambda: panel.folder_list.count() == 2 and panel.snapshot.counts.indexed == 11, timeout=WAIT_MS)
    shown = results_after(qtbot, window, lambda: window.load_query(sorted(other_folder.iterdir())[0]), text="")
    assert any(library in r.path.parents for r in shown.results)
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS) as again:  # the results follow it too
        other.remove_folder(library)
    assert again.args[0].results and all(library not in r.path.parents for r in again.args[0].results)
    qtbot.waitUntil(lambda: panel.folder_list.count() == 1 and panel.snapshot.counts.indexed == 3, timeout=WAIT_MS)
    assert sorted(Path(r.path).parent for r in panel.files.records) == [other_folder] * 3
    other.close()
    close_window(window)
    svc.close()


def test_a_read_only_library_says_so_in_its_counts(qtbot, tmp_path, encoder, library):
    from app.library_records import LibraryCounts

    svc, window = _window_on(qtbot, tmp_path, encoder, library)
    window.library._show_counts(LibraryCounts(8, 0, 0, read_only=True))
    assert "<b>read-only</b> here: search only" in window.library.counts_label.text()
    window.library._show_counts(LibraryCounts(8, 0, 0))
    assert "read-only" not in window.library.counts_label.text()
    close_window(window)
    svc.close()


def test_an_import_of_another_process_is_said_before_remove_asks_and_is_no_failure(qtbot, tmp_path, encoder, library):
    """A trial, with a command-line import running: Remove asked first, then refused; Import / rescan said "Import
    failed"."""
    from app.import_lock import import_lock

    svc, window = _window_on(qtbot, tmp_path, encoder, library)
    panel = window.library
    qtbot.waitUntil(lambda: panel.folder_list.count() == 1, timeout=WAIT_MS)
    panel.folder_list.setCurrentRow(0)
    asked = []
    panel.confirm = lambda question: asked.append(question) or True
    with import_lock(svc.data_dir):  # as another process's import holds it
        panel.remove_selected_folders()
        assert asked == [] and window.statusBar().currentMessage().startswith(
            "Cannot remove a folder now: another import (the command line, or a second Nudge)")
        with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS):
            panel.start_import()
        assert panel.import_label.text().startswith("Import not started: another import is already updating")
    assert svc.folders() == [library]
    close_window(window)
    svc.close()


def test_a_folder_moved_away_is_located_by_a_double_click(qtbot, tmp_path, encoder, library, monkeypatch):
    """Trial 63: a renamed library folder could only be added again (its files embedded anew, stars left behind)."""
    from PySide6.QtWidgets import QFileDialog

    svc, window, _ = _imported(qtbot, tmp_path, encoder, library)
    panel = window.library
    moved = tmp_path / "renamed"
    library.rename(moved)
    shown = lambda: panel.folder_list.item(0).text() if panel.folder_list.count() else ""  # noqa: E731
    qtbot.waitUntil(lambda: "(folder not found)" in shown(), timeout=WAIT_MS)
    assert "Double-click to say where it is now" in panel.folder_list.item(0).toolTip()
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: asked.append(a[1]) or str(moved))
    with qtbot.waitSignal(panel.import_finished, timeout=WAIT_MS) as finished:
        panel.folder_list.itemDoubleClicked.emit(panel.folder_list.item(0))
    assert asked == [f"Where is {library.name} now? (moved or renamed)"]
    assert finished.args[0].added == 0 and finished.args[0].unchanged == svc.counts().indexed > 0
    qtbot.waitUntil(lambda: shown() == str(moved), timeout=WAIT_MS)
    close_window(window)
    svc.close()


def test_a_folder_unplugged_or_plugged_back_shows_without_a_rescan(qtbot, tmp_path, encoder, library):
    """A trial moved a library folder away (an unplugged drive): the list kept showing it as there until a rescan,
    and after it came back still said "folder not found"."""
    svc, window, _ = _imported(qtbot, tmp_path, encoder, library)
    panel = window.library
    away = tmp_path / "unplugged"
    shown = lambda: panel.folder_list.item(0).text() if panel.folder_list.count() else ""  # noqa: E731
    qtbot.waitUntil(lambda: shown() == str(library), timeout=WAIT_MS)
    library.rename(away)
    qtbot.waitUntil(lambda: "(folder not found)" in shown(), timeout=WAIT_MS)
    away.rename(library)
    qtbot.waitUntil(lambda: shown() == str(library), timeout=WAIT_MS)
    close_window(window)
    svc.close()


def test_the_file_list_is_read_again_while_an_import_runs(qtbot, tmp_path, encoder, monkeypatch):
    """A trial's list said "Files (36)" while 2,000 files came in: it is read again every LIST_EVERY_S."""
    import app.ui.library_panel

    svc, window, report = _importing(qtbot, tmp_path, encoder)
    panel = window.library
    refreshed: list = []
    monkeypatch.setattr(panel, "refresh", lambda: refreshed.append(1))
    monkeypatch.setattr(app.ui.library_panel, "LIST_EVERY_S", 0.0)
    panel._import_progress(report)
    monkeypatch.setattr(app.ui.library_panel, "LIST_EVERY_S", 3600.0)
    panel._import_progress(report)  # within the interval: not read again
    assert refreshed == [1]
    panel._cancel = None
    close_window(window)
    svc.close()
