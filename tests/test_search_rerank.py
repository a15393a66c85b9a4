"""Search with the moment-by-moment reranking (app.rerank): which searches rerank, the first K reordered and the
rest in cosine order, pages, long takes and unreadable files, the status when off, the CLI's --no-rerank and the
evaluate command."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import app.rerank
from app.config import IndexConfig
from app.rerank import EvidenceCache, RerankState, candidate_seconds, file_evidence
from app.service import SearchService
from model.aligned_rerank import FEATURES, AlignedReranker, PatchEvidence, file_sha256
from model.edits import ADD, KINDS, LOUDER, QUIETER, Edit
from model.patch_evidence import evidence_from_file
from tests.helpers import ReverseReranker, write_wav
from tests.library_helpers import clip, make_clips

WORDS = "add dog bark"  # one edit: add dog


@pytest.fixture(scope="module")
def library(tmp_path_factory, encoder):
    """12 one-second clips, a 6 s clip (short: no windows) and a 40 s take (windows), imported once."""
    root = tmp_path_factory.mktemp("rerank")
    paths = make_clips(root / "lib", 12)
    six = write_wav(root / "lib" / "six_seconds.wav", clip(98, 6.0))
    take = write_wav(root / "lib" / "long_take.wav", clip(99, 40.0))
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([root / "lib"])
    return root, paths, six, take


def open_service(root: Path, encoder, rerank: bool = True, weights: Path | None = None,
                 one_shot: float = 0.0, reach: int = 0) -> SearchService:
    """``one_shot``: IndexConfig.rerank_min_match_short (off here: these 1 s tones are one-shots that sound alike
    only by chance, and the tests are of the reading itself); ``reach``: IndexConfig.rerank_version_reach (off here:
    every 1 s tone is of the query's length, so each would be read as a version from further down)."""
    config = IndexConfig(workers=0, aligned_rerank=rerank, rerank_min_match_short=one_shot,
                         rerank_version_reach=reach)
    return SearchService(root / "data", encoder=encoder, config=config, rerank_weights=weights)


@pytest.fixture
def stub(monkeypatch) -> ReverseReranker:
    """Every service made after this loads the stand-in reranker."""
    reranker = ReverseReranker()
    monkeypatch.setattr("app.rerank_reads.load_reranker",
                        lambda heads, weights=None: (reranker, "stand-in reranking on"))
    return reranker


def names(results) -> list[str]:
    return [r.path.name for r in results]


def test_the_first_k_are_reordered_and_the_rest_keep_cosine_order(library, encoder, stub):
    root, paths, _, _ = library
    with open_service(root, encoder, rerank=False) as off, open_service(root, encoder) as on:
        plain = off.search(paths[0], WORDS, top_k=12)
        reranked = on.search(paths[0], WORDS, top_k=12)
        assert on.rerank_status == "stand-in reranking on" and "turned off" in off.rerank_status
    assert len(plain) == 12 and not any(r.reranked for r in plain)
    assert names(reranked) == names(plain[:5])[::-1] + names(plain[5:])
    assert [r.reranked for r in reranked] == [True] * 5 + [False] * 7
    assert [r.rank for r in reranked] == list(range(1, 13))
    by_name = {r.path.name: r.score for r in plain}
    assert all(r.score == pytest.approx(by_name[r.path.name]) for r in reranked)  # scores stay the cosines
    assert len(stub.calls) == 1 and stub.calls[0][0] == [Edit(ADD, "dog")]
    with open_service(root, encoder, reach=2) as reaching:  # clips of the query's length past K: read all the same
        wider = reaching.search(paths[0], WORDS, top_k=12)
    assert names(wider) == names(plain[:10])[::-1] + names(plain[10:])
    assert [r.reranked for r in wider] == [True] * 10 + [False] * 2


def test_at_strength_0_the_words_reorder_nothing(library, encoder, stub):
    """--help and the slider say the words count for nothing at strength 0: a trial saw an exact copy of the query
    fall out of the top 5 as the reranker still read the words."""
    root, paths, _, _ = library
    with open_service(root, encoder) as on:
        plain = on.search(paths[0], "", top_k=12)
        at_zero = on.search(paths[0], WORDS, strength=0.0, top_k=12)
    assert names(at_zero) == names(plain) and not any(r.reranked for r in at_zero) and stub.calls == []


def test_k_hits_are_fetched_for_a_short_page_and_pages_agree(library, encoder, stub):
    root, paths, _, _ = library
    with open_service(root, encoder, rerank=False) as off, open_service(root, encoder) as on:
        plain = names(off.search(paths[1], WORDS, top_k=12))
        assert names(on.search(paths[1], WORDS, top_k=2)) == [plain[4], plain[3]]  # from the first 5, reordered
        whole = on.search(paths[1], WORDS, top_k=12)
        pages = [r for offset in range(0, 12, 3) for r in on.search(paths[1], WORDS, top_k=3, offset=offset)]
    assert names(pages) == names(whole) and [r.rank for r in pages] == list(range(1, 13))
    assert [r.reranked for r in pages] == [r.reranked for r in whole] == [True] * 5 + [False] * 7


def test_candidates_are_read_from_the_start_and_long_takes_get_none(library, encoder, stub):
    root, paths, six, take = library
    stub.k = 50  # every file
    with open_service(root, encoder, rerank=False) as off, open_service(root, encoder) as on:
        plain = off.search(paths[2], WORDS, top_k=50)
        on.search(paths[2], WORDS, top_k=50)
    (edits, query, candidates), = stub.calls
    assert len(candidates) == len(plain) == 13
    by_name = dict(zip(names(plain), candidates, strict=True))
    assert by_name[take.name] is None  # a long take: its moments share no start with the query
    short = [c for name, c in by_name.items() if name != take.name]
    assert all(isinstance(c, PatchEvidence) and len(c) for c in short)
    assert len(query) <= 2  # the 1 s query clip
    stub.calls.clear()
    with open_service(root, encoder, one_shot=0.99) as gated:  # a one-shot reads only results that sound like it
        gated.search(paths[2], WORDS, top_k=50)
    assert not stub.calls or sum(c is not None for c in stub.calls[0][2]) < len(short)
    whole_six = evidence_from_file(encoder.features.backbone, six)
    assert len(by_name[six.name]) == len(whole_six) > 4  # a 1 s query reads candidates' first 10 s: all 6 s here
    (query_length, lengths), = stub.lengths  # for the length gate: the files' lengths, not the seconds read
    assert query_length == pytest.approx(1.0, abs=0.01)
    by_length = dict(zip(names(plain), lengths, strict=True))
    assert by_length[six.name] == pytest.approx(6.0, abs=0.01) and by_length[take.name] == pytest.approx(40.0, abs=0.01)


def test_candidates_are_read_in_steps_that_cover_the_query_and_a_second() -> None:
    assert candidate_seconds(1.0) == 10.0
    assert candidate_seconds(8.9) == 10.0
    assert candidate_seconds(9.5) == 20.0  # 9.5 s + 1 s
    assert candidate_seconds(60.0) == 70.0
    assert candidate_seconds(0.0) == 10.0


def test_an_unreadable_candidate_gets_none(tmp_path, encoder, stub):
    paths = make_clips(tmp_path / "lib", 4)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
        paths[2].write_bytes(b"RIFF....WAVE" + bytes(64))  # damaged after the import
        results = svc.search(paths[0], WORDS, top_k=10)
    assert len(results) == 3 and all(r.reranked for r in results)
    ((_, _, candidates),) = stub.calls
    assert sum(c is None for c in candidates) == 1 and sum(c is not None for c in candidates) == 2


@pytest.mark.parametrize("query, text", [(0, ""), (0, "xyzzy"), (None, "a dog barking")])
def test_searches_without_a_query_file_or_edits_are_not_reranked(library, encoder, stub, query, text):
    root, paths, _, _ = library
    query = None if query is None else paths[query]
    with open_service(root, encoder, rerank=False) as off, open_service(root, encoder) as on:
        assert names(on.search(query, text, top_k=8)) == names(off.search(query, text, top_k=8))
    assert stub.calls == []


def test_without_usable_weights_search_works_and_says_why(library, encoder, tmp_path):
    root, paths, _, _ = library
    with open_service(root, encoder, rerank=False) as off:
        plain = names(off.search(paths[3], WORDS, top_k=6))
    (tmp_path / "junk.json").write_text("{not json")
    for weights, why in ((tmp_path / "missing.json", "missing"), (tmp_path / "junk.json", "cannot read"),
                         (None, "fitted for other heads")):  # the shipped weights, fitted for the shipped heads
        with open_service(root, encoder, weights=weights) as svc:
            results = svc.search(paths[3], WORDS, top_k=6)
            assert svc.rerank_status.startswith("moment-by-moment reranking off: ") and why in svc.rerank_status
            assert svc.rerank_problem == svc.rerank_status  # said to the user (CLI warning, app status bar)
        assert names(results) == plain and not any(r.reranked for r in results)
    with open_service(root, encoder, rerank=False) as off:
        assert off.rerank_problem == ""  # turned off on purpose: nothing to warn about


def _gain_weights(tmp_path: Path, heads: Path) -> Path:
    """Weights that read only the level change: "louder" wants a gain, "quieter" a loss, far over the cosines."""
    weights = np.zeros((len(KINDS), len(FEATURES)))
    weights[KINDS.index(LOUDER), FEATURES.index("gain")] = 1000.0
    weights[KINDS.index(QUIETER), FEATURES.index("gain")] = -1000.0
    path = tmp_path / "gain_rerank.json"
    AlignedReranker(weights, 20, 0.05, file_sha256(heads)).to_file(path)
    return path


def test_real_evidence_on_generated_audio(tmp_path, encoder, heads_path):
    """The same clip at four gains: "make it louder" puts the louder copies first, "quieter" the quieter ones."""
    gains = {"x0.25": 0.25, "x0.5": 0.5, "x1": 1.0, "x2": 2.0}
    base = clip(5, 2.0)
    for name, gain in gains.items():
        write_wav(tmp_path / "lib" / f"{name}.wav", base * gain)
    query = write_wav(tmp_path / "query.wav", base * 0.7)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc._rerank = RerankState(_gain_weights(tmp_path, heads_path))
        svc.import_folders([tmp_path / "lib"])
        assert svc.rerank_status.startswith("moment-by-moment reranking on")
        louder = [r.path.stem for r in svc.search(query, "make it louder", top_k=4)]
        quieter = [r.path.stem for r in svc.search(query, "make it quieter", top_k=4)]
        svc.config.aligned_rerank = False
        plain = [r.path.stem for r in svc.search(query, "make it louder", top_k=4)]
    assert louder == ["x2", "x1", "x0.5", "x0.25"] and quieter == louder[::-1]
    assert sorted(plain) == sorted(louder)


def test_the_length_gate_reads_only_versions_of_the_query_length(tmp_path, encoder, heads_path):
    """With a length tolerance, a louder copy of another length is not read as a version: it gets the mean of the
    others' evidence, between the same-length copies that the gain weights order."""
    base = clip(5, 2.0)
    for name, gain in {"x0.5": 0.5, "x2": 2.0}.items():
        write_wav(tmp_path / "lib" / f"{name}.wav", base * gain)
    write_wav(tmp_path / "lib" / "x4_longer.wav", np.concatenate([base, base]) * 4.0)  # 4 s, not 2 s
    query = write_wav(tmp_path / "query.wav", base * 0.7)
    plain = _gain_weights(tmp_path, heads_path)
    gated = tmp_path / "gated.json"
    replace(AlignedReranker.from_file(plain), length_tolerance=0.1).to_file(gated)
    found = {}
    for name, weights in (("plain", plain), ("gated", gated)):
        with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0),
                           rerank_weights=weights) as svc:
            svc.import_folders([tmp_path / "lib"])
            found[name] = [r.path.stem for r in svc.search(query, "make it louder", top_k=3)]
    assert found["plain"] == ["x4_longer", "x2", "x0.5"]  # without the gate the loudest file wins, whatever its length
    assert found["gated"] == ["x2", "x4_longer", "x0.5"]
    long_query = write_wav(tmp_path / "long_query.wav", np.concatenate([base] * 4) * 0.7)  # 8 s: no file's length
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0),
                       rerank_weights=gated) as svc:
        results = svc.search(long_query, "make it louder", top_k=3)
        svc.config.aligned_rerank = False
        plain = svc.search(long_query, "make it louder", top_k=3)
    assert [r.path for r in results] == [r.path for r in plain] and not any(r.reranked for r in results)


