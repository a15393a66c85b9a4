"""In the app, words with no query sound find the sound they name on its own; a search that adds a sound links to
finding that sound on its own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.query_panel import STRENGTH_KEYS_REST_MS
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, open_window, started_window, typed_search

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_words_with_no_query_rank_the_library_by_the_words_sound(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path)
    assert window.session.history.current is None
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, "thunder")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
    results = found.args[0]
    expected = [r.path for r in indexed_service.search(None, "thunder", top_k=200)]
    assert [r.path for r in results] == expected and len(results) == len(list(library.glob("*.wav")))
    assert "ranked by how well they sound like “thunder” on its own" in window.results.header.text()  # not N matches
    assert window.session.history.current is None  # no query step was made
    model = window.results.model  # trial 55: the tooltip spoke of a query sound there was none of
    column = next(i for i, c in enumerate(model.columns) if c.key == "score")
    tip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
    assert "sounds like “thunder” on its own" in tip and "query" not in tip
    assert indexed_service.sounds_heard_nowhere("thunder") == ["thunder"]  # tones: Nudge hears no thunder in them
    assert "Nudge clearly hears thunder in no library file" in window.results.header.text()
    assert "ordered with how clearly Nudge hears thunder" not in window.results.header.text()  # trial 57: both said
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    assert done.results and "query sound are" in model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
    close_window(window)


def test_a_sound_the_words_add_is_a_link_that_finds_it_on_its_own(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder and a dog barking")
    header = window.results.header.text()
    assert "Find on its own, without the query sound: <a href='alone:0'>thunder</a>, " \
           "<a href='alone:1'>dog barking</a>" in header
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window.results.header.linkActivated.emit("alone:1")
    assert [r.path for r in found.args[0]] == [r.path for r in indexed_service.search(None, "dog barking", top_k=200)]
    assert "sound like “dog barking” on its own" in window.results.header.text()
    assert window.session.history.current == done.step  # the query's step is kept: "Back" and refining go on
    window.results.header.linkActivated.emit("alone:7")  # no such sound: nothing happens

    window.query.modifier.setText("church bells")  # Search -> "Find the words' sound on its own", with a query
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window.find_modifier_alone()
    assert "sound like “church bells” on its own" in window.results.header.text()
    window.query.modifier.setText("")
    window.find_modifier_alone()  # nothing to find: a message, no search
    assert "Type the sound to find" in window.statusBar().currentMessage()
    close_window(window)


def test_a_level_change_of_it_with_no_query_asks_for_a_query_sound(qtbot, tmp_path, indexed_service):
    """"make it quieter" with no query loaded names nothing to find: the status bar says what to do, no search runs."""
    window = started_window(qtbot, indexed_service, tmp_path)
    shown = []
    window.words_results_ready.connect(shown.append)
    qtbot.waitUntil(lambda: window.session.model_state.name == "READY", timeout=30_000)
    window.runner.wait_idle(30_000)  # the start's own messages (after the model is in) come before the words'
    qtbot.wait(100)
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, "make it quieter")
    qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
    qtbot.wait(200)
    assert "changes or keeps a query sound: load one first" in window.statusBar().currentMessage()
    assert shown == [] and window.session.history.current is None
    close_window(window)


def test_marking_a_result_of_words_alone_searches_the_words_again_with_the_mark(qtbot, tmp_path, indexed_service):
    """'+ More like this' on words found on their own keeps the words and adds the mark; it used to mark the
    current history step instead (another query sound, no words), found by a GUI trial."""
    window = started_window(qtbot, indexed_service, tmp_path)
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, "thunder")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
    first = found.args[0][1]  # mark the second result
    window.results.select_row(1)
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as marked:
        window.results.mark_selected(+1)
    expected = indexed_service.search(None, "thunder", top_k=200, more_like=[first.path])
    assert [r.path for r in marked.args[0]] == [r.path for r in expected]
    header = window.results.header.text()
    assert "sound like “thunder” on its own · more like" in header and first.path.name in header
    assert window.session.history.current is None and window.results.model.mark_of(
        [r.path for r in marked.args[0]].index(first.path)) == 1
    close_window(window)


def test_results_of_no_step_light_no_crumb_and_back_returns_to_the_steps_results(qtbot, tmp_path, indexed_service,
                                                                                  library):
    window = open_window(qtbot, indexed_service, tmp_path)
    first = typed_search(qtbot, window, library / "rain_like_00.wav", "")
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    crumbs = window.query.crumbs
    assert [b.isChecked() for b in crumbs.buttons] == [False, True]
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.results.header.linkActivated.emit("alone:0")  # thunder on its own: results of no step
    assert [b.isChecked() for b in crumbs.buttons] == [False, False]
    assert crumbs.buttons[1].toolTip().startswith("The results shown are not this step's")
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS) as back:
        window.go_back()  # Alt+Left: to the step's own results, not to the step before
    assert back.args[0].step == done.step and window.session.history.current == done.step
    assert [b.isChecked() for b in crumbs.buttons] == [False, True]
    assert not crumbs.buttons[1].toolTip().startswith("The results shown")
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS) as back:
        window.go_back()  # then on, as before: the step before
    assert back.args[0].step == first.step
    close_window(window)


def test_words_alone_say_how_they_were_read(qtbot, tmp_path, indexed_service):
    """Unknown and untrained sounds are said with no query sound too (the header said only "sound like ...")."""
    window = started_window(qtbot, indexed_service, tmp_path)
    for words, said in (("add a kazoo", "kazoo: not a sound Nudge knows"), ("kazoo", "kazoo: not a sound Nudge"),
                        ("a cat meowing", "cat: Nudge was not trained on this sound")):
        with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
            window.find_alone(words)
        assert said in window.results.header.text(), words
        assert "no edit read" not in window.results.header.text()  # no query sound: no edit to read
    close_window(window)


def test_more_moments_of_a_words_alone_result_finds_the_words_sound_in_it(qtbot, tmp_path, indexed_service, library):
    """It listed the moments of the query step before (a trial), then said it needed a query sound (trial 52: "find
    the thunder in this take" could not be asked); a text match still says what it needs."""
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window.find_alone("thunder")
    calls, real = [], indexed_service.file_moments
    indexed_service.file_moments = lambda *a, **k: calls.append((a, k)) or real(*a, **k)
    first = found.args[0][0]
    window.more_moments(first)
    qtbot.waitUntil(lambda: "on its own" in window.results.header.text(), timeout=WAIT_MS)
    assert calls[0][0][:2] == (first.path, None) and calls[0][1]["text"] == "thunder"
    assert f"in <i>{first.path.name}</i> for “thunder” on its own" in window.results.header.text()
    heard = indexed_service.sounds_not_in_file(first.path, "thunder") == []
    assert ("Nudge does not hear it anywhere in this file" in window.results.header.text()) is not heard
    indexed_service.sounds_not_in_file = lambda path, words: ["thunder"]  # trial 58: thunder moments of a rain take
    window.more_moments(first)
    qtbot.waitUntil(lambda: "does not hear it anywhere" in window.results.header.text(), timeout=WAIT_MS)
    assert "thunder: Nudge does not hear it anywhere in this file" in window.results.header.text()
    del indexed_service.sounds_not_in_file
    window.alone = "text"  # a text match: no sound to find moments of
    window.more_moments(first)
    assert len(calls) == 2 and "follows a search with a query sound or with words" in \
        window.statusBar().currentMessage()
    close_window(window)


def test_the_last_results_are_dimmed_while_words_alone_are_found(qtbot, tmp_path, indexed_service, library):
    """Trial 58: "Finding what sounds like “car horn”…" stood over the last search's thunder files as if they were
    its results."""
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_alone("car horn")
        assert window.results.stale and "Finding what sounds like" in window.results.header.text()
    assert not window.results.stale
    close_window(window)


def test_a_late_answer_of_words_alone_never_replaces_a_newer_search(qtbot, tmp_path, indexed_service, library,
                                                                      monkeypatch):
    """A trial: the words-alone results arrived 0.5 s after another query's and replaced them."""
    import threading

    window = started_window(qtbot, indexed_service, tmp_path)
    release, real = threading.Event(), indexed_service.search

    def slow_alone(query, *args, **kwargs):
        if query is None:
            release.wait(30)
        return real(query, *args, **kwargs)

    monkeypatch.setattr(indexed_service, "search", slow_alone)
    shown = []
    window.words_results_ready.connect(shown.append)
    window.find_alone("thunder")
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS):
        window.load_query(library / "rain_like_00.wav")
    release.set()
    window.runner.wait_idle(WAIT_MS)
    qtbot.wait(100)  # the late answer's delivery, if any, runs on the GUI thread
    assert shown == [] and "on its own" not in window.results.header.text()
    assert "rain_like_00.wav" in window.results.header.text().replace("\u200b", "")
    close_window(window)


