"""Description generator, the parser read back on its output, and describe_pairs on a tiny CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit, format_edits
from model.modifier_parser import parse_modifier
from training import describe_pairs
from training.parser_eval import edits_match, eval_free, random_edits
from training.wording import FAMILIES, describe, families_for, misspell
from training.wording_templates import HELDOUT_FAMILIES


def test_generator_is_deterministic_and_marks_heldout() -> None:
    edits = [Edit(ADD, "dog"), Edit(QUIETER, "rain", True)]
    first = [describe(edits, np.random.default_rng(7), main_sound="rain") for _ in range(3)]
    assert first[0] == first[1] == first[2]
    texts = {describe(edits, np.random.default_rng(s), main_sound="rain").text for s in range(30)}
    assert len(texts) > 20
    seen = [describe(edits, np.random.default_rng(s), main_sound="rain") for s in range(200)]
    held = [describe(edits, np.random.default_rng(s), main_sound="rain", heldout=True) for s in range(200)]
    assert not any(d.is_heldout or d.family in HELDOUT_FAMILIES for d in seen)
    assert all(d.is_heldout for d in held) and any(d.family == "request" for d in held)
    seen_ids = {part for d in seen for part in d.template_id.split("+")}
    held_ids = {part for d in held for part in d.template_id.split("+")}
    assert not seen_ids & held_ids


def test_pronoun_family_says_it_for_the_main_sound_only() -> None:
    d = describe([Edit(QUIETER, "rain", True)], np.random.default_rng(0), main_sound="rain", family="pronoun")
    assert "rain" not in d.text.lower() and parse_modifier(d.text).edits == [Edit(QUIETER, None, True)]
    assert "pronoun" not in families_for([Edit(ADD, "dog")], "rain", False)
    unnamed = describe([Edit(LOUDER, None, True)], np.random.default_rng(1), main_sound=None, family="caption")
    assert parse_modifier(unnamed.text).edits == [Edit(LOUDER, None, True)]


def test_misspell_changes_one_long_word_by_one_edit() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        text = misspell("make the thunder quieter", rng)
        changed = [(a, b) for a, b in zip("make the thunder quieter".split(), text.split(), strict=True) if a != b]
        assert len(changed) == 1 and len(changed[0][0]) >= 5 and abs(len(changed[0][0]) - len(changed[0][1])) <= 1


@pytest.mark.parametrize("family", [f for f in FAMILIES if f not in HELDOUT_FAMILIES and f != "typo"])
def test_parser_reads_seen_phrasings_back(family: str) -> None:
    rng = np.random.default_rng(11)
    right = total = 0
    while total < 120:
        edits, main = random_edits(rng, 1 + total % 2)
        if family not in families_for(edits, main, False):
            continue
        text = describe(edits, rng, main_sound=main, family=family).text
        right += edits_match(edits, parse_modifier(text, main_sound=main), main)
        total += 1
    assert right / total >= 0.97


def test_free_phrasing_set_is_read() -> None:
    free = eval_free()
    assert free["n"] >= 60 and free["n_two"] >= 15
    assert 0.0 <= free["exact"] <= 1.0


def test_describe_pairs_fills_a_tiny_csv(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    rows = [{"pair_id": f"p{i}", "scene": "rain", "split": split, "a_path": "a.flac",
             "edits": format_edits([Edit(REMOVE, "dog"), Edit(LOUDER, "rain", True)] if i % 2 else [Edit(ADD, "owl")]),
             "text": ""} for i, split in enumerate(["dev"] * 20 + ["val"] * 20 + ["eval"] * 60)]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert describe_pairs.main([str(path)]) == 0
    first = path.read_text()
    describe_pairs.main([str(path)])
    assert path.read_text() == first  # seeded by pair_id: a rerun writes the same file
    with open(path, newline="") as f:
        out = list(csv.DictReader(f))
    assert [r["a_path"] for r in out] == ["a.flac"] * 100 and all(r["text"] and r["phrasing_family"] for r in out)
    assert all(r["is_heldout_phrasing"] == "0" for r in out if r["split"] != "eval")
    held = [r["is_heldout_phrasing"] == "1" for r in out if r["split"] == "eval"]
    assert 0.1 < np.mean(held) < 0.6


def test_parser_read_back_on_pairs_written_apart(tmp_path):
    from training.parser_eval import eval_pairs

    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text("pair_id,text,edits,phrasing_family\n"
                        "1,add a dog,add:dog:0:0.0,imperative\n"
                        "2,lose the horn and more rain,remove:car_horn:0:0.0|louder:rain:1:6.0,studio\n"
                        "3,make it glorious,quieter:rain:1:-6.0,studio\n")
    got = eval_pairs([csv_path])
    assert got["all"] == {"exact": 2 / 3, "n": 3}
    assert got["family:imperative"]["exact"] == 1.0 and got["family:studio"]["exact"] == 0.5
    assert got["edits:2"] == {"exact": 1.0, "n": 1}
