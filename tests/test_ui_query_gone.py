"""The query panel says when the query file can no longer be read (a trial's title kept "· library" after the file
was deleted and the library rescanned)."""

from __future__ import annotations

from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, results_after, started_window

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_a_query_deleted_from_disk_says_so(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path)
    query = sorted(library.iterdir())[1]
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        results_after(qtbot, window, lambda: window.load_query(query), text="")
    assert window.query.details.endswith("· library") and "· library" in window.query.title.text()
    query.unlink()
    window.query.show_query(query, keep_waveform=True)  # as after a rescan
    qtbot.waitUntil(lambda: "cannot be read" in window.query.title.text(), timeout=WAIT_MS)
    close_window(window)


def test_a_query_renamed_on_disk_is_followed_after_the_rescan(qtbot, tmp_path, indexed_service, library):
    """A trial renamed the query file: the rescan said "1 renamed or moved", but the query and its history kept the
    old path and the search after the rescan failed."""
    query = sorted(library.iterdir())[1]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    renamed = query.with_name("renamed take.wav")
    query.rename(renamed)
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS,
                          check_params_cb=lambda done: done.step.query == renamed) as done:
        window.library.start_import()
    assert done.args[0].step.text == "add thunder"
    assert [step.query for step in window.session.history.steps] == [renamed, renamed]
    close_window(window)


def test_a_query_on_an_unplugged_drive_is_searched_with_its_stored_sound(qtbot, tmp_path, indexed_service, library):
    """Its folder gone (a drive unplugged): the next search (a page, the slider, marks) failed with "query file not
    found"; it now runs on the stored sound, and the header says so."""
    query = sorted(library.iterdir())[1]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    library.rename(library.with_name("unplugged"))
    done = results_after(qtbot, window, lambda: window.session.search("add thunder", 0.5), text="add thunder")
    assert done.step.strength == 0.5 and "Search failed" not in window.results.header.text()
    assert "The query file is not on disk: searched with its sound as imported" in window.results.header.text()
    assert "0 results" in window.results.header.text()  # every library file is on the unplugged drive: said why
    assert "in a library folder not on disk" in window.results.header.text()
    assert "add a folder and import" not in window.results.header.text()
    close_window(window)


def test_a_query_cut_short_since_the_import_says_so_in_the_header(qtbot, tmp_path, indexed_service, library):
    """Trial 53: a library file cut to 2,000 bytes was searched with no word in the header, and gave junk."""
    query = sorted(library.glob("*.wav"))[1]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    plain = results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    assert "cut short" not in window.results.header.text()
    query.write_bytes(query.read_bytes()[:2000])
    done = results_after(qtbot, window, lambda: window.session.search("add thunder", 0.5), text="add thunder")
    assert done.query_changed.startswith("the query file is cut short (an interrupted copy?)")
    assert "The query file is cut short" in window.results.header.text()
    assert [r.path for r in plain.results][:3] != [] and "Search failed" not in window.results.header.text()
    close_window(window)


def test_a_quiet_query_says_its_waveform_is_drawn_magnified(tmp_path, indexed_service):
    import numpy as np

    from app.ui.query_panel import load_overview as read_overview
    from tests.helpers import write_wav

    t = np.arange(16_000) / 16_000
    quiet = write_wav(tmp_path / "quiet.wav", 0.01 * np.sin(2 * np.pi * 220 * t), 16_000)  # -40 dBFS
    loud = write_wav(tmp_path / "loud.wav", 0.8 * np.sin(2 * np.pi * 220 * t), 16_000)
    assert read_overview(indexed_service, quiet).details.endswith("· quiet: drawn +28 dB")
    assert "quiet" not in read_overview(indexed_service, loud).details


def locked(monkeypatch, folder) -> None:
    """os.stat of anything under ``folder`` fails as in a folder that may not be searched (chmod 000: tests run as
    root here, whom permissions do not stop)."""
    import os

    real = os.stat

    def stat(path, *args, **kwargs):
        if os.fsdecode(path).startswith(str(folder) + os.sep):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)


def test_a_query_in_a_folder_that_may_not_be_read_is_searched_with_its_stored_sound(qtbot, tmp_path, indexed_service,
                                                                                      library, monkeypatch):
    """A trial: "Search failed: [Errno 13] Permission denied" (and in the CLI, advice about free disk space)."""
    import shutil

    import pytest

    from app.errors import QueryFileError

    query = sorted(library.iterdir())[1]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(query, outside / "take.wav")  # not in the library: no stored sound
    locked(monkeypatch, library)
    locked(monkeypatch, outside)
    done = results_after(qtbot, window, lambda: window.session.search("add thunder", 0.5), text="add thunder")
    assert done.step.strength == 0.5 and "Search failed" not in window.results.header.text()
    assert ("The query file cannot be read now (permission denied): searched with its sound as imported"
            in window.results.header.text())
    close_window(window)
    with pytest.raises(QueryFileError, match=r"cannot be read now \(permission denied\), and it is not in the library"):
        indexed_service.search(outside / "take.wav", "add thunder")


def test_a_result_deleted_since_the_import_is_said_in_the_header(qtbot, tmp_path, indexed_service, library):
    query, deleted = sorted(library.iterdir())[1:3]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    deleted.unlink()
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    assert "1 result left out: its file is gone since the last import (File → Import / rescan library, Ctrl+I" \
        in window.results.header.text()
    close_window(window)


def test_a_query_that_is_no_sound_file_says_so_over_no_waveform(qtbot, tmp_path, indexed_service, library):
    """A trial opened a text file named .wav: its "cannot decode" message was drawn over the previous waveform; a
    later trial's Back walked through such dead steps. The failure is said, and the query before comes back."""
    query = sorted(library.iterdir())[1]
    window = started_window(qtbot, indexed_service, tmp_path, query)
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    text = tmp_path / "README notes.wav"
    text.write_text("not audio at all\n" * 20)
    with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
        window.load_query(text)
    assert "README notes.wav" in failed.args[0]
    assert window.session.query == query and "README notes.wav" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: query.name in window.query.title.text(), timeout=WAIT_MS)  # the query before is back
    waveform = window.query.waveform
    qtbot.waitUntil(lambda: waveform._fill.isVisible() and "Cannot read" not in waveform._message.toPlainText(),
                    timeout=WAIT_MS)  # its own waveform, no message over it
    close_window(window)