def test_results_outside_the_length_gate_are_never_run_through_yamnet(tmp_path, encoder, heads_path, monkeypatch):
    """Only the query and the results of its length are read: in a folder of other lengths, no evidence at all."""
    base = clip(6, 2.0)
    write_wav(tmp_path / "lib" / "same.wav", base * 2.0)
    for i, seconds in enumerate((4.0, 6.0, 9.0)):
        write_wav(tmp_path / "lib" / f"other_{i}.wav", clip(7 + i, seconds))
    query = write_wav(tmp_path / "query.wav", base)
    gated = tmp_path / "gated.json"
    replace(AlignedReranker.from_file(_gain_weights(tmp_path, heads_path)), length_tolerance=0.1).to_file(gated)
    read: list[str] = []
    real = app.rerank.whole_file_evidence

    def counting(backbone, path):
        read.append(Path(path).name)
        return real(backbone, path)

    monkeypatch.setattr(app.rerank, "whole_file_evidence", counting)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0),
                       rerank_weights=gated) as svc:
        svc.import_folders([tmp_path / "lib"])
        with svc.db.transaction() as conn:  # evidence kept at import forgotten: every read below would run YAMNet
            conn.execute("DELETE FROM patch_evidence")
        results = svc.search(query, "make it louder", top_k=4)
        assert len(results) == 4 and all(r.reranked for r in results)
        assert read == ["query.wav", "same.wav"]  # other lengths never read
        read.clear()
        results = svc.search(tmp_path / "lib" / "other_2.wav", "make it louder", top_k=4)  # 9 s: no file its length
    assert read == [] and not any(r.reranked for r in results)


