"""The hand-written phrasing sets' test halves (regression guards at their measured figures, MODEL_CARD.md
"Modifier parser" and "Reader 3" to "Reader 27"), and what readers 10 to 27 read."""

from __future__ import annotations

import pytest

from model.modifier_parser import parse_modifier
from training.parser_eval import (
    PARSER_CAPTIONS,
    PARSER_CAPTIONS2,
    PARSER_CASUAL,
    PARSER_DEV,
    PARSER_FRESH,
    PARSER_IMPERATIVE,
    PARSER_SETS,
    PARSER_STUDIO,
    PARSER_TRIALS,
    PARSER_TWO,
    eval_free,
)

# measured figures of each test half (python -m training.parser_eval --test); a reader may not fall below them
TEST_HALVES = {
    PARSER_DEV: 0.993,  # reader 16: 318 of 320 (reader 13: 317, 315 before)
    PARSER_CAPTIONS: 0.924,  # reader 14: 49 of 53 (reader 12: 47, reader 11: 45, reader 5: 42, reader 3: 41)
    PARSER_CASUAL: 0.933,  # reader 16: 42 of 45 (reader 14: 41, reader 11: 40, reader 8: 39)
    PARSER_TWO: 0.963,  # reader 20: 80 of 83 (reader 13: 78, reader 6: 74, reader 5: 73, reader 4: 62)
    PARSER_STUDIO: 0.875,  # reader 11: 56 of 64 (reader 8: 55, reader 6: 54)
    PARSER_IMPERATIVE: 0.96,  # reader 7: 48 of 50
    PARSER_CAPTIONS2: 0.842,  # reader 14: 16 of 19 (reader 9: 14)
    PARSER_FRESH["a"]: 0.85,  # reader 20: 68 of 80 (16: 66, 13: 64, 12: 61, 9: 58): a writer's captions
    PARSER_FRESH["b"]: 0.875,  # reader 23: 70 of 80 (20: 69, 16: 67, 11: 66, 9: 62): a writer's studio speak
    PARSER_FRESH["c"]: 0.837,  # reader 20: 67 of 80 (reader 13: 66, readers 11, 12: 65): pronouns and the clip itself
    PARSER_FRESH["d"]: 0.8,  # reader 23: 64 of 80 (20: 63, 14: 58, 13: 55, 12: 52, 11: 45): a librarian's notes
    PARSER_FRESH["e"]: 0.912,  # reader 20: 73 of 80 (reader 13: 68, reader 12: 64): many users of a chat box
    PARSER_FRESH["f"]: 0.7,  # reader 20: 56 of 80 (reader 16: 51, readers 12, 13: 50): prose descriptions of the scene
    PARSER_FRESH["g"]: 0.762,  # reader 16: 61 of 80 (reader 14: 60, reader 13: 54): negations, keeps, swaps, questions
    PARSER_FRESH["h"]: 0.85,  # reader 23: 68 of 80 (20: 66, 13: 63, 14 the same): a tagger's short captions
    PARSER_FRESH["i"]: 0.9,  # reader 23: 72 of 80 (16: 71, 15: 63): a mixing desk
    PARSER_FRESH["j"]: 0.837,  # reader 20: 67 of 80 (reader 16: 66, reader 15: 59): reactions to the clip
    PARSER_FRESH["k"]: 0.82,  # reader 20: 64 of 78 (reader 16: 30): search-box keywords
    PARSER_FRESH["l"]: 0.8,  # reader 23: 64 of 80 (20: 63, 16: 43): requests wrapped in project context
    PARSER_FRESH["m"]: 0.8,  # reader 23: 64 of 80 (20: 63, 16: 57): two-change captions
    PARSER_FRESH["n"]: 0.85,  # reader 23: 68 of 80 (20: 65, 16: 61): short two-change captions
    PARSER_FRESH["o"]: 0.9,  # reader 23: 108 of 120 (20: 104, 16: 96): two-change captions, 120 test rows
    PARSER_FRESH["p"]: 0.95,  # reader 20: 76 of 80 (reader 16: 62): search-box keywords, a second writer
    PARSER_FRESH["q"]: 0.612,  # reader 20: 49 of 80 (reader 16: 46): project context and prose
    PARSER_FRESH["r"]: 0.887,  # reader 23: 71 of 80 (reader 20: 70): pronouns and references
    PARSER_FRESH["s"]: 0.437,  # reader 23: 35 of 80 (reader 20: 29): prose, a second writer
    PARSER_FRESH["t"]: 0.987,  # reader 23: 79 of 80 (reader 20: 79): fast typing with typos
    PARSER_FRESH["u"]: 0.9,  # reader 23: 72 of 80 (reader 20: 70): scene-opening captions
    PARSER_FRESH["v"]: 0.925,  # reader 23: 74 of 80 (reader 20: 73): scene-opening captions, a second writer
    PARSER_FRESH["w"]: 0.812,  # reader 27: 65 of 80 (reader 23: 62): heavy misspellings
    PARSER_FRESH["x"]: 0.9,  # reader 23: 72 of 80: film and game editors' studio speak
    PARSER_FRESH["y"]: 0.937,  # reader 23: 75 of 80: main-sound pronouns
    PARSER_FRESH["z"]: 0.862,  # reader 27: 69 of 80 (reader 25: 62): heavy misspellings, a second writer
    PARSER_FRESH["aa"]: 0.725,  # reader 27: 58 of 80 (reader 25: 58): project context, a third writer
    PARSER_FRESH["ab"]: 0.687,  # reader 27: 55 of 80: non-native English (readers 28-29, not shipped: 66)
    PARSER_FRESH["ac"]: 0.875,  # reader 27: 70 of 80: voice-dictation transcripts
    PARSER_FRESH["ad"]: 0.937,  # reader 27: 75 of 80: a client's and a director's notes
    PARSER_FRESH["ae"]: 0.85,  # reader 27: 68 of 80: terse studio notes with main-sound pronouns
    PARSER_FRESH["af"]: 0.95,  # reader 27: 76 of 80: rain and traffic scenes, free wording (reader 30, not shipped: 76)
    PARSER_FRESH["ag"]: 0.887,  # reader 27: 71 of 80: plain words from non-sound people (reader 30, not shipped: 74)
    PARSER_FRESH["ah"]: 0.887,  # reader 50: 71 of 80: annotators comparing two rain or traffic clips (reader 51: 74)
    PARSER_FRESH["ai"]: 0.987,  # reader 50: 79 of 80: requests to an editing assistant for rain or traffic
    PARSER_FRESH["aj"]: 0.937,  # reader 56: 75 of 80: rain and traffic, two edits and the bed's level, many writers
    PARSER_FRESH["ak"]: 0.925,  # reader 57: 74 of 80: rain and traffic, pronouns and references
    PARSER_FRESH["al"]: 0.887,  # reader 59: 71 of 80: editors' shorthand, and clip B in non-professionals' words
    PARSER_FRESH["am"]: 0.85,  # reader 63: 68 of 80: voice-dictation transcripts, a second writer
    PARSER_FRESH["an"]: 0.85,  # reader 63: 68 of 80: non-native English, a second writer
    PARSER_FRESH["ao"]: 0.937,  # reader 65: 75 of 80: crowd-sourced annotators, rain and traffic, the bed's level
    PARSER_FRESH["ap"]: 0.95,  # reader 65: 76 of 80: editors under deadline, two edits joined every way
    PARSER_FRESH["aq"]: 0.837,  # reader 69: 67 of 80: polite, indirect requests (questions, hedges, what-ifs)
    PARSER_FRESH["ar"]: 0.775,  # reader 69: 62 of 80: game and film audio tickets (asset names, timecodes, bullets)
    PARSER_FRESH["as"]: 0.812,  # reader 72: 65 of 80: UK, Irish, Australian and New Zealand English and slang
    PARSER_FRESH["at"]: 0.737,  # reader 72: 59 of 80: chat style, abbreviations, emoji as meaning
    PARSER_FRESH["au"]: 0.925,  # reader 75: 74 of 80: dataset annotators, one free sentence on how A becomes B
    PARSER_FRESH["av"]: 0.887,  # reader 75: 71 of 80: fast crowd workers, fragments and typos
    PARSER_FRESH["aw"]: 0.837,  # reader 77: 67 of 80: survey respondents, "what changed from A to B?"
    PARSER_FRESH["ax"]: 0.9,  # reader 77: 72 of 80: audio engineers and re-recording mixers
    PARSER_FRESH["ay"]: 0.887,  # reader 79: 71 of 80: a second team of dataset annotators, many styles
    PARSER_FRESH["az"]: 0.875,  # reader 79: 70 of 80: sound librarians' captions of the wanted recording
    PARSER_FRESH["ba"]: 0.787,  # reader 80: 63 of 80: machine-translated English
    PARSER_FRESH["bb"]: 0.487,  # reader 80: 39 of 80: evocative prose of the wanted recording
    PARSER_FRESH["bc"]: 0.937,  # reader 82: 75 of 80: a third team of annotators, B described against A
    PARSER_FRESH["bd"]: 0.987,  # reader 82: 79 of 80: sound designers typing fast in the words box
    PARSER_FRESH["be"]: 0.887,  # reader 82: 71 of 80: a film effects editor's terse marker notes (bg, w/o, nix, ↑)
    PARSER_FRESH["bf"]: 0.912,  # reader 82: 73 of 80: requests dictated by voice, as speech-to-text typed them
    PARSER_FRESH["bg"]: 0.712,  # reader 88: 57 of 80: a British radio drama producer's polite notes
    PARSER_FRESH["bh"]: 0.875,  # reader 88: 70 of 80: a teacher's exercise instructions and answer keys
    PARSER_FRESH["bi"]: 0.875,  # reader 90: 70 of 80: a game audio designer's tracker tickets
    PARSER_FRESH["bj"]: 0.862,  # reader 90: 69 of 80: a sound designer chatting with a search assistant
    PARSER_FRESH["bk"]: 0.525,  # reader 94: 42 of 80: a QA tester's bug-report notes ("Expected: ... Actual: ...")
    PARSER_FRESH["bl"]: 0.900,  # reader 94: 72 of 80: an acoustic consultant's site notes
    PARSER_FRESH["bm"]: 0.937,  # reader 100: 75 of 80: a dataset crowd-worker's free instructions
    PARSER_FRESH["bn"]: 0.975,  # reader 100: 78 of 80: a researcher's mixed-register stress test
    PARSER_FRESH["bo"]: 0.937,  # reader 102: 75 of 80: a sound-effects librarian's catalogue words
    PARSER_FRESH["bp"]: 0.587,  # reader 102: 47 of 80: phone requests with autocorrect swaps
    PARSER_FRESH["bq"]: 0.862,  # reader 105: 69 of 80: non-native English
    PARSER_FRESH["br"]: 0.85,  # reader 105: 68 of 80: phone typing, errors the writer invented
    PARSER_FRESH["bs"]: 0.675,  # reader 108: 54 of 80 (106: 52): a film director's notes
    PARSER_FRESH["bt"]: 0.75,  # reader 108: 60 of 80 (106: 59): regional Englishes
    PARSER_FRESH["bu"]: 0.925,  # reader 109: 74 of 80: podcast and radio-drama producers
    PARSER_FRESH["bv"]: 0.85,  # reader 110: 68 of 80 (109: 44): sound editors' shorthand
    PARSER_FRESH["bw"]: 0.875,  # reader 110: 70 of 80: beginners' questions
    PARSER_FRESH["bx"]: 0.925,  # reader 110: 74 of 80: game-audio layers, buses and sends
    PARSER_FRESH["by"]: 0.812,  # reader 111: 65 of 80: busy professionals' context, corrections and keeps
    PARSER_FRESH["bz"]: 0.7,  # reader 111: 56 of 80: sensory descriptions
    PARSER_FRESH["ca"]: 0.912,  # reader 112: 73 of 80: two edits in every row, every joiner
    PARSER_FRESH["cb"]: 0.787,  # reader 112: 63 of 80: captions of the wanted clip
    PARSER_FRESH["cc"]: 0.9,  # reader 113: 72 of 80: supervisors' playback notes, praise before the request
    PARSER_FRESH["cd"]: 0.812,  # reader 113: 65 of 80: 40% sounds Nudge does not know
    PARSER_FRESH["ce"]: 0.487,  # reader 113: 39 of 80: complaints about the clip, the fix implied
    PARSER_FRESH["cf"]: 0.8,  # reader 113: 64 of 80: pronoun-heavy requests
    PARSER_FRESH["cg"]: 0.737,  # reader 114: 59 of 80: a radio-drama producer's cue-sheet notes
    PARSER_FRESH["ch"]: 0.787,  # reader 114: 63 of 80: mixing-desk and musical words
    PARSER_FRESH["ci"]: 0.787,  # reader 117: 63 of 80: a student's long sentences with subordinate clauses
    PARSER_FRESH["cj"]: 0.85,  # reader 117: 68 of 80: voice messages with self-corrections
    PARSER_FRESH["ck"]: 0.812,  # reader 123: 65 of 80: a teenager's texted requests
    PARSER_FRESH["cl"]: 0.887,  # reader 123: 71 of 80: a meticulous describer's precise differences
    PARSER_FRESH["cm"]: 0.75,  # reader 124: 60 of 80: a game designer's change requests
    PARSER_FRESH["cn"]: 0.837,  # reader 124: 67 of 80: a listener comparing two clips
    PARSER_FRESH["co"]: 0.625,  # reader 125: 50 of 80: a film sound editor's spotting notes
    PARSER_FRESH["cp"]: 0.562,  # reader 125: 45 of 80: sounds named by what makes them
    PARSER_FRESH["cq"]: 0.825,  # reader 130: 66 of 80: a sound editor typing fast, typos left
    PARSER_FRESH["cr"]: 0.737,  # reader 130: 59 of 80: a client's review turned into changes
    PARSER_FRESH["cs"]: 0.775,  # reader 131: 62 of 80: a video editor's requests for the sound under a shot
    PARSER_FRESH["ct"]: 0.825,  # reader 131: 66 of 80: work English as first spoken in South and East Asia
    PARSER_FRESH["cu"]: 0.662,  # reader 137: 53 of 80: directors' notes in terms of mood and intent
    PARSER_FRESH["cv"]: 0.7,  # reader 139: 56 of 80: foley artists' props, actions and surfaces
    PARSER_FRESH["cw"]: 0.887,  # reader 140: 71 of 80: European sound designers writing English as a second language
    PARSER_FRESH["cx"]: 0.975,  # reader 140: 78 of 80: crowd workers' one-sentence descriptions of the change
}


