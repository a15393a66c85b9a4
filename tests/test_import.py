"""Import through the service: incremental rescans, missing files, model change, bad files, cancel."""

from __future__ import annotations

import os
import shutil
import sys
import threading

import numpy as np
import pytest

from app.config import IndexConfig
from app.db import path_key
from app.errors import LibraryError, ModelNotReadyError
from app.service import SearchService
from tests.helpers import make_random_heads, write_wav
from tests.library_helpers import clip, imported_library, make_clips, service


def stored_vectors(svc: SearchService) -> dict[str, np.ndarray]:
    """name -> raw A(audio) as stored (unit * norm)."""
    snap = svc._current_snapshot()
    rows = svc.db.conn.execute(
        "SELECT path, vector_row, norm FROM files WHERE status = 'ok' AND model_version = ?", (snap.store.version,)
    ).fetchall()
    return {os.path.basename(os.fsdecode(p)): snap.store.matrix()[r] * n for p, r, n in rows}


def test_import_stores_what_the_encoder_computes(tmp_path, encoder):
    paths = make_clips(tmp_path / "lib", 5)
    svc = service(tmp_path, encoder)
    events = []
    report = svc.import_folders([tmp_path / "lib"], progress=events.append)
    assert (report.added, report.failed, report.cancelled) == (5, 0, False)
    assert [e.done for e in events] == [0, 1, 2, 3, 4, 5] and {e.total for e in events} == {5}
    vectors = stored_vectors(svc)
    for path in paths:
        np.testing.assert_allclose(vectors[path.name], encoder.embed_file(path), rtol=1e-4, atol=1e-5)
    info = svc.file_info(paths[0])
    assert info.status == "ok" and info.duration == pytest.approx(1.0) and info.channels == 2
    assert info.sample_rate == 16_000 and info.size == paths[0].stat().st_size
    assert svc.counts().indexed == 5 and svc.folders() == [tmp_path / "lib"]


def test_process_pool_gives_the_same_vectors(tmp_path, encoder):
    make_clips(tmp_path / "lib", 10)
    pooled = service(tmp_path / "a", encoder, workers=2, in_process_below=1, commit_every=3)
    local = service(tmp_path / "b", encoder)
    assert pooled.import_folders([tmp_path / "lib"]).added == 10
    assert local.import_folders([tmp_path / "lib"]).added == 10
    a, b = stored_vectors(pooled), stored_vectors(local)
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-4, atol=1e-5)


