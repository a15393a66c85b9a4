"""Search through the service: query composition, exclusion, keyword filter, HNSW switch, errors."""

from __future__ import annotations

import numpy as np
import pytest

from app.errors import QueryFileError
from model.compose import compose_query, l2_normalize
from tests.helpers import write_wav
from tests.library_helpers import clip, imported_library, make_clips, service


@pytest.fixture(scope="module")
def library(tmp_path_factory, encoder):
    root = tmp_path_factory.mktemp("search")
    paths = make_clips(root / "lib", 12)
    make_clips(root / "lib" / "dogs", 3, start=40)
    svc = service(root, encoder)
    svc.import_folders([root / "lib"])
    gallery = {p: encoder.embed_file(p) for p in sorted((root / "lib").rglob("*.wav"))}
    yield root, svc, paths, gallery
    svc.close()


def reference(query_emb, gallery, text_emb=None, strength=1.0, exclude=None):
    q = compose_query(query_emb, text_emb, strength)
    scored = [(float(l2_normalize(v) @ q), p) for p, v in gallery.items() if p != exclude]
    return sorted(scored, key=lambda sp: -sp[0])


def test_library_query_matches_brute_force(library, encoder):
    _, svc, paths, gallery = library
    results = svc.search(paths[0], top_k=5)
    ref = reference(gallery[paths[0]], gallery, exclude=paths[0])[:5]
    assert [r.path for r in results] == [p for _, p in ref]
    np.testing.assert_allclose([r.score for r in results], [s for s, _ in ref], atol=1e-5)
    assert [r.rank for r in results] == [1, 2, 3, 4, 5]
    assert results[0].record.status == "ok" and results[0].record.path == results[0].path


def test_text_modifier_is_composed(library, encoder):
    _, svc, paths, gallery = library
    text = "add dog bark"
    results = svc.search(paths[3], text=text, strength=0.7, top_k=15)
    ref = reference(gallery[paths[3]], gallery, encoder.embed_text([text])[0], 0.7, exclude=paths[3])
    assert [r.path for r in results] == [p for _, p in ref]
    plain = svc.search(paths[3], text="   ", top_k=15)  # blank text = plain similarity
    assert [r.path for r in plain] == [p for _, p in reference(gallery[paths[3]], gallery, exclude=paths[3])]


def test_query_itself_can_be_included(library):
    _, svc, paths, _ = library
    results = svc.search(paths[2], top_k=3, exclude_query=False)
    assert results[0].path == paths[2] and results[0].score == pytest.approx(1.0, abs=1e-5)
    assert paths[2] not in [r.path for r in svc.search(paths[2], top_k=20)]


def test_external_query_file(library, encoder, tmp_path):
    _, svc, _, gallery = library
    outside = write_wav(tmp_path / "outside.wav", clip(7, 1.5, 44_100), 44_100)
    results = svc.search(outside, top_k=4)
    ref = reference(encoder.embed_file(outside), gallery)[:4]
    assert [r.path for r in results] == [p for _, p in ref]


def test_changed_library_file_is_embedded_fresh(tmp_path, encoder):
    import os

    paths = make_clips(tmp_path / "lib", 3)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    old = encoder.embed_file(paths[0])
    write_wav(paths[0], clip(77), 16_000)  # edited after the import
    st = paths[0].stat()
    os.utime(paths[0], ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
    fresh = encoder.embed_file(paths[0])
    results = svc.search(paths[0], top_k=3, exclude_query=False)
    by_name = {r.path.name: r.score for r in results}
    expected = float(l2_normalize(old) @ compose_query(fresh))  # stored (old) vector vs fresh query
    assert by_name["clip_000.wav"] == pytest.approx(expected, abs=1e-5) and expected < 0.999
    assert "clip_000.wav" not in {r.path.name for r in svc.search(paths[0], top_k=3)}


def test_keyword_filter(library):
    root, svc, paths, _ = library
    results = svc.search(paths[0], keyword="dogs", top_k=10)
    assert len(results) == 3 and all("dogs" in r.path.parts for r in results)
    assert svc.search(paths[0], keyword="no-such-word", top_k=10) == []
    assert len(svc.search(paths[0], keyword="clip_00", top_k=50)) == 9  # clip_001..clip_009, query excluded


def test_top_k_and_scores(library):
    _, svc, paths, _ = library
    assert svc.search(paths[1], top_k=0) == []
    results = svc.search(paths[1], top_k=100)
    assert len(results) == 14
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True) and all(-1.0001 <= s <= 1.0001 for s in scores)


