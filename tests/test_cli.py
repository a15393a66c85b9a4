"""Command line: index/search/evaluate/status/remove through main(argv), errors, and no Qt import."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.library_helpers import make_clips

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(tmp_path, heads_path, monkeypatch):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    data = tmp_path / "data"
    return lambda *args: main(["--data-dir", str(data), *map(str, args)])


def test_index_search_status_remove(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 5)
    assert cli("index", tmp_path / "lib") == 0
    out = capsys.readouterr().out
    assert "5 added" in out and "5 indexed" in out
    assert cli("index") == 0  # rescan of the known folders
    rescan = capsys.readouterr()
    assert "5 unchanged" in rescan.out and "file/s" not in rescan.err  # no empty bar: "0file [00:00, ?file/s]"

    query = tmp_path / "lib" / "clip_000.wav"
    assert cli("search", "--query", query, "--modify", "add dog bark", "--top", "3", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["modify"] == "add dog bark" and [r["rank"] for r in result["results"]] == [1, 2, 3]
    assert result["edits"] == ["add dog bark"]  # the test heads embed the whole modifier at once
    assert result["unknown"] == [] and result["library_holds"] == []  # tones: YAMNet hears no dog
    data = tmp_path / "data"  # the search that finds the added sound on its own is given, runnable (a trial)
    command = shlex.split(result["alone_command"])  # runnable as printed: this interpreter, this main.py (a trial)
    assert Path(command[0]).absolute() == Path(sys.executable).absolute() and Path(command[1]).name == "main.py"
    assert Path(command[1]).is_file() and command[2:] == ["--data-dir", str(data), "search", "--modify", "dog barking"]
    assert result["alone_command"] in result["notes"][-1] and result["reading"] == ["add dog bark"]
    assert cli("search", "--query", query, "--modify", "add a kazoo", "--top", "1") == 0
    err = capsys.readouterr().err
    assert "kazoo: not a sound Nudge knows" in err and "on its own" not in err  # nothing known to find alone
    assert cli("search", "--query", query, "--modify", "make it quieter", "--top", "1", "--json") == 0
    assert json.loads(capsys.readouterr().out)["alone_command"] is None  # a level change adds no sound
    assert cli("search", "--query", query, "--modify", "make it brighter", "--top", "1") == 0
    assert "no edit read in these words" in capsys.readouterr().err  # said, not silently embedded
    assert cli("search", "--query", query, "--offset", "10") == 0  # 4 other files: none after the first 10
    assert "no results after the first 10: the search finds no more" in capsys.readouterr().err
    assert str(query) not in [r["path"] for r in result["results"]]
    assert cli("search", "--query", query, "--top", "2", "--include-query") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].split()[0] == "1" and lines[0].endswith("clip_000.wav")

    assert cli("status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["indexed"] == 5 and status["folders"] == [str(tmp_path / "lib")]
    assert cli("remove", tmp_path / "lib") == 0
    assert cli("status", "--json") == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["indexed"] == 0


def test_a_search_after_a_model_change_says_to_re_embed(cli, tmp_path, capsys, monkeypatch):
    from training.random_heads import make_random_heads

    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    monkeypatch.setenv("NUDGE_HEADS", str(make_random_heads(tmp_path / "other.safetensors", seed=5)))
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--modify", "add rain") == 0
    err = capsys.readouterr().err
    assert "3 files hold vectors of an earlier model" in err and "main.py index DIR" in err
    assert "the library is empty" not in err
    assert cli("index", tmp_path / "lib") == 0 and "3 updated" in capsys.readouterr().out
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--top", "2") == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


def test_a_search_with_no_results_says_why(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 1)
    query = tmp_path / "lib" / "clip_000.wav"
    assert cli("search", "--query", query) == 1  # a --data-dir that is not there: mistyped, not an empty library
    assert "no library at" in capsys.readouterr().err and not (tmp_path / "data").exists()
    assert cli("remove", "--missing") == 1 and cli("status") == 1
    (tmp_path / "data").mkdir()
    assert cli("search", "--query", query) == 0
    assert "the library is empty; add a folder with: main.py index DIR" in capsys.readouterr().err
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", query, "--modify", "add rain") == 0
    assert "the library's only indexed file is the query itself" in capsys.readouterr().err
    assert cli("search", "--query", query, "--include-query", "--keyword", "nothing-is-named-so") == 0
    err = capsys.readouterr().err  # trial 56: "roar" blamed the folder, duration and sample rate too
    assert "no file in the scope has “nothing-is-named-so” in its name, folder, tags or metadata; check the spelling" \
        in err
    assert "widen the scope" not in err  # trial 57: with no scope to widen
    assert cli("search", "--query", query, "--include-query", "--keyword", "*zzq", "--max-duration", "9") == 0
    assert "none of the 1 indexed files passes the scope" in capsys.readouterr().err
    assert cli("search", "--keyword", "clip*") == 0 and "clip_000.wav" in capsys.readouterr().out  # "clip*" = "clip"
    shutil.copy(query, tmp_path / "lib" / "ip_note.wav")  # one name begins with "ip", clip_000.wav holds it inside
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--keyword", "ip") == 0
    out, err = capsys.readouterr()
    assert "ip_note.wav" in out and "clip_000.wav" not in out  # trial 56: the others went unsaid
    assert "1 more file holds “ip” inside a word: --keyword '*ip' matches it anywhere" in err
    # trial 55: "scream" begins no word of civfemscream01a.ogg, and the scope was blamed
    assert cli("search", "--keyword", "ip_00") == 0  # inside "clip_000": no word begins with it
    err = capsys.readouterr().err
    assert ("no file in the scope has a word beginning with “ip_00”, but 1 file holds it inside a word "
            "(clip_000.wav); --keyword '*ip_00' matches it anywhere") in err
    assert cli("search", "--keyword", "*ip_00") == 0 and "clip_000.wav" in capsys.readouterr().out
    assert cli("search", "--query", query, "--include-query", "--keyword", "ip_00 nothing-is-named-so") == 0
    assert "no file in the scope has “ip_00 nothing-is-named-so” in" in capsys.readouterr().err  # not every word


def test_failures_are_listed(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 1)
    (tmp_path / "lib" / "broken.wav").write_bytes(b"not a wav at all" * 10)
    assert cli("index", tmp_path / "lib") == 0
    assert "1 failed" in capsys.readouterr().out
    assert cli("status", "--failures") == 0
    out = capsys.readouterr().out
    assert "broken.wav" in out and "Format not recognised" in out


def test_clear_errors(cli, tmp_path, capsys, monkeypatch):
    assert cli("index") == 2  # nothing to index yet
    assert "give one or more folders" in capsys.readouterr().err
    assert cli("index", tmp_path / "nowhere") == 2
    assert "folder not found" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # neither made an empty library (a later typo would read as empty)
    (tmp_path / "a_file").write_bytes(b"")
    assert cli("index", tmp_path / "a_file") == 2 and not (tmp_path / "data").exists()
    assert cli("index", os.devnull) == 2 and "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()
    make_clips(tmp_path / "lib", 1)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "nope.wav") == 1
    assert "query file not found" in capsys.readouterr().err
    monkeypatch.setenv("NUDGE_HEADS", str(tmp_path / "missing.safetensors"))
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav") == 1
    err = capsys.readouterr().err
    assert "model file is missing" in err and "missing.safetensors" in err and "NUDGE_HEADS" in err
    (tmp_path / "corrupt.safetensors").write_bytes(b"\x00" * 64)
    assert cli("--heads", tmp_path / "corrupt.safetensors", "index", tmp_path / "lib") == 1
    assert "corrupt" in capsys.readouterr().err
    assert cli("evaluate", tmp_path / "none.csv") == 1
    assert "pairs file not found" in capsys.readouterr().err


def test_evaluate_command(cli, tmp_path, capsys):
    clips = make_clips(tmp_path / "set", 3)
    for i, c in enumerate(clips):
        shutil.copyfile(c, tmp_path / "set" / f"target_{i}.wav")
    rows = [f"{c.name},more rain,target_{i}.wav" for i, c in enumerate(clips)]
    (tmp_path / "set" / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--strength", "0", "--json") == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["baseline_R@1"] == 1.0 and metrics["pairs"] == 3 and metrics["skipped"] == 0
    assert [(p["line"], p["audio_only_rank"], p["text"]) for p in metrics["per_pair"]] == [
        (2, 1, "more rain"), (3, 1, "more rain"), (4, 1, "more rain")]
    assert metrics["per_pair"][1]["target"].endswith("target_1.wav")
    assert all(p["first"] == p["target"] == p["audio_only_first"] for p in metrics["per_pair"])
    assert all(p["read_as"] == ["more rain"] for p in metrics["per_pair"])  # heads that read a modifier whole
    assert cli("evaluate", tmp_path / "set" / "pairs.csv") == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "with words" in out and "audio only" in out and "R@10" in out and "target_1.wav" not in out
    assert "proposed" not in out and "baseline" not in out  # trial 55: words a designer does not use
    assert "0file [" not in captured.err  # no empty bar ("0file [00:00, ?file/s]") before the files are counted
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--per-pair") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:8] == ["line", "words", "audio", "text", "[read", "as]", "->", "target"]
    assert "first with the words instead" in lines[0]
    assert sum("more rain -> target_" in line for line in lines) == 3  # these heads read the words whole
    rows[1] = f"{clips[1].name},,target_1.wav"  # trial 56: a pair with no words was used unsaid
    (tmp_path / "set" / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    assert cli("evaluate", tmp_path / "set" / "pairs.csv") == 0
    assert "note: 1 pair has no words: ranked as audio only in both rows" in capsys.readouterr().out
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--json") == 0
    assert json.loads(capsys.readouterr().out)["no_words"] == 1
    assert not any("|  " in line for line in lines[1:])  # every target first: nothing came first instead
    rows[2] = f"{clips[2].name},add a kettle,target_2.wav"  # trials 57-58: scored with nothing said
    (tmp_path / "set" / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    assert cli("evaluate", tmp_path / "set" / "pairs.csv") == 0
    out = capsys.readouterr().out
    assert "note: 1 pair's words name a sound Nudge does not know" in out
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--per-pair") == 0  # trial 59: which pair was it?
    assert any("add a kettle" in line and "[unknown: kettle]" in line for line in capsys.readouterr().out.splitlines())


def test_cli_and_service_never_import_qt():
    code = (
        "import sys; import app.cli, app.service, app.evaluate, app.indexer; "
        "app.cli.parse_arguments(['status']); "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'app.ui'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_no_command_opens_the_app(monkeypatch, tmp_path, capsys):
    import types

    calls = []
    fake = types.ModuleType("app.ui")
    fake.run_gui = lambda argv: calls.append(argv) or 0
    monkeypatch.setitem(sys.modules, "app.ui", fake)
    monkeypatch.setenv("NUDGE_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()  # a library that is there (a missing one is an error: test_a_search_with_no_results)
    assert main([]) == 0
    assert main(["--data-dir", str(tmp_path), "--no-audio", "query.wav"]) == 0
    assert main(["--heads", "h.safetensors", "status", "--json"]) == 0  # a command: not the app
    assert json.loads(capsys.readouterr().out)["data_dir"] == str(tmp_path / "data")
    assert calls == [[], ["--data-dir", str(tmp_path), "--no-audio", "query.wav"]]


def test_a_mistyped_command_or_no_display_is_said_and_the_app_not_opened(monkeypatch, tmp_path, capsys):
    import types

    calls = []
    fake = types.ModuleType("app.ui")
    fake.run_gui = lambda argv: calls.append(argv) or 0
    monkeypatch.setitem(sys.modules, "app.ui", fake)
    assert main(["serch", "--query", "x.wav"]) == 2
    assert "unknown command 'serch' (did you mean 'search'?)" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "import", str(tmp_path)]) == 2  # a bare word is no sound file
    assert "unknown command 'import'" in capsys.readouterr().err
    (tmp_path / "serch").write_bytes(b"")  # an existing file of that name is a query for the app
    monkeypatch.chdir(tmp_path)
    assert main(["serch"]) == 0 and calls == [["serch"]]
    assert main(["-platform", "offscreen"]) == 0 and calls[-1] == ["-platform", "offscreen"]  # Qt's own options
    (tmp_path / "-rain.wav").write_bytes(b"")
    assert main(["-rain.wav"]) == 2 and "give ./-rain.wav" in capsys.readouterr().err  # not dropped silently
    assert main(["--", "-rain.wav"]) == 0
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["--no-audio"]) == 2 and len(calls) == 3
    assert "no display to open the app on" in capsys.readouterr().err
    import app.cli_launch as launch

    monkeypatch.setattr(launch, "x11_answers", lambda display: display == ":99")
    monkeypatch.setenv("DISPLAY", ":99")
    assert main(["--no-audio"]) == 0
    monkeypatch.setenv("DISPLAY", ":87")  # set, but no server there: Qt would abort (exit 134)
    assert main(["--no-audio"]) == 2 and len(calls) == 4
    assert "no display answers at DISPLAY=:87" in capsys.readouterr().err
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # a platform chosen: Qt's to try
    assert main(["--no-audio"]) == 0


def test_a_display_is_checked_by_connecting_to_it(tmp_path):
    import socket

    from app.cli_launch import wayland_answers, x11_answers

    assert not x11_answers(":4321")  # no X server has that display
    assert not wayland_answers("wayland-9", str(tmp_path))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "wayland-1"))
        server.listen(1)
        assert wayland_answers("wayland-1", str(tmp_path)) and wayland_answers(str(tmp_path / "wayland-1"), "")


def test_the_reading_is_printed_when_it_is_not_the_words_as_typed(capsys):
    from app.cli_search_output import print_results

    print_results([], ["add dog barking"], [], listing_moments=False, empty="no results")
    assert 'modifier read as "add dog barking"' in capsys.readouterr().err
    print_results([], ["add dog barking", "make the rain louder"], [], listing_moments=False)
    assert 'modifier read as 2 edits: "add dog barking" + "make the rain louder"' in capsys.readouterr().err
    parts = ["same but distant", "like a firefight down the street"]  # trial 45: "read as 2 edits", then no edit
    print_results([], parts, ["no edit read in these words (...); they steer the search as typed"], False)
    assert ('modifier kept as typed in 2 parts: "same but distant" + "like a firefight down the street"'
            in capsys.readouterr().err)
    mixed = ["lose the water (as typed: no edit read)", "add crowd"]  # trial 46: "read as 2 edits" over one
    print_results([], mixed, [], False)
    assert ('modifier read as 1 edit and 1 part kept as typed: "lose the water (as typed: no edit read)" + "add crowd"'
            in capsys.readouterr().err)


def test_rows_the_words_left_in_place_are_not_said_to_be_ordered_by_the_edits(capsys):
    """Trial 58: "the words changed little: all 4 results are the same as without them" beside "the first 4 results
    are ordered by reading the words' edits ..., not by match alone"."""
    from types import SimpleNamespace

    from app.cli_search_output import print_results
    from app.search_result import SearchResult

    def rows(n: int) -> list[SearchResult]:
        record = SimpleNamespace(display="/lib/a.wav", tags=(), duration=10.0)
        return [SearchResult(Path(f"/lib/{i}.wav"), 0.9 - i / 10, i + 1, record, reranked=True) for i in range(n)]

    print_results(rows(4), [], [], False, in_order=4)
    assert "ordered by reading the words' edits" not in capsys.readouterr().err
    print_results(rows(4), [], [], False, in_order=2)
    assert "the first 4 results are ordered by reading the words' edits" in capsys.readouterr().err
    print_results(rows(4), [], [], False)
    assert "the first 4 results are ordered by reading the words' edits" in capsys.readouterr().err