def test_evidence_cache_is_bounded_and_follows_the_file(tmp_path, encoder):
    backbone = encoder.features.backbone
    cache = EvidenceCache(entries=2)
    a = write_wav(tmp_path / "a.wav", clip(1, 2.0))
    first = file_evidence(backbone, cache, a, 1.0)
    assert file_evidence(backbone, cache, a, 1.0) is first and len(cache) == 1
    write_wav(a, clip(2, 2.0) * 0.1)  # edited: another size or mtime
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    fresh = file_evidence(backbone, cache, a, 1.0)
    assert fresh is not first and not np.allclose(fresh.levels, first.levels)
    file_evidence(backbone, cache, a, 1.5)
    assert len(cache) == 2  # three entries made, the oldest dropped
    assert file_evidence(backbone, cache, tmp_path / "missing.wav", 1.0) is None


# command line ---------------------------------------------------------------------------------------------------
@pytest.fixture
def cli(tmp_path, heads_path, monkeypatch):
    from app.cli import main

    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    return lambda *args: main(["--data-dir", str(tmp_path / "data"), *map(str, args)])


def test_cli_search_says_whether_it_reranked(cli, tmp_path, capsys, stub):
    make_clips(tmp_path / "lib", 8)
    assert cli("index", tmp_path / "lib") == 0
    query = tmp_path / "lib" / "clip_000.wav"
    capsys.readouterr()
    runs = {}
    for flags in ((), ("--no-rerank",)):
        assert cli("search", "--query", query, "--modify", WORDS, "--top", "7", "--json", *flags) == 0
        runs[flags] = json.loads(capsys.readouterr().out)
    on, off = runs[()], runs[("--no-rerank",)]
    assert on["reranked"] is True and off["reranked"] is False
    assert on["rerank_status"] == "stand-in reranking on" and "off" in off["rerank_status"]
    paths = [r["path"] for r in off["results"]]  # the stand-in reads K = 5, and the 2 past them of the query's
    assert [r["path"] for r in on["results"]] == paths[::-1]  # length as versions (IndexConfig.rerank_version_reach)
    assert [r["reranked"] for r in on["results"]] == [True] * 7
    assert cli("search", "--query", query, "--modify", WORDS, "--top", "3") == 0
    err = capsys.readouterr().err
    assert "the first 3 results are ordered" in err and "warning" not in err
    assert cli("search", "--query", query, "--modify", WORDS, "--top", "1") == 0
    assert "the first result is ordered by reading" in capsys.readouterr().err  # not "the first 1 results"
    assert cli("search", "--query", query, "--top", "3", "--json") == 0  # no words: the status says it is not used
    assert json.loads(capsys.readouterr().out)["rerank_status"].startswith("not used: no words that name an edit")