def test_rescan_embeds_only_new_and_changed_files(tmp_path, encoder):
    svc, paths = imported_library(tmp_path, encoder, 4)
    lib = tmp_path / "lib"
    second = svc.import_folders()
    assert (second.added, second.updated, second.unchanged, second.missing) == (0, 0, 4, 0)

    write_wav(paths[1], clip(99), 16_000)  # changed content (size or mtime differ)
    st = paths[1].stat()
    os.utime(paths[1], ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    make_clips(lib / "sub", 1, start=50)  # new file in a new subfolder
    paths[2].unlink()  # deleted
    shutil.move(paths[3], tmp_path / "elsewhere.wav")  # moved out of the library
    report = svc.import_folders()
    assert (report.added, report.updated, report.unchanged, report.missing) == (1, 1, 1, 2)
    np.testing.assert_allclose(stored_vectors(svc)["clip_001.wav"], encoder.embed_file(paths[1]), rtol=1e-4,
                               atol=1e-5)
    assert svc.file_info(paths[2]).status == "missing"
    assert svc.counts().indexed == 3 and svc.counts().missing == 2

    shutil.move(tmp_path / "elsewhere.wav", paths[3])  # back, untouched: restored without embedding
    report = svc.import_folders()
    assert (report.added, report.updated, report.missing) == (0, 0, 0)
    assert svc.file_info(paths[3]).status == "ok"
    count = svc.db.conn.execute("SELECT COUNT(*), COUNT(DISTINCT path) FROM files").fetchone()
    assert count[0] == count[1] == 5


def test_model_change_re_embeds_everything(tmp_path, encoder, heads_path):
    from model.encoder import NudgeEncoder

    make_clips(tmp_path / "lib", 3)
    service(tmp_path, encoder).import_folders([tmp_path / "lib"])
    other = NudgeEncoder(make_random_heads(tmp_path / "other.safetensors", seed=1), load_audio=False)
    svc = service(tmp_path, other)
    assert svc.counts().pending == 3 and svc.counts().indexed == 0
    assert svc.search(tmp_path / "lib" / "clip_000.wav") == []  # old vectors are never mixed in
    report = svc.import_folders()
    assert report.updated == 3
    assert svc.counts().indexed == 3 and svc.counts().pending == 0
    np.testing.assert_allclose(stored_vectors(svc)["clip_002.wav"], other.embed_file(tmp_path / "lib" / "clip_002.wav"),
                               rtol=1e-4, atol=1e-5)
    names = sorted(p.name for p in (tmp_path / "data").glob("vectors-*.f32"))
    assert len(names) == 1  # the old model's vectors are gone


def make_bad_files(folder) -> dict[str, str]:
    """Bad inputs -> expected outcome ('failed' recorded, or 'skipped' = not a sound file)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = write_wav(folder / "good.wav", clip(1), 16_000)
    data = good.read_bytes()
    (folder / "truncated_header.wav").write_bytes(data[:30])  # cut inside the header
    (folder / "truncated_data.wav").write_bytes(data[: len(data) // 2])  # libsndfile reads what is there
    (folder / "zero.wav").write_bytes(b"")
    (folder / "random.wav").write_bytes(np.random.default_rng(0).bytes(5000))
    (folder / "random.flac").write_bytes(b"fLaC" + np.random.default_rng(1).bytes(3000))
    (folder / "notes.txt").write_text("not audio")
    (folder / "song.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(200))
    # a WAV named .m4a: its content decodes, so it is imported (a query took it; the import refused it by its name)
    shutil.copy(write_wav(folder.parent / "wav_source.wav", clip(3), 16_000), folder / "wav_named.m4a")
    (folder / "folder.wav").mkdir()
    write_wav(folder / "folder.wav" / "inner.wav", clip(2), 22_050)
    silent = write_wav(folder / "header_only.wav", np.zeros(0, dtype=np.float32), 16_000)
    expected = {"good.wav": "ok", "inner.wav": "ok", "truncated_header.wav": "failed",
                "truncated_data.wav": "ok", "zero.wav": "failed",
                "random.wav": "failed", "random.flac": "failed", silent.name: "failed", "notes.txt": "skipped",
                "song.m4a": "failed", "wav_named.m4a": "ok"}
    if sys.platform == "linux":
        odd = os.fsencode(folder) + b"/caf\xe9-\xff.wav"
        shutil.copyfile(good, odd)
        expected[os.fsdecode(b"caf\xe9-\xff.wav")] = "ok"
    return expected


def test_bad_files_are_recorded_and_skipped(tmp_path, encoder):
    expected = make_bad_files(tmp_path / "lib")
    svc = service(tmp_path, encoder)
    report = svc.import_folders([tmp_path / "lib"])
    by_name = {r.path.name: r for r in svc.list_files()}
    for name, outcome in expected.items():
        if outcome == "skipped":
            assert name not in by_name
        else:
            assert by_name[name].status == outcome, (name, by_name[name].error)
    failures = {r.path.name: r.error for r in svc.failures() if r.status == "failed"}
    assert report.failed == len(failures) == sum(v == "failed" for v in expected.values())
    noted = {r.path.name: r.error for r in svc.failures() if r.status == "imported"}
    assert list(noted) == ["truncated_data.wav"] and "is cut short" in noted["truncated_data.wav"]  # kept, said
    for name, error in failures.items():
        assert name in error and len(error) > len(name) + 10  # names the file and says why
    assert "no audio" in failures["header_only.wav"] and "empty (0 bytes)" in failures["zero.wav"]
    assert "unsupported audio format (.m4a)" in failures["song.m4a"] and "convert" in failures["song.m4a"]
    assert by_name["truncated_data.wav"].duration == pytest.approx(0.5, abs=0.01)
    # failures are not retried while the file is unchanged; the summary still counts them, as the library does
    again = svc.import_folders()
    assert again.failed == 0 and again.still_failed == report.failed
    assert f"{report.failed} failed" in again.counts_text() and svc.counts().failed == report.failed
    if sys.platform == "linux":
        odd = tmp_path / "lib" / os.fsdecode(b"caf\xe9-\xff.wav")
        assert svc.search(odd, top_k=1)[0].path.name in {"good.wav", "inner.wav"}


def test_a_flac_damaged_part_way_keeps_what_decodes(tmp_path, encoder):
    """A trial's FLAC cut by an interrupted copy failed whole ("flac decoder lost sync"): the audio before the damage
    is imported and the import says how much; a FLAC damaged at its start still fails, in words."""
    import soundfile as sf

    folder = tmp_path / "lib"
    folder.mkdir()
    sf.write(folder / "whole.flac", clip(6, seconds=6.0, sr=44_100), 44_100)
    data = (folder / "whole.flac").read_bytes()
    (folder / "cut.flac").write_bytes(data[: len(data) // 2])
    (folder / "headless.flac").write_bytes(data[:200])
    svc = service(tmp_path, encoder)
    report = svc.import_folders([folder])
    assert (report.added, report.failed) == (2, 1)
    noted = {r.path.name: r.error for r in svc.failures()}
    assert "cut.flac is damaged after" in noted["cut.flac"] and "of its 6.0 s" in noted["cut.flac"]
    assert "were imported" in noted["cut.flac"] and "headless.flac" in noted["headless.flac"]
    lengths = {n: svc.db.record(folder / n).duration for n in ("whole.flac", "cut.flac")}  # trial 58: 17.7 s listed
    assert lengths["whole.flac"] == pytest.approx(6.0, abs=0.01) and 0.5 < lengths["cut.flac"] < 4.5
    assert svc.search(folder / "cut.flac", top_k=1)  # the damaged file is a query too


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_recorded(tmp_path, encoder):
    make_clips(tmp_path / "lib", 2)
    locked = tmp_path / "lib" / "clip_001.wav"
    locked.chmod(0)
    try:
        report = service(tmp_path, encoder).import_folders([tmp_path / "lib"])
    finally:
        locked.chmod(0o644)
    assert (report.added, report.failed) == (1, 1)


def test_vanished_folder_marks_files_missing(tmp_path, encoder):
    make_clips(tmp_path / "lib", 2)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    moved_away = tmp_path / "unplugged"
    shutil.move(tmp_path / "lib", moved_away)  # a drive unplugged
    report = svc.import_folders()
    assert report.missing_folders == [tmp_path / "lib"] and report.missing == 2
    assert svc.counts().missing == 2
    again = svc.import_folders()  # still unplugged: the summary says what is missing now, as the counts do
    assert (again.missing, again.still_missing) == (0, 2) and again.counts_text().endswith("0 failed, 2 missing")
    shutil.move(moved_away, tmp_path / "lib")
    back = svc.import_folders()
    assert (back.restored, back.unchanged, back.added) == (2, 0, 0) and ", 2 found again" in back.counts_text()
    assert svc.counts().missing == 0 and svc.counts().indexed == 2
    with pytest.raises(LibraryError, match="not found"):
        svc.import_folders([tmp_path / "never-existed"])


def test_a_folder_moved_or_renamed_is_located_with_its_stars_tags_and_vectors(tmp_path, encoder):
    """Trial 63: the library folder renamed on disk, then its new place indexed, gave "44 added" (embedded again),
    its stars and tags left on the old paths and the library counted twice. Its files now follow it."""
    paths = make_clips(tmp_path / "lib" / "sub", 3)
    (tmp_path / "lib" / "broken.wav").write_bytes(b"RIFF not a sound")  # failed: no vectors to keep, tried again
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    svc.db.tag_files([paths[0]], "favourite")
    rows = {p.name: svc.db.vector_ref(p).row for p in paths}
    with pytest.raises(LibraryError, match="still on disk"):
        svc.relocate_folder(tmp_path / "lib", tmp_path / "sub_copy")
    (tmp_path / "lib").rename(tmp_path / "renamed")
    svc.import_folders()  # a rescan while it was away marks its files missing: they follow it all the same
    svc.import_folders([tmp_path / "renamed"])  # its new place indexed first (as the trial did): rows give way
    with pytest.raises(LibraryError, match="not a library folder"):
        svc.relocate_folder(tmp_path / "elsewhere", tmp_path / "renamed")
    with pytest.raises(LibraryError, match="folder not found"):
        svc.relocate_folder(tmp_path / "lib", tmp_path / "nowhere")
    assert svc.relocate_folder(tmp_path / "lib", tmp_path / "renamed") == (4, 0)
    assert svc.folders() == [tmp_path / "renamed"]
    moved = [tmp_path / "renamed" / "sub" / p.name for p in paths]
    assert svc.db.tags([moved[0]])[moved[0]] == ("favourite",)
    assert {p.name: svc.db.vector_ref(p).row for p in moved} == rows  # the same vectors: nothing embedded again
    report = svc.import_folders([tmp_path / "renamed"])
    assert (report.added, report.unchanged, report.failed) == (0, 3, 1)
    assert (svc.counts().indexed, svc.counts().failed, svc.counts().missing) == (3, 1, 0)


def test_a_file_a_rescan_found_gone_is_still_a_query_by_its_stored_sound(tmp_path, encoder):
    """Trial 63: with a drive unplugged, a search from one of its files ran on the sound stored at the import; after a
    rescan (its files marked missing) the same search failed with "query file not found"."""
    make_clips(tmp_path / "lib", 3)
    gone = make_clips(tmp_path / "usb", 2)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib", tmp_path / "usb"])
    (tmp_path / "usb").rename(tmp_path / "unplugged")
    before = [r.path for r in svc.search(gone[0], top_k=3)]
    svc.import_folders()  # the rescan marks its files missing
    assert svc.counts().missing == 2
    assert [r.path for r in svc.search(gone[0], top_k=3)] == before and before
    from app.errors import QueryFileError

    with pytest.raises(QueryFileError, match="query file not found"):
        svc.search(tmp_path / "usb" / "never_there.wav", top_k=3)


def test_a_sound_file_without_a_name_extension_is_said_not_imported(tmp_path, encoder):
    """Trial 63: a FLAC saved without its extension was skipped with nothing said (a README beside it is no sound)."""
    paths = make_clips(tmp_path / "lib", 2)
    shutil.copy(paths[0], tmp_path / "lib" / "take_07")
    (tmp_path / "lib" / "README").write_text("notes")
    report = service(tmp_path, encoder).import_folders([tmp_path / "lib"])
    assert report.added == 2
    said = [w for w in report.warnings if "without a name extension" in w]
    assert said == [f"sound file without a name extension not imported: {tmp_path / 'lib' / 'take_07'}; add its "
                    "format's (.wav, .flac, .ogg, .mp3 ...) to import"]


def test_a_located_folder_that_lacks_some_files_keeps_the_old_place_for_them(tmp_path, encoder):
    paths = make_clips(tmp_path / "lib", 3)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    (tmp_path / "lib").rename(tmp_path / "moved")
    (tmp_path / "moved" / paths[2].name).unlink()  # not brought along
    write_wav(tmp_path / "moved" / paths[1].name, clip(50, 1.0))  # another sound under the same name: not followed
    assert svc.relocate_folder(tmp_path / "lib", tmp_path / "moved") == (1, 2)
    assert svc.folders() == [tmp_path / "lib", tmp_path / "moved"]  # the old place keeps the files not found
    assert svc.db.record(tmp_path / "lib" / paths[1].name) is not None


def test_files_in_a_subfolder_that_cannot_be_listed_are_kept_not_missing(tmp_path, encoder, monkeypatch):
    """A trial: files of a chmod 000 subfolder were listed as "missing (moved, renamed or deleted)" and offered to be
    forgotten. They are kept as they were (the import says it could not read the folder); tests run as root here, so
    the folder's listing is made to fail."""
    make_clips(tmp_path / "lib" / "open", 2)
    make_clips(tmp_path / "lib" / "locked", 2, start=2)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    real = os.scandir
    locked = str(tmp_path / "lib" / "locked")

    def scandir(path="."):
        if os.fsdecode(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = svc.import_folders()
    assert any("cannot read folder" in w and "Permission denied" in w for w in report.warnings)
    assert report.missing == 0 and svc.counts().missing == 0 and svc.counts().indexed == 4
    (tmp_path / "lib" / "open" / sorted(os.listdir(tmp_path / "lib" / "open"))[0]).unlink()
    assert svc.import_folders().missing == 1  # a file deleted from a folder that can be read still is missing


def test_remove_folder_drops_files_and_compacts(tmp_path, encoder):
    make_clips(tmp_path / "a", 3)
    make_clips(tmp_path / "b", 2, start=10)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "a", tmp_path / "b"])
    assert svc.remove_folder(tmp_path / "a") == 3
    assert svc.folders() == [tmp_path / "b"] and svc.counts().indexed == 2
    snap = svc._current_snapshot()
    assert snap.store.rows == 2  # 3/5 unused > 30%: compacted
    results = svc.search(tmp_path / "b" / "clip_010.wav", top_k=5)
    assert [r.path.name for r in results] == ["clip_011.wav"]


