"""YAMNet class maxima per row (app.vectors class file) and the moment terms that use them (app.moment_terms)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from app.config import IndexConfig
from app.db_blocks import Blocks
from app.moment_terms import Contrast, MomentTerms, TakeClasses, take_class_value
from app.moments import add_contrast, rank_files
from app.vectors import class_path
from model.class_scores import ClassQuery, clip_class_query, probabilities, sounds_class_query
from model.compose import l2_normalize
from tests.library_helpers import make_clips, service
from tests.test_moments import make_library


def stored_classes(svc, path) -> np.ndarray:
    snap = svc._current_snapshot()
    ref = svc.db.vector_ref(path)
    return np.array(snap.classes[ref.row : ref.row + ref.rows])


def test_class_rows_follow_the_blocks_through_compaction(tmp_path, encoder):
    lib, take, _ = make_library(tmp_path)
    svc = service(tmp_path, encoder, compact_above=0.1)
    svc.import_folders([lib])
    seg = encoder.features.segments_from_file(take)
    assert seg.classes.shape == (13, 521) and seg.classes.dtype == np.uint8
    np.testing.assert_array_equal(stored_classes(svc, take), seg.classes)
    # the whole-file row holds the maximum over every patch, a window over its own patches
    np.testing.assert_array_equal(seg.classes[0], seg.classes[1:].max(axis=0))
    clip = lib / "clip_003.wav"
    _, clip_classes = encoder.embed_file_with_classes(clip)
    np.testing.assert_array_equal(stored_classes(svc, clip), clip_classes[None])
    for path in sorted(lib.glob("clip_00[0-4].wav")):  # re-embedded: their old rows unused, the store compacts
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    svc.import_folders()
    store = svc._current_snapshot().store
    assert store.filename.endswith("-1.f32") and class_path(store).exists()
    assert not any(p.name.endswith("-0.f32.cls") for p in (tmp_path / "data").iterdir())  # the old one is gone
    np.testing.assert_array_equal(stored_classes(svc, take), seg.classes)
    np.testing.assert_array_equal(stored_classes(svc, clip), clip_classes[None])
    svc.close()


def test_an_aborted_append_leaves_no_class_rows_behind(tmp_path, encoder):
    lib = tmp_path / "lib"
    make_clips(lib, 3, seconds=2.0)
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    store = svc._current_snapshot().store
    from app.vectors import append_classes

    store.append(l2_normalize(np.ones((4, store.dim), dtype=np.float32)))  # killed before its commit
    append_classes(store, store.rows, np.full((4, 521), 7, dtype=np.uint8))
    new = make_clips(lib, 2, seconds=2.0, start=10)
    svc.import_folders()
    for path in new:
        np.testing.assert_array_equal(stored_classes(svc, path), encoder.embed_file_with_classes(path)[1][None])
    snap = svc._current_snapshot()
    assert len(snap.classes) == snap.store.rows == 5
    svc.close()


def test_an_old_library_without_class_rows_searches_then_gets_them(tmp_path, encoder):
    lib, take, query = make_library(tmp_path)
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    with_classes = [(r.path, r.start, r.end) for r in svc.search(query, "add rain", top_k=9)]
    store = svc._current_snapshot().store
    class_path(store).unlink()  # as imported before class maxima were kept (window layout 1)
    with svc.db.transaction() as conn:
        conn.execute("UPDATE files SET segment_layout = 1")
        svc.db.bump_generation(conn)
    assert svc._current_snapshot().classes is None
    plain = svc.search(query, "add rain", top_k=9)  # searchable: no class part for any take
    assert len(plain) == 9 and {r.path for r in plain} == {p for p, _, _ in with_classes}
    report = svc.import_folders()
    assert (report.updated, report.unchanged) == (1, 8)  # only the long take is cut again
    np.testing.assert_array_equal(stored_classes(svc, take), encoder.features.segments_from_file(take).classes)
    assert not stored_classes(svc, lib / "clip_000.wav").any()  # short clips: no class scores, none needed
    svc.close()


def raw_for(p: float) -> int:
    """The uint8 class output whose probability is nearest p."""
    return int(np.argmin(np.abs(probabilities(np.arange(256, dtype=np.uint8)) - p)))


def test_take_class_value_is_the_median_windows_shortfall_and_zero_without_classes():
    windows = np.full((9, 521), raw_for(0.01), dtype=np.uint8)
    windows[:6, 40] = raw_for(0.8)  # most windows hold class 40 (the take's bed)
    windows[8, 41] = raw_for(0.9)  # one window holds class 41 (an event)
    bed = TakeClasses(ClassQuery(np.array([40]), np.ones(1, np.float32), "max"), 2.0)  # reference 1: a named bed
    event = TakeClasses(ClassQuery(np.array([41]), np.ones(1, np.float32), "max"), 2.0)
    p = probabilities(np.array([raw_for(0.8), raw_for(0.01)], dtype=np.uint8))
    assert take_class_value(bed, windows) == pytest.approx(2.0 * (p[0] - 1.0))
    assert take_class_value(event, windows) == pytest.approx(2.0 * (p[1] - 1.0))  # one window: not the take
    as_clip = TakeClasses(bed.query, 2.0, reference=0.5)  # the clip holds the class less than the take does
    assert take_class_value(as_clip, windows) == 0.0  # never a lift: a take only falls for what it lacks
    assert take_class_value(bed, np.zeros_like(windows)) == 0.0  # no class scores stored
    scores = np.zeros(10, dtype=np.float32)
    block = l2_normalize(np.random.default_rng(0).normal(size=(10, 8))).astype(np.float32)
    add_contrast(scores, block, MomentTerms((), bed), np.vstack([windows[:1], windows]))
    assert np.allclose(scores, take_class_value(bed, windows))  # the whole take, its whole-file row too
    short = np.zeros(2, dtype=np.float32)
    add_contrast(short, block[:2], MomentTerms((), bed), np.vstack([windows[:1], windows[:1]]))
    assert not short.any()  # a file without a take's windows keeps its plain cosine


def test_query_classes():
    clip = np.full(521, raw_for(0.01), dtype=np.uint8)
    clip[[3, 9, 70]] = [raw_for(0.9), raw_for(0.6), raw_for(0.3)]
    q = clip_class_query(clip, top=3)
    assert list(q.indices) == [3, 9, 70] and q.pool == "mean" and q.weights.sum() == pytest.approx(1.0)
    assert q.weights[0] > q.weights[1] > q.weights[2]
    assert clip_class_query(np.zeros(521, np.uint8)) is None  # no class scores
    rain = sounds_class_query(["rain"])
    assert rain is not None and len(rain.indices) >= 3 and rain.pool == "max"
    assert sounds_class_query(["no such sound"]) is None


def planted_library(rng):
    """Two long takes of 9 windows (8-d): take 0 a 'rain' bed with a 'dog' at window 6, take 1 a 'birds' bed
    with a dog at window 2, placed so that the plain cosine to a rain clip + "add dog" favours take 1; and
    their class rows: take 0's windows hold the rain classes."""
    rain, birds, dog = np.eye(8, dtype=np.float32)[:3]

    def take(bed, event_at, loud):
        rows = [bed + 0.05 * rng.normal(size=8) for _ in range(9)]
        rows[event_at] = rows[event_at] + loud * dog
        return l2_normalize(np.vstack([np.mean(rows, axis=0)[None], np.asarray(rows)])).astype(np.float32)

    # take 1's bed leans toward rain and its dog is louder: cosine and the words' stand-out prefer it
    vectors = np.vstack([take(rain, 6, 0.9), take(0.5 * birds + 0.9 * rain, 2, 1.5)])
    classes = np.full((20, 521), raw_for(0.02), dtype=np.uint8)
    rain_columns = sounds_class_query(["rain"]).indices
    classes[np.ix_(np.arange(10), rain_columns)] = raw_for(0.9)
    return vectors, classes, rain, dog


