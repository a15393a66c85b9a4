"""Families in the demo's design: which members pair up, what the rows say, determinism, demo recordings kept out."""

from __future__ import annotations

import csv
from pathlib import Path

from training.demo_families import member_diffs, pool_without_demo, synthesize
from training.descriptions import Diff
from training.prepare_sources import read_split
from training.scenes import ALL_CLASSES


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_member_diffs_are_the_edits_between_two_members() -> None:
    bed, thunder = frozenset(), frozenset(["thunder"])
    assert member_diffs((bed, 0), (thunder, 0), "rain") == [Diff("event_added", "thunder")]
    assert member_diffs((thunder, 1), (bed, 0), "rain") == [Diff("event_removed", "thunder"),
                                                            Diff("bg_quieter", "rain")]
    assert member_diffs((thunder, -1), (thunder, 1), "rain") is None  # two bed steps: not one edit
    assert member_diffs((bed, 0), (frozenset(["dog", "thunder"]), 1), "rain") is None  # three edits
    assert member_diffs((thunder, 0), (thunder, 0), "rain") is None  # no edit


def labels(multi_hot: str) -> set[str]:
    return {c for c, bit in zip(ALL_CLASSES, multi_hot.split(), strict=True) if bit == "1"}


def test_rows_match_their_members_and_do_not_depend_on_workers(toy_dir: Path, tmp_path: Path) -> None:
    rows = rows_of(synthesize(toy_dir, tmp_path / "w1", "rain", "dev", n_families=3, seed=2, workers=1, chunk=1))
    assert rows == rows_of(synthesize(toy_dir, tmp_path / "w2", "rain", "dev", 3, seed=2, workers=2, chunk=2))
    assert [r["family"] for r in rows] == [f"rain_dev_f{f:06d}" for f in range(3) for _ in range(12)]
    for r in rows:
        a, b = labels(r["labels_a"]), labels(r["labels_b"])
        diffs = r["diff_types"].split("|")
        assert 1 <= len(diffs) <= 2 and r["a_path"] != r["b_path"]
        assert {d.split(":")[1] for d in diffs if d.startswith("event_added")} == b - a
        assert {d.split(":")[1] for d in diffs if d.startswith("event_removed")} == a - b
        assert (tmp_path / "w1" / r["a_path"]).exists() and (tmp_path / "w1" / r["b_path"]).exists()
    assert sum(r["diff_types"].count("|") == 0 for r in rows) == 18  # half one edit, half two
    by_family: dict[str, set[str]] = {}
    for r in rows:
        by_family.setdefault(r["family"], set()).update((r["a_path"], r["b_path"]))
    assert all(len(members) >= 6 for members in by_family.values())  # a query's siblings share its gallery


def test_the_demo_librarys_recordings_never_enter_a_family(toy_dir: Path) -> None:
    from training.demo_families import demo_groups

    groups = demo_groups(toy_dir)
    assert groups  # the toy demo uses some recordings
    demo_files = {r["file"] for r in read_split(toy_dir) if r["group"] in groups}
    for split in ("dev", "val"):
        pool = pool_without_demo(toy_dir, split)
        used = {f.path for files in (*pool.backgrounds.values(), *pool.events.values()) for f in files}
        assert used and not used & demo_files
