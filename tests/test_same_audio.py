"""Copies of one sound under other names or folders are flagged in results: "(same audio as #N)"."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import soundfile as sf

from app.cli import main
from app.moments import FileHit
from app.same_audio import fold_copies, originals_first, same_audio_ranks
from tests.library_helpers import imported_library, service


def test_same_audio_needs_the_same_vector_and_length():
    a, b = np.eye(3)[0], np.eye(3)[1]
    near = np.array([1.0, 1e-2, 0.0]) / np.linalg.norm([1.0, 1e-2, 0.0])  # cosine 0.99995: other audio
    vectors = np.stack([a, b, a, a, near, a])
    durations = [1.0, 1.0, 1.0, 2.0, 1.0, None]
    assert same_audio_ranks(vectors, durations, [1, 2, 3, 4, 5, 6]) == [None, None, 1, None, None, 1]
    assert same_audio_ranks(vectors[:1], durations[:1], [7]) == [None]
    assert same_audio_ranks(vectors, durations, [1, 2, 3, 4, 5, 6], limit=3) == [None, None, 1, None, None, None]
    query = (2.0 * a, 1.0)  # A(query) raw: any length of the same direction
    assert same_audio_ranks(vectors, durations, [1, 2, 3, 4, 5, 6], query) == [0, None, 0, None, None, 0]


def test_a_copy_in_another_folder_is_flagged_in_results(tmp_path, encoder, heads_path, monkeypatch, capsys):
    svc, paths = imported_library(tmp_path, encoder, 4)
    copies = tmp_path / "lib" / "project"
    copies.mkdir()
    shutil.copy(paths[1], copies / "renamed copy.wav")  # the same bytes
    data, sr = sf.read(paths[1])
    sf.write(copies / "as flac.flac", data, sr, subtype="PCM_16")  # the same samples in another format
    sf.write(copies / "quieter.wav", data * 0.5, sr)  # another level: not the same audio
    svc.import_folders()
    results = svc.search(paths[0], top_k=10)
    rank = {r.path.name: r for r in results}
    first = min(rank["clip_001.wav"].rank, rank["renamed copy.wav"].rank, rank["as flac.flac"].rank)
    flagged = [r.same_as for r in results if r.path.name in ("clip_001.wav", "renamed copy.wav", "as flac.flac")]
    assert sorted(flagged, key=str) == [first, first, None]
    assert rank["quieter.wav"].same_as is None and rank["clip_002.wav"].same_as is None
    svc.close()
    shown = _names_shown(results)
    assert sum(name.endswith(f"  (= #{first})") for name in shown) == 2 and "quieter.wav" in shown

    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    args = ["--data-dir", str(tmp_path / "data"), "search", "--query", str(paths[0]), "--top", "10"]
    assert main([*args, "--copies"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(f"(same audio as #{first})" in line for line in lines) == 2
    assert main(args) == 0  # trial 51: by default the CLI folds copies as the app does
    out, err = capsys.readouterr()
    rows = out.splitlines()
    assert len(rows) == len(lines) - 2 and "same audio as" not in out  # the library holds no more: 2 rows fewer
    assert sum("(+2 copies: " in row for row in rows) == 1 and "renamed copy.wav" in out and "as flac.flac" in out
    assert ("2 copies (the same audio under another name or in another folder, or the same name in another format "
            f"or rate) folded into #{first}") in err
    assert main([*args, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["results"]
    assert sorted((r["same_as"] for r in found), key=str)[:2] == [first, first]
    # trial 53: --offset pages repeated one row and skipped another where copies were folded
    whole = [row.split("  (")[0] for row in rows]  # rank, match and path
    paged = []
    for offset in range(len(whole)):
        assert main([*args[:-1], "1", "--offset", str(offset)]) == 0
        paged += [row.split("  (")[0] for row in capsys.readouterr().out.splitlines()]
    assert paged == whole


def _names_shown(results) -> list[str]:
    """The results table's Name column (imported here: only this helper needs Qt)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.results_table import ResultsModel

    QApplication.instance() or QApplication([])
    model = ResultsModel()
    model.set_results(results)
    return [model.data(model.index(row, 1)) for row in range(model.rowCount())]


