"""v2 pair sampler: families, edits that really differ a from b, file gain independent of the edit,
determinism, resumability, and no `ood` source ever used."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from model.edits import parse_edits
from training import mixer_dsp as dsp
from training.mixer import MAIN, FileChain, SourceCache, render
from training.mixer_sidecar import read_sidecar
from training.pair_plan import EDIT_DB, SNR_BOUNDS, signature
from training.pairs_v2 import PAIR_FIELDS, SPLITS, family_rng, main, pair_rows, plan, scene_possible
from training.scenes_v2 import SCENE_ORDER, SCENES_V2
from training.source_pool import load_pool, read_classes
from training.tiny_catalog import make_tiny_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_catalog(tmp_path_factory.mktemp("catalog"))


def all_families(catalog: Path, split: str = "dev", n_pairs: int = 60):
    pool = load_pool(catalog, split)
    return {scene: plan(0, scene, split, n_pairs, pool) for scene in SCENE_ORDER if scene_possible(scene, pool)}


def test_pool_never_reads_ood_and_keeps_splits_apart(catalog):
    for split, wanted in (("dev", "_train_"), ("val", "_val_"), ("eval", "_eval_")):
        pool = load_pool(catalog, split)
        ids = [s.clip_id for group in (*pool.events.values(), *pool.beds.values(), pool.others) for s in group]
        assert ids and all(wanted in i and not i.startswith("ood_") for i in ids)
    with pytest.raises(ValueError):
        load_pool(catalog, "ood")


def test_plans_are_deterministic_and_a_larger_count_extends_a_smaller_one(catalog):
    pool = load_pool(catalog, "dev")
    small, large = plan(7, "forest", "dev", 10, pool), plan(7, "forest", "dev", 40, pool)
    assert large[: len(small)] == small
    assert plan(7, "forest", "dev", 10, pool) == small
    assert plan(8, "forest", "dev", 10, pool) != small


def test_two_edit_share_sets_how_many_versions_carry_two_edits(catalog):
    pool = load_pool(catalog, "dev")

    def share(p_two: float | None) -> float:
        kw = {} if p_two is None else {"p_two": p_two}
        members = [m for fam in plan(4, "forest", "dev", 300, pool, **kw) for m in fam.members]
        return float(np.mean([len(m.edits) == 2 for m in members]))

    assert plan(4, "forest", "dev", 30, pool, 0.4) == plan(4, "forest", "dev", 30, pool)  # 0.4: the default
    assert share(0.0) == 0.0
    low, high = share(None), share(0.7)
    assert 0.25 < low < 0.5 < 0.6 < high  # a second edit can be infeasible, so a share is a ceiling


def test_families_hold_two_to_four_different_edits_of_one_clip(catalog):
    for scene, families in all_families(catalog).items():
        for fam in families:
            assert 2 <= len(fam.members) <= 4, scene
            assert len({signature(m.edits) for m in fam.members}) == len(fam.members)
            assert all(m.b.room == fam.a.room for m in fam.members)  # same room and microphone
        rows = pair_rows(families, scene, "dev", 0, read_classes(catalog))
        by_family: dict[str, set[str]] = {}
        for row in rows:
            by_family.setdefault(row["family"], set()).add(row["a_path"])
        assert all(len(paths) == 1 for paths in by_family.values())


def test_edits_are_consistent_with_labels_levels_and_bounds(catalog):
    classes = read_classes(catalog)
    n_edits = Counter()
    for scene, families in all_families(catalog, n_pairs=150).items():
        for row, (fam, m) in zip(pair_rows(families, scene, "dev", 0, classes),
                                 [(f, m) for f in families for m in f.members], strict=True):
            edits = parse_edits(row["edits"])
            assert row["diff_types"] == "|".join(str(e) for e in edits)
            n_edits[len(edits)] += 1
            assert len({e.sound for e in edits}) == len(edits) and sum(e.is_main for e in edits) <= 1
            labels_a, labels_b = set(fam.a.labels), set(m.b.labels)
            added = {e.sound for e in edits if e.kind == "add"}
            removed = {e.sound for e in edits if e.kind == "remove"}
            assert labels_b == (labels_a | added) - removed and not added & labels_a and removed <= labels_a
            for e in edits:
                if e.kind in ("louder", "quieter"):
                    assert EDIT_DB[0] <= abs(e.amount_db) <= EDIT_DB[1] and (e.amount_db > 0) == (e.kind == "louder")
                    assert e.is_main == (e.sound == fam.a.main_label)
            for clip in (fam.a, m.b):
                for s in clip.sounds:
                    if s.role != MAIN:
                        assert SNR_BOUNDS[0] - 0.1 <= s.level_db - clip.reference_db <= SNR_BOUNDS[1] + 0.1
                    assert s.onset + s.duration <= clip.duration + 1e-6
            assert [row[k] for k in ("labels_a", "labels_b")] == [
                " ".join("1" if c in labels else "0" for c in classes) for labels in (labels_a, labels_b)]
    two = n_edits[2] / sum(n_edits.values())
    assert 0.3 < two < 0.5


def test_every_class_is_used_as_event_or_main_sound(catalog):
    used = set()
    for families in all_families(catalog, n_pairs=200).values():
        for fam in families:
            for clip in (fam.a, *(m.b for m in fam.members)):
                used |= {s.label for s in clip.sounds if s.label}
    assert used == set(read_classes(catalog))


def _neutral(clip):
    """The clip without microphone filters or file chain, so a and b can be subtracted sample by sample."""
    return replace(clip, room=replace(clip.room, mic_highpass_hz=0.0, mic_tilt_db=0.0), file=FileChain())


def test_rendered_b_differs_from_a_exactly_where_the_edit_says(catalog):
    cache = SourceCache(catalog)
    seen = Counter()
    for scene in ("rain", "isolated", "city_street"):
        for fam in plan(3, scene, "dev", 40, load_pool(catalog, "dev")):
            a = render(_neutral(fam.a), cache)
            for m in fam.members:
                if len(m.edits) != 1:
                    continue
                e, b = m.edits[0], render(_neutral(m.b), cache)
                n = min(len(a.mix), len(b.mix))
                diff = b.mix[:n] - a.mix[:n]
                seen[e.kind] += 1
                if e.kind == "add":
                    i = len(m.b.sounds) - 1
                    start, stop = b.spans[f"sound{i}"]
                    assert np.max(np.abs(diff[:start])) < 1e-5
                    assert dsp.rms_db(diff[start:stop]) == pytest.approx(m.b.sounds[i].level_db, abs=0.5)
                elif e.kind == "remove":
                    i = next(k for k, s in enumerate(fam.a.sounds) if s.label == e.sound)
                    start, stop = a.spans[f"sound{i}"]
                    assert np.max(np.abs(diff[:start])) < 1e-5
                    assert dsp.rms_db(-diff[start:stop]) == pytest.approx(fam.a.sounds[i].level_db, abs=0.5)
                elif not e.is_main:  # an event louder / quieter: the residual is (g - 1) x the event
                    i = next(k for k, s in enumerate(fam.a.sounds) if s.label == e.sound)
                    start, stop = a.spans[f"sound{i}"]
                    assert np.max(np.abs(diff[:start])) < 1e-5
                    expected = fam.a.sounds[i].level_db + 20 * np.log10(abs(10 ** (e.amount_db / 20) - 1))
                    assert dsp.rms_db(diff[start:stop]) == pytest.approx(expected, abs=0.5)
                elif fam.a.bed is not None and fam.a.bed.named:  # the bed louder / quieter
                    bed_a = a.stems["bed"][:n]
                    assert np.allclose(b.stems["bed"][:n], bed_a * 10 ** (e.amount_db / 20), atol=1e-5)
    assert all(seen[k] > 0 for k in ("add", "remove", "louder", "quieter"))


def test_file_level_is_weak_evidence_of_louder(catalog):
    """With per-file gain drawn apart from the edit, a 'louder' b is often the quieter file."""
    cache = SourceCache(catalog)
    louder_b_quieter_file = total = 0
    for fam in plan(5, "traffic", "dev", 120, load_pool(catalog, "dev")):
        members = [m for m in fam.members if [e.kind for e in m.edits] == ["louder"] and m.edits[0].is_main]
        if not members:
            continue
        a = render(fam.a, cache)
        for m in members:
            assert m.b.file != fam.a.file
            total += 1
            louder_b_quieter_file += dsp.rms_db(render(m.b, cache).audio) < dsp.rms_db(a.audio)
    assert total >= 8
    assert louder_b_quieter_file / total >= 0.2


def test_cli_writes_pairs_and_sidecars_resumably_without_ood(catalog, tmp_path: Path):
    out = tmp_path / "pairs"
    argv = ["--catalog", str(catalog), "--out", str(out), "--seed", "1", "--pairs-per-scene", "dev=6,val=4",
            "--scenes", "rain,isolated", "--workers", "1", "--nice", "0"]
    assert main(argv) == 0
    used = json.loads((out / "catalog_used.json").read_text())
    assert used["classes"] == list(read_classes(catalog)) and used["counts"] == {"dev": 6, "val": 4}
    for scene in ("rain", "isolated"):
        for split in ("dev", "val"):
            folder = out / scene / split
            with open(folder / "pairs.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            assert list(rows[0]) == PAIR_FIELDS and len(rows) >= {"dev": 6, "val": 4}[split]
            assert (folder / "classes.txt").read_text().split() == list(read_classes(catalog))
            assert all(r["text"] == "" and r["split"] == split for r in rows)
            wanted = {"dev": "_train_", "val": "_val_"}[split]
            for rel in {p for r in rows for p in (r["a_path"], r["b_path"])}:
                doc = read_sidecar(folder / rel)
                bed = [doc["background"]["clip_id"]] if doc["background"] else []
                ids = [s["clip_id"] for s in doc["sounds"]] + bed
                assert all(wanted in i and not i.startswith("ood_") for i in ids)
                audio, sr = sf.read(folder / rel)
                assert sr == 16_000 and len(audio) / sr == pytest.approx(doc["duration"], abs=1e-3)
    clips = sorted((out / "rain" / "dev").rglob("*.flac"))
    stamps = {p: p.stat().st_mtime_ns for p in clips}
    before = sf.read(clips[0])[0]
    clips[0].unlink()
    assert main(argv) == 0
    assert all(p.stat().st_mtime_ns == stamps[p] for p in clips[1:])  # finished clips are not rendered again
    np.testing.assert_array_equal(sf.read(clips[0])[0], before)  # the missing one comes back identical
    stale = clips[1].with_suffix(".json")
    stale.write_text(stale.read_text().replace('"spec_sha1": "', '"spec_sha1": "old'))
    assert main(argv) == 0
    assert clips[1].stat().st_mtime_ns != stamps[clips[1]]  # made from another spec: rendered again
    assert all(p.stat().st_mtime_ns == stamps[p] for p in clips[2:])


def test_family_rng_depends_on_every_key():
    draws = {tuple(family_rng(s, sc, sp, f).integers(1 << 30, size=2)) for s in (0, 1) for sc in ("rain", "forest")
             for sp in SPLITS for f in (0, 1)}
    assert len(draws) == 2 * 2 * 3 * 2


def test_a_bed_class_without_background_recordings_loops_its_longer_ones(catalog, tmp_path: Path):
    with open(catalog / "catalog.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["label"] == "rain":
            row["role"] = "event"
    copy = tmp_path / "catalog"
    copy.mkdir()
    (copy / "classes.json").write_text((catalog / "classes.json").read_text())
    with open(copy / "catalog.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    pool = load_pool(copy, "val")
    assert [s.clip_id for s in pool.beds["rain"]] == ["rain_val_0"]
    assert "thunder" not in pool.beds  # an event class is never looped as a bed


def test_fallback_beds_only_when_no_scene_bed_is_available():
    traffic = SCENES_V2["traffic"]
    assert traffic.bed_choices({"traffic", "car_engine"}) == ["traffic"]
    assert traffic.bed_choices({"car_engine", "rain"}) == ["car_engine"]
    assert traffic.bed_choices({"rain"}) == []