def test_cancel_keeps_what_was_done(tmp_path, encoder):
    make_clips(tmp_path / "lib", 6)
    svc = service(tmp_path, encoder, commit_every=1)
    cancel = threading.Event()

    def progress(p):
        if p.done == 2:
            cancel.set()

    assert not svc.import_unfinished()
    report = svc.import_folders([tmp_path / "lib"], progress=progress, cancel=cancel)
    assert report.cancelled and report.added == 2 and svc.counts().indexed == 2
    assert svc.import_unfinished()  # the app resumes it at its next start; `status` says so
    report = svc.import_folders()
    assert not report.cancelled and (report.added, report.unchanged) == (4, 2) and not svc.import_unfinished()


def test_the_model_loads_when_a_call_needs_it(tmp_path, heads_path):
    make_clips(tmp_path / "lib", 1)
    svc = SearchService(tmp_path / "data", heads_path=heads_path)
    assert svc.counts().indexed == 0 and not svc.model_ready  # library state works without a model
    with pytest.raises(ModelNotReadyError):
        svc.encoder  # noqa: B018 - the property refuses before a load
    assert svc.search(tmp_path / "lib" / "clip_000.wav", "add thunder") == [] and svc.model_ready
    assert svc.import_folders([tmp_path / "lib"]).added == 1


