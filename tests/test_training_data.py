"""Data pipeline: descriptions, toy-source Scaper synthesis, determinism, diffs, splits."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import soundfile as sf

from training.descriptions import (
    HELDOUT_TEMPLATE_IDS,
    KNOWN_SOUND_WORDS,
    Diff,
    describe,
    invert_diff,
    template_ids,
)
from training.pair_sampler import REF_DB, sample_pair
from training.scenes import ALL_CLASSES, DIFF_TYPES, SCENES, multi_hot
from training.synthesize_pairs import load_pool, make_pair, synthesize


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_descriptions_have_variety() -> None:
    rng = np.random.default_rng(0)
    texts = {describe([Diff("event_added", "dog")], rng).text.rstrip(".") for _ in range(300)}
    assert len(texts) >= 25
    lowered = " ".join(texts).lower()
    for word in ("add", "put in", "include", "dog", "barking"):
        assert word in lowered
    louder = {describe([Diff("bg_louder", "rain")], rng).text.lower() for _ in range(300)}
    assert any("rainfall" in t for t in louder) and any("downpour" in t for t in louder)
    assert "church bells" in KNOWN_SOUND_WORDS and "honking" in KNOWN_SOUND_WORDS


def test_heldout_templates_only_when_asked() -> None:
    rng = np.random.default_rng(1)
    for kind in DIFF_TYPES:
        label = "rain" if kind.startswith("bg_") else "thunder"
        seen = {describe([Diff(kind, label)], rng).template_id for _ in range(200)}
        held = {describe([Diff(kind, label)], rng, heldout=True).template_id for _ in range(200)}
        assert not seen & HELDOUT_TEMPLATE_IDS
        assert held <= HELDOUT_TEMPLATE_IDS


def test_inverse_edits_undo_each_kind() -> None:
    pairs = {("event_added", "event_removed"), ("bg_louder", "bg_quieter"), ("event_louder", "event_quieter")}
    for kind in DIFF_TYPES:
        inverse = invert_diff(Diff(kind, "dog"))
        assert inverse.label == "dog" and inverse.kind != kind
        assert (kind, inverse.kind) in pairs or (inverse.kind, kind) in pairs
        assert invert_diff(inverse) == Diff(kind, "dog")
    text = describe([invert_diff(Diff("event_added", "dog"))], np.random.default_rng(0)).text.lower()
    assert "dog" in text or "bark" in text


def test_two_edits_are_joined() -> None:
    rng = np.random.default_rng(2)
    d = describe([Diff("event_added", "thunder"), Diff("bg_quieter", "rain")], rng)
    parts = template_ids(d.template_id)
    assert len(parts) == 3 and parts[1].startswith("join_")
    assert parts[0].startswith("add_") and parts[2].startswith("quieter_")
    assert " and " in d.text or ", then " in d.text


def test_dev_pairs_never_use_heldout_phrasing_and_eval_mixes(toy_dir: Path) -> None:
    for split in ("dev", "val"):
        pool = load_pool(toy_dir, split)
        for i in range(150):
            _, row = make_pair(0, "rain", split, i, pool)
            assert row["is_heldout_phrasing"] == "0"
            assert not set(template_ids(row["template_id"])) & HELDOUT_TEMPLATE_IDS
    pool = load_pool(toy_dir, "eval")
    flags = [make_pair(0, "traffic", "eval", i, pool)[1]["is_heldout_phrasing"] for i in range(300)]
    assert 0.15 < flags.count("1") / len(flags) < 0.45


def test_diff_types_balanced(toy_dir: Path) -> None:
    pool = load_pool(toy_dir, "dev")
    rng = np.random.default_rng(3)
    counts = dict.fromkeys(DIFF_TYPES, 0)
    for _ in range(1200):
        for d in sample_pair(rng, SCENES["rain"], pool).diffs:
            counts[d.kind] += 1
    total = sum(counts.values())
    assert all(0.10 < c / total < 0.23 for c in counts.values()), counts


def test_toy_synthesis_counts_and_determinism(toy_dir: Path, tmp_path: Path) -> None:
    out1 = synthesize(toy_dir, tmp_path / "run1", "rain", "dev", n_pairs=8, seed=5, workers=1)
    out2 = synthesize(toy_dir, tmp_path / "run2", "rain", "dev", n_pairs=8, seed=5, workers=2)
    rows1, rows2 = read_rows(out1), read_rows(out2)
    assert len(rows1) == 8 and rows1 == rows2
    for r in rows1:
        for key in ("a_path", "b_path"):
            p1, p2 = out1.parent / r[key], out2.parent / r[key]
            assert p1.with_suffix(".jams").exists()
            audio1, sr = sf.read(str(p1))
            audio2, _ = sf.read(str(p2))
            assert sr == 16_000 and audio1.shape == (160_000,)
            np.testing.assert_array_equal(audio1, audio2)
        assert len(r["labels_a"].split()) == len(ALL_CLASSES)
    other = read_rows(synthesize(toy_dir, tmp_path / "run3", "rain", "dev", 8, seed=6))
    assert [r["text"] for r in other] != [r["text"] for r in rows1]


def test_families_share_clip_a_and_render_it_once(toy_dir: Path, tmp_path: Path) -> None:
    out = synthesize(toy_dir, tmp_path / "fam", "rain", "dev", n_pairs=7, seed=5, workers=2, family_size=3)
    rows = read_rows(out)
    families = [r["family"] for r in rows]
    assert families == ["rain_dev_f000000"] * 3 + ["rain_dev_f000001"] * 3 + ["rain_dev_f000002"]
    for fam in set(families):
        members = [r for r in rows if r["family"] == fam]
        assert len({r["a_path"] for r in members}) == 1  # one clip a, edited several ways
        assert len({r["b_path"] for r in members}) == len(members)
    assert len({r["a_path"] for r in rows}) == 3 and len(list(out.parent.rglob("*_a.flac"))) == 3
    for fam in set(families):  # siblings are different edits of a
        diffs = [r["diff_types"] for r in rows if r["family"] == fam]
        assert len(set(diffs)) == len(diffs)
    single = read_rows(synthesize(toy_dir, tmp_path / "single", "rain", "dev", n_pairs=3, seed=5))
    assert "family" not in single[0]  # single-pair sets keep their columns


def _db(*stems: np.ndarray) -> float:
    return 10 * np.log10(sum(float(np.sum(np.square(s, dtype=np.float64))) for s in stems) + 1e-12)


def test_pair_b_differs_as_annotated(toy_dir: Path) -> None:
    from training.scaper_render import render_clip

    pool = load_pool(toy_dir, "dev")
    checked: set[str] = set()
    for i in range(200):
        pair, row = make_pair(1, "traffic", "dev", i, pool)
        if len(pair.diffs) != 1 or pair.diffs[0].kind in checked:
            continue
        kind, label = pair.diffs[0].kind, pair.diffs[0].label
        _, sa = render_clip(pair.a, toy_dir, None, None)
        _, sb = render_clip(pair.b, toy_dir, None, None)
        bg = pair.a.bg_label
        # Level ratios between stems are immune to any global rescaling of the mix.
        bg_vs_events_a = _db(sa[bg]) - _db(*(s for k, s in sa.items() if k != bg))
        bg_vs_events_b = _db(sb[bg]) - _db(*(s for k, s in sb.items() if k != bg))
        if kind == "bg_louder":
            assert bg_vs_events_b > bg_vs_events_a + 5
        elif kind == "bg_quieter":
            assert bg_vs_events_b < bg_vs_events_a - 5
        elif kind == "event_added":
            assert label in sb and label not in sa and len(sb) == len(sa) + 1
        elif kind == "event_removed":
            assert label in sa and label not in sb and len(sb) == len(sa) - 1
        else:
            delta = (_db(sb[label]) - _db(sb[bg])) - (_db(sa[label]) - _db(sa[bg]))
            assert (delta > 5) if kind == "event_louder" else (delta < -5)
        assert row["labels_b"] == " ".join(str(v) for v in multi_hot(pair.b.labels))
        assert set(sb) == pair.b.labels
        assert pair.a.bg_db == REF_DB and pair.a.bg_source == pair.b.bg_source
        checked.add(kind)
        if checked == set(DIFF_TYPES):
            break
    assert checked == set(DIFF_TYPES)


def test_split_keeps_each_source_file_in_one_split(toy_dir: Path) -> None:
    rows = read_rows(toy_dir / "split.csv")
    subset_of_group: dict[str, set[str]] = {}
    for r in rows:
        subset_of_group.setdefault(r["group"], set()).add(r["subset"])
        assert (r["split"] == "eval") == (r["subset"] == "eval")
    assert all(len(s) == 1 for s in subset_of_group.values())
    for cls in ALL_CLASSES:  # every class has sources in each subset
        assert {r["subset"] for r in rows if r["class"] == cls} == {"train", "val", "eval"}
    assert any(r["kind"] == "variant" for r in rows)  # variants share their source's group