def test_moving_the_strength_after_words_alone_keeps_the_words_alone_list_and_says_why(qtbot, tmp_path,
                                                                                        indexed_service, library):
    """A trial: with words-alone results shown, moving the strength slider ran "query + words" instead; trial 54:
    then it moved the words-alone list and raised its scores, which meant nothing to a designer. The strength weighs
    words against a query sound: with none, the words are searched as typed, and the slider says so."""
    window = open_window(qtbot, indexed_service, tmp_path)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as alone:
        window.results.header.linkActivated.emit("alone:0")
    steps, shown = len(window.session.history.steps), [r.path for r in window.results.model.results]
    assert shown and len(shown) <= len(alone.args[0])
    with qtbot.assertNotEmitted(window.words_results_ready, wait=STRENGTH_KEYS_REST_MS + 400):
        window.query.strength.setValue(30)  # the slider comes to rest after its debounce
    assert "words on their own are searched as typed" in window.statusBar().currentMessage()
    assert [r.path for r in window.results.model.results] == shown and len(window.session.history.steps) == steps
    assert not window.results.stale and "updating" not in window.results.header.text()  # trial 56: stuck on it
    assert window.session.history.current == done.step  # no step of the query with the words was made
    faint, full = (indexed_service.search(None, "thunder", s, top_k=20) for s in (0.3, 1.0))
    assert [(r.path, r.score) for r in faint] == [(r.path, r.score) for r in full]
    close_window(window)