def test_bad_queries(library, tmp_path):
    _, svc, _, _ = library
    with pytest.raises(QueryFileError, match="not found"):
        svc.search(tmp_path / "missing.wav")
    with pytest.raises(QueryFileError, match="folder"):
        svc.search(tmp_path)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVE" + bytes(100))
    with pytest.raises(QueryFileError, match="broken.wav"):
        svc.search(broken)
    with pytest.raises(ValueError):
        svc.search(svc.list_files()[0].path, strength=float("nan"))


def test_hnsw_path_agrees_with_exact(tmp_path, encoder):
    make_clips(tmp_path / "lib", 30, seconds=0.5)
    exact = service(tmp_path / "a", encoder)
    ann = service(tmp_path / "b", encoder, exact_below=10, hnsw_m=8)
    exact.import_folders([tmp_path / "lib"])
    ann.import_folders([tmp_path / "lib"])
    assert ann._current_snapshot().index.uses_hnsw and (tmp_path / "b" / "data").glob("*.hnsw")
    for i in (0, 7, 19):
        query = tmp_path / "lib" / f"clip_{i:03d}.wav"
        a = [(r.path, round(r.score, 5)) for r in exact.search(query, top_k=5)]
        b = [(r.path, round(r.score, 5)) for r in ann.search(query, top_k=5)]
        assert a == b  # 30 vectors: candidates cover everything, re-rank is exact
    subset = ann.search(tmp_path / "lib" / "clip_000.wav", keyword="clip_01", top_k=20)
    assert sorted(r.path.name for r in subset) == [f"clip_01{i}.wav" for i in range(10)]


def test_search_sees_new_imports(tmp_path, encoder):
    make_clips(tmp_path / "lib", 3)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    query = tmp_path / "lib" / "clip_000.wav"
    assert len(svc.search(query)) == 2
    make_clips(tmp_path / "lib", 2, start=3)
    svc.import_folders()
    assert len(svc.search(query)) == 4


def test_waveform_peaks_and_words(library, heads_path, tmp_path):
    from app.service import SearchService

    _, svc, paths, _ = library
    peaks = svc.waveform_peaks(paths[0], n_bins=64)
    assert peaks.shape == (64, 2) and np.all(peaks[:, 0] <= peaks[:, 1]) and peaks.max() <= 1.0
    words = svc.known_sound_words()
    assert "chirping birds" in words and "dog" in words
    unloaded = SearchService(tmp_path / "d", heads_path=heads_path)
    assert unloaded.known_sound_words() == words  # read from the checkpoint header, no model load


def test_sound_words_from_checkpoint_extra(tmp_path):
    from app.service import SearchService
    from model.checkpoint import save_heads
    from model.heads import HeadsConfig, NudgeHeads

    path = tmp_path / "h.safetensors"
    save_heads(NudgeHeads(HeadsConfig(embed_dim=8, class_names=["dog"])), path,
               extra={"sound_words": ["dog barking", "church bells", "dog barking"]})
    assert SearchService(tmp_path / "d", heads_path=path).known_sound_words() == ["church bells", "dog barking"]
    assert SearchService(tmp_path / "e", heads_path=tmp_path / "missing").known_sound_words() == []


def test_search_while_importing(tmp_path, encoder):
    import threading

    make_clips(tmp_path / "lib", 12)
    svc = service(tmp_path, encoder, commit_every=2)
    query = make_clips(tmp_path / "q", 1, start=90)[0]
    errors, sizes = [], []
    worker = threading.Thread(target=lambda: svc.import_folders([tmp_path / "lib"]))
    worker.start()
    while worker.is_alive():
        try:
            results = svc.search(query, top_k=50)
            assert all(r.record.status == "ok" for r in results)
            sizes.append(len(results))
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)
    worker.join()
    assert not errors and sizes
    assert sizes == sorted(sizes)  # the searchable set only grows, batch by batch
    assert len(svc.search(query, top_k=50)) == 12


