"""evaluate on a user's own library: a copy of the target counts as it, a target that is the query file or a
target range past the end is skipped with its reason, a target not on disk is said to be so."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from app.cli import main
from app.evaluate_checks import query_copies, target_copies
from tests.helpers import write_wav
from tests.library_helpers import clip, make_clips


@pytest.fixture
def cli(tmp_path, heads_path, monkeypatch):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    return lambda *args: main(["--data-dir", str(tmp_path / "data"), *map(str, args)])


def test_target_copies_are_the_same_vector_only():
    gallery = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [1.0, 0.01]])
    assert [c.tolist() for c in target_copies(gallery, np.array([0, 1, 2]))] == [[2], [], [0]]
    queries = np.array([[3.0, 0.0], [0.0, 1.0]])  # a copy of gallery items 0 and 2, and of item 1 (its target)
    assert [c.tolist() for c in query_copies(queries, gallery, np.array([1, 1]))] == [[0, 2], []]
    # trial 57: a resampled FLAC of the query (item 3: close, the same name in another format) ranked first
    names = (["bed.wav", "other.wav"], ["x.wav", "other_22k.wav", "y.wav", "bed_22k.flac"])
    assert [c.tolist() for c in query_copies(queries, gallery, np.array([1, 1]), names=names)] == [[0, 2, 3], []]
    renamed = (names[0], ["x.wav", "other.wav", "y.wav", "take2.flac"])  # another name: another recording
    assert [c.tolist() for c in query_copies(queries, gallery, np.array([1, 1]), names=renamed)] == [[0, 2], []]


def _pairs(folder, rows: list[str]):
    (folder / "pairs.csv").write_text("query_path,text,target_path,target_start,target_end\n" + "\n".join(rows) + "\n")
    return folder / "pairs.csv"


def test_a_copy_of_the_target_counts_as_it_and_bad_pairs_say_why(cli, tmp_path, capsys):
    lib = tmp_path / "lib"
    clips = make_clips(lib, 6)
    assert cli("index", lib) == 0
    pairs = _pairs(tmp_path, [f"lib/{c.name},,lib/{clips[(i + 1) % 6].name},," for i, c in enumerate(clips)])
    capsys.readouterr()
    assert cli("evaluate", pairs, "--gallery", "library", "--json") == 0
    before = json.loads(capsys.readouterr().out)
    shutil.copy(clips[1], lib / "copy of the first target.wav")  # the target of line 2, under another name
    assert cli("index", lib) == 0
    capsys.readouterr()
    assert cli("evaluate", pairs, "--gallery", "library", "--json") == 0
    after = json.loads(capsys.readouterr().out)
    first = after["per_pair"][0]
    assert first["rank"] == before["per_pair"][0]["rank"] and "copy of" not in first["first"]
    assert after["target_copies"] == 1 and after["gallery"] == 7
    # ... and the query of line 2: left out of its ranking, as search leaves it out (trial 53: ranked first)
    assert after["query_copies"] == 1 and after["per_pair"][1]["rank"] == before["per_pair"][1]["rank"]
    assert "copy of" not in (after["per_pair"][1]["first"] or "")
    assert cli("evaluate", pairs, "--gallery", "library") == 0
    out = capsys.readouterr().out
    assert "1 target has a copy in the gallery" in out and "1 query has a copy in the gallery" in out

    bad = _pairs(tmp_path, [f"lib/{clips[0].name},add thunder,lib/{clips[0].name},,",  # the query itself
                            f"lib/{clips[1].name},add thunder,lib/gone.wav,,",  # not on disk
                            f"lib/{clips[2].name},add thunder,lib/{clips[3].name},,"])
    assert cli("evaluate", bad, "--gallery", "library", "--json") == 0
    err = capsys.readouterr().err
    assert "line 2: the target is the query file itself" in err
    assert "line 3: the target" in err and "gone.wav does not exist" in err and "index its folder" not in err


def test_a_target_range_past_the_end_is_skipped_with_the_files_length(cli, tmp_path, capsys):
    lib = tmp_path / "lib"
    clips = make_clips(lib, 3)
    take = write_wav(lib / "take.wav", clip(9, 40.0))
    assert cli("index", lib) == 0
    pairs = _pairs(tmp_path, [f"lib/{clips[0].name},add thunder,lib/take.wav,9:00,9:10",
                              f"lib/{clips[1].name},add thunder,lib/take.wav,0:10,0:20"])
    capsys.readouterr()
    assert cli("evaluate", pairs, "--gallery", "library") == 0
    err = capsys.readouterr().err
    assert f"line 2: the target {take} is 40.0 s long: its range from 540.0 s is past its end" in err, err
    assert "line 3" not in err


def test_pairs_through_a_symlinked_folder_are_ranked_against_the_library(cli, tmp_path, capsys):
    """Trial 59: a CSV whose paths went through a symbolic link to the library folder had every target "not in the
    library (index its folder first)", while search through the same link worked."""
    lib = tmp_path / "lib"
    clips = make_clips(lib, 4)
    assert cli("index", lib) == 0
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "library").symlink_to(lib, target_is_directory=True)
    pairs = _pairs(tmp_path / "set", [f"library/{c.name},,library/{clips[(i + 1) % 4].name},,"
                                      for i, c in enumerate(clips)])
    capsys.readouterr()
    assert cli("evaluate", pairs, "--gallery", "library", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pairs"] == 4 and out["skipped"] == 0 and out["gallery"] == 4
    assert all(p["first"] != p["query"] for p in out["per_pair"])  # the query's own file is left out, as in search
    ranged = _pairs(tmp_path / "set", [f"library/{c.name},,library/{clips[(i + 1) % 4].name},0,5"
                                       for i, c in enumerate(clips)])  # a target range: the moments' evaluation
    assert cli("evaluate", ranged, "--gallery", "library", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pairs"] == 4 and out["skipped"] == 0
