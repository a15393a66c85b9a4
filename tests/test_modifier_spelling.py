"""Words that look like others, as the reader reads them: misspelt words as the known words they stand for
(model.modifier_spelling), real words, sound words and nouns that double as studio verbs as typed."""

from __future__ import annotations

from model.modifier_parser import correct_spelling, parse_modifier


def _read(text: str) -> list[str]:
    return [f"{e.kind}:{e.sound or 'it'}" for e in parse_modifier(text).edits]


def test_small_misspellings() -> None:
    assert _read("remove the thuder") == ["remove:thunder"]
    assert _read("make the trafic quieter") == ["quieter:traffic"]
    assert _read("add a dog barkng") == ["add:dog"]
    assert _read("tame the tran") == ["quieter:train"]  # 4-letter typo of a 5-letter word
    assert correct_spelling("wings") == "wings"  # two edits from "wind"


def test_typos_of_short_words_and_kinds_of_slip() -> None:
    assert _read("make the rian quieter") == ["quieter:rain"]  # swap in a 4-letter word
    assert _read("add a dgo") == ["add:dog"]
    assert _read("tunr it down") == ["quieter:it"]
    assert _read("lsoe the horn") == ["remove:car_horn"]
    assert _read("make it quiter") == ["quieter:it"]  # "quieter", not the filler "quite"
    assert _read("make the rain lowder") == ["louder:rain"]  # a wrong letter before a missing one
    assert _read("sprinkle in a ravn") == ["add:crow"]  # a dropped letter (raven) before a wrong one (rain)
    assert _read("eliminate the crowws cawing") == ["remove:crow"]  # a doubled letter
    assert _read("add a car hron") == ["add:car_horn"]


def test_a_word_that_sounds_the_same_beats_two_slips() -> None:
    assert _read("add some laffing") == ["add:laughter"]  # laughing, not "lapping" (waves), two letters away
    assert _read("add lapping") == ["add:sea_waves"]
    assert correct_spelling("scarier") != "score"  # sounds alike, but two letters shorter: not a music word


def test_a_word_where_the_verb_stands_is_read_as_the_verb() -> None:
    assert _read("boot the crickets") == ["louder:insects"]  # a common word, but where a verb stands
    assert _read("rise the rain") == ["louder:rain"]
    assert _read("crak the raven") == ["louder:crow"]  # crank / creak / croak: the verb
    assert correct_spelling("boot") == "boot" and correct_spelling("love", verb_slot=True) == "love"


def test_real_words_are_never_corrected_into_sounds() -> None:
    assert _read("lose the cows and the sheep") == ["remove:cow", "remove:sheep"]  # not "crows"
    assert _read("tuck the wind under") == ["quieter:wind"]  # not "truck" (a car engine)
    for word in ("tuck", "hiss", "cows", "wings", "bard"):
        assert correct_spelling(word) == word


def test_a_rare_word_one_vowel_from_a_known_one_stays_as_typed() -> None:
    """Reader 32: "shutter" is no "shatter", "drip" no "drop"; a consonant that sounds alike stays a slip."""
    assert _read("add a camera shutter") == [] and parse_modifier("add a camera shutter").unknown
    assert [u.kind for u in parse_modifier("add a water drip").unknown] == ["add"]  # not "drop": a removal
    assert correct_spelling("shutter") == "shutter" and correct_spelling("beech") == "beech"
    assert _read("add some musik") == ["add:music"]
    assert _read("add a glas shatter") == ["add:glass_break"]


def test_wind_chimes_and_door_bells_are_bells() -> None:
    assert _read("add wind chimes") == _read("add a wind chime") == _read("add a door bell") == ["add:bell"]
    assert _read("add some wind") == ["add:wind"] and _read("add a door slam") == ["add:door"]


def test_sound_words_are_read_as_typed_not_as_the_known_word_nearby() -> None:
    """Reader 34: sound-design words Nudge has no class for are said to be unknown, never read as another sound."""
    for text, word in (("add a riser", "riser"), ("add a stinger", "stinger"), ("add a stutter", "stutter"),
                       ("add a rattle", "rattle"), ("add a whine", "whine"), ("add cloth rustle", "cloth rustle")):
        parsed = parse_modifier(text)
        assert parsed.edits == [] and [u.word for u in parsed.unknown] == [word], text
    assert _read("add a car crash") == ["add:crash"]
    assert _read("add rustling leaves") == ["add:wind"]


def test_a_level_word_naming_a_sound_after_add_is_that_sound() -> None:
    """Reader 35: "add a duck" asks for a duck (unknown to Nudge), not for "make it quieter"."""
    for text in ("add a duck", "add some ducks", "add the pump"):
        parsed = parse_modifier(text)
        assert parsed.edits == [] and len(parsed.unknown) == 1, text
    assert _read("duck the music") == ["quieter:music"]
    assert _read("add a boost") == ["louder:it"] and _read("add some more") == ["louder:it"]


def test_a_real_word_two_slips_from_a_known_one_is_meant() -> None:
    """Reader 36: "welding" is not walking (two slips), though "musick" and "laffing" still are music and laughter."""
    for text in ("add welding", "add a scooter", "add a guitar strum", "add a bullet whiz"):
        parsed = parse_modifier(text)
        assert parsed.edits == [] and len(parsed.unknown) == 1, text
    assert _read("add some musick") == ["add:music"] and _read("add some laffing") == ["add:laughter"]