def test_second_import_is_refused_while_one_runs(tmp_path, encoder):
    from app.import_lock import import_lock

    make_clips(tmp_path / "lib", 1)
    svc = service(tmp_path, encoder)
    with import_lock(svc.data_dir):
        with pytest.raises(LibraryError, match="another import"):
            svc.import_folders([tmp_path / "lib"])
    assert svc.import_folders().added == 1


def test_path_keys_are_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert path_key("x/../a.wav") == os.fsencode(str(tmp_path / "a.wav"))


def test_long_file_is_streamed(tmp_path, encoder):
    sr, minutes = 8_000, 4
    x = np.tile(clip(3, 10.0, sr), minutes * 6)
    write_wav(tmp_path / "lib" / "long.wav", x, sr)
    svc = service(tmp_path, encoder)
    assert svc.import_folders([tmp_path / "lib"]).added == 1
    assert svc.file_info(tmp_path / "lib" / "long.wav").duration == pytest.approx(minutes * 60)


def test_unwritable_data_dir_is_a_library_error(tmp_path, encoder):
    (tmp_path / "file").write_text("x")
    with pytest.raises(LibraryError, match="the library folder .*data cannot be created .Not a directory."):
        service(tmp_path / "file", encoder)
    with pytest.raises(LibraryError, match="the library folder .*file is a file, not a folder"):
        SearchService(tmp_path / "file", encoder=encoder)  # --data-dir naming a file ("[Errno 17] File exists")