def test_cli_evaluate_reranks_the_proposed_ranks(cli, tmp_path, capsys, stub):
    stub.k = 3
    clips = make_clips(tmp_path / "set", 3)
    for i, c in enumerate(clips):
        shutil.copyfile(c, tmp_path / "set" / f"target_{i}.wav")  # the query's twin: first by cosine
    rows = [f"{c.name},{WORDS},target_{i}.wav" for i, c in enumerate(clips)]
    (tmp_path / "set" / "pairs.csv").write_text("query_path,text,target_path\n" + "\n".join(rows) + "\n")
    runs = {}
    for flags in ((), ("--no-rerank",)):
        assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--strength", "0.01", "--json", *flags) == 0
        runs[flags] = json.loads(capsys.readouterr().out)
    on, off = runs[()], runs[("--no-rerank",)]
    assert off["reranked"] is False and off["proposed_R@1"] == 1.0
    assert on["reranked"] is True and on["proposed_R@1"] == 0.0  # the stand-in puts the twin last of 3
    assert [p["rank"] for p in on["per_pair"]] == [3, 3, 3] and on["baseline_R@1"] == 1.0
    assert len(stub.calls) == 3
    # what search would show first: reordered with the words, the twin audio only
    assert all(p["first"] != p["target"] == p["audio_only_first"] for p in on["per_pair"])
    assert all(p["first"] == p["target"] for p in off["per_pair"])
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--strength", "0.01") == 0
    assert "with words: stand-in reranking on" in capsys.readouterr().out
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--strength", "0.01", "--per-pair") == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if f"{WORDS} -> target_" in line]
    assert len(lines) == 3 and all(line.split("|  ")[1].strip() != line.split(" -> ")[1].split()[0] for line in lines)
    assert cli("evaluate", tmp_path / "set" / "pairs.csv", "--strength", "0", "--json") == 0  # words count nothing
    at_zero = json.loads(capsys.readouterr().out)
    assert at_zero["reranked"] is False and at_zero["proposed_R@1"] == 1.0 and len(stub.calls) == 3 + 3 + 3