def planted_search():
    """planted_library's two takes indexed, a rain clip + "add dog barking" as the query and its moment terms (the
    words' stand-out along the dog, the clip's rain classes): (vectors, classes, index, blocks, q, terms)."""
    from app.ann import VectorIndex

    vectors, classes, rain, dog = planted_library(np.random.default_rng(1))
    blocks = Blocks.from_rows([(1, 0, 9, 38.4, 48.0), (2, 10, 9, 38.4, 48.0)])
    index = VectorIndex(vectors, blocks.rows(), IndexConfig())
    q = l2_normalize(rain + 0.6 * dog).astype(np.float32)
    clip = np.full(521, raw_for(0.02), dtype=np.uint8)
    clip[sounds_class_query(["rain"]).indices] = raw_for(0.9)
    query = clip_class_query(clip)
    terms = MomentTerms((Contrast(dog, 2.0),), TakeClasses(query, 2.0, float(query.window_values(clip[None])[0])))
    return vectors, classes, index, blocks, q, terms


def test_planted_event_the_class_term_finds_the_take_of_the_right_bed():
    vectors, classes, rain, dog = planted_library(np.random.default_rng(1))
    blocks = Blocks.from_rows([(1, 0, 9, 38.4, 48.0), (2, 10, 9, 38.4, 48.0)])
    from app.ann import VectorIndex

    index = VectorIndex(vectors, blocks.rows(), IndexConfig())
    q = l2_normalize(rain + 0.6 * dog).astype(np.float32)  # a rain clip + "add dog barking"
    clip = np.full(521, raw_for(0.02), dtype=np.uint8)
    clip[sounds_class_query(["rain"]).indices] = raw_for(0.9)
    words = Contrast(dog, 2.0)
    plain = rank_files(index, blocks, q, 2, contrast=MomentTerms((words,)), classes=classes)
    assert plain[0].file_id == 2  # without the class term the wrong take ranks first
    query = clip_class_query(clip)
    terms = MomentTerms((words,), TakeClasses(query, 2.0, float(query.window_values(clip[None])[0])))
    hits = rank_files(index, blocks, q, 2, contrast=terms, classes=classes)
    assert hits[0].file_id == 1 and hits[0].start <= 6 * 4.8 < hits[0].end  # the right take, at its dog
    no_rows = rank_files(index, blocks, q, 2, contrast=terms, classes=None)  # an old library: as without
    assert [h.file_id for h in no_rows] == [h.file_id for h in plain]


