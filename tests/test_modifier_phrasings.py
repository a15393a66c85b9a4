"""Phrasings the modifier reader learnt after reader 36 (MODEL_CARD "Reader 38"-"50"): each was read as another edit."""

from __future__ import annotations

import pytest

from model.modifier_parser import parse_modifier


def _read(text: str) -> list[str]:
    return [f"{e.kind}:{e.sound or 'it'}" for e in parse_modifier(text).edits]


@pytest.mark.parametrize(("text", "edits"), [
    ("plus a helicopter, minus the plane", ["add:helicopter", "remove:aircraft"]),  # an add, not the scene
    ("with coins dropping into a parking meter, no footsteps", ["add:coins", "remove:footsteps"]),
    ("add a splash like something dropping into water, and make the bubbling quieter",
     ["add:water_splash", "quieter:bubbles"]),  # falling, not removed
    ("where's the thunder?? make it louder. also get rid of the beeping", ["louder:thunder", "remove:beep"]),
])
def test_plus_an_add_dropping_into_and_wheres_the_sound_reader_38(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Crickets please! And lose the traffic.", ["add:insects", "remove:traffic"]),  # asked for, not the scene
    ("the train going by should be louder and the bell ringing isn't needed", ["louder:train", "remove:bell"]),
    ("So you can't hear the helicopter any more, and throw in a police siren", ["remove:helicopter", "add:siren"]),
    ("Please reduce the helicopter a little and bring some gusts of wind.", ["quieter:helicopter", "add:wind"]),
    ("bring a little more thunder", ["louder:thunder"]),  # still a level
])
def test_please_not_needed_cant_hear_any_more_and_bring_some_reader_40(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Make the thunder sound weak.", ["quieter:thunder"]),  # how it should sound
    ("Make the rain sound heavy and add a dog.", ["louder:rain", "add:dog"]),
    ("the traffic sounds thin", ["louder:traffic"]),  # still a complaint
    ("What it's missing is a ship horn somewhere far out, can you add that?", ["add:boat"]),
    ("The galloping horse should come in louder, and the wind could drop down a notch",
     ["louder:horse", "quieter:wind"]),
    ("On the street with all this traffic, add please one short car horn.", ["add:car_horn"]),  # the clip as it is
    ("Traffic bed much lower, so the footsteps read as the foreground.", ["quieter:traffic", "louder:footsteps"]),
])
def test_how_it_should_sound_whats_missing_and_the_foreground_reader_41(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Traffic, the siren now just a faint wail and a skid of tyres", ["quieter:siren", "add:tire_skid"]),
    ("pull the alarm stem completely", ["remove:alarm"]),
    ("dial it back, it's stepping on everything", ["quieter:it"]),  # not footsteps
    ("the dog is stepping on the dialogue", ["quieter:dog"]),
    ("footsteps stepping on gravel", ["add:footsteps"]),  # still footsteps
    ("pull it down 3dB and lay a little room tone under it", ["quieter:it", "add:room_tone"]),
    ("coins need to pop more in the UI mix; lose the music", ["louder:coins", "remove:music"]),
])
def test_faint_now_completely_stepping_on_lay_and_pop_reader_42(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_completely_is_no_unknown_sound() -> None:
    assert not parse_modifier("remove it completely").unknown


@pytest.mark.parametrize(("text", "edits"), [
    ("what if the horn were a siren?", ["remove:car_horn", "add:siren"]),
    ("rain NOT dog", ["remove:dog"]),  # a keyword in capitals
    ("not the clock - the door, that's what should go", ["remove:door"]),  # a lowercase "not" is no keyword
])
def test_what_if_the_x_were_a_y_and_capital_not_reader_43(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("at the bus stop, add a car horn", ["add:car_horn"]),  # a place, no engine removed
    ("the bus should be louder", ["louder:car_engine"]),  # a bus is still an engine
    ("For the montage the traffic needs to feel overwhelming, so push it right up.", ["louder:traffic"]),
    ("The rain needs to sit under the dialogue in sc 40, it's too forward right now.", ["quieter:rain"]),
    ("the traffic is sitting under everything", ["louder:traffic"]),  # still a complaint
])
def test_bus_stop_feel_overwhelming_and_sit_under_reader_44(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Nothing but traffic now, the birds and the dog are gone", ["remove:chirping_birds", "remove:dog"]),
    ("the dog and the horn is quieter", ["add:dog", "quieter:car_horn"]),  # a singular verb: the horn alone
    ("Only the waves now, and they're softer", ["quieter:sea_waves"]),
    ("An empty church, footsteps now echo down the aisle", ["add:footsteps"]),  # where, not a level
])
def test_both_gone_they_after_a_kept_sound_and_echo_down_reader_45(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Crows more soft, please, it is too much.", ["quieter:crow"]),  # not louder
    ("Drums more loud, melody more silent.", ["louder:drum", "quieter:music"]),
    ("The goat it must be more loud, and the pig go away.", ["louder:sheep", "remove:pig"]),
    ("more low end on the thunder and pull the birds", ["louder:thunder", "quieter:chirping_birds"]),  # still bass
])
def test_more_soft_and_go_away_reader_47(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("The frogs I want them more far, not so loud.", ["quieter:frog"]),
    ("Forest ambience I would like it more loud, more immersive.", ["louder:forest_ambience"]),
    ("add a dog make it louder", ["add:dog", "louder:it"]),  # still two edits
    ("I want a dog make it louder", ["add:dog", "louder:it"]),
])
def test_a_sound_named_first_then_wanted_as_it_reader_48(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_words_of_character_are_no_unknown_sounds() -> None:
    assert not parse_modifier("the chainsaw should be louder and more aggressive").unknown


@pytest.mark.parametrize(("text", "edits"), [
    ("After the cut, the rain is still falling, but now a church bell is tolling in the distance", ["add:bell"]),
    ("We're indoors now: the rain is muted and the footsteps on the floorboards are louder.",
     ["quieter:rain", "louder:footsteps"]),
    ("mute the rain", ["remove:rain"]),  # the verb still removes
    ("Let the engine roar, as if the light just turned green, and take the dog out.",
     ["louder:car_engine", "remove:dog"]),
])
def test_still_falling_muted_the_cut_and_let_it_roar_reader_49(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("A drizzle instead of a downpour, and some birds.", ["quieter:rain", "add:chirping_birds"]),
    ("drizzle not downpour", ["quieter:rain"]),
    ("a downpour instead of a drizzle", ["louder:rain"]),
    ("thunder instead of the dog", ["add:thunder", "remove:dog"]),  # two sounds: still a swap
])
def test_one_rain_for_another_is_its_level_reader_50(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("the traffic a little more down", ["quieter:traffic"]),  # read louder
    ("put a train passing and the traffic more down", ["add:train", "quieter:traffic"]),
    ("add rain over the traffic and the horns quit", ["add:rain", "remove:car_horn"]),  # the horns were dropped
    ("the rain quits", ["remove:rain"]),  # read "add rain"
    ("cute the thunder", ["remove:thunder"]),  # read "add thunder"
    ("cute dog barking", ["add:dog"]),  # as before: an adjective, not "cut"
    ("add a dog more down the street", ["louder:dog"]),  # as before: a place, not quieter
])
def test_learner_english_and_phone_slips_reader_106(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_give_is_no_unknown_sound_reader_106() -> None:
    reading = parse_modifier("the train is passing too quiet, give more volume")  # "give: not a sound Nudge knows"
    assert _read("the train is passing too quiet, give more volume") == ["louder:train"] and reading.unknown == []


def test_a_sprinkler_is_an_unknown_sound_not_the_amount_word_reader_106() -> None:
    """"add a sprinkler" read no edit and named nothing: the spelling corrector took it for "sprinkle"."""
    reading = parse_modifier("add the sound of a sprinkler")
    assert reading.edits == [] and [u.word for u in reading.unknown] == ["sprinkler"]
    assert _read("add a sprinkle of rain") == ["add:rain"]


@pytest.mark.parametrize(("text", "edits"), [
    ("too loud. everything. bring it down", ["quieter:it"]),  # the clip's level said again: one edit
    ("the thunder needs more punch make it louder", ["louder:thunder"]),  # run on, no joiner: one edit
    ("make the switch louder. crank it", ["louder:click", "louder:it"]),  # as before: after a joiner, the main sound
    ("turn up the blast and also bring it up", ["louder:explosion", "louder:it"]),  # as before
    ("I want to hear his car start up - add an engine", ["add:car_engine"]),
    ("thunder and lightning", ["add:thunder", "add:thunder"]),  # as before: a list, as its dev row is labelled
    ("The steps are too loud, and the whole also, lower both.", ["quieter:footsteps", "quieter:it"]),  # as before
    ("too many horns", ["quieter:car_horn"]), ("the horns are too many", ["quieter:car_horn"]),  # read "add"
    ("the rain could go louder", ["louder:rain"]),  # read "remove rain"
    ("we're inside looking out at the rain, put some room tone under it", ["add:room_tone"]),
    ("bung a siren in there", ["add:siren"]), ("can ya whack a helicopter overhead", ["add:helicopter"]),  # a punch
    ("the wind's gone mental, calm it down", ["quieter:wind"]),
    ("the wind is too strong and thunder is missing, kindly add", ["quieter:wind", "add:thunder"]),
    ("the crash needs to hurt. louder", ["louder:crash"]),  # read "add crash" and "make it louder"
    ("I want a dog barking. make it louder", ["add:dog", "louder:it"]),  # as before: a dog not yet in the clip
])
def test_director_notes_and_regional_english_readers_107_108(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_a_dropped_g_is_what_an_unknown_sound_does_reader_108() -> None:
    assert [u.word for u in parse_modifier("add a kettle whistlin on the hob").unknown] == ["kettle"]
    assert [u.word for u in parse_modifier("add a robin").unknown] == ["robin"]  # not a dropped g


@pytest.mark.parametrize(("text", "edits", "note"), [
    ("swap the machine gun for a shotgun", [], "gunshot: swapped for itself"),  # read "remove" + "add" gunshot
    ("swap the dog for a puppy and add thunder", ["add:thunder"], "dog barking: swapped for itself"),
    ("swap the dog for a cat", ["remove:dog", "add:cat"], None),  # as before: two sounds
])
def test_a_swap_of_a_sound_for_itself_is_no_edit_and_said_reader_109(text: str, edits: list[str], note) -> None:
    reading = parse_modifier(text)
    assert _read(text) == edits and (note is None or any(m.startswith(note) for m in reading.messages()))
    assert note is not None or not reading.messages()


@pytest.mark.parametrize(("text", "edits"), [
    ("tuck some traffic under it", ["add:traffic"]),  # a bed put under a fire truck: read "quieter"
    ("slip a little wind under the rain", ["add:wind"]),
    ("tuck the dog under the rain", ["quieter:dog"]),  # as before
])
def test_tucking_something_in_is_an_add_reader_109(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("rm alarm", ["remove:alarm"]), ("bell: rm", ["remove:bell"]),  # read "add ..."
    ("traffic amb ^ 2dB", ["louder:traffic"]), ("footsteps ^^ rain v", ["louder:footsteps", "quieter:rain"]),
    ("drums v", ["quieter:drum"]), ("rain dn 3dB", ["quieter:rain"]),  # read "add drum", louder
    ("horn too loud, vol dn", ["quieter:car_horn"]),  # as before, and "vol" is no unknown sound
    ("add a v8 engine", ["add:car_engine"]),  # as before: "v" only after a sound word, before a joiner or number
])
def test_an_editors_shorthand_reader_110(text: str, edits: list[str]) -> None:
    assert _read(text) == edits and not parse_modifier(text).unknown


@pytest.mark.parametrize(("text", "edits"), [
    ("add coins dropping", ["add:coins"]), ("can there be coins dropping?", ["add:coins"]),  # read "remove coins"
    ("what about adding a dog and dropping the horn?", ["add:dog", "remove:car_horn"]),  # as before
    ("master down like 4db", ["quieter:it"]), ("bypass the car engine loop", ["remove:car_engine"]),
    ("rain's a bit thin, push it", ["louder:rain"]), ("thin the rain", ["quieter:rain"]),  # a complaint; a verb
])
def test_coins_dropping_master_bypass_and_thin_reader_111(text: str, edits: list[str]) -> None:
    assert _read(text) == edits and not parse_modifier(text).unknown


def test_filler_of_questions_names_no_unknown_sound_reader_111() -> None:
    reading = parse_modifier("would it be possible to add someone on a typewriter")  # "possible" was the unknown
    assert [u.word for u in reading.unknown] == ["typewriter"]


@pytest.mark.parametrize(("text", "edits"), [
    ("level crossing shot, add a train and a bell", ["add:train", "add:bell"]),  # a film's shot, no gunshot
    ("a shot, then silence", ["add:gunshot"]),  # as before
    ("nix the bow shot; the buzzing's too quiet, bring it up.", ["remove:arrow", "louder:insects"]),  # as before
    ("rain coming down hard", ["louder:rain"]), ("the rain should be really hammering down", ["louder:rain"]),
    ("add some rain bucketing down", ["add:rain"]),  # as before: an add
])
def test_a_films_shot_and_heavy_rain_reader_112(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("rain with the thunder barely there and no dog", ["quieter:thunder", "remove:dog"]),  # read louder
    ("the thunder is barely there", ["louder:thunder"]),  # as before: a complaint
    ("rain with the horse gone and sheep bleating", ["remove:horse", "add:sheep"]),  # the sheep were removed
    ("siren gone n barking", ["remove:siren", "add:dog"]),
    ("remove the dog and the birds", ["remove:dog", "remove:chirping_birds"]),  # as before
])
def test_a_caption_of_the_wanted_clip_reader_113(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "said"), [
    ("add a fridge hum", "\u201cfridge hum\u201d: fridge is not a sound Nudge knows, so it was read as room tone"),
    ("add a flag flapping on a pole", "\u201cflag flapping\u201d: flag is not a sound Nudge knows, so it was read as "
                                      "whoosh"),
])
def test_what_a_thing_nudge_does_not_know_does_is_said_when_read_as_a_known_sound(text: str, said: str) -> None:
    """A writers' set (40% unknown sounds): "a fridge hum" read "add room tone", unsaid; the reading stays."""
    assert any(m.startswith(said) for m in parse_modifier(text).messages())


