"""A file renamed or moved on disk is the same sound: its star, tags and vectors follow it at the next rescan."""

from __future__ import annotations

import os
import shutil

from app.db import path_key
from app.library_records import MISSING_REASON, OFFLINE_REASON
from tests.helpers import write_wav
from tests.library_helpers import clip, imported_library, make_clips, service


def _twins(folder) -> list:
    """Two different sounds of equal size and modification time."""
    paths = [write_wav(folder / f"twin_{i}.wav", clip(20 + i), 16_000) for i in range(2)]
    stamp = paths[0].stat().st_mtime_ns
    os.utime(paths[1], ns=(stamp, stamp))
    assert paths[0].stat().st_size == paths[1].stat().st_size
    return paths


def _vector_row(svc, path) -> int:
    return svc.db.conn.execute("SELECT vector_row FROM files WHERE path = ?", (path_key(path),)).fetchone()[0]


def test_a_renamed_file_keeps_its_star_and_tags(tmp_path, encoder):
    """Under a new name it is embedded again, and takes over the gone file whose vectors it reproduces."""
    svc, paths = imported_library(tmp_path, encoder, 3)
    svc.tag_files([paths[0]], "favourite")
    svc.tag_files([paths[0]], "door slam")
    renamed = paths[0].with_name("heavy door.wav")
    os.rename(paths[0], renamed)
    report = svc.import_folders()
    assert (report.moved, report.added, report.updated, report.missing) == (1, 0, 0, 0)
    assert "1 renamed or moved (stars and tags kept)" in report.counts_text()
    info = svc.file_info(renamed)
    assert info.status == "ok" and info.tags == ("door slam", "favourite") and info.meta is not None
    assert svc.file_info(paths[0]) is None
    assert svc.counts().indexed == 3 and svc.counts().missing == 0
    assert [r.path.name for r in svc.list_files(tag="favourite")] == ["heavy door.wav"]
    assert renamed in [r.path for r in svc.search(paths[1], top_k=5)]


def test_a_file_moved_to_another_library_folder_keeps_its_star(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 2)
    other = tmp_path / "other"
    make_clips(other, 1, start=10)
    svc.import_folders([other])
    svc.tag_files([paths[1]], "favourite")
    row = _vector_row(svc, paths[1])
    shutil.move(paths[1], other / paths[1].name)  # a rename within one file system keeps the mtime
    report = svc.import_folders([other])  # only the destination is rescanned: the old path is gone all the same
    assert (report.moved, report.added, report.updated) == (1, 0, 0)
    assert svc.file_info(other / paths[1].name).tags == ("favourite",)
    assert _vector_row(svc, other / paths[1].name) == row  # the same name, size and time: not embedded again
    assert svc.import_folders().missing == 0  # nothing left behind under the old folder


def test_a_copy_is_new_and_renamed_twins_are_told_apart_by_their_sound(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 1)
    lib = tmp_path / "lib"
    shutil.copy2(paths[0], lib / "copy.wav")  # the original is still there: a copy, not a move
    twins = _twins(lib)  # equal size and mtime: only their vectors tell which is which
    report = svc.import_folders()
    assert (report.moved, report.added) == (0, 3) and svc.file_info(paths[0]).status == "ok"
    svc.tag_files([twins[0]], "favourite")
    svc.tag_files([twins[1]], "gulls")
    os.rename(twins[0], lib / "b.wav")
    os.rename(twins[1], lib / "a.wav")
    report = svc.import_folders()
    assert (report.moved, report.added, report.missing) == (2, 0, 0)
    assert svc.file_info(lib / "b.wav").tags == ("favourite",) and svc.file_info(lib / "a.wav").tags == ("gulls",)
    assert svc.counts().indexed == 4 and svc.counts().missing == 0 and "2 renamed or moved" in report.counts_text()


def test_another_sound_of_equal_size_and_time_does_not_take_a_gone_files_tags(tmp_path, encoder):
    svc, _ = imported_library(tmp_path, encoder, 1)
    lib = tmp_path / "lib"
    twins = _twins(lib)
    svc.import_folders()
    svc.tag_files([twins[0]], "favourite")
    stamp = twins[0].stat().st_mtime_ns
    twins[0].unlink()  # deleted; an unrelated sound of the same size and time arrives under another name
    other = write_wav(lib / "other.wav", clip(30), 16_000)
    os.utime(other, ns=(stamp, stamp))
    assert other.stat().st_size == twins[1].stat().st_size
    report = svc.import_folders()
    assert (report.moved, report.added, report.missing) == (0, 1, 1)
    assert svc.file_info(other).tags == () and svc.file_info(twins[0]).tags == ("favourite",)