def test_the_event_classes_place_the_moment_without_moving_the_take():
    vectors, classes, rain, dog = planted_library(np.random.default_rng(1))
    blocks = Blocks.from_rows([(1, 0, 9, 38.4, 48.0), (2, 10, 9, 38.4, 48.0)])
    from app.ann import VectorIndex

    index = VectorIndex(vectors, blocks.rows(), IndexConfig())
    q = l2_normalize(rain + 0.6 * dog).astype(np.float32)
    dog_columns = sounds_class_query(["dog"]).indices
    classes[np.ix_([1 + 3], dog_columns)] = raw_for(0.95)  # take 1's window 3 holds a bark the vectors miss
    place = TakeClasses(sounds_class_query(["dog"]), 2.0)
    without = rank_files(index, blocks, q, 2, contrast=MomentTerms(()), classes=classes)
    placed = rank_files(index, blocks, q, 2, contrast=MomentTerms((), None, place), classes=classes)
    assert [h.file_id for h in placed] == [h.file_id for h in without]  # the takes keep their scores and order
    assert [h.score for h in placed] == [h.score for h in without]
    take_1 = {h.file_id: h for h in placed}[1]
    assert take_1.start <= 3 * 4.8 < take_1.end  # its moment moved to the bark
    assert not {h.file_id: h for h in without}[1].start <= 3 * 4.8 < {h.file_id: h for h in without}[1].end