def test_write_failure_leaves_index_usable(tmp_path, encoder, monkeypatch):
    import errno

    from app.vectors import VectorStore

    make_clips(tmp_path / "lib", 4)
    svc = service(tmp_path, encoder, commit_every=2)
    real_append = VectorStore.append
    calls = []

    def failing_append(self, unit):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_append(self, unit)

    monkeypatch.setattr(VectorStore, "append", failing_append)
    with pytest.raises(LibraryError, match="No space left"):
        svc.import_folders([tmp_path / "lib"])
    assert svc.counts().indexed == 2 and len(svc.search(tmp_path / "lib" / "clip_000.wav")) == 1
    monkeypatch.undo()
    assert svc.import_folders().added == 2 and svc.counts().indexed == 4


def test_hidden_files_and_folders_are_not_imported(tmp_path, encoder):
    """macOS's "._" resource forks (one beside every sound copied from a Mac) filled the Problems tab, and hidden
    folders (.Trash, .git) were indexed: names starting with "." are skipped."""
    make_clips(tmp_path / "lib", 2)
    shutil.copy(tmp_path / "lib" / "clip_000.wav", tmp_path / "lib" / ".hidden_take.wav")
    (tmp_path / "lib" / "._clip_000.wav").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 60)  # an AppleDouble fork
    (tmp_path / "lib" / ".Trash").mkdir()
    shutil.copy(tmp_path / "lib" / "clip_001.wav", tmp_path / "lib" / ".Trash" / "deleted.wav")
    svc = service(tmp_path, encoder)
    report = svc.import_folders([tmp_path / "lib"])
    assert (report.added, report.failed) == (2, 0)
    assert svc.counts().indexed == 2 and svc.counts().failed == 0
    hidden = [w for w in report.warnings if w.startswith("hidden file")]  # trial 53: skipped with no mention
    assert len(hidden) == 1 and ".hidden_take.wav" in hidden[0] and "._clip_000" not in hidden[0]
    assert ".Trash" not in hidden[0]  # a system folder: skipped unsaid
    (tmp_path / "lib" / ".cache").mkdir()  # trial 54: a hidden folder of sounds went unsaid
    shutil.copy(tmp_path / "lib" / "clip_001.wav", tmp_path / "lib" / ".cache" / "growl.wav")
    hidden = [w for w in svc.import_folders().warnings if w.startswith("hidden file")]
    assert len(hidden) == 1 and ".cache" in hidden[0] and "and 1 more" in hidden[0]