def test_the_file_imported_first_leads_its_copies():
    """Trial 54: a tie's order put extra/bark2_copy.ogg above the library's Bark2.ogg in one search and below it in
    the next; the file imported first (or the query file, where a search keeps it) now leads its group."""
    a, b = np.eye(3)[0], np.eye(3)[1]
    matrix = np.stack([a, a, a, b, a])  # rows: files 7, 5, 2 (a), 3 (b), 1 (a); block i starts at row i
    hits = [FileHit(i, fid, 0.9 - 0.1 * i, 0.0, None, 1) for i, fid in enumerate([7, 5, 2, 3, 1])]
    first_rows = np.arange(5)
    assert [h.file_id for h in originals_first(hits, first_rows, matrix)] == [2, 7, 5, 3, 1]  # 1: apart, a rule's
    assert [h.file_id for h in originals_first(hits, first_rows, matrix, keep=5)] == [5, 7, 2, 3, 1]
    assert [h.file_id for h in originals_first(hits, first_rows, matrix, limit=2)] == [5, 7, 2, 3, 1]  # 2 not seen
    assert [h.score for h in originals_first(hits, first_rows, matrix)][:3] == [0.7, 0.9, 0.8]  # hits move whole


def test_a_search_lists_the_library_file_before_a_later_copy(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 4)
    extra = tmp_path / "lib" / "zz extra"
    extra.mkdir()
    for name in ("a copy.wav", "b copy.wav"):
        shutil.copy(paths[2], extra / name)
    svc.import_folders()
    for words in ("", "add rain"):
        results = svc.search(paths[0], words, top_k=10)
        names = [r.path.name for r in results if r.path.name in ("clip_002.wav", "a copy.wav", "b copy.wav")]
        assert names[0] == "clip_002.wav", words
    svc.close()


def test_a_copy_of_the_query_sound_is_said_so(tmp_path, encoder, heads_path, monkeypatch, capsys):
    svc, paths = imported_library(tmp_path, encoder, 3)
    outside = tmp_path / "downloads"
    outside.mkdir()
    shutil.copy(paths[0], tmp_path / "lib" / "Copy of clip_000.wav")
    shutil.copy(paths[0], outside / "from the web.wav")  # a query from outside the library: its copy is found too
    svc.import_folders()
    for query in (paths[0], outside / "from the web.wav"):
        results = svc.search(query, top_k=3)
        first = "Copy of clip_000.wav" if query == paths[0] else "clip_000.wav"  # the file imported first leads
        assert results[0].path.name == first and results[0].same_as == 0
        assert results[0].same_audio_note == "same audio as the query" and results[0].same_audio_mark == "= query"
    with_query = svc.search(paths[0], top_k=3, exclude_query=False)
    assert [(r.path.name, r.same_as) for r in with_query[:2]] == [("clip_000.wav", None), ("Copy of clip_000.wav", 0)]
    with_words = svc.search(paths[0], "add thunder", top_k=3, exclude_query=False)  # the query before its copy
    assert [r.path.name for r in with_words].index("clip_000.wav") < [r.path.name for r in with_words].index(
        "Copy of clip_000.wav")
    assert all(r.same_as is None for r in svc.search(paths[0], top_k=3, query_range=(0.0, 0.5)))
    svc.close()
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    args = ["--data-dir", str(tmp_path / "data"), "search", "--query", str(paths[0]), "--top", "1"]
    assert main([*args, "--copies"]) == 0 and capsys.readouterr().out.rstrip().endswith("(same audio as the query)")
    assert main(args) == 0
    out, err = capsys.readouterr()
    rows = out.splitlines()  # trial 52: as many rows as --top, the next result in the copy's place
    assert len(rows) == 1 and "Copy of clip_000.wav" not in out
    assert "1 copy of the query sound left out (--copies lists them as rows of their own)" in err
    assert main([*args, "--json"]) == 0 and json.loads(capsys.readouterr().out)["results"][0]["same_as"] == "query"


