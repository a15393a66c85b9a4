"""The source catalog: labelling rules, de-duplication, splits, and a tiny resumable run on a built .deb."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from model.sound_vocab import BACKGROUND, EVENT
from tests.helpers import noise, tone
from training.catalog_assemble import assign_splits, deduplicate, majority_label
from training.labelling import family_key, keyword_hits, label_file, path_words

NAMES = ["Speech", "Dog", "Bark", "Rain", "Engine", "Sound effect", "Walk, footsteps", "Clang", "Music"]


def scores(**values: float) -> np.ndarray:
    """(len(NAMES),) probabilities; keywords name the AudioSet classes ('Walk, footsteps' -> Walk)."""
    out = np.zeros(len(NAMES), dtype=np.float32)
    for key, v in values.items():
        out[[i for i, n in enumerate(NAMES) if n.split(",")[0].replace(" ", "_") == key][0]] = v
    return out


# --- keywords -----------------------------------------------------------------------------------

def test_path_words_split_separators_digits_and_camel_case() -> None:
    assert path_words("/snd/animals/DogBark_02.ogg") == [["dog", "bark"], ["animals"], ["snd"]]
    assert path_words("a.pk3::sound/rain-loop3.wav") == [["rain", "loop"], ["sound"], ["a", "pk"]]


def test_keyword_hits_are_whole_words_with_plurals_and_depth() -> None:
    assert keyword_hits("/x/dogs/yelp.ogg") == {"dog": 1}
    assert "cat" not in keyword_hits("/x/cathedral_organ.ogg")
    assert "rain" not in keyword_hits("/x/train_pass.ogg")
    assert keyword_hits("/x/train_pass.ogg")["train"] == 0
    assert keyword_hits("/x/power_up.ogg") == {"teleport": 0}  # keyword with a separator


def test_footsteps_win_over_the_material_they_walk_on() -> None:
    hits = keyword_hits("/snd/footsteps/metal_2.ogg")
    assert "footsteps" in hits and "metal_clank" not in hits


# --- rules --------------------------------------------------------------------------------------

def label(path: str, mean: np.ndarray, peak: np.ndarray | None = None, duration: float = 2.0):
    return label_file(path, duration, mean, mean if peak is None else peak, NAMES)


def test_keyword_confirmed_by_yamnet() -> None:
    lab = label("/snd/dog_bark1.ogg", scores(Dog=0.3), scores(Dog=0.7))
    assert (lab.label, lab.source) == ("dog", "keyword+yamnet")


def test_keyword_alone_when_yamnet_is_unsure() -> None:
    lab = label("/snd/dog_bark1.ogg", scores(Music=0.1))
    assert (lab.label, lab.source) == ("dog", "keyword")


def test_keyword_contradicted_by_confident_yamnet_gives_no_label() -> None:
    lab = label("/snd/heavytraffic_rain.wav", scores(Speech=0.95))  # a voice saying the words
    assert lab.label == ""
    assert "contradicted" in lab.reason


def test_most_specific_confirmed_keyword_wins() -> None:
    lab = label("/snd/rain/dog.ogg", scores(Dog=0.5, Rain=0.5))
    assert lab.label == "dog"
    lab = label("/snd/rain/dog.ogg", scores(Rain=0.5))  # only the folder's class is confirmed
    assert lab.label == "rain"


def test_two_unconfirmed_keywords_at_one_depth_are_ambiguous() -> None:
    lab = label("/snd/dog_rain.ogg", scores())
    assert lab.label == "" and "ambiguous" in lab.reason


def test_yamnet_alone_needs_high_confidence_and_a_specific_class() -> None:
    assert label("/snd/x17.ogg", scores(Rain=0.8)).source == "yamnet"
    assert label("/snd/x17.ogg", scores(Rain=0.8)).label == "rain"
    assert label("/snd/x17.ogg", scores(Rain=0.3)).label == ""
    assert label("/snd/x17.ogg", scores(Sound_effect=0.9)).label == ""  # generic AudioSet class


def test_roles() -> None:
    assert label("/snd/rain_light.ogg", scores(), duration=6).role == BACKGROUND
    assert label("/snd/rain_light.ogg", scores(), duration=3).role == EVENT
    assert label("/snd/dog_bark.ogg", scores(), duration=20).role == EVENT
    assert label("/snd/engine_idle.ogg", scores(), duration=6).role == EVENT  # 'both' class, short, no loop
    assert label("/snd/engine_loop.ogg", scores(), duration=6).role == BACKGROUND
    assert label("/snd/engine_idle.ogg", scores(), duration=12).role == BACKGROUND
    assert label("/snd/amb/x17.ogg", scores(), duration=6).role == BACKGROUND  # unlabelled ambience


def test_family_key_groups_variants_only() -> None:
    keys = {family_key("p", p) for p in ("/s/bark1.ogg", "/s/bark_02.ogg", "/s/bark-b.ogg", "/s/bark.wav")}
    assert len(keys) == 1
    assert family_key("p", "/s/bark1.ogg") != family_key("p", "/t/bark1.ogg")
    assert family_key("p", "/s/growl.ogg") != family_key("p", "/s/bark.ogg")


# --- de-duplication and splits ------------------------------------------------------------------

def test_deduplicate_keeps_first_of_each_audio_hash() -> None:
    rows = [{"audio_md5": h} for h in ("a", "b", "a", "c", "b")]
    keep, dropped = deduplicate(rows)
    assert keep == [0, 1, 3]
    assert dropped == {2: 0, 4: 1}


def test_majority_label() -> None:
    assert majority_label(["", "dog", "dog", "rain"]) == "dog"
    assert majority_label(["", ""]) == ""


def _groups(n_packages: int = 5, per_label: int = 30) -> tuple[dict[str, str], dict[str, str]]:
    labels, packages = {}, {}
    for i in range(per_label * 3):
        g = f"g{i:03d}"
        labels[g] = ["dog", "rain", ""][i % 3]
        packages[g] = f"pkg{i % n_packages}"
    return labels, packages


def test_splits_are_deterministic_and_hold_out_whole_packages() -> None:
    labels, packages = _groups()
    a = assign_splits(labels, packages, ["pkg0"], seed=3)
    assert a == assign_splits(labels, packages, ["pkg0"], seed=3)
    assert a != assign_splits(labels, packages, ["pkg0"], seed=4)
    assert all((a[g] == "ood") == (packages[g] == "pkg0") for g in labels)
    for lab in ("dog", "rain", ""):
        n = [a[g] for g in labels if labels[g] == lab and a[g] != "ood"]
        assert n.count("eval") == n.count("val") == round(0.1 * len(n))


@pytest.mark.parametrize("n, expected", [(3, (3, 0, 0)), (5, (5, 0, 0)), (6, (5, 0, 1)), (7, (5, 1, 1)),
                                         (20, (16, 2, 2))])
def test_rare_labels_keep_five_groups_in_train(n: int, expected: tuple[int, int, int]) -> None:
    labels = {f"g{i}": "dog" for i in range(n)}
    a = assign_splits(labels, {g: "pkg" for g in labels}, [], seed=0)
    assert tuple(list(a.values()).count(s) for s in ("train", "val", "eval")) == expected


# --- a tiny run on a generated .deb -------------------------------------------------------------

def _wav_bytes(samples: np.ndarray, sr: int, fmt: str = "WAV") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, sr, format=fmt, subtype="PCM_16")
    return buf.getvalue()


def build_deb(root: Path, package: str = "toy-data") -> Path:
    """A .deb holding sounds (one duplicate, one too short, one corrupt), a zip of sounds and a copyright."""
    tree = root / package
    snd = tree / "usr/share/games/toy/sounds"
    (snd / "animals").mkdir(parents=True)
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN/control").write_text(
        f"Package: {package}\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: toy\n")
    doc = tree / f"usr/share/doc/{package}"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text("Files: *\nLicense: CC0-1.0\n")
    dog = 0.5 * noise(1.0, sr=22_050, seed=1)
    (snd / "animals/dog_bark1.wav").write_bytes(_wav_bytes(dog, 22_050))
    (snd / "animals/dog_bark_copy.wav").write_bytes(_wav_bytes(dog, 22_050))  # same audio
    (snd / "beep_short.wav").write_bytes(_wav_bytes(tone(1000, 0.1), 16_000))
    (snd / "broken.ogg").write_bytes(b"OggS not really")
    (snd / "rain_loop.flac").write_bytes(_wav_bytes(0.1 * noise(5.0, sr=44_100, seed=2), 44_100, "FLAC"))
    with zipfile.ZipFile(snd / "pack.pk3", "w") as zf:
        zf.writestr("sound/engine_idle.wav", _wav_bytes(tone(110, 1.5), 16_000))
        zf.writestr("readme.txt", "not audio")
    deb = root / f"{package}_1.0_all.deb"
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", str(tree), str(deb)], check=True,
                   capture_output=True)
    shutil.rmtree(tree)
    return deb


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb not installed")
    from training.catalog import main

    root = tmp_path_factory.mktemp("catalog")
    debs = root / "debs"
    debs.mkdir()
    build_deb(debs)
    out, tables = root / "out", root / "tables"
    args = ["--debs", str(debs), "--out", str(out), "--workers", "1", "--nice", "0",
            "--ood", "--tables-dir", str(tables)]
    assert main(args) == 0
    return {"args": args, "out": out, "tables": tables}


def read_catalog(out: Path) -> list[dict]:
    with open(out / "catalog.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_tiny_run_keeps_decodable_distinct_files(tiny_run: dict) -> None:
    out = tiny_run["out"]
    rows = read_catalog(out)
    paths = sorted(r["source_path"].removeprefix("/usr/share/games/toy/sounds/") for r in rows)
    assert paths == ["animals/dog_bark1.wav", "pack.pk3::sound/engine_idle.wav", "rain_loop.flac"]
    with open(out / "skipped.csv", newline="") as f:
        reasons = {r["source_path"].rsplit("/", 1)[-1]: r["reason"] for r in csv.DictReader(f)}
    assert reasons["dog_bark_copy.wav"].startswith("duplicate of")
    assert reasons["beep_short.wav"].startswith("too short")
    assert reasons["broken.ogg"].startswith("undecodable")
    for r in rows:
        info = sf.info(str(out / r["file"]))
        assert (info.samplerate, info.channels, info.format, info.subtype) == (16_000, 1, "FLAC", "PCM_16")
    dog = next(r for r in rows if "dog_bark1" in r["source_path"])
    assert dog["orig_sample_rate"] == "22050" and dog["label"] == "dog" and dog["split"] in ("train", "val", "eval")
    rain = next(r for r in rows if "rain_loop" in r["source_path"])
    assert rain["label"] == "rain" and rain["role"] == BACKGROUND
    z = np.load(out / "yamnet_scores.npz")
    assert list(z["clip_id"]) == [r["clip_id"] for r in rows]
    assert z["mean"].shape == z["max"].shape == (3, 521)
    assert np.all(z["max"].astype(np.float32) >= z["mean"].astype(np.float32))
    assert (out / "copyright/toy-data.txt").read_text().startswith("Files: *")
    assert "toy-data" in (tiny_run["tables"] / "provenance.tsv").read_text()


def test_tiny_run_resumes_only_missing_chunks(tiny_run: dict) -> None:
    from training.catalog import chunk_path, done_marker, main

    out = tiny_run["out"]
    before = read_catalog(out)
    chunk = chunk_path(out, "toy-data", 0)
    stamp = chunk.stat().st_mtime_ns
    assert main(tiny_run["args"]) == 0  # package done: nothing recomputed
    assert chunk.stat().st_mtime_ns == stamp
    done_marker(out, "toy-data").unlink()
    chunk.unlink()  # as if killed before the chunk was saved
    assert main(tiny_run["args"]) == 0
    assert chunk.exists() and done_marker(out, "toy-data").exists()
    assert read_catalog(out) == before


def test_ambience_class_never_names_a_short_file() -> None:
    assert label("/snd/forest/woodpecker_attack.ogg", scores(), duration=0.7).label == ""
    assert label("/snd/forest/birds_day.ogg", scores(), duration=0.7).label == "chirping_birds"
    assert label("/snd/forest_day.ogg", scores(), duration=30).label == "forest_ambience"


def test_label_samples_sheet_lists_each_label(tiny_run: dict) -> None:
    from training.catalog_tables import label_samples

    sheet = label_samples(read_catalog(tiny_run["out"]), per_class=1)
    assert "== dog: 1 files" in sheet and "== rain: 1 files" in sheet


def test_attack_fire_is_not_fire_and_death_yields_to_the_animal() -> None:
    assert "fire" not in keyword_hits("/audio/attack/fire/c_17.ogg")
    assert keyword_hits("/audio/fire/fire_small.ogg") == {"fire": 0}
    assert keyword_hits("/audio/actor/fauna/death/death_horse_10.ogg") == {"horse": 0}
    assert keyword_hits("/audio/actor/human/death/death_12.ogg") == {"pain_grunt": 0}
    assert keyword_hits("/audio/attack/impact/arrow_metal_03.ogg") == {"arrow": 0}


def test_music_folders_win_and_high_folders_are_not_read() -> None:
    assert keyword_hits("/supertux2/music/forest/forest.ogg") == {"music": 2}
    assert "aircraft" not in keyword_hits("/flightgear/Aircraft/c172p/Sounds/lever.wav")
    assert keyword_hits("/flightgear/Aircraft/c172p/Sounds/engine.wav") == {"car_engine": 0}


def test_a_folder_keyword_yields_sooner_to_yamnet() -> None:
    assert label("/snd/alarm/notify_ally.ogg", scores(Music=0.6)).label == ""  # a music sting
    assert label("/snd/alarm_ally.ogg", scores(Music=0.6)).label == "alarm"


def test_an_aircraft_engine_is_the_aircraft() -> None:
    assert keyword_hits("/sounds/jet_engine_start.wav") == {"aircraft": 0}
    assert keyword_hits("/sounds/hh65/engine_start.wav") == {"helicopter": 1}


def test_a_blocked_class_is_not_named_by_yamnet_alone_either() -> None:
    assert label("/audio/attack/fire/c_15.ogg", scores(Rain=0.9)).label == "rain"
    fire_names = NAMES + ["Fire"]
    mean = np.zeros(len(fire_names), dtype=np.float32)
    mean[-1] = 0.9
    assert label_file("/audio/attack/fire/c_15.ogg", 2.0, mean, mean, fire_names).label == ""
    assert label_file("/audio/amb/c_15.ogg", 2.0, mean, mean, fire_names).label == "fire"


def test_a_catalog_keeps_one_arithmetic(tmp_path: Path) -> None:
    from training.catalog import check_arithmetic

    out = tmp_path / "catalog"
    check_arithmetic(out, "legacy")
    check_arithmetic(out, "legacy")  # resuming the same way is fine
    with pytest.raises(SystemExit, match="--arithmetic legacy"):
        check_arithmetic(out, "exact")  # scores of two arithmetics never mix in one catalog
    check_arithmetic(tmp_path / "other", "exact")
