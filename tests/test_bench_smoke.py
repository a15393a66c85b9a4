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
    assert "1 pairs, 4 library files" in out and "after (full)" in out


def test_bench_mixer_runs_on_a_tiny_catalog(capsys):
    from bench.bench_mixer import main

    assert main(["--tiny", "--pairs", "4", "--scene", "rain"]) == 0
    out = capsys.readouterr().out
    assert "clips/s" in out and "s of audio per s" in out