def test_a_copy_found_by_keywords_alone_is_flagged_once_the_model_is_in(tmp_path, encoder):
    """"Match names" (no query sound, no model load) flags copies too when the model is in: their stored
    vectors are read, not computed."""
    from app.scope import SearchScope

    svc, paths = imported_library(tmp_path, encoder, 3)
    shutil.copy(paths[1], tmp_path / "lib" / "clip_001 copy.wav")
    svc.import_folders()
    found = {r.path.name: r for r in svc.keyword_search(SearchScope("clip_001"))}
    assert set(found) == {"clip_001.wav", "clip_001 copy.wav"}
    later, earlier = sorted(found.values(), key=lambda r: -r.rank)
    assert later.same_as == earlier.rank and earlier.same_as is None
    svc.close()
    fresh = service(tmp_path, None)  # a keyword search before the model is in: nothing loaded, nothing flagged
    assert [r.same_as for r in fresh.keyword_search(SearchScope("clip_001"))] == [None, None]
    fresh.close()


def test_a_copy_on_a_later_page_names_its_first_on_an_earlier_page(tmp_path, encoder):
    """`search --offset` / "More results": a copy is flagged against results of the pages before it too."""
    svc, paths = imported_library(tmp_path, encoder, 6)
    shutil.copy(paths[3], tmp_path / "lib" / "copy.wav")
    svc.import_folders()
    whole = svc.search(paths[0], top_k=10)
    rank = {r.path.name: r.rank for r in whole}
    first, second = sorted((rank["clip_003.wav"], rank["copy.wav"]))
    assert whole[second - 1].same_as == first
    page = svc.search(paths[0], top_k=10, offset=second - 1)  # the page starts at the later copy
    assert page[0].rank == second and page[0].same_as == first
    svc.close()


def test_the_app_folds_copies_into_their_first_result(qtbot, tmp_path, encoder):
    """A trial: half of the first ten rows were copies, and a copy of the query was #1 and selected. The results list
    folds copies of a result and of the query in by default ("+1 copy", its tooltip names where); the header's link
    lists them again, and the choice is kept."""
    from PySide6.QtCore import Qt

    from app.ui.settings import FILENAME, Settings
    from tests.ui_support import close_window, open_window, results_after

    svc, paths = imported_library(tmp_path, encoder, 4)
    shutil.copy(paths[1], tmp_path / "lib" / "backup of clip_001.wav")
    shutil.copy(paths[0], tmp_path / "lib" / "Copy of clip_000.wav")  # a copy of the query
    svc.import_folders()
    window = open_window(qtbot, svc, tmp_path)
    window.settings_path = tmp_path / FILENAME
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(paths[0]))
    rows = window.results.model.rows
    names = [r.path.name for r in rows]
    assert "Copy of clip_000.wav" not in names and len(names) == 3  # clip_001 or its backup, clip_002, clip_003
    assert [r.rank for r in rows] == [1, 2, 3]  # numbered again: a trial's list began at #3 and read #1, #4, #7
    first = next(r for r in rows if r.copies)
    assert {first.path.name, first.copies[0].name} == {"clip_001.wav", "backup of clip_001.wav"}
    assert first.same_audio_mark == "+1 copy" and str(first.copies[0]) in window.results.model.data(
        window.results.model.index(rows.index(first), 1), Qt.ItemDataRole.ToolTipRole)
    header = window.results.header.text()
    assert (f"#{first.rank} has a copy further down" in header and "1 copy of the query sound left out" in header
            and "show copies" in header)
    assert header.startswith("<b>3 results</b>")  # the rows listed (trial 53: "50 results" over 49 rows)
    window.results.header.linkActivated.emit("copies:show")
    assert len(window.results.model.rows) == 5 and "fold them in" in window.results.header.text()
    assert "≈ #N: another version of it" in window.results.header.text()  # trial 58: the rows' "≈" unexplained
    assert window.results.header.text().startswith("<b>5 results</b>")
    close_window(window)
    assert Settings.load(tmp_path / FILENAME).show_copies
    svc.close()


