"""The benchmark script runs end to end on tiny sizes (figures are printed, never asserted)."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_bench_index_runs(tmp_path, heads_path, capsys):
    from bench.bench_index import main

    argv = ["--clips", "3", "--workers", "1", "--sizes", "600", "--queries", "5", "--dim", "32",
            "--heads", str(heads_path), "--cache", str(tmp_path), "--service"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "files/s steady" in out and "recall@10" in out and "SearchService.search end to end" in out
    assert "reproduce: python" in out


def test_bench_feedback_runs(tmp_path, heads_path, capsys):
    from bench.bench_feedback import family, main
    from tests.helpers import tone, write_wav

    lib = tmp_path / "pairs"
    for i, name in enumerate(["rain_01", "rain_with_dog_01", "rain_with_dog_02", "traffic_01"]):
        write_wav(lib / f"{name}.wav", tone(200 + 90 * i, 1.0))
    (lib / "pairs.csv").write_text("query_path,text,target_path\nrain_01.wav,add a dog,rain_with_dog_01.wav\n")
    assert family(lib / "rain_with_dog_02.wav") == "rain_with_dog"
    assert main(["--pairs", str(lib / "pairs.csv"), "--heads", str(heads_path), "--shown", "2"]) == 0
    out = capsys.readouterr().out
    assert "1 pairs, 4 library files" in out and "all 10, evidence x1 (full)" in out and "one +, evidence x1" in out
    (lib / "pairs.csv").write_text("a_path,text,b_path,labels_a,labels_b\n"
                                   "rain_01.wav,add a dog,rain_with_dog_01.wav,rain,rain|dog\n"
                                   "traffic_01.wav,add a dog,rain_with_dog_02.wav,traffic,rain|dog\n")
    args = ["--pairs", str(lib / "pairs.csv"), "--heads", str(heads_path), "--like", "labels"]
    assert main([*args, "--marked-evidence", "1", "0"]) == 0
    out = capsys.readouterr().out
    assert "2 pairs, 4 library files" in out and "like = labels" in out and "one +, evidence x0 (full)" in out
    assert main([*args, "--max-pairs", "1"]) == 0 and "1 pairs, 4 library files" in capsys.readouterr().out


def test_bench_mixer_runs_on_a_tiny_catalog(capsys):
    from bench.bench_mixer import main

    assert main(["--tiny", "--pairs", "4", "--scene", "rain"]) == 0
    out = capsys.readouterr().out
    assert "clips/s" in out and "s of audio per s" in out


def test_bench_long_files_tiny(tmp_path, heads_path, capsys):
    """Tiny long takes with planted events: built, imported, queried with and without words."""
    import csv

    from bench.bench_long_files import main

    assert main(["--tiny", "--out", str(tmp_path), "--workers", "0", "--heads", str(heads_path)]) == 0
    out = capsys.readouterr().out
    assert "planted events found in the top 10" in out and "MiB per hour of audio" in out
    (set_dir,) = tmp_path.glob("set_*")
    rows = list(csv.DictReader(open(set_dir / "queries.csv")))
    truth = list(csv.DictReader(open(set_dir / "ground_truth.csv")))
    assert len(truth) == 4 and {r["kind"] for r in rows} == {"bed+words", "event+words"}
    assert set(rows[0]) >= {"query_path", "text", "target_path", "target_start", "target_end"}
    for event in truth:  # planted inside the take, after the margin
        assert 15.0 <= float(event["start"]) < float(event["end"]) <= 60.0

    from bench.bench_moment_scoring import main as scoring_main

    assert scoring_main(["--set", str(set_dir), "--gain", "1", "--heads", str(heads_path)]) == 0
    out = capsys.readouterr().out
    assert "8 queries on 2 takes" in out and "s_q (the app's score)" in out and "s_q + 1 * (s_q - s_a)" in out


def test_long_take_plants_events_at_their_level():
    import numpy as np

    from bench.long.render import BED_DB, SAMPLE_RATE, active_db, bed_track, plant

    rng = np.random.default_rng(0)
    take = rng.standard_normal(3 * SAMPLE_RATE).astype(np.float32)
    track = bed_track(take, 20.0, rng)
    assert len(track) == 20 * SAMPLE_RATE and abs(active_db(track) - BED_DB) < 0.5
    tone = np.sin(np.arange(SAMPLE_RATE) / SAMPLE_RATE * 2 * np.pi * 1000).astype(np.float32)
    bed_only = track.copy()
    start, end = plant(track, tone, 5.0, 10.0)
    assert (start, end) == (5.0, 6.0)
    added = track[5 * SAMPLE_RATE : 6 * SAMPLE_RATE] - bed_only[5 * SAMPLE_RATE : 6 * SAMPLE_RATE]
    assert abs(active_db(added) - (BED_DB + 10.0)) < 0.5
    assert np.array_equal(track[: 5 * SAMPLE_RATE], bed_only[: 5 * SAMPLE_RATE])


def test_bench_segment_ann_runs(tmp_path, heads_path, capsys):
    import numpy as np

    from bench.bench_segment_ann import main

    scene = tmp_path / "features" / "rain" / "eval"
    scene.mkdir(parents=True)
    from model.runtime_heads import RuntimeHeads

    dim = RuntimeHeads.from_file(heads_path).audio_input_dim
    np.save(scene / "audio.npy", np.random.default_rng(0).standard_normal((300, dim)).astype(np.float32))
    argv = ["--size", "3000", "--queries", "20", "--features", str(tmp_path / "features"), "--heads", str(heads_path),
            "--cache", str(tmp_path / "cache"), "--ef-search", "16", "64"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "recall@10" in out and "reproduce:" in out and out.count("\n      ") >= 4


def test_bench_import_rss_runs(tmp_path, heads_path, capsys):
    from bench.bench_import_rss import main

    argv = ["--minutes", "0.2", "--rate", "22050", "--workers", "0", "--tmp", str(tmp_path), "--heads", str(heads_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "s of audio per s" in out and "peak RSS" in out
    assert not list(tmp_path.glob("nudge_rss_*"))  # files and library removed


def test_long_pool_uses_held_out_recordings_only(tmp_path):
    """Beds: the longest recording is the bed, the others are query takes; a lone recording is cut 75/25.
    Events: eval split only, not those the catalog relabelled after listening."""
    import csv

    from bench.long.pool import project_pool

    sources, catalog = tmp_path / "sources", tmp_path / "catalog"
    split = [  # file, class, role, group, split, kind, duration
        ("bg/rain/a_seg00.wav", "rain", "bg", "rain/a.ogg", "eval", "original_segment", 10),
        ("bg/rain/a_seg01.wav", "rain", "bg", "rain/a.ogg", "eval", "original_segment", 10),
        ("bg/rain/b_seg00.wav", "rain", "bg", "rain/b.ogg", "eval", "original_segment", 10),
        ("bg/rain/c_seg00.wav", "rain", "bg", "rain/c.ogg", "dev", "original_segment", 10),
        ("fg/dog/bark.wav", "dog", "fg", "dog/bark.ogg", "eval", "original", 1),
        ("fg/dog/speech.wav", "dog", "fg", "dog/speech.ogg", "eval", "original", 1),
        ("fg/dog/bark_v1.wav", "dog", "fg", "dog/bark.ogg", "eval", "variant", 1),
        ("fg/dog/trained.wav", "dog", "fg", "dog/trained.ogg", "dev", "original", 1),
    ]
    sources.mkdir()
    with open(sources / "split.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "class", "role", "group", "split", "subset", "kind", "duration", "package", "license"])
        w.writerows([(a, b, c, d, e, "x", g, h, "pkg", "CC0") for a, b, c, d, e, g, h in split])
    with open(sources / "manifest.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["class", "package", "license", "file", "duration", "source_path", "md5"])
        w.writerows([("dog", "pkg", "CC0", "dog/speech.ogg", 1, "/speech.ogg", "0"),
                     ("dog", "pkg", "CC0", "dog/bark.ogg", 1, "/bark.ogg", "1")])
    catalog.mkdir()
    with open(catalog / "catalog.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "source_path", "label", "role", "split", "duration"])
        w.writerows([("audio/speech.flac", "/speech.ogg", "speech", "event", "val", 1),
                     ("audio/bark.flac", "/bark.ogg", "dog", "event", "ood", 1),
                     ("audio/wind.flac", "/wind.ogg", "wind", "background", "eval", 100),
                     ("audio/wind2.flac", "/wind2.ogg", "wind", "background", "train", 100)])
    pool = project_pool(sources, catalog)
    assert [r.paths for r in pool.beds["rain"]] == [(sources / "bg/rain/a_seg00.wav", sources / "bg/rain/a_seg01.wav")]
    assert [r.path.name for r in pool.bed_queries["rain"]] == ["b_seg00.wav"]
    (wind,), (wind_query,) = pool.beds["wind"], pool.bed_queries["wind"]
    assert (wind.start, wind.end, wind_query.start, wind_query.end) == (0.0, 75.0, 75.0, None)
    assert [r.path.name for r in pool.events["dog"]] == ["bark.wav"]


def test_bench_rerank_runs_on_two_demo_pairs(tmp_path, capsys):
    """The shipped heads and reranker weights on the bundled demo: the weights fit the heads (reranking on)."""
    from app.demo import DEMO_DIR
    from bench.bench_rerank import main

    rows = [f"{DEMO_DIR / 'rain_01.ogg'},add thunder,{DEMO_DIR / 'rain_with_thunder_01.ogg'}",
            f"{DEMO_DIR / 'rain_01.ogg'},wet,{DEMO_DIR / 'rain_02.ogg'}"]  # no edits: left out
    (tmp_path / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    assert main(["--pairs", str(tmp_path / "pairs.csv"), "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 searches with edits" in out and "moment-by-moment reranking on" in out
    assert "cold / warm" in out and "carry " in out and "reproduce: python -m bench.bench_rerank" in out


def test_bench_peaks_runs(capsys):
    from bench.bench_peaks import main

    assert main(["--minutes", "1", "--runs", "1"]) == 0
    assert "s per hour of audio" in capsys.readouterr().out


def test_bench_first_words_runs(tmp_path, capsys):
    """The app launched twice (with and without its warm-up) on a small library, three words searched in each."""
    from bench.bench_first_words import main
    from tests.helpers import tone, write_wav

    for i in range(3):
        write_wav(tmp_path / "lib" / f"tone_{i}.wav", tone(300 + 100 * i, 1.0))
    assert main(["--library", str(tmp_path / "lib"), "--runs", "1", "--wait", "0.2"]) == 0
    out = capsys.readouterr().out
    assert "warm-up  first \"car horn\"" in out and "cold     first" in out and "cold / warm-up" in out


def test_the_search_benches_run_on_a_tiny_pair_set(tmp_path, capsys):
    """bench_search_pairs and bench_search_refine: a CSV's pairs ranked, and refine sessions run, through search."""
    from bench.bench_search_pairs import main as pairs_main
    from bench.bench_search_refine import main as refine_main
    from tests.helpers import tone, write_wav

    for i, name in enumerate(["rain_a", "rain_b", "street_a", "street_b"]):
        write_wav(tmp_path / f"{name}.wav", tone(200 + 90 * i, 2.0 + i))
    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text("pair_id,a_path,text,b_path,a_duration,diff_types\n"
                        "p1,rain_a.wav,add thunder,rain_b.wav,2.0,event_added:thunder\n"
                        "p2,street_a.wav,lose the horn and add a dog,street_b.wav,4.0,"
                        "event_removed:car_horn|event_added:dog\n")
    assert pairs_main([str(csv_path), "--json", str(tmp_path / "ranks.json")]) == 0
    out = capsys.readouterr().out
    assert "two differences" in out and "R@1" in out and (tmp_path / "ranks.json").is_file()
    assert refine_main([str(csv_path), "--versions-whole", "off"]) == 0
    assert "2 sessions, target in the top 10 within 1 / 2 / 3 / 4 steps" in capsys.readouterr().out
