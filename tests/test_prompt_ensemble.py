"""Several phrasings of one edit (training.pilots.prompt_ensemble): canonical first, unread text kept as typed."""

import pytest

from model.modifier_parser import modifier_clauses
from training.pilots.prompt_ensemble import MODES, clause_phrasings


def test_canonical_mode_is_what_the_parser_gives_the_model():
    for text in ("add thunder and make the rain quieter", "lose the horn", "make it louder", "add a kazoo"):
        assert [p[0] for p in clause_phrasings(text, 2, "canonical")] == modifier_clauses(text, 2)
        assert all(len(p) == 1 for p in clause_phrasings(text, 2, "canonical"))


def test_every_mode_starts_with_the_canonical_text_and_names_the_same_edit():
    for mode in MODES:
        add, quieter = clause_phrasings("add thunder, then make the rain quieter", 2, mode)
        assert add[0] == "add thunder" and quieter[0] == "make the rain quieter"
        assert len(set(add)) == len(add)
        assert all("thunder" in p for p in add)
    assert clause_phrasings("add thunder", 2, "verbs") == [
        ["add thunder", "add the sound of thunder", "bring in thunder", "with thunder added"]]
    assert len(clause_phrasings("add thunder", 2, "both")[0]) == 16
    assert clause_phrasings("make it quieter", 2, "names") == [["make it quieter"]]
    assert clause_phrasings("make it quieter", 2, "verbs")[0][1:] == ["turn it down", "quieter", "lower the level"]


def test_a_clause_the_parser_did_not_read_stays_as_typed_and_modes_are_checked():
    assert clause_phrasings("add a kazoo", 2, "both") == [[c] for c in modifier_clauses("add a kazoo", 2)]
    with pytest.raises(ValueError, match="unknown phrasing mode"):
        clause_phrasings("add thunder", 2, "all")