def test_another_format_or_rate_of_the_same_name_is_a_version():
    """A trial's deliverables (WAV 44.1k, WAV 48k 24-bit, FLAC 96k, OGG, MP3) filled six rows with one sound; a
    resampled or lossy copy is not the same audio, but the same name, about the same length and a close sound."""
    from app.same_audio import QUERY_RANK, name_key, same_audio_ranks, version_ranks

    assert name_key("Thunder_48k24.WAV") == name_key("thunder_96k.flac") == name_key("thunder 44.1kHz 16bit stereo.wav")
    assert name_key("thunder_v2.wav") != name_key("thunder.wav")  # a second take is no version
    rng = np.random.default_rng(0)
    base, other = rng.normal(size=16), rng.normal(size=16)
    near = base + 0.1 * rng.normal(size=16)  # a resampled copy moves the vector a little
    vectors = np.stack([v / np.linalg.norm(v) for v in (base, near, near, other)])
    names = ["thunder.wav", "thunder_96k.flac", "rain.wav", "thunder.mp3"]
    seconds = [10.0, 10.02, 10.0, 10.3]
    found = same_audio_ranks(vectors, seconds, [1, 2, 3, 4])
    assert found == [None, None, None, None]  # none is the same audio
    versions, kind = version_ranks(vectors, seconds, [1, 2, 3, 4], names, found)
    assert versions == [None, 1, None, None] and kind == [False, True, False, False]  # not another name or sound
    as_query, kind = version_ranks(vectors[1:], seconds[1:], [1, 2, 3], names[1:], [None] * 3,
                                   query=(base, 10.0, "Thunder_48k24.wav"))
    assert as_query == [QUERY_RANK, None, None] and kind[0]


def test_a_version_says_so_in_its_note_and_mark():
    from app.search_result import SearchResult

    record = SimpleNamespace(path=Path("/lib/thunder_96k.flac"), tags=())
    version = SearchResult(Path("/lib/thunder_96k.flac"), 0.5, 2, record, same_as=1, same_version=True)
    copy = SearchResult(Path("/lib/thunder copy.wav"), 0.5, 3, record, same_as=1)
    assert (version.same_audio_note, version.same_audio_mark) == ("another version of #1", "\u2248 #1")
    assert (copy.same_audio_note, copy.same_audio_mark) == ("same audio as #1", "= #1")


def test_a_copy_of_a_version_folds_into_the_row_the_version_folds_into():
    """Trial 56: Bark2_22k.wav (#3), Bark2.ogg another version of it (#4), extra/Bark2.ogg the same audio as #4: the
    last vanished from the list and was counted as "1 copy of the query sound left out", with no query at all."""
    from app.cli_search_output import folded_rows

    rows = [Row(i, Path(f"r{i}.wav"), s) for i, s in [(1, None), (2, None), (3, None), (4, 3), (5, 4), (6, 0)]]
    kept, folded = fold_copies(rows)
    assert [r.rank for r in kept] == [1, 2, 3] and folded == 3
    assert kept[2].copies == (Path("r4.wav"), Path("r5.wav"))
    _, said = folded_rows(rows)
    assert said.startswith("2 copies (the same audio under another name or in another folder, or the same name in "
                           "another format or rate) folded into #3; "
                           "1 copy of the query sound left out")


@dataclass(frozen=True)
class Row:
    rank: int
    path: Path
    same_as: int | None
    copies: tuple = ()
    same_version: bool = False
    changed: bool = False


def test_a_copy_that_did_not_change_leads_a_row_whose_file_changed():
    """Trial 57: extra/Bark2_22k.wav, overwritten with another bark after the import, stood for its copies and played
    the other bark; an unchanged copy (Bark2.ogg) leads the row, the changed file among its copies."""
    rows = [Row(1, Path("a.wav"), None), Row(2, Path("extra/Bark2_22k.wav"), None, changed=True),
            Row(3, Path("Bark2_22k.flac"), 2, same_version=True), Row(4, Path("Bark2.ogg"), 2),
            Row(5, Path("Bark2_copy.ogg"), 2, changed=True)]
    kept, folded = fold_copies(rows)
    assert folded == 3 and [r.rank for r in kept] == [1, 2]
    assert kept[1].path == Path("Bark2.ogg") and not kept[1].changed and kept[1].same_as is None
    assert kept[1].copies == (Path("extra/Bark2_22k.wav"), Path("Bark2_22k.flac"), Path("Bark2_copy.ogg"))
    only_changed = [rows[0], rows[1], rows[2], rows[4]]  # no unchanged copy: its unchanged version leads
    assert fold_copies(only_changed)[0][1].path == Path("Bark2_22k.flac")
    copies_only = [rows[0], rows[1], rows[4]]  # no unchanged member at all: as it was
    assert fold_copies(copies_only)[0][1].path == Path("extra/Bark2_22k.wav")