def test_evaluate_on_the_library_reranks_with_the_library_files(tmp_path, encoder):
    from app.evaluate import evaluate_pairs, read_pairs

    clips = make_clips(tmp_path / "lib", 6)
    outside = tmp_path / "query.wav"
    shutil.copyfile(clips[0], outside)  # its twin clip_000 is first by cosine
    (tmp_path / "pairs.csv").write_text(f"query_path,text,target_path\nquery.wav,{WORDS},lib/{clips[0].name}\n")
    pairs = read_pairs(tmp_path / "pairs.csv")
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
        gallery = svc.library_gallery()
    stub = ReverseReranker(k=4)
    plain = evaluate_pairs(pairs, encoder, strength=0.01, workers=0, library=gallery)
    reranked = evaluate_pairs(pairs, encoder, strength=0.01, workers=0, library=gallery, reranker=stub)
    assert plain.ranks[0].proposed == 1 and reranked.ranks[0].proposed == 4  # last of the first 4
    assert reranked.ranks[0].baseline == 1  # audio only: never reranked
    ((edits, query, candidates),) = stub.calls
    assert edits == [Edit(ADD, "dog")] and len(query) > 0 and all(c is not None for c in candidates)


def test_cli_evaluate_on_the_library_reads_the_evidence_kept_at_import(cli, tmp_path, capsys, stub, monkeypatch):
    """--gallery library reads results as search does: evidence the import kept (no YAMNet run), long takes none."""
    import model.patch_evidence

    stub.k = 8
    clips = make_clips(tmp_path / "lib", 6)
    write_wav(tmp_path / "lib" / "long_take.wav", clip(99, 40.0))
    shutil.copyfile(clips[0], tmp_path / "query.wav")
    (tmp_path / "pairs.csv").write_text(f"query_path,text,target_path\nquery.wav,{WORDS},lib/{clips[0].name}\n")
    assert cli("index", tmp_path / "lib") == 0
    read: list[str] = []
    real = model.patch_evidence.evidence_from_file

    def counting(backbone, path, max_seconds=None):
        read.append(Path(path).name)
        return real(backbone, path, max_seconds)

    monkeypatch.setattr(model.patch_evidence, "evidence_from_file", counting)
    capsys.readouterr()
    assert cli("evaluate", tmp_path / "pairs.csv", "--gallery", "library", "--strength", "0.01", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reranked"] is True and out["gallery"] == 7 and out["pairs"] == 1
    assert read == ["query.wav"]  # the library's files: their evidence kept at import
    ((edits, query, candidates),) = stub.calls
    assert len(candidates) == 7 and sum(c is None for c in candidates) == 1  # the long take is not read


def test_marked_searches_weigh_the_evidence_by_the_setting(library, encoder, stub, monkeypatch):
    root, paths, _, _ = library
    seen = []
    monkeypatch.setattr(stub, "evidence", lambda edits, query, candidates, lengths=None: np.ones(len(candidates)))
    monkeypatch.setattr(stub, "order", lambda cosines, evidence: seen.append(evidence) or np.arange(len(cosines))[::-1])
    with open_service(root, encoder) as svc:
        svc.config.marked_evidence = 0.25
        assert all(r.reranked for r in svc.search(paths[0], WORDS, top_k=5, more_like=[paths[3]]))
        svc.search(paths[0], WORDS, top_k=5)  # no marks: the evidence as fitted
        assert [float(e[0]) for e in seen] == [0.25, 1.0]
        svc.config.marked_evidence = 0.0  # the marked query's cosine order alone: nothing is read
        with open_service(root, encoder, rerank=False) as off:
            plain = off.search(paths[0], WORDS, top_k=8, less_like=[paths[5]])
        marked = svc.search(paths[0], WORDS, top_k=8, less_like=[paths[5]])
        assert names(marked) == names(plain) and not any(r.reranked for r in marked) and len(seen) == 2


def test_cli_search_warns_when_the_reranker_cannot_run(cli, tmp_path, capsys, monkeypatch):
    """A missing or damaged weights file turned the reranking off silently: the order changed, nothing was said."""
    make_clips(tmp_path / "lib", 4)
    assert cli("index", tmp_path / "lib") == 0
    (tmp_path / "junk.json").write_text("{not json")
    monkeypatch.setattr("app.rerank_reads.rerank_path", lambda: tmp_path / "junk.json")
    capsys.readouterr()
    assert cli("search", "--query", tmp_path / "lib" / "clip_000.wav", "--modify", WORDS, "--top", "3") == 0
    err = capsys.readouterr().err
    assert "warning: moment-by-moment reranking off: cannot read the reranker weights" in err
    assert "the results keep their match order" in err


def _class_term_file(tmp_path: Path, named: float) -> Path:
    """Weights that read no patch evidence, with a class term (model.class_term) of this weight."""
    path = tmp_path / f"class_term_{named}.json"
    AlignedReranker(np.zeros((len(KINDS), len(FEATURES))), 20, 0.05, "", class_term=(named, 0.0)).to_file(path)
    return path


def test_a_class_term_lifts_the_result_whose_named_sound_rises(library, encoder, tmp_path, monkeypatch):
    """The heads' classifier read on the stored vectors: with its dog row pointing at one result, "add dog bark"
    puts that result first, in search and in evaluate on the library; without the term the cosine order stays."""
    root, paths, _, _ = library
    query = paths[0]
    with open_service(root, encoder, rerank=False) as off:
        plain = off.search(query, WORDS, top_k=6)
        gallery = off.library_gallery()
    chosen = plain[4].path  # fifth by cosine
    rows = np.zeros_like(encoder.heads.classifier)
    rows[encoder.heads.class_names.index("dog")] = gallery[1][[str(p) for p in gallery[0]].index(str(chosen))]
    monkeypatch.setattr(encoder.heads, "classifier", rows)
    with open_service(root, encoder, weights=_class_term_file(tmp_path, 100.0)) as on:
        lifted = on.search(query, WORDS, top_k=6)
    with open_service(root, encoder, weights=_class_term_file(tmp_path, 0.0)) as none:
        unchanged = none.search(query, WORDS, top_k=6)
    assert lifted[0].path == chosen and lifted[0].reranked
    assert names(unchanged) == names(plain)

    from app.evaluate import evaluate_pairs, read_pairs

    (tmp_path / "pairs.csv").write_text(f"query_path,text,target_path\n{query},{WORDS},{chosen}\n")
    term = AlignedReranker.from_file(_class_term_file(tmp_path, 100.0))
    found = evaluate_pairs(read_pairs(tmp_path / "pairs.csv"), encoder, workers=0, library=gallery, reranker=term)
    assert found.ranks[0].proposed == 1


def test_cli_search_says_when_reranking_reordered_nothing(cli, tmp_path, capsys, stub):
    """A README trial: "add a kazoo" (no sound the reranker reads), or a 10 s part against 6 s files, gave `reranked`
    false beside a `rerank_status` that said only "on"."""
    make_clips(tmp_path / "lib", 8)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    query = tmp_path / "lib" / "clip_000.wav"
    assert cli("search", "--query", query, "--modify", "add a kazoo", "--top", "7", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reranked"] is False and not any(r["reranked"] for r in out["results"])
    assert out["rerank_status"].startswith("stand-in reranking on, but nothing was reordered")


def test_the_reranker_reads_only_versions_of_the_clip_when_asked(library, encoder, stub):
    """Trials 51-52: in a folder of single recordings the reranker read every result of the query's length (a jet
    kept first for "more traffic"). With IndexConfig.rerank_min_match, a result matching A(query) less is not read:
    above every match nothing is read and the cosine order stands."""
    from app.rerank import version_like

    root, paths, _, _ = library
    with open_service(root, encoder, rerank=False) as off:
        plain = off.search(paths[0], WORDS, top_k=12)
    config = IndexConfig(workers=0, rerank_min_match=0.99999)
    with SearchService(root / "data", encoder=encoder, config=config) as strict:
        assert names(strict.search(paths[0], WORDS, top_k=12)) == names(plain)
    matrix = np.eye(3)
    assert version_like(matrix, [0, 1, 2], np.array([2.0, 0.1, 0.0]), 0.9) == [True, False, False]
    assert version_like(matrix, [0, 1, 2], np.array([2.0, 0.1, 0.0]), 0.0) == [True, True, True]