def test_modifier_edits_follow_the_heads(tmp_path, heads_path):
    from app.service import SearchService
    from model.checkpoint import save_heads
    from model.heads import HeadsConfig, NudgeHeads

    clause_heads = tmp_path / "clauses.safetensors"
    save_heads(NudgeHeads(HeadsConfig(embed_dim=8, class_names=["dog"], text_clauses=2)), clause_heads)
    svc = SearchService(tmp_path / "d", heads_path=clause_heads)
    assert svc.modifier_edits("Add a dog and make the rain quieter.") == ["add dog barking", "make the rain quieter"]
    assert svc.modifier_edits("add thunder") == ["add thunder"] and svc.modifier_edits("  ") == []
    assert svc.modifier_edits("make it glorious") == ["make it glorious"]  # unread: kept as typed
    assert svc.reading_to_show("Rain, with thunder rumbling in.") == ["add thunder"]  # a caption: say how it was read
    assert svc.reading_to_show("Add thunder.") == [] and svc.reading_to_show("make it glorious") == []
    assert svc.reading_to_show("add a thunder") == []  # nothing new
    assert svc.reading_to_show("thunder") == ["add thunder"]  # trial 58: a bare name is said to be read as added
    assert svc.reading_to_show("add a dog and more rain") == ["add dog barking", "make the rain louder"]
    assert svc.reading_to_show("make it glorious, then lose the dog") == ["remove the dog barking"]  # reader 139:
    assert "\u201cmake it glorious\u201d: no edit read, left out" in " ".join(  # the clause read as no edit is said
        svc.read_modifier("make it glorious, then lose the dog").messages())
    assert svc.reading_to_show("don't touch the rain, just lose the dog") == ["remove the dog barking"]  # kept
    assert [u.word for u in svc.read_modifier("add a kazoo").unknown] == ["kazoo"]
    # a known sound word the heads were never trained on is said, not silently read as another sound
    reading = svc.read_modifier("add a helicopter and more dog")
    assert reading.untrained == ["helicopter"] and reading.trained == ["dog"]
    assert any(m.startswith("helicopter: Nudge was not trained on this sound") for m in reading.messages())
    both = svc.read_modifier("add a helicopter and a cat").messages()  # one line names them all: the list is long
    assert sum("not trained on" in m for m in both) == 1
    assert any(m.startswith("helicopter, cat: Nudge was not trained on these sounds") for m in both)
    assert svc.read_modifier("add a dog").untrained == [] and svc.read_modifier("add a dog").messages() == []
    legacy_heads = tmp_path / "legacy.safetensors"  # the first release's id for bells
    save_heads(NudgeHeads(HeadsConfig(embed_dim=8, class_names=["dog", "church_bells"], text_clauses=2)), legacy_heads)
    legacy = SearchService(tmp_path / "g", heads_path=legacy_heads)
    assert legacy.read_modifier("add church bells").untrained == []
    assert legacy.read_modifier("add a helicopter").trained == ["dog", "bell"]
    whole = SearchService(tmp_path / "e", heads_path=heads_path)  # heads that embed the whole text at once
    assert whole.modifier_edits("add a dog and more rain ") == ["add a dog and more rain"]
    missing = SearchService(tmp_path / "f", heads_path=tmp_path / "missing")
    assert missing.modifier_edits("add a dog and more rain") == ["add a dog and more rain"]


def test_query_range_embeds_only_that_part_of_the_file(library, encoder, tmp_path):
    _, svc, paths, gallery = library
    import soundfile as sf

    first, sr = sf.read(paths[0], dtype="float32", always_2d=True)
    second, _ = sf.read(paths[1], dtype="float32", always_2d=True)
    take = tmp_path / "take.wav"
    sf.write(take, np.concatenate([first[:, :1], second[:, :1]]), sr)
    cut = len(first) / sr
    part = svc.search(take, top_k=12, query_range=(cut, cut + len(second) / sr))
    ref = reference(encoder.embed_audio(second[:, :1], sr), gallery)
    assert [r.path for r in part][:3] == [p for _, p in ref][:3]
    assert part[0].path == paths[1]
    with pytest.raises(ValueError, match="not a time range"):
        svc.search(take, query_range=(2.0, 1.0))
    with pytest.raises(QueryFileError, match="a range past its end"):
        svc.search(take, query_range=(cut * 10, cut * 11))