def test_a_file_deleted_since_the_import_is_not_a_result(tmp_path, encoder):
    """Until a rescan, a deleted file came back as a result (its stored vector), then failed when played or
    exported (a messy-library trial); search leaves it out, and the next import marks it missing."""
    make_clips(tmp_path / "lib", 4)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    gone = tmp_path / "lib" / "clip_002.wav"
    assert gone in [r.path for r in svc.search(tmp_path / "lib" / "clip_000.wav", top_k=10)]
    gone.unlink()
    replaced = tmp_path / "lib" / "clip_003.wav"  # another sound copied over it, the index not told
    shutil.copy(tmp_path / "lib" / "clip_001.wav", replaced)
    os.utime(replaced, ns=(1_000_000_000, 1_000_000_000))
    results = svc.search(tmp_path / "lib" / "clip_000.wav", top_k=10)
    assert gone not in [r.path for r in results] and [r.rank for r in results] == list(range(1, len(results) + 1))
    assert [r.path for r in results if r.changed] == [replaced] and (results.left_out, results.changed) == (1, 1)
    assert results.disk_note("rescan") == (  # a trial: both were silent until a rescan
        "1 result left out: its file is gone since the last import; 1 result's file changed on disk since the import "
        "(clip_003.wav): the match is for the sound as imported (rescan)")
    assert svc.import_folders().missing == 1
    again = svc.search(tmp_path / "lib" / "clip_000.wav", top_k=10)
    assert (again.left_out, again.changed, again.disk_note("rescan")) == (0, 0, "")