def test_a_known_caller_says_nothing_of_the_kind() -> None:
    for text in ("add a dog barking", "add some bees buzzing", "the clock ticking louder", "add an owl hooting"):
        assert not [m for m in parse_modifier(text).messages() if "is not a sound Nudge knows" in m], text


@pytest.mark.parametrize(("text", "edits"), [
    ("it's meant to be a rainy street and there's no rain at all??", ["add:rain"]),  # read "remove rain"
    ("the rain is deafening and there's no thunder", ["quieter:rain", "add:thunder"]),  # read "remove thunder"
    ("the door slam is too loud and there are no footsteps", ["quieter:door", "add:footsteps"]),
    ("siren is deafening.", ["quieter:siren"]),  # read "add siren"
    ("Traffic is quieter and there's no horn.", ["quieter:traffic", "remove:car_horn"]),  # as before: a caption of B
    ("there's no horn in B", ["remove:car_horn"]),  # as before
])
def test_theres_no_x_in_a_complaint_about_the_clip_adds_it_reader_114(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("pad the traffic 5 dB", ["quieter:traffic"]),  # read no edit
    ("pad the engine, push the tire skid", ["quieter:car_engine", "louder:tire_skid"]),  # lost the engine
    ("strip the voice, pad it with crowd walla", ["remove:speech", "add:crowd"]),  # as before: a pad that fills
    ("the crowd should be pianissimo", ["quieter:crowd"]),  # read no edit
    ("the wind is too pianissimo", ["louder:wind"]),
    ("decrescendo on the rain bed", ["quieter:rain"]),  # read "add rain"
    ("the thunder is sforzando-loud every hit, tame it", ["quieter:thunder"]),  # read louder, then quieter
    ("wind is whisper quiet, more of it", ["louder:wind"]),  # read quieter
    ("have the siren lay out", ["remove:siren"]),  # read "add siren"
    ("Engine revving I want more forte", ["louder:car_engine"]),  # as before ("forte" is left alone)
])
def test_a_mixing_desks_and_a_scores_words_reader_116(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("the horn blast needs to be louder, he's about to get hit", ["louder:car_horn"]),  # added a punch
    ("boat OUT, rain UP, we're back on shore", ["remove:boat", "louder:rain"]),  # lowered the waves
    ("lose the traffic and the horns. she's in a bubble", ["remove:traffic", "remove:car_horn"]),  # added bubbles
    ("lose the aircraft, add a train - we're at the station not the airport", ["remove:aircraft", "add:train"]),
    ("add a dog, we need a dog barking", ["add:dog"]),  # a clause that asks stays
    ("The footsteps are rather too loud; she's meant to be tiptoeing.", ["quieter:footsteps"]),  # as before
])
def test_the_story_after_the_edits_is_left_out_reader_117(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_the_story_leaves_no_unknown_word_to_report() -> None:
    """"kill the traffic, add birds. we've cut to the park" reported "park" as a sound Nudge does not know."""
    reading = parse_modifier("kill the traffic, add birds. we've cut to the park")
    assert [u.word for u in reading.unknown] == [] and _read("kill the traffic, add birds. we've cut to the park") == [
        "remove:traffic", "add:chirping_birds"]


@pytest.mark.parametrize(("text", "edits"), [
    ("The rain, which drowns everything out, should be quieter.", ["quieter:rain"]),  # read a removal
    ("The helicopter should be louder, while the siren, which competes with it, ought to be softened.",
     ["louder:helicopter", "quieter:siren"]),  # added a siren
    ("The birds, which were barely audible, should now be clearly in front.", ["louder:chirping_birds"]),  # as before
    ("I would like the car horn removed rather than made quieter, and the traffic turned up a bit.",
     ["remove:car_horn", "louder:traffic"]),  # read quieter
    ("Rather than boosting the traffic, please add a car engine revving nearby.", ["add:car_engine"]),
    ("Can we have crickets instead of the birds?", ["add:insects", "remove:chirping_birds"]),  # a swap, as before
])
def test_a_formal_sentences_asides_are_left_out_reader_121(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_a_passive_verb_is_no_unknown_sound() -> None:
    """"the siren, which is barely audible, is brought up" reported "brought" as a sound Nudge does not know."""
    for text in ("Could you make the car horn quieter, while the siren, which is barely audible, is brought up?",
                 "The footsteps, which are almost inaudible, should be made louder."):
        assert parse_modifier(text).unknown == [], text


@pytest.mark.parametrize(("text", "edits"), [
    ("okay so add thunder, no, scratch that, add rain", ["add:rain"]),  # read both adds
    ("add a dog, actually no, make it a cat", ["add:cat"]),  # read "add dog", "remove cat"
    ("add thunder, never mind, add rain", ["add:rain"]),
    ("um the birds need to be louder and the rain quieter no wait the other way around the rain louder and the birds "
     "quieter", ["louder:rain", "quieter:chirping_birds"]),  # kept the first birds
    ("add a dog no wait a cat and make the rain louder", ["add:cat", "louder:rain"]),  # as before
])
def test_more_ways_a_speaker_takes_something_back_reader_122(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Would you mind lowering the wind a little, and at the same time adding the sound of a dog barking?",
     ["quieter:wind", "add:dog"]),  # lost the dog
    ("At the same time as adding a tire screech, could you lower the traffic slightly?",
     ["add:tire_skid", "quieter:traffic"]),
    ("Could you take out the helicopter, which distracts from the street, as well as the train?",
     ["remove:helicopter", "remove:train"]),  # added traffic and the train
    ("could the traffic be turned down, and could a bird or two be added on top?",
     ["quieter:traffic", "add:chirping_birds"]),  # read the birds quieter
    ("Would it be possible to add birds chirping while it rains?", ["add:chirping_birds"]),  # added rain
    ("I would like the rain to be quieter and, at the same time, the thunder to be louder.",
     ["quieter:rain", "louder:thunder"]),  # as before
])
def test_more_of_a_formal_sentences_joints_reader_123(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("FX IN: crow. graveyard in the rain", ["add:crow"]),  # read nothing
    ("FX IN: seagulls. FX DOWN: traffic. harbour road", ["add:seagull", "quieter:traffic"]),  # lost the gulls
    ("Q9: rain UNDER the dialogue", ["quieter:rain"]),  # read "add rain"
    ("add rain under the dialogue", ["add:rain"]),  # as before
    ("frogs in after the rain stops", ["add:frog"]),  # read "remove frogs"
    ("Add thunder in the last few seconds and wind from the start.", ["add:thunder", "add:wind"]),  # lost the wind
    ("yeet the horn n the siren", ["remove:car_horn", "remove:siren"]),  # read "add siren"
    ("get the plane outta there", ["remove:aircraft"]),  # read "add airplane"
    ("car alarm goin off would b sick", ["add:alarm"]),  # read nothing
])
def test_cue_labels_a_texting_teenagers_words_and_from_the_start_reader_124(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("footsteps should be barely there", ["quieter:footsteps"]),  # read louder
    ("make the helicopter barely there and add a siren", ["quieter:helicopter", "add:siren"]),  # read louder
    ("the horn is barely there", ["louder:car_horn"]),  # as before: a complaint
    ("spice it up with a crow and a bell", ["add:crow", "add:bell"]),  # read "louder" too
    ("the second clip drops the dog", ["remove:dog"]),  # read nothing
    ("unlike A, B has a crash in it", ["add:crash"]),  # read nothing
    ("unlike A, the rain is barely there", ["quieter:rain"]),  # read louder
    ("Add a glass shattering when the waiter drops the tray.", ["add:glass_break"]),  # as before
])
def test_a_wished_level_spice_it_up_and_b_against_a_reader_125(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("helicopter overhead - add, high & distant", ["add:helicopter"]),  # read nothing
    ("dog @0:06 - add; cat @0:07 - add", ["add:dog", "add:cat"]),  # lost the dog
    ("airplane overhead - down, birds - up", ["quieter:aircraft", "louder:chirping_birds"]),  # birds read quieter
    ("push the crowd - lose the music", ["louder:crowd", "remove:music"]),  # as before: two requests
    ("birds -> louder", ["louder:chirping_birds"]),  # as before
    ("get rid of the storm rumbling overhead", ["remove:thunder"]),  # reported "storm" as unknown
    ("the storm pouring down is too loud", ["quieter:rain"]),
])
def test_spotting_notes_and_the_storm_by_what_it_does_reader_126(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("lose the mutt down the lane", ["remove:dog"]),  # read nothing
    ("the mutt down the lane is too loud", ["quieter:dog"]),  # read nothing
    ("the church across town should ring louder", ["louder:bell"]),  # read nothing
    ("take the church out and add some mutts", ["remove:bell", "add:dog"]),  # read nothing
    ("somebody stomping upstairs, put that in", ["add:footsteps"]),  # read nothing
    ("add church bells", ["add:bell"]),  # as before
])
def test_a_mutt_the_church_and_stomping_reader_127(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_the_new_words_are_never_the_correction_of_a_slip_reader_127() -> None:
    """As before reader 127 (its first attempt read "mustt" and "mutted" as a mutt, "stoms" as stomps)."""
    from model.modifier_spelling import correct_spelling

    assert [correct_spelling(w) for w in ("mustt", "mutted", "stoms", "muto")] == ["must", "muted", "stems", "mute"]


@pytest.mark.parametrize(("text", "edits"), [
    ("add church organ music", ["add:music"]),  # read a bell (reader 127)
    ("add a church choir", []),  # read a bell; "choir" is a word Nudge does not know
    ("the church down the road is deafening", ["quieter:bell"]),  # as reader 127
])
def test_a_churchs_organ_and_choir_are_no_bell_reader_128(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("add a man closing the door and walking off", ["add:door", "add:footsteps"]),  # removed the footsteps
    ("put in someone shutting a door and running off", ["add:door", "add:footsteps"]),  # removed them
    ("the kids laughing their heads off, cut that", ["remove:laughter"]),  # as before: no movement
])
def test_walking_off_is_a_way_of_going_reader_130(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("addthunder", ["add:thunder"]),  # read nothing
    ("dogquieter and rain louder", ["quieter:dog", "louder:rain"]),  # lost the dog
    ("add a bell and lowerthe traffic", ["add:bell", "quieter:traffic"]),  # lost the traffic
    ("add a cowbell", []),  # two sounds run together stay as typed: a word Nudge does not know
])
def test_two_words_run_together_reader_131(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("this shot needs rain", ["add:rain"]),  # read a gunshot added
    ("in the wide shot add wind", ["add:wind"]),  # read a gunshot added, no wind
    ("the helicopter is too quiet, it's right overhead in the shot", ["louder:helicopter"]),  # and a gunshot added
    ("protest shot needs a crowd, plus a siren", ["add:crowd", "add:siren"]),  # a gunshot for the crowd
    ("give the station shot a train pulling through", ["add:train"]),  # read nothing
    ("the rain, hes too loud", ["quieter:rain"]),  # "hes" read as hens: a chicken
    ("add a shot in the distance", ["add:gunshot"]),  # as before: a gunshot
    ("the rifle shot is too loud", ["quieter:gunshot"]),  # as before
])
def test_a_films_shot_is_no_gunshot_reader_132(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("Rain make strong, traffic make weak", ["louder:rain", "quieter:traffic"]),  # read nothing
    ("make the rain heavy", ["louder:rain"]),  # added rain
    ("make the horn small and add thunder", ["quieter:car_horn", "add:thunder"]),  # added a horn
    ("traffic is too less, increase", ["louder:traffic"]),  # the traffic quieter
    ("the dog bark lesser", ["quieter:dog"]),  # added a dog
    ("traffic increase and horn also increase", ["louder:traffic", "louder:car_horn"]),  # and "make it louder"
    ("the horn also remove", ["remove:car_horn"]),  # added a horn
    ("make a big explosion", ["add:explosion"]),  # as before: the adjective of what is added
])
def test_learners_level_words_reader_133(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("theres a vacuum cleaner running in the background, lose it", []),  # made the footsteps louder
    ("the tap running, lose it", []),  # removed footsteps
    ("someone running for cover", ["add:footsteps"]),  # as before: a runner
    ("add a stream running by", ["add:water_stream"]),  # as before
])
def test_what_runs_is_no_runner_reader_134(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_the_edits_read_take_the_two_places_first_reader_137() -> None:
    """Trial 43: "make it night, crickets, no birds" put "make it night" (no edit read) in the first place and both
    edits together in the second."""
    night = parse_modifier("make it night, crickets, no birds")
    assert night.clauses == ["add insects", "remove the birds"] and night.left_out == ["make it night"]
    assert "\u201cmake it night\u201d: no edit read, left out" in " ".join(night.messages())
    chat = parse_modifier("love it, add thunder and lose the dog")
    assert chat.clauses == ["add thunder", "remove the dog barking"]
    kazoo = parse_modifier("add a kazoo and more rain")  # a piece naming a sound Nudge does not know: a free place
    assert kazoo.clauses == ["add a kazoo", "make the rain louder"]


@pytest.mark.parametrize(("text", "edits"), [
    ("spooky, an owl and some wind", ["add:owl", "add:wind"]),  # and a voice (spooky read as speech)
    ("the dog is cute but it's making it cosy, lose it", ["remove:dog"]),  # removed a cow
    ("dreamy, softer rain and no horns", ["quieter:rain", "remove:car_horn"]),  # and a drum
    ("creepier. slap an owl in there", ["add:owl"]),  # added a punch
    ("I want the waves hitting harder", ["louder:sea_waves"]),  # waves added and a punch louder
    ("add a slap", ["add:punch"]),  # as before
])
def test_a_directors_mood_words_reader_138(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_chatter_beside_an_edit_is_left_out_reader_139() -> None:
    """Trial 44: chatty lead-ins took one of the two places, or swallowed the edit; "add some quiet traffic" and "I
    want the cars back" read the traffic quieter."""
    assert _read("love it, give it a gentle breeze through the leaves") == ["add:wind"]  # read no edit
    assert _read("lose the dog, and give it a breeze") == ["remove:dog", "add:wind"]  # removed the wind
    chat = parse_modifier("that's the one, now add thunder")  # "that's the one" was embedded as typed
    assert chat.clauses == ["add thunder"] and chat.left_out == ["that's the one"]
    assert "\u201cthat's the one\u201d: no edit read, left out" in " ".join(chat.messages())
    assert _read("add some quiet traffic behind the dog") == ["add:traffic"]  # the traffic quieter
    assert _read("I want the rain back") == ["add:rain"]  # the rain quieter
    assert _read("give it a boost") == ["louder:it"]  # as before: a level
    wish = parse_modifier("dial back the scream & an explosion would rock")  # a piece naming a sound keeps a place
    assert wish.clauses == ["make the scream quieter", "an explosion would rock"]
    assert parse_modifier("make it glorious").clauses == ["make it glorious"]  # no edit at all: as typed, as before


@pytest.mark.parametrize(("text", "edits"), [
    ("horse clopping down the lane", ["add:horse"]),  # the horse quieter
    ("footsteps running down the stairs", ["add:footsteps"]),  # the footsteps quieter
    ("add a coin drop", ["add:coins"]),  # removed the coins
    ("plane going over, high up, can we have that", ["add:aircraft"]),  # the plane louder
    ("the traffic down the road is too loud", ["quieter:traffic"]),  # as before
    ("turn the rain way up", ["louder:rain"]),  # as before
    ("drop the coins", ["remove:coins"]),  # as before
])
def test_a_foley_artists_movements_and_drops_reader_140(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("the trafic is too much in front, please put it more back", ["quieter:traffic"]),  # added the traffic
    ("put the birds further back", ["quieter:chirping_birds"]),  # added birds
    ("put the dog further away", ["quieter:dog"]),  # removed the dog
    ("the horn is to loud and the siren I want away", ["quieter:car_horn", "remove:siren"]),  # added the siren
    ("I want the horn away", ["remove:car_horn"]),  # added the horn
    ("add people clapping", ["add:applause"]),  # added a crowd
    ("could you take out the people clapping please?", ["remove:applause"]),  # removed the crowd
    ("I want a siren far away", ["add:siren"]),  # as before: a distance
    ("client wants a car pulling away - add an engine starting", ["add:car_engine"]),  # as before: the car going
    ("put the birds back", ["add:chirping_birds"]),  # as before
    ("take the horn away", ["remove:car_horn"]),  # as before
])
def test_distances_want_it_away_and_claps_reader_142(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits"), [
    ("put more rain under it", ["louder:rain"]),  # the rain quieter (trial 46)
    ("put more traffic under the dog", ["louder:traffic"]),  # the traffic quieter
    ("put the rain under the dialogue", ["quieter:rain"]),  # as before: tucked under
    ("put some rain under it", ["add:rain"]),  # as before
    ("more wind under it", ["louder:wind"]),  # as before
])
def test_more_of_a_sound_put_under_the_rest_is_louder_reader_144(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


@pytest.mark.parametrize(("text", "edits", "kept_only"), [
    ("remove everything but the horn", [], True),  # "add car horn" (trial 50)
    ("lose everything except the dog", [], True),  # the dog removed (trial 50)
    ("kill all but the rain", [], True),
    ("remove everything but the rain like take out the traffic", ["remove:traffic"], False),  # as before
    ("remove everything but the car horn and add thunder", ["add:thunder"], False),
    ("dry it up", [], False),  # "make it louder" (trial 50)
    ("clean it up", [], False),  # as before
    ("bring it up", ["louder:it"], False),  # as before
])
def test_everything_but_a_sound_keeps_it_and_dry_it_up_is_no_level_reader_146(text: str, edits: list[str],
                                                                             kept_only: bool) -> None:
    assert _read(text) == edits and parse_modifier(text).kept_only == kept_only