def test_a_silent_or_too_short_selection_is_refused_as_a_file_would_be(library, tmp_path):
    _, svc, paths, _ = library
    import soundfile as sf

    sound, sr = sf.read(paths[0], dtype="float32", always_2d=True)
    sound = sound[:, 0]
    take = tmp_path / "half_silent.wav"
    sf.write(take, np.concatenate([sound, np.zeros(4 * sr, dtype=np.float32)]), sr)
    after = len(sound) / sr
    with pytest.raises(QueryFileError, match=r"the selection .* of .*half_silent.wav is silent"):
        svc.search(take, query_range=(after + 1.0, after + 3.0))
    with pytest.raises(QueryFileError, match="is too short"):
        svc.search(take, query_range=(0.1, 0.101))
    (tmp_path / "loop_a.wav").symlink_to(tmp_path / "loop_b.wav")
    (tmp_path / "loop_b.wav").symlink_to(tmp_path / "loop_a.wav")
    with pytest.raises(QueryFileError, match="a symbolic link that leads to no file"):
        svc.search(tmp_path / "loop_a.wav")
    assert svc.search(take, top_k=2, query_range=(0.0, after))  # the sound itself is searched
    damaged = np.concatenate([sound, np.full(sr, np.nan, dtype=np.float32), sound])
    sf.write(tmp_path / "nan_mid.wav", damaged, sr, subtype="FLOAT")
    with pytest.raises(QueryFileError, match="NaN or infinite"):  # as the whole file is refused
        svc.search(tmp_path / "nan_mid.wav", query_range=(after - 0.5, after + 0.5))


def test_a_file_deleted_since_the_import_leaves_its_place_to_the_next(tmp_path, encoder):
    """A trial deleted a file of the first page: the next search showed 49 of 50 and hid "More results" (the app
    shows it for a full page only), so 13 files could no longer be reached. The next hit takes the place, and pages
    neither overlap nor skip."""
    paths = make_clips(tmp_path / "lib", 12)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    before = [r.path for r in svc.search(paths[0], top_k=11)]
    gone = before[2]
    gone.unlink()
    page = svc.search(paths[0], top_k=5)
    assert [r.path for r in page] == [p for p in before if p != gone][:5] and [r.rank for r in page] == [1, 2, 3, 4, 5]
    pages = [r.path for offset in (0, 5) for r in svc.search(paths[0], top_k=5, offset=offset)]
    assert pages == [p for p in before if p != gone]  # 10 left, each once
    svc.close()


def test_a_search_says_how_many_first_results_the_words_left_in_place(tmp_path, encoder):
    from app.service_gallery import LITTLE_CHANGE, little_change_note

    svc, paths = imported_library(tmp_path, encoder, 12)
    faint = svc.search(paths[0], "add thunder", strength=1e-6, top_k=10)
    assert svc.unchanged_by_words(faint, paths[0]) == 10  # words this weak change nothing
    assert little_change_note(10).startswith("the words changed little: the first 10 results are the same")
    assert little_change_note(LITTLE_CHANGE - 1) == "" and little_change_note(None) == ""
    plain = svc.search(paths[0], "", top_k=10)
    moved = [plain[1], plain[0], *plain[2:]]  # the words swapped the first two: they changed the top
    assert svc.unchanged_by_words(moved, paths[0]) == 0
    assert svc.unchanged_by_words(faint[:4], paths[0]) == 4  # fewer than 10: all of them compared
    assert svc.unchanged_by_words(faint, paths[0], "keep the rain") is None  # no change asked: no news
    assert svc.unchanged_by_words(faint, paths[0], "more reverb") is None  # nothing searched: no strength advice
    assert svc.unchanged_by_words(faint, paths[0], "make it brighter") == 10  # no edit, but steers as typed
    assert little_change_note(4, 4).startswith("the words changed little: all 4 results are the same")
    assert little_change_note(2, 2).startswith("the words changed little: both results are the same")
    assert little_change_note(3, 4) == "" and svc.unchanged_by_words(faint[:1], paths[0]) is None
    svc.close()