def test_the_same_names_in_another_folder_pair_up(tmp_path, encoder):
    svc, _ = imported_library(tmp_path, encoder, 1)
    twins = _twins(tmp_path / "lib")
    svc.import_folders()
    svc.tag_files([twins[1]], "rain")
    moved = tmp_path / "lib" / "sorted"
    moved.mkdir()
    for path in twins:
        os.rename(path, moved / path.name)
    report = svc.import_folders()
    assert (report.moved, report.added, report.missing) == (2, 0, 0)
    assert svc.file_info(moved / twins[1].name).tags == ("rain",)
    assert svc.file_info(moved / twins[0].name).tags == ()


def test_stars_and_tags_come_back_when_a_removed_folder_is_added_again(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 2)
    svc.tag_files([paths[0]], "favourite")
    assert svc.files_under(tmp_path / "lib") == 2
    assert svc.remove_folder(tmp_path / "lib") == 2 and svc.files_under(tmp_path / "lib") == 0
    svc.add_folder(tmp_path / "lib")
    assert svc.import_folders().added == 2
    assert svc.file_info(paths[0]).tags == ("favourite",)


def test_files_deleted_for_good_can_be_forgotten_and_an_unplugged_folder_is_kept(tmp_path, encoder, heads_path,
                                                                                  monkeypatch, capsys):
    from app.cli import main

    svc, paths = imported_library(tmp_path, encoder, 3)
    drive = tmp_path / "drive"
    make_clips(drive, 2, start=10)
    svc.import_folders([drive])
    svc.tag_files([paths[0]], "favourite")
    paths[0].unlink()
    shutil.move(drive, tmp_path / "unplugged")
    assert svc.counts().offline == 2  # said before any rescan (a trial saw a red folder beside "0 missing")
    assert svc.import_folders().missing == 3 and svc.counts().missing == 3
    assert svc.forget_missing() == 1  # the deleted file; the unplugged drive's two are kept
    assert svc.counts().missing == 2 and svc.file_info(paths[0]) is None and svc.counts().indexed == 2
    svc.close()
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    cli = ["--data-dir", str(tmp_path / "data"), "remove"]
    assert main(cli) == 2 and "a library FOLDER, or --missing" in capsys.readouterr().err
    assert main([*cli, "--missing"]) == 0
    assert "0 missing files dropped" in (out := capsys.readouterr().out) and "2 kept: their library folder" in out
    assert f"(to forget that folder and its files: main.py remove {drive})" in out  # a trial was not told how
    assert main(["--data-dir", str(tmp_path / "data"), "status", "--failures"]) == 0
    assert capsys.readouterr().out.count("its library folder is not on disk (a drive unplugged") == 2
    shutil.move(tmp_path / "unplugged", drive)
    write_wav(paths[0], clip(0), 16_000)  # the deleted file comes back under its path: its star with it
    assert main(["--data-dir", str(tmp_path / "data"), "index"]) == 0
    again = service(tmp_path, encoder)
    assert again.counts().missing == 0 and again.file_info(paths[0]).tags == ("favourite",)
    again.close()


def test_a_file_missing_at_an_earlier_import_that_returns_renamed_or_moved_is_not_counted_missing(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 3)
    svc.tag_files([paths[0], paths[1]], "keeper")
    away = tmp_path / "away"
    away.mkdir()
    for path in paths[:2]:
        shutil.move(path, away / path.name)
    assert svc.import_folders().counts_text().endswith("2 missing")
    shutil.move(away / paths[0].name, tmp_path / "lib" / "renamed.wav")  # back under another name
    (tmp_path / "lib" / "sub").mkdir()
    shutil.move(away / paths[1].name, tmp_path / "lib" / "sub" / paths[1].name)  # back in a subfolder
    report = svc.import_folders()
    assert (report.moved, report.added) == (2, 0) and report.counts_text().endswith("0 failed, 0 missing")
    assert svc.counts().missing == 0
    assert svc.file_info(tmp_path / "lib" / "renamed.wav").tags == ("keeper",)