def test_words_alone_results_marked_less_like_this_are_left_out_until_listed_again(qtbot, tmp_path, indexed_service):
    """Trial 52: marking a second result "less like this" brought the first one back."""
    window = started_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window.find_alone("thunder")
    first, second = found.args[0][0], found.args[0][1]
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.mark_results([first], -1)
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as less:
        window.mark_results([second], -1)
    assert {first.path, second.path}.isdisjoint(r.path for r in less.args[0])
    assert "(left out · <a href='unmark:'>list again</a>)" in window.results.header.text()
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as again:
        window.results.header.linkActivated.emit("unmark:")
    assert [r.path for r in again.args[0][:2]] == [first.path, second.path] and window.alone[2] == ()
    close_window(window)


def test_the_query_says_it_is_not_used_by_words_alone_results(qtbot, tmp_path, indexed_service, library):
    """Trial 52: the query and its selection stayed above words-alone results as if they had been searched."""
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    assert "not used" not in window.query.title.text()
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_alone("thunder")
    assert "<b>Query</b>: rain_like_00.wav" in window.query.title.text() and "not used" in window.query.title.text()
    with qtbot.waitSignal(window.session.results_ready, timeout=WAIT_MS):
        window.go_back()  # the step's own results again
    assert "not used" not in window.query.title.text() and "rain_like_00.wav" in window.query.title.text()
    close_window(window)


def test_words_alone_results_keep_the_panels_widths_at_1024(qtbot, tmp_path, indexed_service, library):
    """Trial 54: at 1024x640 the library panel widened ~94 px on every words-alone list (no "More results" button,
    so the results panel's minimum width fell and the splitter went back to its first proportions) and narrowed
    again on the next search."""
    window = open_window(qtbot, indexed_service, tmp_path)
    window.resize(1024, 640)
    panel = window.results
    window.session.top_k = 3  # a full page comes back: "More results" shows, the button row at its widest
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    qtbot.wait(100)
    assert panel.more_button.isVisible()
    before = window.splitter.sizes()
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_alone("thunder")  # no "More results"
    qtbot.wait(100)
    assert not panel.more_button.isVisible() and window.splitter.sizes() == before
    close_window(window)


def test_the_moments_list_shows_each_moments_plain_match_without_marks(qtbot, tmp_path, indexed_service, library):
    """Trial 55: one moment was ▼ in the results (its take lowered) and ▲ in "More moments in this file" (it stands
    out within its own take): the list of one file's moments now shows the plain match, ordered as found."""
    from dataclasses import replace

    window = open_window(qtbot, indexed_service, tmp_path)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    first = done.results[0]
    standing = [replace(first, start=0.0, end=0.5, score=first.plain_match + 0.7, match=first.plain_match, moments=2),
                replace(first, start=0.5, end=1.0, score=first.plain_match - 0.4, match=first.plain_match - 0.1,
                        rank=2, moments=2)]
    indexed_service.file_moments = lambda *a, **k: standing
    window.more_moments(first)
    qtbot.waitUntil(lambda: "moments</b> in" in window.results.header.text(), timeout=WAIT_MS)
    model = window.results.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "score")
    shown = [model.data(model.index(i, column)) for i in range(model.rowCount())]
    assert shown == [f"{first.plain_match:.3f}", f"{first.plain_match - 0.1:.3f}"]  # no ▲ / ▼, in the found order
    close_window(window)


def test_an_unknown_sounds_nearest_known_ones_are_links_under_words_alone(qtbot, tmp_path, indexed_service,
                                                                           library):
    """Trial 55: "a kettle" found nothing, and its nearest known sound ("bubbles") was plain text to retype."""
    window = started_window(qtbot, indexed_service, tmp_path)
    window.query.modifier.setText("a theremin")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_alone("a theremin")
    header = window.results.header.text()
    assert "theremin: not a sound Nudge knows; nearest known: <a href='use:0:0'>" in header
    nearest = indexed_service.with_known_sound("add a theremin", 0, 0).removeprefix("add ")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS) as found:
        window.results.header.linkActivated.emit("use:0:0")
    assert window.alone[0] == nearest and window.query.modifier.text() == nearest
    assert [r.path for r in found.args[0]] == [r.path for r in indexed_service.search(None, nearest, top_k=200)]
    close_window(window)
    window = open_window(qtbot, indexed_service, tmp_path / "with query")  # trial 56: with a query loaded too
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    window.query.modifier.setText("a theremin")
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_modifier_alone()
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.results.header.linkActivated.emit("use:0:0")
    assert window.query.modifier.text() == nearest
    window.query.modifier.setText("a theremin")  # trial 57: "no query sound" said with one loaded, not used
    with qtbot.waitSignal(window.words_results_ready, timeout=WAIT_MS):
        window.find_modifier_alone()
    header = window.results.header.text()
    assert "the words alone" in header and "no query sound" not in header
    close_window(window)