def test_takes_holding_the_classes_are_candidates():
    from app.moments import _takes_holding

    # a short file (row 0), then takes of 3 windows at rows 1, 5, 9 and 13 (the last one without class rows)
    blocks = Blocks.from_rows([(1, 0, 0, None, 5.0), (2, 1, 3, 14.4, 25.0), (3, 5, 3, 14.4, 25.0),
                               (4, 9, 3, 14.4, 25.0), (5, 13, 3, 14.4, 25.0)])
    rain = sounds_class_query(["rain"])
    classes = np.full((17, 521), raw_for(0.02), dtype=np.uint8)
    classes[0, rain.indices] = raw_for(0.99)  # a short file is never a take candidate
    classes[5, rain.indices], classes[1, rain.indices] = raw_for(0.9), raw_for(0.5)
    classes[13:] = 0  # imported before class maxima were kept
    assert _takes_holding(blocks, classes, rain, 2, None) == [2, 1]  # block positions, most rain first
    assert _takes_holding(blocks, classes, rain, 5, None) == [2, 1, 3]
    assert _takes_holding(blocks, classes, rain, 5, np.arange(1, 5)) == [1]  # scope: only the first take
    assert _takes_holding(blocks, classes[:4], rain, 5, None) == [1]  # a class file that stops short


def one_class_clip(name: str) -> np.ndarray:
    """A clip's class maxima in which YAMNet hears only the class ``name`` (at 0.95)."""
    from model.yamnet import class_names

    clip = np.full(521, raw_for(0.02), dtype=np.uint8)
    clip[list(class_names()).index(name)] = raw_for(0.95)
    return clip


def test_a_sound_that_can_be_either_is_read_from_the_clip(encoder):
    from app.moment_terms import moment_terms

    weights = IndexConfig().moment_weights()
    audio = np.ones(encoder.embed_dim, dtype=np.float32)
    dog_clip, rain_clip = one_class_clip("Bark"), one_class_clip("Rain")
    as_bed = moment_terms(encoder, "add birds", audio, dog_clip, 1.0, weights)  # birds around a dog: the bed
    named_bed = IndexConfig().moment_bed_heard  # a named bed's reference: 1, bounded (fifteenth round)
    assert as_bed.take_classes.reference == named_bed and as_bed.place is None
    as_event = moment_terms(encoder, "add birds", audio, rain_clip, 1.0, weights)  # birds in the rain: an event
    assert as_event.place is not None and as_event.take_classes.reference < 1.0
    unknown = moment_terms(encoder, "add birds", audio, None, 1.0, weights)  # no class scores: the bed
    assert unknown.take_classes is not None and unknown.take_classes.reference == named_bed


def test_words_raising_the_bed_a_clip_holds_give_takes_no_clip_contrast(encoder):
    """v2 eval Rain: a 3-13 s rain clip + "make the rain louder" ranked other rain files' windows above its louder
    version, lifted for moving toward the clip: the clip is the bed raised there, not an event to find in a take."""
    from dataclasses import replace

    from app.moment_terms import moment_terms

    weights = IndexConfig().moment_weights()
    assert weights.raised_bed_plain  # the default (docs/MEASUREMENTS.md "A raised bed is not an event ...")
    audio = np.ones(encoder.embed_dim, dtype=np.float32)
    rain_clip, dog_clip = one_class_clip("Rain"), one_class_clip("Bark")

    def clip_contrast(text, clip, w=weights):
        terms = moment_terms(encoder, text, audio, clip, 1.0, w)
        return [c for c in terms.contrasts if c.from_take], terms.take_classes

    plain, bed_term = clip_contrast("make the rain louder", rain_clip)
    assert plain == [] and bed_term is not None  # the take's bed class term stays
    assert clip_contrast("make the rain louder", rain_clip, replace(weights, raised_bed_plain=False))[0]  # off
    assert clip_contrast("make the rain louder", dog_clip)[0]  # a dog clip lacks the rain: as "add rain" to it
    assert clip_contrast("add rain", rain_clip)[0]  # words adding a bed: as before
    assert clip_contrast("make the rain louder", None)[0]  # no class scores: as before


