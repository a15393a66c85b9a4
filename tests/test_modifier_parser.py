"""The modifier parser: free text -> edits -> canonical clauses, unknown sound words."""

from __future__ import annotations

import pytest

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.modifier_parser import canonical_text, correct_spelling, modifier_clauses, parse_modifier
from model.text_backbone import split_clauses
from training.wording_templates import JOINERS, SHARED_VERB_JOINERS


def _read(text: str) -> list[str]:
    return [f"{e.kind}:{e.sound or 'it'}" for e in parse_modifier(text).edits]


def test_canonical_texts_use_each_class_first_name() -> None:
    assert canonical_text(Edit(ADD, "dog")) == "add dog barking"
    assert canonical_text(Edit(REMOVE, "car_horn")) == "remove the car horn"
    assert canonical_text(Edit(LOUDER, "rain", True)) == "make the rain louder"
    assert canonical_text(Edit(QUIETER, None, True)) == "make it quieter"
    parsed = parse_modifier("the rain's too loud, pull it back + lose the horn")
    assert parsed.clauses == ["make the rain quieter", "remove the car horn"]
    assert parsed.unknown == [] and parsed.unparsed == []


@pytest.mark.parametrize("text, edits", [
    ("make the rain quieter", ["quieter:rain"]),  # imperative
    ("Add the sound of a dog barking in the distance and make the rain a bit louder.", ["add:dog", "louder:rain"]),
    ("needs more rain", ["louder:rain"]),  # studio speak; "more X" reads as louder
    ("lose the horn", ["remove:car_horn"]),
    ("bring the birds up", ["louder:chirping_birds"]),
    ("kill the thunder", ["remove:thunder"]),
    ("take the siren out", ["remove:siren"]),
    ("no more traffic", ["remove:traffic"]),
    ("add a pooch", ["add:dog"]),  # synonyms
    ("add a chopper", ["add:helicopter"]),
    ("could you add a dog?", ["add:dog"]),
    ("how about adding thunder?", ["add:thunder"]),  # inflected verb
])
def test_families(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_comma_keeps_one_edit_and_joiners_make_two() -> None:
    assert _read("the rain's too loud, pull it back") == ["quieter:rain"]
    assert _read("add a dog, barking far away") == ["add:dog"]
    assert _read("the rain's too loud, pull it back, and add thunder") == ["quieter:rain", "add:thunder"]
    for joiner in JOINERS.values():
        text = f"make the rain quieter{joiner}add a dog barking"
        assert _read(text) == ["quieter:rain", "add:dog"], text
    for joiner in SHARED_VERB_JOINERS.values():
        assert _read(f"add rain{joiner}thunder") == ["add:rain", "add:thunder"], joiner
    assert _read("remove the dog as well as the horn") == ["remove:dog", "remove:car_horn"]


def test_a_list_does_not_run_past_an_unread_verb() -> None:
    parsed = parse_modifier("dial back the scream & could use an explosion")
    assert _read("dial back the scream & could use an explosion") == ["quieter:scream"]
    assert parsed.unparsed == ["could use an explosion"]  # kept raw, not read as "quieter explosion"


def test_pronouns_name_the_main_sound() -> None:
    for text in ("make it quieter", "turn it down", "make everything softer", "the whole thing should be quieter"):
        assert parse_modifier(text).edits == [Edit(QUIETER, None, True)], text
    assert _read("turn it up a bit, then add footsteps") == ["louder:it", "add:footsteps"]
    assert parse_modifier("make the rain louder", main_sound="rain").edits == [Edit(LOUDER, "rain", True)]


def test_small_misspellings() -> None:
    assert _read("remove the thuder") == ["remove:thunder"]
    assert _read("make the trafic quieter") == ["quieter:traffic"]
    assert _read("add a dog barkng") == ["add:dog"]
    assert _read("tame the tran") == ["quieter:train"]  # 4-letter typo of a 5-letter word
    assert correct_spelling("rian") == "rian"  # too short to guess
    assert correct_spelling("wings") == "wings"  # two edits from "wind"


def test_unknown_sound_is_reported_not_read_as_another() -> None:
    parsed = parse_modifier("add a kazoo and make the rain quieter")
    assert [e.sound for e in parsed.edits] == ["rain"]
    assert [u.word for u in parsed.unknown] == ["kazoo"]
    assert parsed.clauses == ["add a kazoo", "make the rain quieter"]  # the unknown edit stays raw text
    assert parsed.unknown[0].message().startswith("kazoo: not a sound Nudge knows")
    theremin = parse_modifier("add a theremin").unknown[0]
    assert theremin.audioset == ["Theremin"]  # found among YAMNet's AudioSet classes
    assert theremin.message() == "theremin: not a sound Nudge knows"  # no known class near it
    guitar = parse_modifier("add a guitar").unknown[0]  # AudioSet "Guitar" sits under "Musical instrument"
    assert guitar.message() == "guitar: not a sound Nudge knows; nearest known: music"


def test_unread_text_falls_back_to_raw_clauses() -> None:
    for text in ("make it glorious", "warmer and wetter", "   "):
        assert modifier_clauses(text) == split_clauses(text), text
    parsed = parse_modifier("lose the chatter - it's distracting")
    assert _read("lose the chatter - it's distracting") == ["remove:crowd"]
    assert parsed.clauses == ["remove the crowd", "it's distracting"]


def test_more_edits_than_slots_share_the_last_one() -> None:
    parsed = parse_modifier("add rain and thunder and a dog")
    assert _read("add rain and thunder and a dog") == ["add:rain", "add:thunder", "add:dog"]
    assert parsed.clauses == ["add rain", "add thunder and add dog barking"]
    assert parsed.overflow == ["add dog barking"] and len(parsed.messages()) == 1
    assert len(modifier_clauses("add rain and thunder and a dog", max_clauses=3)) == 3
