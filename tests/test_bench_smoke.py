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


def test_bench_mixer_runs_on_a_tiny_catalog(capsys):
    from bench.bench_mixer import main

    assert main(["--tiny", "--pairs", "4", "--scene", "rain"]) == 0
    out = capsys.readouterr().out
    assert "clips/s" in out and "s of audio per s" in out