def test_a_copy_never_takes_over_a_file_of_an_unplugged_folder(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 2)
    drive = tmp_path / "drive"
    make_clips(drive, 1, start=10)
    svc.import_folders([drive])
    original = drive / "clip_010.wav"
    svc.tag_files([original], "trottoir")
    shutil.copy2(original, tmp_path / "lib" / "trottoir copy.wav")  # same bytes, size and mtime
    shutil.move(drive, tmp_path / "unplugged")
    report = svc.import_folders()
    assert (report.moved, report.added) == (0, 1)
    assert svc.file_info(tmp_path / "lib" / "trottoir copy.wav").tags == ()
    shutil.move(tmp_path / "unplugged", drive)
    assert svc.import_folders().restored == 1 and svc.file_info(original).tags == ("trottoir",)


def test_forget_and_the_problems_list_agree_on_a_library_folder_inside_another(tmp_path, encoder):
    """lib and lib/drive are both library folders; lib/drive is gone from disk (an unplugged mount inside lib):
    the Problems list says its files' folder is not on disk, and Forget keeps them, as it does for any offline
    library folder."""
    svc, paths = imported_library(tmp_path, encoder, 2)
    inner = tmp_path / "lib" / "drive"
    make_clips(inner, 2, start=10)
    svc.db.add_folder(inner)  # nested library folders: a library made before they were merged (add_folder)
    svc.import_folders([inner])
    paths[0].unlink()
    shutil.move(inner, tmp_path / "unplugged")
    assert svc.import_folders().missing == 3
    reasons = sorted(r.error for r in svc.failures(missing=True))
    assert reasons.count(OFFLINE_REASON) == 2 and reasons.count(MISSING_REASON) == 1
    assert svc.forget_missing() == 1 and svc.counts().missing == 2


def test_library_folders_never_nest(tmp_path, encoder, capsys):
    """A trial added a folder inside a library folder, and one holding another: Remove then promised 900 files
    and dropped 0. Now a folder inside one is part of it, and a folder holding some replaces them."""
    make_clips(tmp_path / "lib" / "a", 2)
    make_clips(tmp_path / "lib" / "b", 2, start=5)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib" / "a"])
    report = svc.import_folders([tmp_path / "lib" / "a" / ".."  / "a"])  # the same folder, spelled otherwise
    assert svc.folders() == [tmp_path / "lib" / "a"] and not report.warnings
    inner = tmp_path / "lib" / "a" / "sub"
    make_clips(inner, 1, start=9)
    report = svc.import_folders([inner])
    assert svc.folders() == [tmp_path / "lib" / "a"] and report.added == 1
    holder = tmp_path / "lib" / "a"
    assert report.warnings == [f"{inner} is inside the library folder {holder}: its files are part of it"]
    report = svc.import_folders([tmp_path / "lib"])
    assert svc.folders() == [tmp_path / "lib"] and report.added == 2 and report.unchanged == 3
    assert "holds the library folder" in report.warnings[0] and "it replaces them" in report.warnings[0]
    link = tmp_path / "shortcut"  # a symbolic link to the library folder (a trial: a second folder holding nothing)
    link.symlink_to(tmp_path / "lib")
    (tmp_path / "into").symlink_to(tmp_path / "lib" / "b")
    for path, where in ((link, "is the library folder"), (tmp_path / "into", "leads inside the library folder")):
        report = svc.import_folders([path])
        assert svc.folders() == [tmp_path / "lib"] and report.added == 0
        assert report.warnings == [f"{path} {where} {tmp_path / 'lib'} under another path (a symbolic link): its files "
                                   "are imported there, so it is not added"]
    assert svc.files_under(tmp_path / "lib") == 5 and svc.remove_folder(tmp_path / "lib") == 5
    svc.close()