def test_every_hand_written_set_has_a_guard() -> None:
    assert set(TEST_HALVES) == {PARSER_DEV, *PARSER_SETS.values()} - {PARSER_TRIALS}  # the trials set: dev rows only


def test_the_trials_phrasings_read_right() -> None:
    """What newcomer trials typed (dev only: the reader was fixed on them, reader 56) reads as they meant."""
    trials = eval_free(PARSER_TRIALS, "dev")
    assert trials["n"] == 71 and trials["exact"] == 1.0, trials["wrong"]  # 9 rows from trial 45, 9 from trial 46


@pytest.mark.parametrize("path", list(TEST_HALVES), ids=lambda p: p.stem)
def test_test_half_does_not_regress(path) -> None:  # noqa: ANN001
    assert eval_free(path, "test")["exact"] >= TEST_HALVES[path]


def _read(text: str) -> list[str]:
    return [f"{e.kind}:{e.sound or 'it'}" for e in parse_modifier(text).edits]


@pytest.mark.parametrize(("text", "edits"), [
    ("Gulls crying over louder surf.", ["add:seagull", "louder:sea_waves"]),  # reader 10
    ("A thunderstorm where the rain is softer and a dog is barking.", ["quieter:rain", "add:dog"]),
    ("Footsteps on wet pavement, rain quieter.", ["add:footsteps", "quieter:rain"]),
    ("Footsteps on gravel, now much quieter.", ["quieter:footsteps"]),
    ("Rain w/ thunder, w/o dog", ["add:thunder", "remove:dog"]),
    ("Louder rain than before, and thunder in the distance.", ["louder:rain", "add:thunder"]),
    ("sirens up / horn out", ["louder:siren", "remove:car_horn"]),  # reader 11: a spaced slash joins two edits
    ("can't hear the gulls, bring em up", ["louder:seagull"]),  # "em"
    ("traffic's way too loud, and there's a dog yapping - lose it", ["quieter:traffic", "remove:dog"]),
    ("the crows in the back are great, make them louder", ["louder:crow"]),  # a locator, then its fix
    ("add a low, rolling thunder", ["add:thunder"]),  # the sound after a comma between adjectives
    ("the rain is fine, the horn has gotta go", ["remove:car_horn"]),
    ("a clock ticking in the back", ["add:clock"]),  # a place, not a level
    ("The thunder has nearly stopped.", ["quieter:thunder"]),  # nearly gone is quieter, not removed
    ("the crowd sounds thin, and add a bell", ["louder:crowd", "add:bell"]),
    ("the dog barks more quietly", ["quieter:dog"]),
    ("Slam a car door and lose the engine", ["add:door", "remove:car_engine"]),
    ("The road now has sirens wailing and lighter traffic.", ["add:siren", "quieter:traffic"]),
    ("A helicopter thunders over while the rain eases.", ["add:helicopter", "quieter:rain"]),
    ("Someone plays music from a window, and less rain.", ["add:music", "quieter:rain"]),
    ("The waves should be calm.", ["quieter:sea_waves"]),
    ("the horn is too timid, crank it", ["louder:car_horn"]),  # reader 12
    ("push the rain up, the thunder too", ["louder:rain", "louder:thunder"]),  # "the X too": the same edit again
    ("more of it less of the wind", ["louder:it", "quieter:wind"]),  # a pronoun half of two unjoined edits
    ("more of this wind less traffic", ["louder:wind", "quieter:traffic"]),  # "this wind" is no pronoun
    ("the siren is too loud, sit it under the traffic", ["quieter:siren"]),  # the traffic only places it
    ("a clap of thunder, and dump the horn", ["add:thunder", "remove:car_horn"]),
    ("Harbour, the gulls swell as a bell rings out.", ["louder:seagull", "add:bell"]),  # "as a" joins
    ("Rain, the dog is gone and a horn honks.", ["remove:dog", "add:car_horn"]),  # a sound's own verb: it happens
    ("Traffic, denser; a siren wailing up close.", ["louder:traffic", "add:siren"]),  # "up close" places it
    ("Street with a crowd, the crowd recedes.", ["quieter:crowd"]),  # "with" named the scene
    ("The wind has intensified.", ["louder:wind"]),
    ("I want the same street but a dog barking", ["add:dog"]),
    ("Traffic, just the cars, no horn.", ["remove:car_horn"]),
    ("+birds -horn", ["add:chirping_birds", "remove:car_horn"]),  # reader 13: symbols
    ("rain \u2193 thunder \u2191", ["quieter:rain", "louder:thunder"]),
    ("the gulls are too close. move them back", ["quieter:seagull"]),  # more complaints, "move back"
    ("it's too noisy. calm the traffic", ["quieter:traffic"]),  # a complaint about "it", fixed by naming the sound
    ("drop the siren under", ["quieter:siren"]),
    ("There's a clock ticking that I never wanted. Cut it.", ["remove:clock"]),
    ("The wind shouldn't be this loud.", ["quieter:wind"]),
    ("Later a child laughs under the bridge.", ["add:laughter"]),  # "under" places it; "later" says nothing
    ("The road is almost empty and a lone car honks.", ["quieter:traffic", "add:car_horn"]),
    ("Suddenly tyres screech.", ["add:tire_skid"]),
    ("The rain needs to be overwhelming.", ["louder:rain"]),
    ("music drifting out of a window", ["add:music"]),
    ("not more wind - less wind", ["quieter:wind"]),  # reader 14: negations
    ("don't make the rain louder, make the birds louder", ["louder:chirping_birds"]),
    ("no louder, just add thunder", ["add:thunder"]),
    ("the siren at half volume, the dog stays", ["quieter:siren"]),  # relative amounts; what stays
    ("the thunder twice as loud", ["louder:thunder"]),
    ("I'd rather not have the siren, and the rain could be heavier", ["remove:siren", "louder:rain"]),
    ("rather than the dog, I'd like some crows", ["remove:dog", "add:crow"]),
    ("could the horn go?", ["remove:car_horn"]),
    ("the rain doesn't need to change; the wind should be softer", ["quieter:wind"]),
    ("Office, nobody is talking.", ["remove:speech"]),
    ("Rain, the gulls now faint.", ["quieter:seagull"]),  # a caption's "now faint"
    ("Traffic plus a dog barking.", ["add:dog"]),  # a bed and an arrival: the bed is the scene
    ("Wind lowered, clock ticking.", ["quieter:wind", "add:clock"]),
    ("Rain, siren removed, a bell ringing.", ["remove:siren", "add:bell"]),
    ("Traffic noise dropped, the voice clearer.", ["quieter:traffic", "louder:speech"]),
    ("Rain, the thunder and the horn both gone.", ["remove:thunder", "remove:car_horn"]),
    ("make ths quieter", ["quieter:it"]),  # reader 15: "ths" is "this", not an inflected "the"
    ("thes birds louder", ["louder:chirping_birds"]),
    ("more traffic nois", ["louder:traffic"]),  # a slip between two fillers is read as filler
    ("nudge the birds up, unmute the dog", ["louder:chirping_birds", "add:dog"]),  # reader 16: the mixing desk
    ("crow layer out + owl layer in", ["remove:crow", "add:owl"]),  # a layer named, not layered
    ("bring the rain up to -6 and sink the siren", ["louder:rain", "quieter:siren"]),  # a target level, not a sign
    ("trim the horn hard; the engine too", ["quieter:car_horn", "quieter:car_engine"]),
    ("fly in a car door", ["add:door"]),
    ("the creek sits under everything, lift it", ["louder:water_stream"]),
    ("Ugh, too busy. No dog, just the rain.", ["remove:dog"]),  # reactions: a busy complaint says why
    ("Love the rain, but the horn is driving me nuts. Lose it.", ["remove:car_horn"]),  # praise is no edit
    ("Why is there a bell ringing?? Remove that.", ["remove:bell"]),
    ("the siren is piercing. Quieter please", ["quieter:siren"]),
    ("Too much barking. Cut the dog.", ["remove:dog"]),
    ("A siren would be great, and I want a heavier downpour.", ["add:siren", "louder:rain"]),
    ("the gulls are barely there", ["louder:seagull"]),
    ("Helicopter gone; a plane flies overhead instead.", ["remove:helicopter", "add:aircraft"]),  # reader 20: arrivals
    ("A quieter drill, plus a metal clank that wasn't there before.", ["quieter:power_tool", "add:metal_clank"]),
    ("Honking removed, and tires squeal now.", ["remove:car_horn", "add:tire_skid"]),
    ("Jungle at night: the insects louder, an elephant trumpeting far off.", ["louder:insects", "add:elephant"]),
    ("pig oink add hens less", ["add:pig", "quieter:chicken"]),  # keyword halves ending in a level word
    ("Bigger, louder crash; no glass breaking.", ["louder:crash", "remove:glass_break"]),
    ("Casino ad. The jingling coins should be louder please", ["louder:coins"]),  # prose: "ad" the noun
    ("Make the blasters quieter. And add a big explosion when the mothership goes down.",
     ["quieter:laser", "add:explosion"]),  # "when" says when, not what
    ("add a choir of elafants and kill the musick", ["add:elephant", "remove:music"]),  # reader 27: spoken forms
    ("Sonar pings louder", ["louder:beep"]),  # a real word ("sonar") is never read as a misspelt sound word
    ("rain heavier thunder+", ["louder:rain", "add:thunder"]),  # reader 25: a sign after a sound
    ("thunder+ dog-", ["add:thunder", "remove:dog"]),
    ("rain louder, dog -", ["louder:rain", "remove:dog"]),
    ("A horse whinnies at the rail, the dog gone", ["add:horse", "remove:dog"]),  # reader 23: "a" with a verb
    ("A sheep pasture on a hill, the bleating quieter", ["quieter:sheep"]),  # a place, not an arrival
    ("There's a stream and cicadas. Remove the stream, make the cicadas louder.", ["remove:water_stream",
     "louder:insects"]),  # only named, then edited
])
def test_readers_10_to_27(text: str, edits: list[str]) -> None:
    assert _read(text) == edits


def test_any_text_is_read_without_error() -> None:
    """Seeded nonsense, word salad from the hand-written sets and spliced rows (joiners, arrows, signs) never raise."""
    import random
    from pathlib import Path

    rows = [line.split("\t")[0] for path in sorted(Path(PARSER_DEV).parent.glob("parser_dev*.tsv"))
            for line in path.read_text().splitlines()[1:] if line and not line.startswith(("#", "text\t"))]
    words = " ".join(rows).split()
    rng = random.Random(0)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789 ,.;:-+&/!?'\"()\u2191\u2193\u2717\u00e9\t"
    for _ in range(3000):
        a, b = rng.choice(rows), rng.choice(rows)
        text = rng.choice([
            " ".join(rng.choice(words) for _ in range(rng.randint(0, 12))),
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))),
            a[: rng.randint(0, len(a))] + rng.choice([" - ", " / ", " + ", ": ", "", " \u2191 ", " -", " +"])
            + b[rng.randint(0, len(b)):],
        ])
        parsed = parse_modifier(text)
        assert len(parsed.clauses) <= 2 or parsed.overflow
