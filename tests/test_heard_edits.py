"""Results that still clearly hold a sound the words remove go below the others of the first K (app.heard_edits;
trial 49: a night ambience + "remove the crickets" put a cricket loop first)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.config import IndexConfig
from app.heard_edits import (
    HEARD,
    HEARD_ADDED,
    HeardMoves,
    added_columns,
    heard_order,
    heard_sounds,
    lifted_count,
    removed_columns,
)
from app.service import SearchService
from app.vectors import class_path
from model.aligned_rerank import FEATURES, AlignedReranker
from model.class_scores import CLASS_COUNT, class_column, probabilities
from model.edits import KINDS
from model.modifier_parser import parse_modifier
from tests.helpers import write_wav
from tests.library_helpers import clip, make_clips

CRICKET, THUNDER = class_column("Cricket"), class_column("Thunder")
LOUD, SILENT = 255, 0  # uint8 class outputs far above / below HEARD


def row(**columns: int) -> np.ndarray:
    """A (521,) uint8 class-maxima row: every class far below HEARD, the given columns set (a real row is never all
    zero: SILENT + 1 keeps it a row with class scores)."""
    out = np.full(CLASS_COUNT, SILENT + 1, dtype=np.uint8)
    for column, value in columns.items():
        out[int(column)] = value
    return out


def edits(text: str) -> list:
    return parse_modifier(text).edits


def test_the_uint8_extremes_lie_on_either_side_of_heard() -> None:
    assert probabilities(np.uint8(LOUD)) >= HEARD > probabilities(np.uint8(SILENT + 1))


def test_only_removed_sounds_the_query_clearly_holds_count() -> None:
    loud = row(**{str(CRICKET): LOUD})
    assert set(removed_columns(edits("remove the crickets"), loud)) == {"insects"}
    assert removed_columns(edits("remove the crickets"), row()) == {}  # YAMNet does not hear them in the query
    assert removed_columns(edits("add crickets"), loud) == {}
    assert removed_columns(edits("make the crickets quieter"), loud) == {}
    assert removed_columns(edits("remove the crickets"), None) == {}  # no class scores for the query
    assert removed_columns(edits("remove the crickets"), np.zeros(CLASS_COUNT, np.uint8)) == {}


def test_a_result_holds_a_sound_in_any_of_its_rows() -> None:
    removed = removed_columns(edits("remove the crickets"), row(**{str(CRICKET): LOUD}))
    assert heard_sounds(removed, row(**{str(CRICKET): LOUD})) == ["insects"]
    assert heard_sounds(removed, np.stack([row(), row(**{str(CRICKET): LOUD})])) == ["insects"]  # a moment's windows
    assert heard_sounds(removed, row()) == []
    assert heard_sounds(removed, np.zeros(CLASS_COUNT, np.uint8)) == []  # a row without class scores holds nothing


def test_added_sounds_are_looked_for_by_their_main_class() -> None:
    assert list(added_columns(edits("add thunder and remove the crickets"))) == ["thunder"]
    assert added_columns(edits("add thunder"))["thunder"].tolist() == [THUNDER]
    assert added_columns(edits("make the thunder louder")) == {}
    assert heard_sounds(added_columns(edits("add thunder")), row(**{str(THUNDER): LOUD}), HEARD_ADDED) == ["thunder"]
    # heard, but not at the added sounds' threshold
    middling = int(np.searchsorted(probabilities(np.arange(256, dtype=np.uint8)), (HEARD + HEARD_ADDED) / 2))
    assert heard_sounds(added_columns(edits("add thunder")), row(**{str(THUNDER): middling}), HEARD_ADDED) == []


def test_removed_sounds_go_after_the_others_and_read_results_never_move() -> None:
    holds = {1: ["insects"], 3: ["insects", "rain"]}
    order, moved = heard_order(5, lambda i: False, lambda i: [], lambda i: holds.get(i, []))
    assert order == [0, 2, 4, 1, 3]
    assert moved == HeardMoves(down=2, down_sounds=("insects", "rain"))
    assert moved.note() == ("2 results in which Nudge clearly hears insects or rain, which the words remove, are "
                            "moved down, below the first results without it")
    assert heard_order(5, lambda i: i == 1, lambda i: [], lambda i: holds.get(i, []))[0] == [0, 1, 2, 4, 3]
    assert heard_order(3, lambda i: False, lambda i: [], lambda i: []) == ([0, 1, 2], HeardMoves())
    assert HeardMoves().note() == ""
    assert HeardMoves(down=1, down_sounds=("insects",)).note().startswith("1 result in which Nudge clearly hears")
    from app.search_result import ResultPage

    page = ResultPage()  # every result left out (trial 63: "0 results" beside "5 results ... are moved up")
    page.heard_moves = moved
    assert page.moves_note() == ""


def test_added_sounds_go_first_within_the_slots_of_the_results_the_reranker_did_not_read() -> None:
    """Read results (1 and 4) keep their slots; the unread slots 0, 2, 3, 5 take the holders (3, 5) first."""
    holds = {3: ["thunder"], 5: ["thunder"]}
    order, moved = heard_order(6, lambda i: i in (1, 4), lambda i: holds.get(i, []), lambda i: [])
    assert order == [3, 1, 5, 0, 4, 2]
    assert moved == HeardMoves(up=2, up_sounds=("thunder",))
    assert moved.note() == ("2 results holding thunder (Nudge hears it clearly or the name says it), which the "
                            "words add, are moved up")
    assert heard_order(3, lambda i: False, lambda i: ["thunder"] if i == 0 else [], lambda i: [])[1] == HeardMoves()
    # with IndexConfig.added_takes_kept (off) a long take's moment placed by the moment terms keeps its slot too
    placed = heard_order(6, lambda i: i in (1, 4), lambda i: holds.get(i, []), lambda i: [], lambda i: i == 0)
    assert placed[0] == [0, 1, 3, 5, 4, 2]
    both = HeardMoves(1, ("thunder",), 1, ("rain",)).note()
    assert both == ("1 result holding thunder (Nudge hears it clearly or the name says it), which the words add, is "
                    "moved up; 1 result in which Nudge clearly hears rain, which the words remove, is moved down, "
                    "below the first results without it")


@pytest.fixture
def library(tmp_path, encoder):
    return heard_library(tmp_path, encoder)


def heard_library(tmp_path: Path, encoder) -> tuple[Path, list[Path], Path]:
    """10 one-second clips and a 6 s one (the query: the reranker reads none of the others, of other lengths)
    imported; a reranker file that keeps the cosine order (zero weights, K = 6) with a length gate."""
    paths = make_clips(tmp_path / "lib", 10)
    six = write_wav(tmp_path / "lib" / "six_seconds.wav", clip(98, 6.0))
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
    weights = tmp_path / "keep_order.json"
    AlignedReranker(np.zeros((len(KINDS), len(FEATURES))), 6, 0.05, "", length_tolerance=0.3).to_file(weights)
    return tmp_path, [six, *paths], weights


@pytest.fixture
def cli_factory(heads_path, monkeypatch):
    return heard_cli_factory(heads_path, monkeypatch)


def heard_cli_factory(heads_path, monkeypatch):
    """`main.py` on a data folder, with the reranker weights given (the stand-in for the shipped ones)."""
    from app.cli import main

    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))

    def factory(data: Path, weights: Path):
        monkeypatch.setattr("app.rerank_reads.rerank_path", lambda: weights)
        return lambda *args: main(["--data-dir", str(data), *map(str, args)])

    return factory


def open_service(root: Path, encoder, weights: Path, rerank: bool = True, added: bool = True) -> SearchService:
    config = IndexConfig(workers=0, aligned_rerank=rerank, added_heard=added)
    return SearchService(root / "data", encoder=encoder, config=config, rerank_weights=weights)


def set_cricket(root: Path, encoder, weights: Path, files: list[Path], column: int = CRICKET) -> None:
    """The stored class rows of these files say YAMNet hears crickets (or ``column``'s class) loudly; every other
    row, quietly."""
    with open_service(root, encoder, weights) as svc:
        snap = svc._current_snapshot()
        refs = {svc._current_ref(f, snap).row for f in files}
        store_rows = snap.store.rows
        cls = class_path(snap.store)
    table = np.memmap(cls, dtype=np.uint8, mode="r+", shape=(store_rows, CLASS_COUNT))
    table[:, column] = SILENT + 1
    for r in refs:
        table[r, column] = LOUD
    table.flush()
    del table


def test_search_moves_results_holding_an_added_sound_up_among_those_the_reranker_did_not_read(library, encoder):
    """Trial 49: a rain bed + "add thunder" ranked the library's thunder recordings 21st and 22nd."""
    root, paths, weights = library
    query, words = paths[0], "add thunder"
    with open_service(root, encoder, weights) as svc:
        plain = [r.path for r in svc.search(query, words, top_k=8)]
    set_cricket(root, encoder, weights, [plain[3], plain[5]], column=THUNDER)
    with open_service(root, encoder, weights) as svc:
        page = svc.search(query, words, top_k=8)
    with open_service(root, encoder, weights, added=False) as off:
        kept = [r.path for r in off.search(query, words, top_k=8)]
    assert [r.path for r in page] == [plain[3], plain[5], plain[0], plain[1], plain[2], plain[4], *plain[6:]]
    assert page.heard_moves == HeardMoves(up=2, up_sounds=("thunder",)) and kept == plain


def test_search_moves_a_result_still_holding_the_removed_sound_below_the_first_k(library, encoder, monkeypatch):
    root, paths, weights = library
    query, words = paths[0], "remove the crickets"
    with open_service(root, encoder, weights) as svc:
        plain = [r.path for r in svc.search(query, words, top_k=8)]
    first = plain[0]
    set_cricket(root, encoder, weights, [query, first])
    with open_service(root, encoder, weights) as svc:
        page = svc.search(query, words, top_k=8)
        adding = svc.search(query, "add crickets", top_k=8)
    shown = [r.path for r in page]
    assert shown[:5] == plain[1:6] and shown[5] == first  # below the other 5 of the first K = 6, not past them
    assert shown[6:] == plain[6:8]  # past K: cosine order
    assert page.heard_moves == HeardMoves(down=1, down_sounds=("insects",))  # its own note: the reranker read none
    assert not any(r.reranked for r in page)
    assert adding.heard_moves.down == 0 and first in [r.path for r in adding[:6]]
    with open_service(root, encoder, weights, rerank=False) as off:  # the reordering turned off: cosine order
        assert [r.path for r in off.search(query, words, top_k=8)] == plain


def test_a_result_the_reranker_read_keeps_its_place(library, encoder):
    """A version of the query's length is read moment by moment: its reading stands (a traffic bed's horns stay
    heard in the version with the horn removed; docs/MEASUREMENTS.md)."""
    root, paths, weights = library
    query, words = paths[1], "remove the crickets"  # one second, as the other clips
    with open_service(root, encoder, weights) as svc:
        plain = [r.path for r in svc.search(query, words, top_k=8)]
    assert plain[0].name != "six_seconds.wav"
    set_cricket(root, encoder, weights, [query, plain[0]])
    with open_service(root, encoder, weights) as svc:
        page = svc.search(query, words, top_k=8)
    assert [r.path for r in page] == plain and page.heard_moves == HeardMoves()


def test_a_removed_sound_the_query_lacks_moves_nothing(library, encoder):
    root, paths, weights = library
    query, words = paths[0], "remove the crickets"
    with open_service(root, encoder, weights) as svc:
        plain = [r.path for r in svc.search(query, words, top_k=8)]
    set_cricket(root, encoder, weights, [plain[0]])  # the query does not hold them
    with open_service(root, encoder, weights) as svc:
        page = svc.search(query, words, top_k=8)
    assert [r.path for r in page] == plain and page.heard_moves == HeardMoves()


def test_evaluate_on_the_library_moves_it_too(library, encoder, tmp_path, monkeypatch):
    """evaluate reads the query's class maxima from the file (here made to hear crickets loudly) and the library's
    as stored."""
    import app.evaluate
    from app.evaluate import evaluate_pairs, read_pairs

    root, paths, weights = library
    query, words = paths[0], "remove the crickets"
    extract = app.evaluate.extract_with_classes

    def hearing_crickets(*args, **kwargs):
        features, errors, classes = extract(*args, **kwargs)
        return features, errors, {name: row(**{str(CRICKET): LOUD}) for name in classes}

    monkeypatch.setattr(app.evaluate, "extract_with_classes", hearing_crickets)
    with open_service(root, encoder, weights) as svc:
        plain = [r.path for r in svc.search(query, words, top_k=8)]
    set_cricket(root, encoder, weights, [query, plain[0]])
    (tmp_path / "pairs.csv").write_text(f"query_path,text,target_path\n{query},{words},{plain[1]}\n")
    reranker = AlignedReranker.from_file(weights)
    with open_service(root, encoder, weights) as svc:
        gallery = (*svc.library_gallery(), svc.library_class_maxima())
        plain_gallery = svc.library_gallery()
    pairs = read_pairs(tmp_path / "pairs.csv")
    moved = evaluate_pairs(pairs, encoder, workers=0, library=gallery, reranker=reranker)
    kept = evaluate_pairs(pairs, encoder, workers=0, library=plain_gallery, reranker=reranker)
    assert moved.ranks[0].proposed == 1 and kept.ranks[0].proposed == 2


def test_a_strength_below_one_lifts_its_share_of_the_holders() -> None:
    """Trial 51: the strength slider was an on/off switch for "add X" (0.05 and 2 gave the same files first). At
    strength s below 1 the first ceil(s * n) of the n holders are lifted, the others stay in their slots' order."""
    holds = {2: ["thunder"], 3: ["thunder"], 5: ["thunder"], 6: ["thunder"]}
    full = heard_order(8, lambda i: False, lambda i: holds.get(i, []), lambda i: [])
    half = heard_order(8, lambda i: False, lambda i: holds.get(i, []), lambda i: [], share=0.5)
    hint = heard_order(8, lambda i: False, lambda i: holds.get(i, []), lambda i: [], share=0.05)
    assert full[0] == [2, 3, 5, 6, 0, 1, 4, 7] and full[1].up == 4
    assert half[0] == [2, 3, 0, 1, 4, 5, 6, 7] and half[1].up == 2
    assert hint[0] == [2, 0, 1, 3, 4, 5, 6, 7] and hint[1].up == 1
    assert [lifted_count(10, s) for s in (0.0, 0.05, 0.3, 0.99, 1.0, 2.0)] == [0, 1, 3, 10, 10, 10]


def test_a_low_strength_never_moves_a_holder_down() -> None:
    """Trial 58: at strength 0.05 the mix holding the dog, second by its match, went sixth behind five others and
    was marked "moved up ... by its match alone it would rank lower". A holder with fewer than hint_offset others
    before it keeps its slot, unmarked; one further down comes after those others, marked."""
    near = heard_order(8, lambda i: False, lambda i: ["dog"] if i == 1 else [], lambda i: [], share=0.05, hint=True)
    assert near[0] == list(range(8)) and near[1].up == 0 and not near[1].up_ids
    far = heard_order(8, lambda i: False, lambda i: ["dog"] if i == 7 else [], lambda i: [], share=0.05, hint=True)
    assert far[0] == [0, 1, 2, 3, 4, 7, 5, 6] and far[1].up_ids == {7}
    both = heard_order(9, lambda i: False, lambda i: ["dog"] if i in (1, 8) else [], lambda i: [], share=1.0,
                       hint=True)  # at 1 every holder comes first
    assert both[0][:3] == [1, 8, 0] and both[1].up_ids == {1, 8}
    some = heard_order(9, lambda i: False, lambda i: ["dog"] if i in (1, 8) else [], lambda i: [], share=0.6,
                       hint=True)  # 2 others keep the first slots: #2 (one before it) stays, #9 comes third
    assert some[0] == [0, 1, 2, 8, 3, 4, 5, 6, 7] and some[1].up_ids == {8}


def test_the_app_header_and_the_cli_say_what_was_moved(library, encoder, cli_factory, capsys):
    from types import SimpleNamespace

    from app.ui.step_text import after_results_html

    done = SimpleNamespace(results=[], query_offline="", disk="", unchanged=None,
                           moved=HeardMoves(down=1, down_sounds=("insects",)).note())
    assert "1 result in which Nudge clearly hears insects, which the words remove, is moved down, below" in (
        after_results_html(done))
    assert "YAMNet" not in after_results_html(SimpleNamespace(**{**vars(done), "moved": ""}))

    root, paths, weights = library
    with open_service(root, encoder, weights) as svc:
        first = svc.search(paths[0], "remove the crickets", top_k=3)[0].path
    set_cricket(root, encoder, weights, [paths[0], first])
    run = cli_factory(root / "data", weights)
    assert run("search", "--query", paths[0], "--modify", "remove the crickets", "--top", "3") == 0
    err = capsys.readouterr().err
    assert "1 result in which Nudge clearly hears insects" in err
    assert "below the first results without it (it is further down the list)" in err  # trial 56: no row in view
    assert run("search", "--query", paths[0], "--modify", "remove the crickets", "--top", "3", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["moved_below"] == {"count": 1, "sounds": ["insects"]} and first.name not in json.dumps(out["results"])
    assert out["moved_up"] == {"count": 0, "sounds": []}
    # trial 54: "moved below the others" named no row, and the file sat 4th of 50; now its row is marked
    assert run("search", "--query", paths[0], "--modify", "remove the crickets", "--top", "20", "--json") == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert [r["moved_down"] for r in rows if r["path"] == str(first)] == [True]
    assert sum(r["moved_down"] for r in rows) == 1
    assert run("search", "--query", paths[0], "--modify", "remove the crickets", "--top", "20") == 0
    out, err = capsys.readouterr()
    assert [line for line in out.splitlines() if line.endswith(first.name)][0].split()[1].endswith("_")
    assert "further down the list" not in err  # its row is in view, marked
    assert "_ moved down for still holding a sound the words remove" in err
    from app.ui.result_moments import match_text, match_tooltip

    with open_service(root, encoder, weights) as svc:
        page = svc.search(paths[0], "remove the crickets", top_k=20)
    down = [r for r in page if r.path == first]
    assert match_text(down[0]).endswith("↓") and "Moved down" in match_tooltip(down[0])
    assert not any(match_text(r).endswith("↓") for r in page if r.path != first)


def renamed_library(tmp_path: Path, encoder, names: list[str]) -> tuple[Path, Path, list[Path]]:
    """8 one-second clips, the last ones moved to these paths under lib/, and a 6 s query, imported; the query, a
    reranker file that keeps the cosine order (K = 9, with a length gate) and the moved files."""
    paths = make_clips(tmp_path / "lib", 8)
    query = write_wav(tmp_path / "lib" / "six_seconds.wav", clip(98, 6.0))
    moved = []
    for path, name in zip(paths[-len(names):], names, strict=True):
        (tmp_path / "lib" / name).parent.mkdir(parents=True, exist_ok=True)
        moved.append(path.rename(tmp_path / "lib" / name))
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
    weights = tmp_path / "keep_order.json"
    AlignedReranker(np.zeros((len(KINDS), len(FEATURES))), 9, 0.05, "", length_tolerance=0.3).to_file(weights)
    return query, weights, moved


def test_results_named_for_an_added_event_sound_move_up_too(tmp_path, encoder):
    """Trial 49: YAMNet heard Thunder at 0.32-0.68 in thunder_loud.wav and thunder_moderate.wav, both named for it;
    a weapon's folder named for it ("lightning" guns) or a music folder does not count."""
    from app.evaluate import evaluate_pairs, read_pairs

    query, weights, (named, gun) = renamed_library(tmp_path, encoder, ["weather/thunder_far.wav",
                                                                       "weapons/lightning/lg_fire.wav"])
    with open_service(tmp_path, encoder, weights, added=False) as off:
        plain = [r.path for r in off.search(query, "add thunder", top_k=8)]
    with open_service(tmp_path, encoder, weights) as svc:
        page = svc.search(query, "add thunder", top_k=8)
        gallery = (*svc.library_gallery(), svc.library_class_maxima())
    shown = [r.path for r in page]
    assert shown[0] == named and shown[1:] == [p for p in plain if p != named]
    assert plain.index(named) > 0 and gun in shown[1:] and page.heard_moves.up == 1  # lifted: not first by match

    (tmp_path / "pairs.csv").write_text(f"query_path,text,target_path\n{query},add thunder,{named}\n")
    found = evaluate_pairs(read_pairs(tmp_path / "pairs.csv"), encoder, workers=0, library=gallery,
                           reranker=AlignedReranker.from_file(weights))
    assert found.ranks[0].proposed == 1


def test_yamnet_hearing_an_added_sound_in_a_file_named_for_another_counts_for_nothing(tmp_path, encoder):
    """Trial 50's library: YAMNet hears Explosion at 0.85 or more in jets; as the files-named note, a file whose name
    or folder says another sound is not moved up for YAMNet's hearing alone (IndexConfig.added_heard_apart)."""
    query, weights, (engine,) = renamed_library(tmp_path, encoder, ["engines/engine_idle.wav"])
    with open_service(tmp_path, encoder, weights, added=False) as off:
        plain = [r.path for r in off.search(query, "add thunder", top_k=8)]
    unnamed = next(p for p in plain if p != engine and p.parent.name == "lib")
    set_cricket(tmp_path, encoder, weights, [engine, unnamed], column=THUNDER)

    def first(apart: bool) -> list[Path]:
        config = IndexConfig(workers=0, added_heard_apart=apart)
        with SearchService(tmp_path / "data", encoder=encoder, config=config, rerank_weights=weights) as svc:
            return [r.path for r in svc.search(query, "add thunder", top_k=8)]

    assert first(True) == [unnamed] + [p for p in plain if p != unnamed]  # the engine file keeps its place
    lifted = first(False)
    assert set(lifted[:2]) == {engine, unnamed} and plain.index(engine) > 1


def test_a_long_take_s_moment_holds_an_added_sound_heard_at_half():
    """Session 47: trial 50's storm take holds rain and thunder in one moment, YAMNet hearing Thunder at 0.82 there
    (under HEARD_ADDED, the bed beside the event), and its name "storm" says wind: for a long take's moment the
    hearing counts at HEARD and the take's name (its bed's) is no guard."""
    from app.heard_edits import held_added
    from model.class_scores import class_column

    added = added_columns(edits("add thunder"))
    windows = np.stack([row(), row(**{str(THUNDER): 192})])  # 192: 0.82, between HEARD and HEARD_ADDED
    assert HEARD <= float(probabilities(np.array([192], dtype=np.uint8))[0]) < HEARD_ADDED
    storm = Path("/lib/weather/storm_take_03min.wav")
    assert held_added(added, [], windows, storm, apart=True, moment=True) == ["thunder"]
    assert held_added(added, [], windows, storm, apart=True) == []  # a whole file: 0.85, and the guard
    loud = np.stack([row(), row(**{str(THUNDER): LOUD})])
    assert held_added(added, [], loud, storm, apart=True) == []  # "storm" says wind: the guard for a whole file
    assert held_added(added, [], loud, storm, apart=True, moment=True) == ["thunder"]
    assert class_column("Thunder") == THUNDER


def test_a_sound_made_quieter_that_the_query_lacks_is_not_lifted() -> None:
    """Trial 57: "less thunder" on a rain bed said "thunder: Nudge does not hear it in the query" and lifted 12
    thunder recordings above the rain beds (IndexConfig.quieter_needs_heard)."""
    from pathlib import Path

    from app.heard_edits import quieter_unheard, rule_sounds

    quiet, loud = row(), row(**{str(THUNDER): LOUD})
    rain = Path("/lib/rain_12.ogg")
    assert quieter_unheard(edits("less thunder"), quiet, rain) == {"thunder"}
    assert quieter_unheard(edits("less thunder"), loud, rain) == frozenset()  # heard: lifted as before
    assert quieter_unheard(edits("less thunder"), quiet, Path("/lib/thunder_far.wav")) == frozenset()  # the name
    assert quieter_unheard(edits("more thunder"), quiet, rain) == frozenset()  # louder: as before ("add" it)
    assert quieter_unheard(edits("less thunder"), None, rain) == frozenset()  # no class scores: no claim
    unheard = quieter_unheard(edits("less thunder"), quiet, rain)
    assert rule_sounds(edits("less thunder"), quiet, level=True, not_heard=unheard) == ({}, [], False)
    lifted, _, kept = rule_sounds(edits("less thunder"), loud, level=True, not_heard=quieter_unheard(
        edits("less thunder"), loud, rain))
    assert set(lifted) == {"thunder"} and kept


def test_a_quieter_sound_is_withheld_only_in_a_take() -> None:
    """Only a query (or range) of quieter_unheard_seconds or more withholds the lift: "make the footsteps quieter" on
    a footstep one-shot Nudge hears as something else still asks for quieter footsteps (the val folder's losses)."""
    from pathlib import Path

    from app.heard_edits import withheld_quieter

    quiet, rain = row(), Path("/lib/rain_12.ogg")
    on = IndexConfig(quieter_needs_heard=True)
    assert withheld_quieter(edits("less thunder"), quiet, rain, (0.0, 10.0), on) == {"thunder"}
    assert withheld_quieter(edits("less thunder"), quiet, rain, (0.0, 3.0), on) == {"thunder"}
    assert withheld_quieter(edits("less thunder"), quiet, rain, (0.0, 1.2), on) == frozenset()  # a one-shot
    assert withheld_quieter(edits("less thunder"), quiet, rain, None, on) == frozenset()  # length unknown
    assert withheld_quieter(edits("less thunder"), quiet, None, None, on) == frozenset()
    off = IndexConfig(quieter_needs_heard=False)
    assert withheld_quieter(edits("less thunder"), quiet, rain, (0.0, 10.0), off) == frozenset()


def test_search_lifts_no_file_for_a_quieter_sound_the_query_lacks_when_set(library, encoder) -> None:
    root, paths, weights = library
    query = paths[0]
    with open_service(root, encoder, weights) as svc:
        plain = svc.search(query, "", top_k=6)
    set_cricket(root, encoder, weights, [plain[-1].path], column=THUNDER)  # one result holds thunder, not the query
    for needs_heard, lifted, seconds in ((False, True, 3.0), (True, False, 3.0), (True, True, 60.0)):
        config = IndexConfig(workers=0, level_named=True, quieter_needs_heard=needs_heard,
                             quieter_unheard_seconds=seconds)  # 60 s: the query is a one-shot, lifted as before
        with SearchService(root / "data", encoder=encoder, config=config, rerank_weights=weights) as svc:
            page = svc.search(query, "less thunder", top_k=6)
        assert (page[0].path == plain[-1].path) is lifted and bool(page.heard_moves.up) is lifted, needs_heard


def test_the_reordering_reads_only_results_near_the_best_match_when_set() -> None:
    """Trial 58: a helicopter cabin matching 0.065 (59th) was read as a version of a street bed and kept second
    (IndexConfig.rerank_read_within; off at 0)."""
    import math

    from app.rerank_reads import near_best

    assert near_best([0.678, 0.065, 0.5, math.nan], 0.3) == [True, False, True, False]
    assert near_best([0.678, 0.065], 0.0) == [True, True] and near_best([math.nan], 0.3) == [True]


def test_a_one_shot_query_reads_only_results_that_sound_like_it_when_set() -> None:
    """Trial 59: a dog kennel one-shot (2.2 s) + "add rain" read a splash, a whip and a taser of its length as its
    versions (IndexConfig.rerank_min_match_short, for queries under 3 s; off at 0)."""
    import math

    from app.rerank_reads import min_match_for

    assert min_match_for(2.2, 0.0, 0.6) == 0.6 and min_match_for(3.0, 0.0, 0.6) == 0.0  # a one-shot; a scene clip
    assert min_match_for(math.nan, 0.0, 0.6) == 0.0 and min_match_for(2.2, 0.0, 0.0) == 0.0  # unknown; off
    assert min_match_for(10.0, 0.5, 0.6) == 0.5 and min_match_for(1.0, 0.7, 0.6) == 0.7  # the general floor stands
