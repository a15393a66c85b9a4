"""The OOD evaluation set: determinism, resumability, sources, phrasing bank, CSV schema, audible levels."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import butter, sosfiltfilt

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit, parse_edits
from model.sound_vocab import VOCAB
from tests.ood_fixtures import make_catalog
from training.ood import render as rd
from training.ood.build import COLUMNS, build
from training.ood.phrasing import FAMILIES, PhrasingBank
from training.ood.sampler import ClipSpec, Layer, Room, apply_edits
from training.ood.scenes import BY_NAME, resolve
from training.ood.sources import load_pool

SCENES = ["rain", "traffic", "isolated"]
N_PAIRS = 7


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_catalog(tmp_path_factory.mktemp("catalog"))


@pytest.fixture(scope="module")
def built(catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ood")
    build(catalog, out, N_PAIRS, seed=3, scenes=SCENES, log=lambda m: None)
    return out


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def digests(out: Path) -> dict[str, str]:
    """md5 of every file; of the samples for WAVs (float WAVs carry a PEAK chunk with a time stamp)."""
    def content(p: Path) -> bytes:
        return sf.read(str(p), dtype="float32")[0].tobytes() if p.suffix == ".wav" else p.read_bytes()

    return {str(p.relative_to(out)): hashlib.md5(content(p)).hexdigest() for p in sorted(out.rglob("*.*"))}


def test_build_is_deterministic_and_resumable(catalog: Path, built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(catalog, again, N_PAIRS, seed=3, scenes=SCENES, log=lambda m: None)
    assert digests(again) == digests(built)
    victim = next((again / "rain" / "audio").glob("*_b1.wav"))
    victim.unlink()
    build(catalog, again, N_PAIRS, seed=3, scenes=SCENES, log=lambda m: None)
    assert digests(again) == digests(built)
    other = tmp_path / "other_seed"
    build(catalog, other, N_PAIRS, seed=4, scenes=["rain"], log=lambda m: None)
    assert read_rows(other / "rain" / "pairs.csv") != read_rows(built / "rain" / "pairs.csv")


def test_only_ood_sources_are_used(built: Path) -> None:
    used = set()
    for row in read_rows(built / "all_pairs.csv"):
        used.update(row["sources"].split())
    for sidecar in built.rglob("*.json"):
        if sidecar.name != "summary.json":
            used.update(layer["source"] for layer in json.loads(sidecar.read_text())["spec"]["layers"])
    assert used and all(s.startswith(("ood-", "synth:")) for s in used), sorted(used)
    assert "synth:traffic" in used  # the tiny catalog has no ood traffic recording
    assert json.loads((built / "summary.json").read_text())["packages"] == ["oodpkg", "procedural"]


def test_csv_schema_and_labels(built: Path) -> None:
    classes = (built / "classes.txt").read_text().split()
    assert "bell" not in classes and "dog" in classes
    rows = read_rows(built / "all_pairs.csv")
    assert len(rows) == N_PAIRS * len(SCENES)
    assert tuple(rows[0]) == COLUMNS
    for scene in SCENES:
        scene_rows = read_rows(built / scene / "pairs.csv")
        assert [r["pair_index"] for r in scene_rows] == [str(i) for i in range(N_PAIRS)]
        for row in scene_rows:
            for column in ("a_path", "b_path"):
                info = sf.info(str(built / scene / row[column]))
                assert info.channels == 2 and info.samplerate in (44100, 48000)
                assert abs(info.duration - float(row[column[0] + "_duration"])) < 1e-3
    for row in rows:
        assert (built / row["query_path"]).exists() and (built / row["target_path"]).exists()
        assert row["split"] == "ood" and row["is_heldout_phrasing"] == "1" and row["phrasing_family"] in FAMILIES
        edits = parse_edits(row["edits"])
        assert row["diff_types"] == "|".join(f"{e.diff_type}:{e.sound}" for e in edits)
        assert int(row["n_edits"]) == len(edits) in (1, 2)
        a, b = set(row["sounds_a"].split()), set(row["sounds_b"].split())
        assert row["labels_a"] == " ".join(str(int(c in a)) for c in classes)
        assert row["labels_b"] == " ".join(str(int(c in b)) for c in classes)
        assert row["edits_known"] == str(int(all(e.sound in classes for e in edits)))
        for edit in edits:
            assert (edit.sound in a, edit.sound in b) == {ADD: (0, 1), REMOVE: (1, 0)}.get(edit.kind, (1, 1))
            assert edit.kind not in (LOUDER, QUIETER) or 4.0 <= abs(edit.amount_db) <= 12.0
    assert {"0", "1"} == {row["edits_known"] for row in rows}
    families: dict[str, list[str]] = {}
    for row in rows:
        families.setdefault(row["family"], []).append(row["edits"])
    assert max(len(v) for v in families.values()) >= 2
    for edits in families.values():
        assert len({"|".join(sorted(p.rsplit(":", 1)[0] for p in e.split("|"))) for e in edits}) == len(edits)


def _bank_regex(bank: PhrasingBank, template_id: str) -> re.Pattern:
    """Every text the bank can give for this template_id (any sound words, amount words, style)."""
    words = {w for forms in bank.sounds.values() for slot in ("the", "a", "bare") for w in forms[slot]}
    words |= {m for forms in bank.sounds.values() for t in forms.get("typo", []) for m in (t, f"the {t}")}
    amounts = {w for k, v in bank.data["amounts"].items() if k != "small_max_db" for w in v}

    def alt(options) -> str:
        return "(?:" + "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True)) + ")"

    subs = {"{the}": alt(words | {"it"}), "{a}": alt(words | {"it"}), "{bare}": alt(words | {"it"}),
            "{is}": "(?:is|are)", "{db}": r"\d+", "{cmp}": alt(amounts), "{adv}": alt(amounts)}

    def clause(cid: str) -> str:
        family, key, i = cid.split(":")
        pattern = re.escape(bank.templates[family][key][int(i)]).replace(re.escape("{the}'s"), "{the}(?:'s| are)")
        for placeholder, sub in subs.items():
            pattern = pattern.replace(re.escape(placeholder), sub)
        return pattern

    parts, _, join = template_id.partition("|join:")
    clauses = [clause(c) for c in parts.split("+")]
    body = clauses[0]
    if join:
        family = parts.split(":")[0]
        body = re.escape(bank.data["joins"][family][int(join)]).replace(re.escape("{1}"), clauses[0]) \
            .replace(re.escape("{2}"), clauses[1])
    ends = alt({e for e, _ in bank.data["styles"][parts.split(":")[0]]["end"]} - {""})
    return re.compile(f"{body}{ends}?", re.IGNORECASE)


def test_every_text_comes_from_the_bank(built: Path) -> None:
    bank = PhrasingBank.load()
    rows = read_rows(built / "all_pairs.csv")
    for row in rows:
        assert _bank_regex(bank, row["template_id"]).fullmatch(row["text"]), (row["template_id"], row["text"])
    assert not _bank_regex(bank, "imperative:add:0").fullmatch("add a dog and make the rain quieter")


def test_bank_covers_every_class_kind_and_family() -> None:
    bank = PhrasingBank.load()
    assert {c.id for c in VOCAB} <= set(bank.sounds)
    for forms in bank.sounds.values():
        assert all(forms[slot] for slot in ("the", "a", "bare"))
    for family in FAMILIES:
        assert {"add", "remove", "louder", "quieter"} <= set(bank.templates[family]) and bank.data["joins"][family]
    rng = np.random.default_rng(0)
    two = (Edit(QUIETER, "rain", True, -6.0), Edit(ADD, "dog"))
    texts = {bank.render(two, True, rng, family).text for family in FAMILIES for _ in range(20)}
    assert len(texts) > 60
    pronoun = bank.render((Edit(ADD, "dog"), Edit(LOUDER, "rain", True, 9.0)), True, rng, "pronoun")
    assert pronoun.template_id.startswith(("pronoun:main_louder", "pronoun:bed_louder"))  # main clause first
    assert "pronoun" not in bank.families_for((Edit(ADD, "dog"),))


def _band_ratio_db(path: Path) -> float:
    """Power of the 3 kHz event band over the < 600 Hz bed band, in dB, read back from the file."""
    x, sr = sf.read(str(path), always_2d=True)
    mono = x.mean(axis=1)
    tone = sosfiltfilt(butter(4, (2700, 3300), "bandpass", fs=sr, output="sos"), mono)
    bed = sosfiltfilt(butter(4, 600, "lowpass", fs=sr, output="sos"), mono)
    return float(10 * np.log10(np.mean(tone ** 2) / np.mean(bed ** 2)))


@pytest.mark.parametrize("fmt", [
    rd.FileFormat(48000, "peak", "none", "PCM_16", 0.5),
    rd.FileFormat(44100, "lufs", "mp3", "PCM_24", 0.8),
    rd.FileFormat(48000, "lufs", "mulaw", "FLOAT", 0.5),
    rd.FileFormat(44100, "peak", "ogg", "PCM_16", 0.7),
    rd.FileFormat(48000, "peak", "pcm8", "PCM_16", 0.5),
])
def test_level_changes_are_measurable_in_the_output(catalog: Path, tmp_path: Path, fmt: rd.FileFormat) -> None:
    pool = load_pool(catalog)
    ss = resolve(BY_NAME["rain"], pool)
    sources = {s.clip_id: s for group in (*pool.events.values(), ss.beds) for s in group}
    room = Room(((0.011, 0.6, 0.4), (0.037, 0.4, 0.5)), 0.031, 0.5, None, None)
    a = ClipSpec("rain", 6.0, (
        Layer("rain", "ood-rain-0", 0.0, 1.0, 6.0, 0.0, 0.0, 0.0, is_main=True),
        Layer("dog", "ood-dog-1", 0.5, 0.0, 3.9, 3.0, 0.3, 0.3)), room, seed=1)
    rng = np.random.default_rng(0)
    cases = {"event_louder": ((Edit(LOUDER, "dog", False, 8.0),), 8.0),
             "bg_louder": ((Edit(LOUDER, "rain", True, 6.0),), -6.0),
             "two_edits": ((Edit(QUIETER, "dog", False, -5.0), Edit(LOUDER, "rain", True, 4.0)), -9.0)}
    rd.write(tmp_path / "a.wav", rd.render(a, fmt, sources), fmt)
    ratio_a = _band_ratio_db(tmp_path / "a.wav")
    for name, (edits, expected) in cases.items():
        b = apply_edits(rng, a, edits, ss, pool.events)
        rd.write(tmp_path / f"{name}.wav", rd.render(b, fmt, sources), fmt)
        measured = _band_ratio_db(tmp_path / f"{name}.wav") - ratio_a
        assert abs(measured - expected) < 1.0, (name, measured, expected)


def test_feedback_comb_matches_the_recursive_filter() -> None:
    from scipy.signal import lfilter

    x = np.random.default_rng(0).standard_normal(3000)
    for delay in (1, 37, 400):
        expected = lfilter([1.0], np.r_[1.0, np.zeros(delay - 1), -0.6], x)
        assert np.allclose(rd.feedback_comb(x, delay, 0.6), expected, atol=1e-12)