def test_files_gone_mid_import_are_not_failures_and_come_back_at_the_rescan(tmp_path, encoder, monkeypatch):
    """A library folder unplugged or moved during an import: the files not reached yet were recorded as failed
    ("does not exist") with their size and time, so the rescan after the folder came back never tried them."""
    lib, away = tmp_path / "lib", tmp_path / "lib_away"
    make_clips(lib, 6)
    svc = service(tmp_path, encoder)
    svc.load_model()
    features = svc.encoder.features
    calls = []
    original = features.segments_from_file

    def unplug_after_two(path):
        calls.append(path)
        if len(calls) == 3:
            lib.rename(away)  # the drive goes away mid-import
        return original(path)

    monkeypatch.setattr(features, "segments_from_file", unplug_after_two)
    report = svc.import_folders([lib])
    assert (report.added, report.failed) == (2, 0)
    assert any(w.startswith("4 files vanished during the import") for w in report.warnings)
    assert svc.counts().failed == 0
    monkeypatch.setattr(features, "segments_from_file", original)
    away.rename(lib)  # back before the next rescan
    again = svc.import_folders()
    assert (again.added, again.failed) == (4, 0) and svc.counts().indexed == 6


def test_files_an_older_import_failed_as_absent_are_tried_again(tmp_path, encoder):
    from model.errors import ABSENT_ERROR

    svc, paths = imported_library(tmp_path, encoder, 3)
    st = paths[1].stat()
    with svc.db.transaction() as conn:  # as an import before gone files were told apart recorded it
        svc.db.write_failed(conn, str(paths[1]), st.st_size, st.st_mtime_ns, f"{paths[1].name} {ABSENT_ERROR}")
    assert svc.counts().failed == 1
    report = svc.import_folders()
    assert report.failed == 0 and svc.counts().failed == 0 and svc.counts().indexed == 3


def test_the_apps_own_data_folder_is_no_library_folder(tmp_path, encoder):
    """`index DATA_DIR` was accepted: its drag-out files would have become library sounds."""
    make_clips(tmp_path / "lib", 2)
    data = tmp_path / "lib" / "nudge_data"  # a data folder inside a library folder: skipped by the walk
    svc = SearchService(data, encoder=encoder, config=IndexConfig(workers=0))
    make_clips(data / "drag" / "abc", 2, start=5)
    report = svc.import_folders([tmp_path / "lib"])
    assert report.added == 2 and all(data not in r.path.parents for r in svc.list_files())
    with pytest.raises(LibraryError, match="is Nudge's own data folder"):
        svc.add_folder(data)
    with pytest.raises(LibraryError, match="is Nudge's own data folder"):
        svc.add_folder(data / "drag")
    svc.close()
    elsewhere = SearchService(tmp_path / "data2", encoder=encoder, config=IndexConfig(workers=0))
    make_clips(tmp_path / "data2" / "recordings", 1, start=9)
    assert elsewhere.add_folder(tmp_path / "data2" / "recordings") == ""  # microphone takes may join the library
    elsewhere.close()


def test_results_of_an_unplugged_folder_are_said_to_be_off_disk_not_deleted(tmp_path, encoder):
    """A trial: an unplugged drive's results were counted as "gone since the last import" (deleted)."""
    make_clips(tmp_path / "lib", 3)
    make_clips(tmp_path / "drive", 2, start=5)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib", tmp_path / "drive"])
    shutil.move(tmp_path / "drive", tmp_path / "unplugged")
    results = svc.search(tmp_path / "lib" / "clip_000.wav", top_k=10)
    assert (results.offline, results.left_out) == (2, 0) and len(results) == 2
    assert results.disk_note("rescan") == (
        "2 results left out: their folders are not on disk now (an unplugged drive?) (rescan)")


def test_a_changed_copy_of_the_query_is_no_result_to_speak_of():
    """Trial 54: "1 result's file changed on disk since the import (market_copy.wav)" named the query's copy, left out
    of what is shown."""
    from pathlib import Path

    from app.db import FileRecord
    from app.search_result import ResultPage, SearchResult

    def result(name: str, rank: int, same_as: int | None) -> SearchResult:
        record = FileRecord(rank, Path(name), 1, 0.0, 1.0, 16000, 1, "ok", None, name)
        return SearchResult(Path(name), 0.5, rank, record, same_as=same_as, changed=True)

    page = ResultPage([result("copy.wav", 1, 0), result("other.wav", 2, None)])
    assert page.disk_note("rescan") == ("1 result's file changed on disk since the import (other.wav): the match is "
                                        "for the sound as imported (rescan)")
    page = ResultPage([result("copy.wav", 1, 0)])
    assert page.disk_note("rescan") == ""