def test_status_names_the_files_an_earlier_model_indexed(cli, tmp_path, monkeypatch, capsys):
    from tests.helpers import make_random_heads

    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    monkeypatch.setenv("NUDGE_HEADS", str(make_random_heads(tmp_path / "other.safetensors", seed=1)))
    capsys.readouterr()
    assert cli("status") == 0
    out = capsys.readouterr().out
    assert "0 indexed" in out and "3 to re-index" in out and "main.py index" in out
    assert cli("status", "--json") == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 3
    assert cli("index") == 0
    capsys.readouterr()
    assert cli("status") == 0
    out = capsys.readouterr().out
    assert "3 indexed" in out and "re-index" not in out


def test_marks_and_moments_that_would_be_ignored_are_refused(cli, tmp_path, capsys):
    """A --more-like / --less-like / --moments file the library has not indexed, or a mark's range past the file's
    end, stops the search with the reason instead of giving the unmarked results (a newcomer trial found them
    ignored silently)."""
    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    query, other = tmp_path / "lib" / "clip_000.wav", tmp_path / "lib" / "clip_001.wav"
    outside = tmp_path / "outside.wav"
    shutil.copy(other, outside)
    capsys.readouterr()
    assert cli("search", "--query", query, "--more-like", tmp_path / "nothere.wav") == 2
    assert "--more-like: no such file" in capsys.readouterr().err
    assert cli("search", "--query", query, "--less-like", outside) == 2
    assert "--less-like: not a file of the library" in capsys.readouterr().err
    assert cli("search", "--query", query, "--more-like", f"{other}@9:00-9:10") == 2
    assert "begins after the end of" in capsys.readouterr().err
    assert cli("search", "--query", query, "--moments", outside) == 2
    assert "--moments: not a file of the library" in capsys.readouterr().err
    assert cli("search", "--query", query, "--more-like", other, "--top", "2") == 0
    assert capsys.readouterr().err == "marked more like this (the query moves toward them): clip_001.wav\n"
    # trial 53: the text output said nothing of the marks, and one file marked both ways was taken silently
    assert cli("search", "--query", query, "--less-like", other, "--top", "2") == 0
    assert "marked less like this (the query moves away, and they are left out of the results): clip_001.wav" in \
        capsys.readouterr().err
    assert cli("search", "--query", query, "--more-like", other, "--less-like", other) == 2
    assert "--more-like and --less-like both mark" in capsys.readouterr().err