def test_a_strength_below_one_scales_the_take_terms(encoder):
    """Trial 51: at strength 0.05 "add a helicopter" lowered a forest clip's forest takes out of view as at 1. Below
    1 the take's shortfall and the bed's clip contrast scale with its square (trial 52: at 0.3 glass breaks and beeps
    still replaced the forest takes); from 1 up they are as at 1."""
    from app.moment_terms import moment_terms

    weights = IndexConfig().moment_weights()
    audio = np.ones(encoder.embed_dim, dtype=np.float32)
    rain_clip = one_class_clip("Rain")
    take = {s: moment_terms(encoder, "add thunder", audio, rain_clip, s, weights).take_classes.weight
            for s in (0.1, 1.0, 2.0)}
    assert take[1.0] > 0 and take[2.0] == take[1.0] and take[0.1] == pytest.approx(0.01 * take[1.0])
    bed = {s: moment_terms(encoder, "add rain", audio, rain_clip, s, weights) for s in (0.5, 1.0)}
    assert bed[0.5].take_classes.weight == pytest.approx(0.25 * bed[1.0].take_classes.weight)
    clip = [c.weight for c in bed[0.5].contrasts if c.from_take], [c.weight for c in bed[1.0].contrasts if c.from_take]
    assert clip[0] == pytest.approx([0.25 * w for w in clip[1]])


def test_the_event_gate_keeps_the_words_contrast_where_the_named_event_rises():
    """A window that stands out along the words but where the heads' classifier sees no added event rise gets no
    stand-out from them (a louder stretch of bed); one where the event rises keeps it (app.moments.event_gate)."""
    from app.moment_terms import TermWeights, event_rows
    from app.moments import event_gate

    d = 8
    typical = l2_normalize(np.ones((1, d), dtype=np.float32))[0]
    direction = np.eye(d, dtype=np.float32)[0]  # the words' direction
    bell_row = np.eye(d, dtype=np.float32)[1] * 2.0  # the classifier's bell row
    louder_bed = l2_normalize((typical + 0.5 * direction)[None])[0]  # along the words, no bell
    bells = l2_normalize((typical + 0.5 * direction + 0.5 * np.eye(d, dtype=np.float32)[1])[None])[0]
    windows = np.stack([typical, typical, louder_bed, bells, typical]).astype(np.float32)
    gate = event_gate(windows, np.median(windows, axis=0), bell_row[None], logits=2.0)
    assert gate[2] == 0.0 and gate[3] == 1.0
    block = np.vstack([typical[None], windows])
    plain, gated = np.zeros(len(block), np.float32), np.zeros(len(block), np.float32)
    add_contrast(plain, block, Contrast(direction, 2.0))
    add_contrast(gated, block, Contrast(direction, 2.0, gate=bell_row[None], gate_logits=2.0))
    assert plain[3] > 0 and gated[3] == 0.0  # the louder bed no longer stands out
    assert gated[4] == pytest.approx(plain[4]) and gated[4] > 0  # the bells still do

    class Heads:
        class_names = ["rain", "church_bells"]
        classifier = np.stack([np.eye(d)[0], bell_row])

    assert event_rows(Heads(), ["church_bells", "siren"]).shape == (1, d)
    assert event_rows(Heads(), ["siren"]) is None and event_rows(None, ["church_bells"]) is None
    assert TermWeights(2.0, 1.0, 2.0, 3.0).event_gate == 0.0  # off unless set


def test_the_specific_direction_leaves_out_what_every_add_text_shares():
    """moment_specific: the words' contrast direction loses its part along the mean of T("add <sound>"), so a window
    moving along that common part (more of anything) no longer stands out; off (0) keeps T(words)."""
    from app.moment_terms import TermWeights, common_add_direction, specific_direction

    d = 8
    common, own = np.eye(d)[0], np.eye(d)[1]

    class Encoder:
        calls = 0

        def embed_text(self, texts):
            Encoder.calls += 1
            return np.stack([common + (0.1 * np.eye(d)[2 + i % 5]) for i in range(len(texts))]).astype(np.float32)

    encoder = Encoder()
    words = l2_normalize(common + own)
    assert common_add_direction(encoder) @ common > 0.95
    specific = specific_direction(encoder, words, 1.0)
    assert abs(float(specific @ common)) < 0.1 and specific @ own > 0.95
    half = specific_direction(encoder, words, 0.5)
    assert float(specific @ common) < float(half @ common) < float(words @ common)
    assert Encoder.calls == 1  # the common direction is computed once per encoder
    assert TermWeights(2.0, 1.0, 2.0, 3.0).specific == 0.0 and IndexConfig().moment_specific == 0.0


