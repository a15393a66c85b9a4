"""The misspelling probe of MODEL_CARD "Reader 15"."""

from __future__ import annotations

from training.spelling_probe import compare, recovered, slips


def test_slips_are_one_letter_dropped_swapped_or_doubled_keeping_the_first() -> None:
    assert slips("rain") == {"rin", "ran", "rai", "rian", "rani", "raain", "raiin", "rainn"}


def test_compare_counts_a_misspelling_lost_only_when_no_slot_reads_the_word() -> None:
    other = {"ths": ["this", "this", "this"], "brak": ["bark", "bark", "bark"], "lon": ["long", "lon", "lon"]}
    mine = {"ths": ["this", "the", "the"], "brak": ["bark", "bark", "break"], "lon": ["long", "long", "long"]}
    assert recovered(mine["brak"]) and not recovered(mine["ths"])
    assert compare(mine, other) == (["ths"], ["lon"])