def test_a_file_reached_by_a_link_too_is_imported_once(tmp_path, encoder):
    """A symbolic link (a favourites folder) or a hard link to a library file is the same sound: one row, found
    under the real path; an older import's row for the link is dropped."""
    svc, paths = imported_library(tmp_path, encoder, 2)
    favourites = paths[0].parent / "favourites"
    favourites.mkdir()
    os.symlink(paths[0], favourites / "best door.wav")
    os.link(paths[1], paths[1].with_name("hard copy.wav"))
    report = svc.import_folders()
    assert sorted((a.name, b.name) for a, b in report.links) == [("best door.wav", paths[0].name),
                                                                 ("hard copy.wav", paths[1].name)]
    assert (report.added, report.unchanged) == (0, 2)
    assert "2 links to a file imported under another path left out" in report.counts_text()
    assert sorted(r.path.name for r in svc.list_files()) == sorted(p.name for p in paths)


def test_a_link_imported_by_an_older_version_is_dropped(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 1)
    link = paths[0].with_name("link.wav")
    os.symlink(paths[0], link)
    old = svc.db.conn.execute("SELECT * FROM files WHERE path = ?", (path_key(paths[0]),)).fetchone()
    with svc.db.transaction() as conn:  # as an import before links were told apart recorded it
        conn.execute("INSERT INTO files SELECT NULL, ?, ?" + ", ?" * (len(old) - 3),
                     (path_key(link), str(link), *old[3:]))
    assert svc.counts().indexed == 2
    report = svc.import_folders()
    assert [(a.name, b.name) for a, b in report.links] == [("link.wav", paths[0].name)]
    assert svc.counts().indexed == 1 and svc.file_info(link) is None
    assert [r.path for r in svc.search(paths[0], top_k=5, exclude_query=False)] == [paths[0]]


def test_a_library_query_on_an_unplugged_drive_is_searched_with_its_stored_sound(tmp_path, encoder):
    """The query's folder went away (a drive unplugged): paging, the strength and marks went on failing with "query
    file not found" although the library holds its vector; a part of it still needs the file."""
    from app.errors import QueryFileError

    svc, paths = imported_library(tmp_path, encoder, 4)
    other = make_clips(tmp_path / "other", 3, start=10)
    svc.import_folders([tmp_path / "other"])
    before = [r.path for r in svc.search(paths[0], top_k=6)]
    (tmp_path / "lib").rename(tmp_path / "unplugged")
    after = [r.path for r in svc.search(paths[0], "add thunder", strength=0.5, top_k=6)]
    assert sorted(after) == sorted(other) and after  # only what is on disk, found from the stored vector
    assert [p for p in before if p in other] == [r.path for r in svc.search(paths[0], top_k=6)]
    try:
        svc.search(paths[0], query_range=(0.1, 0.5))
        raise AssertionError("a part of an offline query cannot be read")
    except QueryFileError as exc:
        assert "a part of it is read from the file" in str(exc)


def test_a_link_to_a_file_of_another_library_folder_is_left_out_and_stars_follow(tmp_path, encoder):
    """Link detection looked only at the folders being scanned: importing only the favourites folder of links
    indexed the same file twice; a star given through a link was dropped with the link's row."""
    svc, paths = imported_library(tmp_path, encoder, 2)
    favourites = tmp_path / "favourites"
    favourites.mkdir()
    os.symlink(paths[0], favourites / "best door.wav")
    report = svc.import_folders([favourites])  # only this folder is scanned
    assert [(a.name, b.name) for a, b in report.links] == [("best door.wav", paths[0].name)]
    assert report.added == 0 and svc.counts().indexed == 2

    outside = tmp_path / "elsewhere"  # a link imported first, its real file's folder added later
    outside.mkdir()
    real = make_clips(outside, 1, start=20)[0]
    os.symlink(real, favourites / "best rain.wav")
    svc.import_folders([favourites])
    svc.tag_files([favourites / "best rain.wav"], "favourite")
    again = svc.import_folders([outside])
    assert [(a.name, b.name) for a, b in again.links] == [("best rain.wav", real.name)]
    assert svc.file_info(favourites / "best rain.wav") is None and svc.file_info(real).tags == ("favourite",)
    assert svc.counts().indexed == 3


def test_a_symlinked_folder_is_not_followed_and_the_import_says_so(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 1)
    make_clips(tmp_path / "elsewhere", 2, start=30)
    os.symlink(tmp_path / "elsewhere", paths[0].parent / "linked")
    report = svc.import_folders()
    assert report.added == 0
    assert any(w.startswith("symbolic link to a folder not followed:") and "linked" in w for w in report.warnings)