def test_a_take_cap_bounds_how_far_the_class_term_lowers_a_take():
    """README "Long recordings", sixth round: a trial's bird takes sank under every short clip for "add birds"."""
    windows = np.full((9, 521), raw_for(0.01), dtype=np.uint8)
    query = ClassQuery(np.array([40]), np.ones(1, np.float32), "max")
    assert take_class_value(TakeClasses(query, 3.0), windows) == pytest.approx(-2.97, abs=0.01)  # no cap
    assert take_class_value(TakeClasses(query, 3.0, cap=0.2), windows) == pytest.approx(-0.2)
    windows[:, 40] = raw_for(0.99)
    assert take_class_value(TakeClasses(query, 3.0, cap=0.2), windows) == pytest.approx(3.0 * (
        probabilities(np.array([raw_for(0.99)], np.uint8))[0] - 1.0))  # under the cap: as before


def test_a_take_holding_the_added_event_is_relieved_of_the_beds_shortfall():
    """README "Long recordings", seventh round: a bird ambience is lowered little for lacking a river clip's bed when
    the words add birds; a take where the event happens once keeps its term."""
    windows = np.full((9, 521), raw_for(0.01), dtype=np.uint8)  # no river (class 40) anywhere
    bed = ClassQuery(np.array([40]), np.ones(1, np.float32), "max")
    birds = ClassQuery(np.array([41]), np.ones(1, np.float32), "max")
    plain = take_class_value(TakeClasses(bed, 3.0), windows)
    windows[:, 41] = raw_for(0.9)  # birds in every window
    assert take_class_value(TakeClasses(bed, 3.0, relief=birds), windows) == pytest.approx(plain * (1 - float(
        probabilities(np.array([raw_for(0.9)], np.uint8))[0])), rel=1e-5)
    windows[1:, 41] = raw_for(0.01)  # birds in one window only: the term stays
    assert take_class_value(TakeClasses(bed, 3.0, relief=birds), windows) == pytest.approx(plain, abs=0.05)


def test_a_take_holding_the_added_event_is_never_lowered_below_its_cosine():
    """README "Long recordings", ninth round (the app's default since): a bird ambience lacking a river clip's bed
    stays where its cosine puts it for "add birds"; a take where birds happen once keeps the full class term, and
    a window that stands out along the words keeps what the term leaves of its lift (the term takes no more)."""
    windows = np.full((9, 521), raw_for(0.01), dtype=np.uint8)  # no river (class 40) anywhere
    bed = ClassQuery(np.array([40]), np.ones(1, np.float32), "max")
    birds = ClassQuery(np.array([41]), np.ones(1, np.float32), "max")
    take = TakeClasses(bed, 3.0, floor_query=birds, floor_at=IndexConfig().moment_take_floor_at)
    block = l2_normalize(np.random.default_rng(0).normal(size=(10, 8))).astype(np.float32)
    rows = np.vstack([windows[:1], windows])
    sunk = np.zeros(10, dtype=np.float32)
    add_contrast(sunk, block, MomentTerms((), take), rows)  # birds in one window at most: the full term
    assert np.allclose(sunk, take_class_value(take, windows)) and sunk[0] < -2.5
    rows[:, 41] = raw_for(0.9)  # birds in every window: the take keeps its cosine (0 here)
    kept = np.zeros(10, dtype=np.float32)
    add_contrast(kept, block, MomentTerms((), take), rows)
    assert np.allclose(kept, 0.0)
    direction = block[3] - np.median(block[1:], axis=0)
    contrast = Contrast(direction / np.linalg.norm(direction), 2.0)
    gain, lifted = np.zeros(10, dtype=np.float32), np.zeros(10, dtype=np.float32)
    add_contrast(gain, block, MomentTerms((contrast,)), rows)
    add_contrast(lifted, block, MomentTerms((contrast,), take), rows)
    term = take_class_value(take, windows)
    assert gain[3] > 0 and np.allclose(lifted, np.where(gain > 0, np.maximum(gain + term, 0), gain), atol=1e-6)