def test_the_original_stands_for_its_versions_whatever_ranks_first():
    """Trial 58: misc/dog3.mp3 stood for animals/dogs/dog3.flac and misc/flightgear_rain_22k.wav for
    weather/rain/flightgear_rain.flac, and which one did changed between searches: a name with no format tag, a
    lossless format and the higher rate lead, in their own place (trial 59: the original's 0.845 shown second above
    a 0.881 when it took the best version's place)."""
    def record(rate: int, fid: int) -> SimpleNamespace:
        return SimpleNamespace(sample_rate=rate, id=fid)

    rows = [Full(1, Path("misc/dog3.mp3"), None, record(44_100, 9)),
            Full(2, Path("x.wav"), None, record(44_100, 3)),
            Full(3, Path("animals/dogs/dog3.flac"), 1, record(44_100, 5), same_version=True),
            Full(4, Path("misc/flightgear_rain_22k.wav"), None, record(22_050, 8)),
            Full(5, Path("weather/rain/flightgear_rain.flac"), 4, record(44_100, 6), same_version=True)]
    kept, folded = fold_copies(rows)
    assert folded == 2 and [r.rank for r in kept] == [1, 2, 3]
    assert [r.path.name for r in kept] == ["x.wav", "dog3.flac", "flightgear_rain.flac"]  # each where it ranks
    assert kept[1].copies == (Path("misc/dog3.mp3"),) and not kept[2].same_version
    swapped = [rows[2], rows[1], rows[0], rows[3], rows[4]]  # the FLAC ranked first: the same row leads
    swapped = [replace(r, rank=i + 1, same_as=None if i != 2 else 1, same_version=i == 2) for i, r in
               enumerate(swapped)]
    assert fold_copies(swapped)[0][0].path == Path("animals/dogs/dog3.flac")


def test_a_short_page_looks_ahead_for_the_original_of_a_version_on_it():
    """Trial 59: with --top 6, misc/dog3.mp3 (#2) stood alone; with --top 7 the original dog3.flac (#7) stood for it.
    The first page looks further down, so the same row stands whatever --top is."""
    from app.cli_search_output import folded_rows, rows_filled

    def record(rate: int, fid: int) -> SimpleNamespace:
        return SimpleNamespace(sample_rate=rate, id=fid)

    ranking = [Full(1, Path("mix.wav"), None, record(44_100, 1)),
               Full(2, Path("misc/dog3.mp3"), None, record(44_100, 9))]
    ranking += [Full(i, Path(f"dogs/other{i}.flac"), None, record(44_100, i)) for i in range(3, 7)]
    ranking += [Full(7, Path("dogs/dog3.flac"), 2, record(44_100, 7), same_version=True),
                Full(8, Path("dogs/more.flac"), None, record(44_100, 8))]

    def find(top_k: int, offset: int = 0) -> list:
        return ranking[offset: offset + top_k]

    page = rows_filled(find(6), 6, find)
    kept, folded = fold_copies(list(page))
    assert folded == 1 and [r.path.name for r in kept] == ["mix.wav", *(f"other{i}.flac" for i in range(3, 7)),
                                                          "dog3.flac"]
    assert kept[-1].copies == (Path("misc/dog3.mp3"),)
    assert rows_filled(find(3), 3, find)[1].path.name == "other3.flac"  # the MP3 goes with its original, 7th
    shown, _ = folded_rows(rows_filled(find(3), 3, find))  # trial 60: the rows read #1, #3, #4
    assert [(r.rank, r.path.name) for r in shown] == [(1, "mix.wav"), (2, "other3.flac"), (3, "other4.flac")]


def test_a_copy_of_a_row_on_an_earlier_page_is_a_row_of_its_own():
    """Trial 58: with --top 6, dog3.flac (another version of #2) was on neither page: --offset 6 began at dog2.flac."""
    rows = [Row(7, Path("dog3.flac"), 2), Row(8, Path("dog2.flac"), None), Row(9, Path("dog2 copy.flac"), 8)]
    kept, folded = fold_copies(rows)
    assert [r.path.name for r in kept] == ["dog3.flac", "dog2.flac"] and folded == 1 and kept[0].same_as == 2


@dataclass(frozen=True)
class Full:
    rank: int
    path: Path
    same_as: int | None
    record: SimpleNamespace
    copies: tuple = ()
    same_version: bool = False
    changed: bool = False
