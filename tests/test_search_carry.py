"""A refine step from a promoted result keeps counting what the session asked before (app.rerank.EarlierSteps):
the edits carried, the session's first clip they are read against, the same order as the offline benchmark's
scorer (training.aligned_scoring), what the CLI says, and the UI session's steps."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from app.config import IndexConfig
from app.rerank import EarlierSteps, whole_file_evidence
from app.service import SearchService
from model.aligned_rerank import AlignedReranker, file_sha256
from model.edits import ADD, LOUDER, Edit
from model.paths import rerank_path
from tests.helpers import ReverseReranker, write_wav
from tests.library_helpers import clip
from training.aligned_scoring import AlignedScorer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def stub(monkeypatch) -> ReverseReranker:
    reranker = ReverseReranker()
    monkeypatch.setattr("app.rerank_reads.load_reranker",
                        lambda heads, weights=None: (reranker, "stand-in reranking on"))
    return reranker


@pytest.fixture(scope="module")
def versions(tmp_path_factory, encoder):
    """Versions of one 2 s clip (gains, another sound mixed in, 3 s takes) imported; the session's first clip and
    the promoted query."""
    root = tmp_path_factory.mktemp("carry")
    base, other = clip(5, 2.0), clip(11, 2.0)
    for i, gain in enumerate((0.3, 0.5, 0.8, 1.2, 1.6, 2.0)):
        write_wav(root / "lib" / f"gain_{i}.wav", base * gain)
        write_wav(root / "lib" / f"mixed_{i}.wav", base * gain + other * (0.2 + 0.15 * i))
    for i in range(3):
        write_wav(root / "lib" / f"longer_{i}.wav", clip(5, 3.0) * (0.5 + 0.5 * i))
    first = write_wav(root / "first.wav", clip(5, 4.0))  # 4 s: the 3 s takes pass the gate against it only
    query = root / "lib" / "gain_2.wav"
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([root / "lib"])
    return root, first, query


def test_the_earlier_steps_edits_are_read_against_the_first_clip(versions, encoder, stub):
    root, first, query = versions
    stub.k = 50
    earlier = EarlierSteps(first, ("add a dog barking", "make it louder"))
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.search(query, "make the rain louder", top_k=5, earlier=earlier)
        assert svc.carried_to_show("make the rain louder", earlier.texts) == ["add dog barking", "make it louder"]
        assert svc.carried_to_show("add a dog", earlier.texts) == ["make it louder"]  # the dog: asked again now
        assert svc.carried_to_show("", earlier.texts) == []  # no edit now: no reranking, nothing carried
        # trial 44: words that read as no edit dropped them unsaid; now said (no words yet: nothing said)
        assert svc.earlier_not_counted("make it glorious", earlier.texts) == ["add dog barking", "make it louder"]
        assert svc.earlier_not_counted("add a dog", earlier.texts) == [] == svc.earlier_not_counted("", earlier.texts)
        assert svc.earlier_replaced("remove the dog", ("add a dog barking",)) == ["add dog barking"]
        assert svc.earlier_replaced("add a dog barking", ("add a dog barking",)) == []  # trial 56: asked again
    (now, _, _), (carried, first_evidence, candidates) = stub.calls
    assert now == [Edit(LOUDER, "rain")]
    assert carried == [Edit(ADD, "dog"), Edit(LOUDER, None, True)]
    assert len(first_evidence) == len(whole_file_evidence(encoder.features.backbone, first)) > len(candidates[0])
    first_length, _ = stub.lengths[1]
    assert first_length == pytest.approx(4.0, abs=0.01)  # the gate against the first clip uses its length
    stub.calls.clear()
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.search(query, "add a dog", top_k=5, earlier=EarlierSteps(first, ("add a dog",)))  # nothing left to carry
        svc.search(query, "add a dog", top_k=5)
    assert len(stub.calls) == 2


def test_a_vanished_first_clip_leaves_this_steps_words(tmp_path, versions, encoder, stub):
    root, _, query = versions
    gone = tmp_path / "gone.wav"
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        results = svc.search(query, "make it louder", top_k=5, earlier=EarlierSteps(gone, ("add a dog",)))
    assert len(results) == 5 and len(stub.calls) == 1


def test_the_service_orders_as_the_benchmarks_scorer(versions, encoder, heads_path, tmp_path):
    """The shipped reranker's network on these heads: the service's first K, reordered with a carried edit, are
    in the order training.aligned_scoring gives the same evidence and cosines."""
    root, first, query = versions
    weights = tmp_path / "rerank.json"
    reranker = replace(AlignedReranker.from_file(rerank_path()), heads_sha256=file_sha256(heads_path))
    reranker.to_file(weights)
    now, before = "make it louder", ("add a dog barking",)
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0, aligned_rerank=False),
                       rerank_weights=weights) as svc:
        plain = svc.search(query, now, top_k=50)
        svc.config.aligned_rerank = True
        carried = svc.search(query, now, top_k=50, earlier=EarlierSteps(first, before))
        alone = svc.search(query, now, top_k=50)
    assert len(plain) == 14 and all(r.reranked for r in carried)
    backbone = encoder.features.backbone
    clips = {0: whole_file_evidence(backbone, query), 1: whole_file_evidence(backbone, first)}
    clips |= {2 + i: whole_file_evidence(backbone, r.path) for i, r in enumerate(plain)}
    scorer = AlignedScorer(reranker, clips)  # type: ignore[arg-type]
    cosines = np.array([[r.score for r in plain]])
    rows = np.arange(2, 2 + len(plain))
    expected = scorer.rescore(cosines, np.array([0]), rows, [now], [(1, list(before))], 1.0)
    without = scorer.rescore(cosines, np.array([0]), rows, [now])
    names = [r.path.name for r in plain]
    assert [r.path.name for r in carried] == [names[i] for i in np.argsort(-expected[0], kind="stable")]
    assert [r.path.name for r in alone] == [names[i] for i in np.argsort(-without[0], kind="stable")]
    assert [r.path.name for r in carried] != [r.path.name for r in alone]  # the carried edit moves something


def test_cli_search_carries_the_earlier_words_and_says_so(versions, heads_path, monkeypatch, capsys, stub):
    from app.cli import main

    root, first, query = versions
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))

    def cli(*args) -> int:
        return main(["--data-dir", str(root / "data"), *map(str, args)])

    assert cli("search", "--query", str(query), "--modify", "make the rain louder", "--session-start",
               str(first), "--earlier", "add thunder", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["carried"] == ["add thunder"] and len(stub.calls) == 2
    assert cli("search", "--query", str(query), "--modify", "make the rain louder", "--session-start",
               str(first), "--earlier", "add thunder") == 0
    said = capsys.readouterr().err
    assert f"still asked from earlier steps, read against the session's first sound {first.name}: add thunder" in said
    assert "replaced" not in said
    assert cli("search", "--query", str(query), "--modify", "make the rain louder", "--session-start",
               str(first), "--earlier", "make the rain quieter", "--earlier", "add thunder") == 0
    assert ("add thunder (make the rain quieter: replaced by later words about the same sound)"
            in capsys.readouterr().err)  # trial 50: the dropped edit went unsaid
    assert cli("search", "--query", str(query), "--modify", "make the rain louder", "--session-start",
               str(first), "--earlier", "make the rain quieter") == 0
    assert ("from earlier steps, replaced by these words about the same sound: make the rain quieter"
            in capsys.readouterr().err)  # trial 52: the only earlier edit, replaced, went unsaid
    assert cli("search", "--query", str(query), "--modify", "louder", "--earlier", "add thunder") == 2
    assert "--session-start FILE and --earlier WORDS go together" in capsys.readouterr().err
    assert cli("search", "--query", str(query), "--modify", "louder", "--session-start",
               str(root / "nowhere.wav"), "--earlier", "add thunder") == 2
    assert "no such file" in capsys.readouterr().err


def test_the_header_says_when_the_earlier_edits_are_not_counted():
    """Trial 44: after a step whose words read as no edit, the "still asked" line vanished with no word."""
    from pathlib import Path
    from types import SimpleNamespace

    from app.ui.step_text import earlier_html

    class Reads:
        def carried_to_show(self, text, texts):
            return []

        def earlier_not_counted(self, text, texts):
            return ["add thunder"]

        def earlier_replaced(self, text, texts):
            return []

    session = SimpleNamespace(first=Path("rain.wav"), texts=("add thunder",))
    step = SimpleNamespace(text="make it glorious", earlier=session)
    line = earlier_html(Reads(), step)
    assert "Not counted now, from earlier steps: “add thunder” (these words read as no edit" in line


def test_a_refine_step_leaves_out_the_session_start_its_earlier_edits_still_ask_past(versions, encoder, stub,
                                                                                      heads_path, monkeypatch, capsys):
    """Trial 54: street_bed_B.wav + "add a dog barking", then the dog mix promoted + "and a car horn": the bed the
    session started from, with neither, came 3rd above every car horn file. It came before the edits that still
    hold, so it lacks them: left out, and said so; an earlier edit replaced by this step's words leaves it in."""
    from app.cli import main

    root, _, query = versions
    start = root / "lib" / "gain_0.wav"
    stub.k = 50
    with SearchService(root / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        plain = svc.search(query, "make the rain louder", top_k=50)
        carried = svc.search(query, "make the rain louder", top_k=50,
                             earlier=EarlierSteps(start, ("add a dog barking",)))
        replaced = svc.search(query, "make the rain louder", top_k=50,
                              earlier=EarlierSteps(start, ("make the rain quieter",)))
    assert start in [r.path for r in plain] and start in [r.path for r in replaced]
    assert start not in [r.path for r in carried] and len(carried) == len(plain) - 1
    assert carried.start_out == start and replaced.start_out is None and replaced.start_note() == ""
    assert carried.start_note().startswith("the session's first sound, gain_0.wav, is left out: it lacks what")
    assert carried.start_note("search --query gain_0.wav").endswith("asked for (search --query gain_0.wav)")
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    assert main(["--data-dir", str(root / "data"), "search", "--query", str(query), "--modify", "make it louder",
                 "--session-start", str(start), "--earlier", "add a dog barking", "--top", "50"]) == 0
    out, err = capsys.readouterr()
    assert "gain_0.wav" not in out and "the session's first sound, gain_0.wav, is left out" in err
    assert f"(search --query {start} starts from it again)" in err and "history" not in err  # trial 58: the app's


def test_the_start_rows_are_its_range_or_its_file_unless_that_is_the_query():
    from app.db_blocks import VectorRef
    from app.feedback import start_rows

    take = VectorRef(4, 0, 0, "v", 10, 1.0, segments=5, tail_start=8.0, duration=10.0)
    other = VectorRef(9, 0, 0, "v", 30, 1.0, segments=0)
    assert start_rows(take, None, other).tolist() == list(range(10, 16))
    assert start_rows(take, None, take).tolist() == []  # the query's own take: another moment may hold the edits
    ranged = start_rows(take, (0.0, 1.0), take).tolist()
    assert ranged[0] == 10 and 11 in ranged and 15 not in ranged


def test_a_refine_step_leaves_out_the_session_starts_copies_too(tmp_path, encoder, stub):
    """Trial 55: with street_bed_B.wav copied into another folder, the copy came back 3rd under the note saying the
    session's first sound was left out."""
    import shutil

    from tests.library_helpers import imported_library

    svc, paths = imported_library(tmp_path, encoder, 5)
    extra = tmp_path / "lib" / "extra"
    extra.mkdir()
    shutil.copy(paths[0], extra / "start copy.wav")
    svc.import_folders()
    stub.k = 50
    earlier = EarlierSteps(paths[0], ("add a dog barking",))
    plain = [r.path.name for r in svc.search(paths[1], "make the rain louder", top_k=20)]
    carried = svc.search(paths[1], "make the rain louder", top_k=20, earlier=earlier)
    svc.close()
    assert {"clip_000.wav", "start copy.wav"} <= set(plain)
    assert not {"clip_000.wav", "start copy.wav"} & {r.path.name for r in carried}
    assert carried.start_out == paths[0] and len(carried) == len(plain) - 2


def test_the_start_copies_are_the_hits_with_its_audio_or_its_name_in_another_format():
    from app.db_blocks import Blocks, VectorRef
    from app.feedback import start_copies

    a, b = np.eye(4)[0], np.eye(4)[1]
    matrix = np.stack([a, *[b] * 5, a, *[b] * 5, b])  # rows 0-5: the take, 6-11: its copy, 12: another file
    blocks = Blocks(np.array([1, 2, 3]), np.array([0, 6, 12]), np.array([5, 5, 0]), np.array([8.0, 8.0, np.nan]),
                    np.array([10.0, 10.0, 1.0]))
    take = VectorRef(1, 0, 0, "v", 0, 1.0, segments=5, tail_start=8.0, duration=10.0)
    assert start_copies(matrix, blocks, [2, 1, 0], take).tolist() == [False, True, False]  # itself: not a copy
    shorter = Blocks(blocks.ids, blocks.first, blocks.segments, blocks.tail_start, np.array([10.0, 9.0, 1.0]))
    assert start_copies(matrix, shorter, [1], take).tolist() == [False]  # another length: not a copy
    # trial 56: an MP3 of the first sound came back 3rd; a version (same name, close sound and length) goes too
    mp3 = np.stack([a, *[b] * 5, (a + 0.3 * b) / np.linalg.norm(a + 0.3 * b), *[b] * 5, b])  # cosine 0.96
    names = {1: "street_bed_B.wav", 2: "street_bed_B.mp3", 3: "other.wav"}
    assert start_copies(mp3, blocks, [1, 2], take).tolist() == [False, False]
    assert start_copies(mp3, blocks, [1, 2], take, lambda ids: {i: names[i] for i in ids},
                        "street_bed_B.wav").tolist() == [True, False]
    renamed = {**names, 2: "another_take.mp3"}
    assert start_copies(mp3, blocks, [1], take, lambda ids: {i: renamed[i] for i in ids},
                        "street_bed_B.wav").tolist() == [False]  # another name: another recording, however close
