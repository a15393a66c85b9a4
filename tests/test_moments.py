"""Moments of long files through the service: a planted event is found with its range, region queries,
file_moments, re-embedding after a model or window-layout change, compaction and damage per block."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from app.cli import main
from app.moment_terms import moment_terms
from app.timefmt import clock
from model.compose import l2_normalize
from model.segments import window_spans
from tests.helpers import make_random_heads, noise, tone, write_wav
from tests.library_helpers import make_clips, service

BURST_AT = 40.0


def planted_take(seconds: float = 60.0, burst_at: float = BURST_AT, seed: int = 3) -> np.ndarray:
    """Quiet noise with a 2 s tone burst at ``burst_at`` seconds."""
    x = noise(seconds, amp=0.05, seed=seed)
    start = int(burst_at * 16_000)
    x[start : start + 32_000] += tone(1500.0, 2.0, amp=0.4)
    return x


def make_library(root):
    lib = root / "lib"
    make_clips(lib, 8, seconds=5.0)
    take = write_wav(lib / "long_take.wav", planted_take())
    query = write_wav(root / "burst_query.wav", planted_take(4.0, 1.0, seed=9))
    return lib, take, query


@pytest.fixture(scope="module")
def library(tmp_path_factory, encoder):
    root = tmp_path_factory.mktemp("moments")
    lib, take, query = make_library(root)
    svc = service(root, encoder)
    report = svc.import_folders([lib])
    assert report.added == 9 and report.failed == 0
    yield root, svc, take, query
    svc.close()


def block(svc, path):
    ref = svc.db.vector_ref(path)
    return ref, np.array(svc._current_snapshot().store.matrix()[ref.row : ref.row + ref.rows])  # a copy


def test_long_file_is_stored_as_whole_row_then_windows(library, encoder):
    _, svc, take, _ = library
    ref, rows = block(svc, take)
    seg = encoder.features.segments_from_file(take)
    assert ref.segments == len(seg.windows) == 12 and ref.tail_start == pytest.approx(seg.tail_start)
    expected = l2_normalize(encoder.project_audio(np.vstack([seg.whole[None], seg.windows])))
    np.testing.assert_allclose(rows, expected, atol=1e-5)
    np.testing.assert_allclose(rows[0] * ref.norm, encoder.embed_file(take), rtol=1e-4, atol=1e-5)
    short = svc.db.vector_ref(take.parent / "clip_000.wav")
    assert short.segments == 0 and short.tail_start is None


def test_planted_moment_is_found_with_its_range(library):
    _, svc, take, query = library
    results = svc.search(query, top_k=5)
    best = results[0]
    assert best.path == take and best.end is not None
    assert best.start <= BURST_AT and best.end >= BURST_AT + 2.0 and best.end - best.start <= 20.0
    assert all(r.end is None and r.start == 0.0 for r in results[1:])  # short clips: whole-file matches
    assert len({r.path for r in results}) == len(results)  # one result per file


def test_file_moments_lists_the_best_moment_first(library):
    _, svc, take, query = library
    moments = svc.file_moments(take, query, top_k=4)
    first = svc.search(query, top_k=1)[0]
    assert 2 <= len(moments) <= 4 and [m.rank for m in moments] == list(range(1, len(moments) + 1))
    assert (moments[0].start, moments[0].end) == (first.start, first.end)
    assert moments[0].score == pytest.approx(first.score)
    assert {m.moments for m in moments} == {first.moments}  # one count: the search's and the list's (--json)
    assert [m.score for m in moments] == sorted((m.score for m in moments), reverse=True)
    spans = [(m.start, m.end) for m in moments]
    assert all(a[1] <= b[0] or b[1] <= a[0] for i, a in enumerate(spans) for b in spans[i + 1 :])  # apart
    (whole,) = svc.file_moments(take.parent / "clip_001.wav", query)
    assert whole.end is None and whole.start == 0.0


def test_region_query_of_a_library_file_excludes_only_that_region(library):
    _, svc, take, _ = library
    region = (BURST_AT - 1.0, BURST_AT + 3.0)
    results = svc.search(take, top_k=20, query_range=region)
    own = [r for r in results if r.path == take]
    assert len(own) == 1 and own[0].end is not None  # the rest of the take is still a result
    assert own[0].end <= region[0] or own[0].start >= region[1]
    assert take not in {r.path for r in svc.search(take, top_k=20)}  # the whole file as the query: left out


def test_cli_json_start_end_range_and_moments(library, capsys, heads_path, monkeypatch):
    root, svc, take, query = library
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    argv = ["--data-dir", str(svc.data_dir), "search", "--query", str(query), "--top", "3", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    first, second = out["results"][:2]
    assert first["path"] == str(take) and first["start"] <= BURST_AT <= first["end"] and not first["whole_file"]
    assert second["start"] == 0.0 and second["end"] == pytest.approx(5.0) and second["whole_file"]
    assert main(argv[:-1] + ["--moments", str(take), "--top", "2"]) == 0
    printed = capsys.readouterr()
    lines = printed.out.strip().splitlines()
    assert len(lines) == 2 and "0:3" in lines[0] and lines[0].endswith("long_take.wav")
    close = svc.file_moments(take, query, top_k=2)[0].moments  # trial 52: "(5 moments)" in a search, 7 listed
    assert (f"the first {close} match about as well as the best" if close > 1 else
            "the first matches about as well as the best") in printed.err
    # words alone: "find the thunder in this take" (trial 52: --moments needed --query)
    words = ["--data-dir", str(svc.data_dir), "search", "--moments", str(take), "--modify", "thunder", "--top", "3"]
    assert main(words) == 0
    printed = capsys.readouterr()
    alone = [(r.start, r.end) for r in svc.file_moments(take, None, "thunder", top_k=3)]
    assert alone and [line.split()[2] for line in printed.out.splitlines()] == [
        f"{clock(a)}-{clock(b)}" for a, b in alone]
    assert "the moments of long_take.wav ranked by how well they sound like the words" in printed.err
    assert "Nudge hears" not in printed.err  # no file order to explain
    assert "too short to hold moments apart" not in printed.err
    short = take.parent / "clip_001.wav"  # a file with no windows: one whole-file row (trial 55: unsaid)
    assert main(words[:4] + [str(short), *words[5:]]) == 0
    printed = capsys.readouterr()
    seconds = svc.file_info(short).duration
    assert len(printed.out.splitlines()) == 1
    assert f"clip_001.wav is {seconds:.1f} s: too short to hold moments apart, so the whole file is its one match" \
        in printed.err
    assert svc.file_moments(take, None, "add a kazoo") == []  # no sound it knows: nothing to rank them by
    assert main(words[:5] + ["--keyword", "take"]) == 2 and "--moments needs --query FILE or --modify" in \
        capsys.readouterr().err
    assert main(["--data-dir", str(svc.data_dir), "search", "--query", str(take), "--range", "0:39-0:43",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query_range"] == [39.0, 43.0] and all(r["end"] is not None for r in out["results"])


def test_model_change_and_old_layout_re_embed_per_block(tmp_path, encoder):
    lib, take, query = make_library(tmp_path)
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    with svc.db.transaction() as conn:  # as imported before windows existed
        conn.execute("UPDATE files SET segments = 0, segment_tail = NULL, segment_layout = 0")
    report = svc.import_folders()
    assert (report.updated, report.unchanged) == (1, 8)  # only the long file is cut again
    assert svc.db.vector_ref(take).segments == 12
    svc.close()

    from model.encoder import NudgeEncoder

    other = NudgeEncoder(make_random_heads(tmp_path / "other.safetensors", seed=7))
    assert other.version != encoder.version
    svc = service(tmp_path, other)
    assert svc.counts().pending == 9
    report = svc.import_folders()
    assert report.updated == 9 and svc.counts().indexed == 9
    ref, rows = block(svc, take)
    assert ref.model_version == other.version and ref.segments == 12
    seg = other.features.segments_from_file(take)
    np.testing.assert_allclose(rows[1:], l2_normalize(other.project_audio(seg.windows)), atol=1e-5)
    assert svc.search(query, top_k=1)[0].path == take


def test_compaction_moves_blocks(tmp_path, encoder):
    lib, take, query = make_library(tmp_path)
    svc = service(tmp_path, encoder, compact_above=0.1)
    svc.import_folders([lib])
    ref, before = block(svc, take)
    expected = [(r.path, round(r.score, 5), r.start, r.end) for r in svc.search(query, top_k=9)]
    for path in sorted(lib.glob("clip_00[0-4].wav")):  # re-embedded: their old rows (before the take's) unused
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    svc.import_folders()  # 5 of 26 rows unused: the store is compacted, the take's block moves up
    store = svc._current_snapshot().store
    assert store.filename.endswith("-1.f32") and store.rows == 9 + 12
    moved, after = block(svc, take)
    assert moved.row != ref.row
    np.testing.assert_array_equal(after, before)
    assert [(r.path, round(r.score, 5), r.start, r.end) for r in svc.search(query, top_k=9)] == expected



def test_a_damaged_window_row_re_embeds_its_file(tmp_path, encoder):
    lib, take, _ = make_library(tmp_path)
    svc = service(tmp_path, encoder, commit_every=1)  # one append (and checksum) per file
    svc.import_folders([lib])
    ref, before = block(svc, take)
    store = svc._current_snapshot().store
    with open(store.path, "r+b") as f:  # one window row overwritten on disk
        f.seek((ref.row + 5) * store.dim * 4)
        f.write(np.full(store.dim, 0.3, dtype=np.float32).tobytes())
    report = svc.import_folders()
    assert (report.damaged, report.updated, report.unchanged) == (1, 1, 8)
    _, repaired = block(svc, take)
    np.testing.assert_allclose(repaired, before, atol=1e-6)


def test_window_spans_cover_the_file():
    spans = window_spans(12, 49.92, 60.0)
    assert spans[0, 0] == 0.0 and spans[-1, 1] == 60.0
    assert np.all(spans[1:, 0] < spans[:-1, 1])  # neighbours overlap


def test_hnsw_over_windows_agrees_with_exact_and_scope_still_applies(tmp_path, encoder):
    lib = tmp_path / "lib"
    make_clips(lib, 12, seconds=3.0)
    for i, at in enumerate((10.0, 25.0, 40.0)):
        write_wav(lib / "takes" / f"take_{i}.wav", planted_take(60.0, at, seed=20 + i))
    query = write_wav(tmp_path / "q.wav", planted_take(4.0, 1.0, seed=9))
    exact = service(tmp_path / "a", encoder)
    ann = service(tmp_path / "b", encoder, exact_below=10, hnsw_m=8)
    exact.import_folders([lib])
    ann.import_folders([lib])
    assert ann._current_snapshot().index.uses_hnsw and ann._current_snapshot().index.size == 12 + 3 * 13
    for q in (query, lib / "clip_004.wav", lib / "takes" / "take_1.wav"):
        a, b = exact.search(q, top_k=6), ann.search(q, top_k=6)
        assert [(r.path, r.start, r.end, r.moments) for r in a] == [(r.path, r.start, r.end, r.moments) for r in b]
        np.testing.assert_allclose([r.score for r in a], [r.score for r in b], atol=1e-5)
        assert len({r.path for r in a}) == 6
    takes = ann.search(query, keyword="takes", top_k=10)
    assert sorted(r.path.name for r in takes) == ["take_0.wav", "take_1.wav", "take_2.wav"]
    assert all(r.end is not None for r in takes)
    page = exact.search(query, top_k=3, offset=3)
    assert [r.rank for r in page] == [4, 5, 6]
    assert [r.path for r in page] == [r.path for r in exact.search(query, top_k=6)[3:]]


def test_moment_rules_on_constructed_scores():
    from app.moments import MIN_MARGIN, best_moment, moment_margin, peak_moments

    spans = window_spans(8, 33.6, 43.0)
    bed = np.array([0.0, 0.60, 0.61, 0.60, 0.80, 0.78, 0.60, 0.75, 0.61])  # whole-file row, then 8 windows
    assert moment_margin(bed[1:], 0.5) == pytest.approx(0.5 * (0.80 - 0.61))  # halfway to the median
    moment, count = best_moment(bed, spans, 0.5)
    assert (moment.start, moment.end, moment.score) == (spans[3, 0], spans[4, 1], 0.80) and count == 2
    moments = peak_moments(bed, spans, 0.5, limit=5)
    assert [m.score for m in moments][:2] == [0.80, 0.75]
    assert moments[1].start == spans[4, 1] and moments[1].end == spans[6, 1]  # cut where the first one ends
    flat = np.array([0.9, *([0.5] * 8)])
    assert moment_margin(flat[1:], 0.5) == MIN_MARGIN
    moment, count = best_moment(flat, spans, 0.5)  # the whole-file row wins: a whole-file match
    assert moment.end is None and moment.score == 0.9 and count == 1
    whole_only = peak_moments(np.array([0.4]), np.zeros((0, 2)), 0.5, 3)
    assert len(whole_only) == 1 and whole_only[0].end is None


def test_the_time_columns_count_is_the_first_moments_of_the_files_list():
    """Three windows lie within the margin of the best, but the second and third grow into one moment: the count
    says 2, and "More moments" lists those 2 first, then the lesser ones; the rest of the take, no better than its
    typical window, is no moment (trial 50: 72 s and 88 s "moments")."""
    from app.moments import best_moment, moment_margin, peak_moments

    spans = window_spans(10, 45.0, 55.0)
    scores = np.array([0.0, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.7, 0.45, 0.7, 0.1])
    lowest = 0.9 - moment_margin(scores[1:], 0.5)
    assert lowest == pytest.approx(0.5) and int(np.sum(scores[1:] >= lowest)) == 3  # three separate windows
    moment, count = best_moment(scores, spans, 0.5)
    listed = peak_moments(scores, spans, 0.5, limit=10)
    assert count == 2 == sum(m.score >= lowest for m in listed) and len(listed) == 2
    spans = window_spans(12, 54.0, 64.0)  # a lesser peak above the typical window is listed, over its own window
    scores = np.array([0.0, 0.9, 0.1, 0.1, 0.3, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.1])
    listed = peak_moments(scores, spans, 0.5, limit=10)
    assert [m.score for m in listed] == [0.9, 0.7, 0.3] and (listed[2].start, listed[2].end) == tuple(spans[3])
    assert (moment.start, moment.end) == (listed[0].start, listed[0].end)
    assert [m.score for m in listed] == sorted((m.score for m in listed), reverse=True)


def test_stand_out_lifts_the_window_that_differs_along_the_words():
    from app.moments import Contrast, block_scores, stand_out

    rng = np.random.default_rng(0)
    bed, event = l2_normalize(rng.normal(size=32)), l2_normalize(rng.normal(size=32))
    windows = bed + 0.05 * rng.normal(size=(20, 32))
    windows[13] += 0.6 * event  # the take's one moment with the event in it
    rows = l2_normalize(np.vstack([windows.mean(axis=0), windows])).astype(np.float32)
    term = stand_out(rows[1:], event.astype(np.float32))
    assert int(np.argmax(term)) == 13 and np.median(term) == pytest.approx(0.0, abs=1e-6)
    q = l2_normalize(bed + 0.3 * event).astype(np.float32)  # a bed clip + "add <event>"
    none = np.empty(0, dtype=np.int64)
    plain = block_scores(rows, 0, 21, q, none)
    lifted = block_scores(rows, 0, 21, q, none, Contrast(event.astype(np.float32), 2.0))
    assert lifted[0] == plain[0]  # the whole-file row is left as it is
    assert int(np.argmax(lifted[1:])) == 13 and lifted[14] - plain[14] > 0.5
    short = block_scores(rows[:2], 0, 2, q, none, Contrast(event.astype(np.float32), 2.0))
    np.testing.assert_array_equal(short, block_scores(rows[:2], 0, 2, q, none))  # no take, no contrast


def test_a_clip_contrast_from_the_take_finds_the_event_that_moved_toward_the_clip():
    from app.moments import Contrast, add_contrast, toward

    bed, event, other = np.eye(8, dtype=np.float32)[:3]
    clip = l2_normalize(0.9 * bed + 0.44 * event).astype(np.float32)  # an event clip that shares much with the bed
    windows = [bed + 0.01 * np.roll(np.eye(8, dtype=np.float32)[3], k) for k in range(7)]  # the take's bed
    windows.insert(2, bed + 0.1 * event)  # a bed window barely moved toward the clip
    windows.insert(6, bed + 0.5 * event + 0.9 * other)  # a loud event, partly like the clip
    rows = l2_normalize(np.vstack([np.mean(windows, axis=0)[None], np.asarray(windows)])).astype(np.float32)
    direction = toward(rows[1:], clip)
    assert np.linalg.norm(direction) == pytest.approx(1.0, abs=1e-5)
    typical = np.median(rows[1:], axis=0)
    np.testing.assert_allclose(direction, l2_normalize(clip - typical / np.linalg.norm(typical)), atol=1e-5)
    along, moved = np.zeros(10, np.float32), np.zeros(10, np.float32)
    add_contrast(along, rows, Contrast(clip, 1.0))
    add_contrast(moved, rows, Contrast(clip, 1.0, from_take=True))
    assert int(np.argmax(along[1:])) == 2  # along the clip's whole direction the bed window wins ...
    assert int(np.argmax(moved[1:])) == 6  # ... moving from the take's typical window toward the clip: the event
    assert along[0] == moved[0] == 0.0  # the whole-file row is left as it is
    np.testing.assert_array_equal(toward(np.tile(clip, (5, 1)), clip), clip)  # a take that is the clip: as it is


def test_moment_terms_follow_what_the_words_add(library):
    _, svc, _, _ = library
    weights, enc = svc.config.moment_weights(), svc.encoder
    audio = np.ones(enc.embed_dim, dtype=np.float32)
    clip = np.full(521, 150, dtype=np.uint8)
    clip[[74, 75]] = 200  # two strong classes of the clip
    event = moment_terms(enc, "add a dog barking", audio, clip, 1.0, weights)  # the clip is the bed
    assert [c.weight for c in event.contrasts] == pytest.approx([weights.words])
    assert np.linalg.norm(event.contrasts[0].direction) == pytest.approx(1.0, abs=1e-5)
    assert event.take_classes.weight == weights.bed_clip and {74, 75} <= set(event.take_classes.query.indices)
    louder = moment_terms(enc, "make the thunder louder", audio, clip, 2.0, weights)
    assert louder.contrasts[0].weight == pytest.approx(2 * weights.words)
    bed = moment_terms(enc, "add rain", audio, clip, 1.0, weights)  # the clip is the event
    assert [c.weight for c in bed.contrasts] == pytest.approx([weights.clip])
    np.testing.assert_allclose(bed.contrasts[0].direction, audio / np.linalg.norm(audio), atol=1e-6)
    assert bed.contrasts[0].from_take and not event.contrasts[0].from_take  # the clip's, taken from each take
    assert bed.take_classes.weight == weights.bed_words and bed.take_classes.query.pool == "max"
    for text in ("", "remove the dog", "make it quieter", "add a kazoo"):
        assert moment_terms(enc, text, audio, clip, 1.0, weights) is None, text
    assert moment_terms(enc, "add a dog barking", audio, clip, 0.0, weights) is None
    no_classes = moment_terms(enc, "add a dog barking", audio, None, 1.0, weights)  # an old library's query
    assert no_classes.take_classes is None and len(no_classes.contrasts) == 1