def test_index_of_a_file_and_remove_of_an_unknown_folder_say_so(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib" / "clip_000.wav") == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("remove", tmp_path / "elsewhere") == 2
    err = capsys.readouterr().err
    assert "not a library folder; nothing removed" in err and str(tmp_path / "lib") in err
    assert cli("status") == 0 and "2 indexed" in capsys.readouterr().out
    assert cli("remove", tmp_path / "lib") == 0


def test_out_of_range_numbers_are_usage_errors(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    query = tmp_path / "lib" / "clip_000.wav"
    for option, value in (("--top", "0"), ("--top", "-3"), ("--strength", "-2"), ("--strength", "nan"),
                          ("--offset", "-3"), ("--min-duration", "-1"), ("--max-duration", "inf"), ("--min-sr", "-8")):
        with pytest.raises(SystemExit) as exit_info:
            cli("search", "--query", query, option, value)
        assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "give 1 or more" in err and "not a length in seconds" in err
    assert cli("search", "--query", query, "--min-duration", "10", "--max-duration", "2") == 2
    assert "--min-duration 10 is above --max-duration 2: no file is both" in capsys.readouterr().err


def test_a_scope_folder_that_is_not_on_disk_is_named(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib" / "drive", 2)
    make_clips(tmp_path / "lib" / "local", 2, start=5)
    assert cli("index", tmp_path / "lib") == 0
    shutil.rmtree(tmp_path / "lib" / "drive")
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "local" / "clip_005.wav", "--folder",
               tmp_path / "lib" / "drive") == 0
    assert "is not on disk (a drive unplugged, moved or deleted)" in capsys.readouterr().err
    assert cli("search", "--query", tmp_path / "lib" / "local" / "clip_005.wav", "--folder",
               tmp_path / "lib" / "drive", "--modify", "add thunder") == 0
    err = capsys.readouterr().err  # trial 58: the tip to find thunder on its own in that folder found nothing too
    assert "is not on disk" in err and "without the query sound" not in err


def test_a_query_range_past_the_end_names_the_files_length(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--range", "9:00-9:10") != 0
    assert "a range past its end" in capsys.readouterr().err
    paths = make_clips(tmp_path / "long", 1, seconds=12.0)  # a range ending past the end: searched to it, said
    assert cli("index", tmp_path / "long") == 0
    capsys.readouterr()
    assert cli("search", "--query", paths[0], "--range", "0:02-0:30", "--top", "1") == 0
    assert "the range ends past the query file's end (0:12.0): searched 0:02.0-0:12.0" in capsys.readouterr().err
    assert cli("search", "--query", paths[0], "--range", "0:02-0:10", "--top", "1") == 0
    err = capsys.readouterr().err
    assert "past the query file's end" not in err and "too little of it" not in err
    assert cli("search", "--query", paths[0], "--range", "0:02-0:02.1", "--top", "1") == 0  # trial 59: unsaid
    assert "the query part is only 0.10 s long: Nudge hears too little of it" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:  # a trial's typo: a traceback before
        cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--range", "0:40-0:30")
    assert exit_info.value.code == 2 and "'0:40-0:30' ends before it starts" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:  # trial 57: "'5-5' ends before it starts"
        cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--range", "5-5")
    assert exit_info.value.code == 2 and "'5-5' is empty (it ends where it starts)" in capsys.readouterr().err
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--query-start", "4", "--query-end", "3") == 2
    assert "--query-end must come after --query-start" in capsys.readouterr().err
    assert cli("search", "--query", paths[0], "--query-start", "2", "--top", "1", "--json") == 0  # trial 58: refused
    assert json.loads(capsys.readouterr().out)["query_range"] == [2.0, pytest.approx(12.0, abs=0.01)]  # to its end
    assert cli("search", "--query", paths[0], "--query-start", "0:30", "--top", "1") == 2
    assert "--query-start 0:30.0 is past the query file's end (0:12.0)" in capsys.readouterr().err


def test_a_keyword_search_says_its_score_is_a_text_match(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--keyword", "clip", "--top", "1") == 0
    captured = capsys.readouterr()
    assert "+1.000" in captured.out and "the score is a text match, not a sound match" in captured.err


def test_evaluate_lists_why_no_pair_could_be_evaluated_a_line_each(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    query = tmp_path / "lib" / "clip_000.wav"
    rows = [f"{query},add thunder,{tmp_path / f'gone_{i}.wav'}" for i in range(7)]
    (tmp_path / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    capsys.readouterr()
    assert cli("evaluate", tmp_path / "pairs.csv", "--gallery", "library") == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-7] == "error: no pair could be evaluated:"
    assert all(line.startswith("  line ") for line in lines[-6:-1]) and lines[-1] == "  ... and 2 more"


def test_a_level_change_of_it_needs_a_query_sound(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--modify", "make it quieter") == 2
    assert "changes the level of the query sound or keeps it, and there is none" in capsys.readouterr().err
    assert cli("search", "--modify", "make the rain quieter", "--top", "1") == 0  # a named sound: found on its own


def test_words_alone_json_reading_names_a_captions_scene_as_the_text_does(cli, tmp_path, capsys):
    """A trial: stderr said "dog barking and rain", --json's reading only "add dog barking"."""
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--modify", "a dog barking in the rain", "--top", "1", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    reading = " and ".join(out["reading"])  # the test heads embed the whole reading at once
    assert out["edits"] == out["reading"] and "add dog barking" in reading and "add rain" in reading
    assert "words read as the sounds: dog barking and rain" in out["notes"]


def test_status_failures_lists_missing_files_too_with_their_status(cli, tmp_path, capsys):
    """Missing files were counted but never listed (a messy-library trial); each line says failed or missing and
    its reason without the path again."""
    make_clips(tmp_path / "lib", 3)
    (tmp_path / "lib" / "empty.wav").write_bytes(b"")
    assert cli("index", tmp_path / "lib") == 0
    (tmp_path / "lib" / "clip_001.wav").unlink()
    assert cli("index") == 0
    capsys.readouterr()
    assert cli("status", "--failures") == 0
    out = capsys.readouterr().out
    assert "empty.wav (failed): it is empty (0 bytes)" in out
    assert "clip_001.wav (missing): not found at the last import (moved, renamed or deleted)" in out
    for flags in (("--failures", "--json"), ("--json",)):  # trial 43: --json alone listed none beside "failed": 1
        assert cli("status", *flags) == 0
        statuses = {Path(f["path"]).name: f["status"] for f in json.loads(capsys.readouterr().out)["failures"]}
        assert statuses == {"empty.wav": "failed", "clip_001.wav": "missing"}, flags


def test_a_reader_that_stops_early_is_no_error(tmp_path, heads_path):
    """`main.py search ... --json | head -2` printed "error: Broken pipe: check free disk space" and a traceback."""
    make_clips(tmp_path / "lib", 40)
    env = {**os.environ, "NUDGE_HEADS": str(heads_path)}
    run = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data")]
    subprocess.run([*run, "index", str(tmp_path / "lib"), "--workers", "0"], env=env, check=True, capture_output=True)
    search = subprocess.Popen([*run, "search", "--query", str(tmp_path / "lib" / "clip_000.wav"), "--top", "39",
                               "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    search.stdout.close()  # the reader is gone before the first line is written
    assert search.wait(timeout=120) == 0
    err = search.stderr.read().decode()
    assert "Broken pipe" not in err and "Traceback" not in err


def test_an_empty_path_argument_is_refused_not_read_as_the_current_folder(cli, tmp_path, capsys, monkeypatch):
    """`main.py index "$SFX_DIR"` with the variable unset imported the working folder; `remove ""` forgot it."""
    make_clips(tmp_path / "lib", 2)
    monkeypatch.chdir(tmp_path / "lib")
    for args in (("index", ""), ("remove", ""), ("search", "--query", ""), ("search", "--query", tmp_path / "lib" /
                 "clip_000.wav", "--more-like", " ")):
        with pytest.raises(SystemExit) as exit_info:
            cli(*args)
        assert exit_info.value.code == 2, args
        assert "an empty path (an unset variable in a script?)" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # nothing was imported, nothing made


def test_global_options_work_after_the_command_and_a_wrong_argument_shows_that_commands_usage(tmp_path, heads_path,
                                                                                             monkeypatch, capsys):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    make_clips(tmp_path / "lib", 2)
    data = str(tmp_path / "data")
    assert main(["index", str(tmp_path / "lib"), "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["status", "--json", "--data-dir", data]) == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 2
    with pytest.raises(SystemExit) as exit_info:  # a natural first guess at the search syntax
        main(["--data-dir", data, "search", str(tmp_path / "lib" / "clip_000.wav"), "--text", "add thunder"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.startswith("usage: main.py search")
    assert "give the query sound with --query FILE and the words with --modify WORDS" in err


def test_a_scope_folder_outside_the_library_is_said_so(cli, tmp_path, capsys, monkeypatch):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    query = tmp_path / "lib" / "clip_000.wav"
    assert cli("search", "--query", query, "--folder", "tones") == 2  # a relative typo: never a library folder
    err = capsys.readouterr().err
    assert "--folder" in err and "tones is not a library folder nor inside one" in err and "unplugged" not in err
    assert cli("search", "--query", query, "--folder", "lib") == 0  # relative, inside the library: fine


def test_json_output_stays_json_for_refusals_and_argument_errors(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    query = tmp_path / "lib" / "clip_000.wav"
    capsys.readouterr()
    assert cli("search", "--modify", "make it quieter", "--json") == 2
    assert "changes the level of the query sound" in json.loads(capsys.readouterr().out)["error"]
    assert cli("search", "--json") == 2 and "search needs --query" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit) as exit_info:
        cli("search", "--query", query, "--top", "0", "--json")
    assert exit_info.value.code == 2 and "give 1 or more" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit):  # without --json: the usage on stderr only, stdout stays empty
        cli("search", "--query", query, "--top", "0")
    assert capsys.readouterr().out == ""


def test_search_says_when_the_words_left_the_first_results_in_place(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 12)
    assert cli("index", tmp_path / "lib") == 0
    query = tmp_path / "lib" / "clip_000.wav"
    capsys.readouterr()
    assert cli("search", "--query", query, "--modify", "add thunder", "--strength", "0.000001", "--top", "10") == 0
    assert "the words changed little: the first 10 results are the same as without them" in capsys.readouterr().err
    assert cli("search", "--query", query, "--modify", "add thunder", "--strength", "0.000001", "--json") == 0
    assert json.loads(capsys.readouterr().out)["first_same_without_words"] == 10
    assert cli("search", "--query", query, "--modify", "add thunder", "--strength", "0.000001", "--top", "3") == 0
    assert "all 3 results are the same as without them" in capsys.readouterr().err  # a small page: all compared


def test_status_during_an_import_says_one_runs_not_that_one_stopped(cli, tmp_path, capsys):
    from app.import_lock import import_lock

    make_clips(tmp_path / "lib", 2)
    assert cli("index", tmp_path / "lib") == 0
    from app.db import LibraryDB

    db = LibraryDB(tmp_path / "data")
    db.set_import_unfinished(True)  # as an import under way leaves it until its end
    db.close()
    capsys.readouterr()
    with import_lock(tmp_path / "data"):  # another process's import holds the lock
        assert cli("status") == 0
        out = capsys.readouterr().out
        assert "an import is running now" in out and "the last import stopped" not in out
        assert cli("status", "--json") == 0
        state = json.loads(capsys.readouterr().out)
        assert state["import_running"] and not state["import_unfinished"]
    assert cli("status") == 0  # the lock let go with the flag still set: it stopped midway
    out = capsys.readouterr().out
    assert "the last import stopped" in out and "an import is running now" not in out


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_full_disk_is_said_as_such_without_a_traceback(tmp_path, heads_path):
    """`> /dev/full`: the --json error document failed again with a traceback, and the message blamed the library
    folder although `index` had imported everything."""
    make_clips(tmp_path / "lib", 2)
    env = {**os.environ, "NUDGE_HEADS": str(heads_path)}
    data = str(tmp_path / "data")
    for args in (["index", str(tmp_path / "lib")], ["status", "--json"]):
        with open("/dev/full", "w") as full:
            run = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", data, *args], stdout=full,
                                 stderr=subprocess.PIPE, text=True, env=env, timeout=120, cwd=ROOT)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert "cannot write the output (standard output): No space left on device" in run.stderr
        assert ("changed in the library is kept" in run.stderr) == (args[0] == "index")  # status changes nothing
    status = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", data, "status"], env=env,
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "2 indexed" in status.stdout  # the import itself went through


def test_no_results_says_when_the_library_folders_are_not_on_disk():
    from types import SimpleNamespace

    from app.cli_search_output import no_results_reason

    def counts(**kw):
        return SimpleNamespace(**({"indexed": 36, "missing": 0, "pending": 0, "offline": 0, "failed": 0} | kw))

    assert no_results_reason(counts(offline=36), False, True).startswith(
        "no results: 36 of the 36 indexed files are in a library folder not on disk")
    assert "files are missing" in no_results_reason(counts(indexed=0, missing=800), False, True)
    assert no_results_reason(counts(indexed=0), False, True).startswith("no results: the library is empty")
    assert no_results_reason(counts(), False, True) == "no results: none among the 36 indexed files"


def test_an_empty_data_dir_variable_is_refused_not_the_users_own_library(monkeypatch, capsys):
    """`NUDGE_DATA_DIR= main.py ...` opened the real default library, while --data-dir "" was refused."""
    monkeypatch.setenv("NUDGE_DATA_DIR", "")
    assert main(["status"]) == 1
    assert "NUDGE_DATA_DIR is set but empty" in capsys.readouterr().err


def test_strength_0_says_the_words_count_for_nothing(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--modify", "add thunder", "--strength", "0",
               "--top", "2") == 0
    assert "strength 0: the words count for nothing here" in capsys.readouterr().err


def test_printed_moment_times_are_to_a_tenth_as_the_app_shows_them():
    """The CLI rounded to whole seconds: a printed range given back to --more-like marked another moment."""
    from app.cli_parser import seconds
    from app.cli_search_output import clock

    assert (clock(124.8), clock(139.7), clock(3662.34)) == ("2:04.8", "2:19.7", "1:01:02.3")
    assert seconds(clock(124.8)) == pytest.approx(124.8)


def test_results_left_out_or_changed_since_the_import_are_said(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 4)
    assert cli("index", tmp_path / "lib") == 0
    (tmp_path / "lib" / "clip_002.wav").unlink()
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--top", "5") == 0
    err = capsys.readouterr().err
    assert "1 result left out: its file is gone since the last import (main.py index to update the library)" in err
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--top", "5", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["left_out_gone"] == 1 and not any(r["changed_since_import"] for r in out["results"])
    make_clips(tmp_path / "drive", 2, start=10)  # a folder unplugged since its import: said apart (a trial's --json
    assert cli("index", tmp_path / "drive") == 0  # gave 0 left out while its notes said 1)
    (tmp_path / "drive").rename(tmp_path / "unplugged")
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--top", "5", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["left_out_gone"], out["left_out_offline"], out["lowered_out_of_view"]) == (1, 2, 0)  # no words
    assert out["lowered_takes"] == []


def test_remove_missing_before_a_rescan_says_how_deleted_files_are_found(cli, tmp_path, capsys):
    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    (tmp_path / "lib" / "clip_001.wav").unlink()
    capsys.readouterr()
    assert cli("remove", "--missing") == 0  # a trial: "0 missing files dropped", right after deleting one
    assert "are found missing by `main.py index` first" in capsys.readouterr().out
    assert cli("index") == 0 and cli("remove", "--missing") == 0
    out = capsys.readouterr().out
    assert "1 missing file dropped from the index (its stars and tags come back if it does)" in out  # trial 58
    assert "found missing by" not in out


def test_the_reading_is_printed_before_the_notes_that_follow_from_it(capsys):
    """A trial read "dog on its own, without the query sound: ..." before the reading it depends on."""
    from app.cli_search_output import print_results

    print_results([], ["add dog barking"], ["dog barking on its own, without the query sound: main.py search ..."],
                  listing_moments=False)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == 'modifier read as "add dog barking"' and lines[1].startswith("dog barking on its own")


def test_a_named_file_note_gives_the_path_to_search_more_like_and_json_keeps_the_rest(cli, tmp_path, capsys,
                                                                                      monkeypatch):
    """A trial: the note gave base names only ("gull1.wav, gull2.wav, gull4.wav and 1 more"), no command, and
    gull5.wav nowhere."""
    from app.named_files import NamedForItNote
    from app.service import SearchService

    paths = make_clips(tmp_path / "lib gulls", 5)
    assert cli("index", tmp_path / "lib gulls") == 0
    note = NamedForItNote("seagulls", 1, 4, tuple(paths[1:4]), others=(paths[4],))
    monkeypatch.setattr(SearchService, "named_sound_notes", lambda self, text, shown, exclude=(): [note])
    capsys.readouterr()
    assert cli("search", "--query", paths[0], "--modify", "add seagulls", "--top", "1") == 0
    err = capsys.readouterr().err
    line = next(s for s in err.splitlines() if s.startswith("to search more like"))
    assert line.startswith(f"to search more like {paths[1].name}, run the same search with --more-like ")
    assert shlex.split(line.split("--more-like ", 1)[1])[0] == str(paths[1])  # quoted: the folder has a space
    assert cli("search", "--query", paths[0], "--modify", "add seagulls", "--top", "1", "--json") == 0
    holds = json.loads(capsys.readouterr().out)["library_holds"]
    assert holds[0]["examples"] == [str(p) for p in paths[1:4]] and holds[0]["others"] == [str(paths[4])]


def test_a_query_file_named_with_a_leading_dash_is_read_as_the_file(cli, tmp_path, capsys, monkeypatch):
    """Trial 43: `search --query -leading-dash.ogg` stopped with argparse's "expected one argument"."""
    import shutil

    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    monkeypatch.chdir(tmp_path / "lib")
    shutil.copy("clip_000.wav", "-dash.wav")
    capsys.readouterr()
    assert cli("search", "--query", "-dash.wav", "--top", "2", "--json") == 0
    assert json.loads(capsys.readouterr().out)["query"].endswith("-dash.wav")
    with pytest.raises(SystemExit):  # not a file: still an option that is missing its value
        cli("search", "--query", "-nothing.wav")


def test_words_alone_name_the_library_files_named_for_the_sound(cli, tmp_path, capsys, monkeypatch):
    """Trial 43: `search --modify footsteps` ranked the first of 24 footstep files 12th and named none of them. The
    files named for the sound now come first (IndexConfig.words_alone_named); without that, a note names them."""
    import functools
    import shutil

    from app.config import IndexConfig

    paths = make_clips(tmp_path / "lib", 4)
    for i in range(3):
        shutil.copy(paths[i], tmp_path / "lib" / f"dog_bark_{i}.wav")
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--modify", "dog barking", "--top", "3", "--json") == 0
    first = [Path(r["path"]).name for r in json.loads(capsys.readouterr().out)["results"]]
    assert sorted(first) == ["dog_bark_0.wav", "dog_bark_1.wav", "dog_bark_2.wav"]
    monkeypatch.setattr("app.service.IndexConfig", functools.partial(IndexConfig, words_alone_named=False))
    assert cli("search", "--modify", "dog barking", "--top", "1", "--json") == 0
    holds = json.loads(capsys.readouterr().out)["library_holds"]
    named = [Path(p).name for h in holds for p in [*h["examples"], *h.get("others", [])]]
    assert holds and holds[0]["sound"] == "dog barking"
    assert len(named) >= 2 and all(n.startswith("dog_bark") for n in named)
    assert cli("search", "--modify", "dog barking", "--top", "1") == 0
    said = capsys.readouterr().err  # trial 48: nothing said how to keep only them
    assert "to keep only files whose paths or tags say dog, run the same search with --keyword dog" in said
    assert cli("search", "--modify", "dog barking", "--keyword", "dog", "--top", "5") == 0
    kept = [line.split()[-1] for line in capsys.readouterr().out.splitlines() if line.strip()[:1].isdigit()]
    assert kept and all(Path(p).name.startswith("dog_bark") for p in kept)  # the suggestion keeps them


def test_a_query_file_cut_short_or_changed_since_the_import_is_said(cli, tmp_path, capsys):
    """Trial 53: a library file cut to 2,000 bytes after its import was searched with no word, and gave junk; it is
    now searched with the sound stored at the import, and a file changed since is said so."""
    paths = make_clips(tmp_path / "lib", 4, seconds=2.0, stereo_every=0)
    assert cli("index", tmp_path / "lib") == 0
    query = paths[1]
    capsys.readouterr()
    assert cli("search", "--query", query, "--top", "3") == 0
    before = capsys.readouterr()
    assert "cut short" not in before.err and "changed on disk" not in before.err
    query.write_bytes(query.read_bytes()[:2000])  # the header still promises 2 s
    assert cli("search", "--query", query, "--top", "3") == 0
    cut = capsys.readouterr()
    assert cut.out == before.out  # the sound stored at the import
    assert "the query file is cut short (an interrupted copy?): its header promises 2.0 s" in cut.err
    assert "searched with the sound stored when it was imported" in cut.err
    shutil.copy(paths[2], paths[3])  # a whole file, another sound
    assert cli("search", "--query", paths[3], "--top", "3") == 0
    assert "the query file changed on disk since the import: searched with the sound in it now" in \
        capsys.readouterr().err


def test_a_result_imported_in_part_says_so(cli, tmp_path, capsys):
    """Trial 62: a damaged take (0.77 s of 119.6 s imported) came second with a flat waveform and nothing said."""
    from app.search_result import SearchResult
    from app.ui.file_columns import name_text

    paths = make_clips(tmp_path / "lib", 4, seconds=2.0, stereo_every=0)
    paths[2].write_bytes(paths[2].read_bytes()[:40000])  # cut short before the import: imported with a note
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", paths[0], "--top", "4", "--include-query") == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 4
    assert [paths[2].name in row for row in rows] == ["(imported in part" in row for row in rows]
    assert cli("search", "--query", paths[0], "--top", "4", "--json") == 0
    found = {Path(r["path"]).name: r["imported_in_part"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert found[paths[2].name] and not found[paths[1].name]
    from app.db import LibraryDB

    db = LibraryDB(tmp_path / "data")
    record = db.record(paths[2])
    assert record.error and name_text(record) == f"{paths[2].name}  (imported in part)"
    assert SearchResult(paths[2], 0.5, 1, record).imported_in_part
    assert name_text(db.record(paths[1])) == paths[1].name and not SearchResult(paths[1], 0.5, 1, db.record(paths[1])
                                                                                 ).imported_in_part
    db.close()


def test_a_query_file_damaged_part_way_is_said(cli, tmp_path, capsys):
    """Trial 63: a FLAC cut short (not in the library) was searched with nothing said, where a cut WAV is."""
    import soundfile as sf

    from tests.library_helpers import clip

    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    whole = tmp_path / "query name is odd.flac"
    sf.write(str(whole), clip(7, 8.0), 16000)
    cut = tmp_path / "cut is short.flac"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    capsys.readouterr()
    assert cli("search", "--query", whole, "--top", "2") == 0
    assert "damaged" not in capsys.readouterr().err
    assert cli("search", "--query", cut, "--top", "2") == 0
    said = capsys.readouterr().err
    assert "the query file is damaged after " in said and "of its 8.0 s (an interrupted copy?): the " in said
    assert "s before were searched" in said and "query name" not in said


def test_index_moved_from_locates_a_renamed_library_folder(cli, tmp_path, capsys):
    """Trial 63: `index NEW` after renaming the library folder embedded every file again and left its tags behind."""
    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    (tmp_path / "lib").rename(tmp_path / "renamed")
    capsys.readouterr()
    assert cli("index") == 0  # the rescan says how to locate it
    assert f"moved or renamed? main.py index NEW_PLACE --moved-from {tmp_path / 'lib'}" in capsys.readouterr().err
    assert cli("index", tmp_path / "renamed", tmp_path / "lib", "--moved-from", tmp_path / "lib") == 2
    assert "--moved-from OLD goes with one folder" in capsys.readouterr().err
    assert cli("index", tmp_path / "renamed", "--moved-from", tmp_path / "renamed") == 2
    assert "is not a library folder" in capsys.readouterr().err
    assert cli("index", tmp_path / "renamed", "--moved-from", tmp_path / "lib") == 0
    out = capsys.readouterr()
    assert f"3 files of {tmp_path / 'lib'} followed it to {tmp_path / 'renamed'} (vectors, stars and tags kept)" \
        in out.err
    assert "0 added, 0 updated, 3 unchanged" in out.out and "Library: 3 indexed, 0 failed, 0 missing" in out.out


def test_punctuation_alone_is_no_words(cli, tmp_path, capsys):
    """Trial 63: --modify "!!!???" changed the ranking as words would, and searched words alone with no query."""
    paths = make_clips(tmp_path / "lib", 4, seconds=2.0, stereo_every=0)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", paths[0], "--top", "3") == 0
    plain = capsys.readouterr().out
    assert cli("search", "--query", paths[0], "--modify", "!!!???...;;;", "--top", "3") == 0
    marked = capsys.readouterr()
    assert marked.out == plain and "no edit read" not in marked.err
    assert cli("search", "--modify", "!!!", "--top", "3") == 2  # nothing to search with
    assert "search needs --query FILE" in capsys.readouterr().err


def test_the_words_alone_command_keeps_the_search_scope():
    """Trial 53: the suggested "thunder on its own" command kept --folder and dropped --min-sr and --max-duration."""
    from argparse import Namespace

    from app.cli_search_notes import alone_command

    args = Namespace(data_dir=Path("/tmp/d"), heads=None, folder=Path("/lib"), keyword="", min_duration=None,
                     max_duration=15.0, min_sr=44100)
    command = alone_command(args, ["thunder"])
    assert command.endswith("search --folder /lib --max-duration 15 --min-sr 44100 --modify thunder")
    assert "--data-dir /tmp/d" in command and "--keyword" not in command


def test_the_app_says_a_keyword_is_inside_words(tmp_path, encoder):
    from app.scope import SearchScope
    from app.ui.session import empty_reason
    from tests.library_helpers import imported_library

    svc, _ = imported_library(tmp_path, encoder, 2)
    said = empty_reason(svc, SearchScope("ip_00"), query_excluded=False)
    assert said == ("no file in the scope has a word beginning with “ip_00”, but 2 files hold it inside a word "
                    "(clip_000.wav, clip_001.wav): type *ip_00 to match it anywhere")
    assert "passes the scope" in empty_reason(svc, SearchScope("*zzz"), query_excluded=False)
    svc.close()


def test_the_sounds_to_find_on_their_own_are_listed_as_a_sentence(cli, tmp_path, capsys):
    """Trial 55: "thunder and birds and dog barking on its own, without the query sound"."""
    make_clips(tmp_path / "lib", 3)
    assert cli("index", tmp_path / "lib") == 0
    query = tmp_path / "lib" / "clip_000.wav"
    capsys.readouterr()
    assert cli("search", "--query", query, "--modify", "add thunder, birds and a dog") == 0
    assert "thunder, birds and dog barking on their own, without the query sound: " in capsys.readouterr().err
    assert cli("search", "--query", query, "--modify", "add thunder") == 0
    assert "thunder on its own, without the query sound: " in capsys.readouterr().err


def test_a_sound_named_alone_with_a_query_says_it_is_read_as_added():
    """Trial 58: --query rain_bed.wav --modify "car horn" was read as "add car horn" with no line saying so (the words
    could as well have meant more of it, or the sound on its own)."""
    from app.service_model import reading_differs

    assert reading_differs(["add car horn"], "car horn") and reading_differs(["add car horn"], "Car horns")
    assert not reading_differs(["add car horn"], "Add a car horn.")
    assert not reading_differs(["add thunder"], "add thunder")