def test_a_take_holding_the_bed_the_words_add_clearly_is_not_lowered_for_it(encoder):
    """docs/MEASUREMENTS.md, fifteenth round (the app's default since): trial 43's wave take fell from #13 to #217 for
    "add waves crashing", lowered for holding waves at 0.7 where the bed term asked for 1; a take lacking the bed
    keeps the term."""
    from app.moment_terms import moment_terms

    audio = np.ones(encoder.embed_dim, dtype=np.float32)
    take = moment_terms(encoder, "add rain", audio, None, 1.0, IndexConfig().moment_weights()).take_classes
    before = moment_terms(encoder, "add rain", audio, None, 1.0,
                          IndexConfig(moment_bed_heard=0.0).moment_weights()).take_classes
    windows = np.full((9, 521), raw_for(0.01), dtype=np.uint8)
    windows[:, take.query.indices] = raw_for(0.7)  # rain heard clearly in every window, not fully
    assert take_class_value(take, windows) == 0.0
    assert take_class_value(before, windows) == pytest.approx(2.0 * (float(take.query.window_values(windows)[0])
                                                                       - 1.0))
    windows[:, take.query.indices] = raw_for(0.01)  # no rain: lowered as before, from its bound
    assert take_class_value(take, windows) == pytest.approx(2.0 * (float(take.query.window_values(windows)[0])
                                                                     - 0.5))


def test_a_file_of_few_windows_gets_no_stand_out_but_keeps_its_class_term():
    """README "Long recordings", eleventh round: a 16 s explosion (two windows) stood out from the mean of its two
    windows along "add thunder" and ranked first; under IndexConfig.moment_min_windows windows only the class term
    (which only lowers) applies."""
    rng = np.random.default_rng(1)
    bed = ClassQuery(np.array([40]), np.ones(1, np.float32), "max")
    for windows, lifted in ((3, False), (6, True)):
        block = l2_normalize(rng.normal(size=(1 + windows, 8))).astype(np.float32)
        classes = np.full((1 + windows, 521), raw_for(0.01), dtype=np.uint8)
        direction = block[1] - np.median(block[1:], axis=0)
        terms = MomentTerms((Contrast(direction / np.linalg.norm(direction), 2.0),), TakeClasses(bed, 3.0),
                            min_windows=IndexConfig().moment_min_windows)
        scores = np.zeros(1 + windows, dtype=np.float32)
        add_contrast(scores, block, terms, classes)
        term = take_class_value(TakeClasses(bed, 3.0), classes[1:])
        assert term < -2.5 and (scores.max() > term + 1e-3) == lifted  # a stand-out only with enough windows


def test_a_take_marked_more_like_this_is_scored_by_its_cosine_alone():
    """A re-check of a trial: a rain take YAMNet hears as wind was lowered 1.8 by the class term for "make the rain
    louder" and stayed 201st after the user marked it "more like this" (its cosine was the best, 0.62)."""
    vectors, classes, index, blocks, q, terms = planted_search()
    cosine = float(np.max(vectors[10:] @ q))
    lowered = rank_files(index, blocks, q, 2, contrast=terms, classes=classes)
    assert lowered[1].file_id == 2 and lowered[1].score < cosine - 0.05  # take 2 lacks the rain classes: lowered
    marked = rank_files(index, blocks, q, 2, contrast=terms, classes=classes, plain={1})
    assert [h.file_id for h in marked] == [1, 2] and marked[1].score == pytest.approx(cosine, abs=1e-5)  # its cosine
    assert marked[0].score == pytest.approx(lowered[0].score)  # the other take as before
