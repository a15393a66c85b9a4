"""Phrasing templates of the description generator (training/wording.py), by family and edit kind.

Slots: {x} the sound with an article as after "add" ("a dog barking", "some rain"), {d} with "the"
("the rain"), {b} bare ("rain"), {deg} an optional degree word ("a bit ", "way ", ""). Every id whose
number is in HELDOUT_NUMBERS, every held-out joiner and the whole "request" family are used only for
eval pairs flagged is_heldout_phrasing (never in dev/val), so phrasings the model and the parser were
not shaped on can be measured.
"""

from __future__ import annotations

from model.edits import ADD, LOUDER, QUIETER, REMOVE

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "imperative": {
        ADD: ("add {x}", "put in {x}", "include {x}", "add {x} to it", "mix in {x}", "insert {x}",
              "layer {x} on top", "bring in {x}", "overlay {x}", "introduce {x}"),
        REMOVE: ("remove {d}", "take out {d}", "delete {d}", "get rid of {d}", "mute {d}", "cut {d}",
                 "remove {d} completely", "take {d} out", "eliminate {d}", "take {d} away"),
        LOUDER: ("make {d} {deg}louder", "turn up {d}", "boost {d}", "increase {d}", "raise {d}",
                 "amplify {d}", "turn {d} up {deg}", "make {d} {deg}more prominent", "{d} {deg}louder",
                 "louden {d}"),
        QUIETER: ("make {d} {deg}quieter", "turn down {d}", "reduce {d}", "lower {d}", "make {d} {deg}softer",
                  "soften {d}", "turn {d} down {deg}", "decrease {d}", "make {d} {deg}quieter please",
                  "attenuate {d}"),
    },
    "caption": {
        ADD: ("add the sound of {x}", "add the sound of {x} in the distance", "with {x} added",
              "add the sound of {x} in the background", "the sound of {x} is added", "include the sound of {x}",
              "with the sound of {x} as well", "add {x} nearby", "introduce the sound of {x} too",
              "overlay the sound of {x}"),
        REMOVE: ("remove the sound of {d}", "without the sound of {d}", "the sound of {d} is removed",
                 "take away the sound of {d}", "with {d} removed", "with no {b}", "remove the sound of {d} entirely",
                 "delete the sound of {d}", "eliminate the sound of {d}", "with the sound of {d} taken out"),
        LOUDER: ("make the sound of {d} {deg}louder", "the sound of {d} is {deg}louder",
                 "with {d} {deg}louder", "make {d} {deg}louder, closer", "increase the volume of {d}",
                 "raise the level of {d}", "the sound of {d} becomes {deg}louder", "with a louder {b}",
                 "amplify the sound of {d}", "the sound of {d} gets {deg}louder"),
        QUIETER: ("make the sound of {d} {deg}quieter", "the sound of {d} is {deg}quieter",
                  "with {d} {deg}quieter", "make {d} {deg}softer, more distant", "lower the volume of {d}",
                  "reduce the level of {d}", "the sound of {d} becomes {deg}softer", "with a quieter {b}",
                  "decrease the volume of {d}", "the sound of {d} gets {deg}quieter"),
    },
    "studio": {
        ADD: ("throw in {x}", "needs {x}", "drop in {x}", "sprinkle in {x}", "toss in {x}", "layer in {x}",
              "give me {x}", "put {x} in there", "could use {x}", "i want {x} as well"),
        REMOVE: ("lose {d}", "kill {d}", "ditch {d}", "no {b}", "without {d}", "cut out {d}", "drop {d}",
                 "kill {d} entirely", "scrap {d}", "nix {d}"),
        LOUDER: ("needs more {b}", "more {b}", "bring {d} up", "crank {d}", "push {d} {deg}up", "{d} is too quiet",
                 "bring up {d} {deg}", "pump up {d}", "{d}'s too quiet, bring it up", "give me more {b}"),
        QUIETER: ("{d}'s too loud, pull it back", "less {b}", "tame {d}", "pull {d} back {deg}", "duck {d}",
                  "bring {d} down {deg}", "{d} is {deg}too loud", "dial down {d}", "{d} is way too hot",
                  "dial back {d}"),
    },
    # the main sound's level, named by a pronoun ("make it quieter")
    "pronoun": {
        LOUDER: ("make it {deg}louder", "turn it up", "louder please", "the whole thing should be louder",
                 "crank it", "make everything {deg}louder", "bring it up {deg}", "turn it up {deg}",
                 "pump it up", "everything louder"),
        QUIETER: ("make it {deg}quieter", "turn it down", "quieter please", "make everything {deg}softer",
                  "pull it back {deg}", "bring it down {deg}", "make the whole thing {deg}quieter",
                  "turn it down {deg}", "tone it down", "bring it all down"),
    },
    # held out as a whole: polite requests and questions
    "request": {
        ADD: ("could you add {x}?", "can we get {x} in there?", "please add {x}", "how about adding {x}?"),
        REMOVE: ("could you remove {d}?", "can we lose {d}?", "please get rid of {d}", "can you cut {d}?"),
        LOUDER: ("could you make {d} louder?", "can we have more {b}?", "please turn {d} up",
                 "can you boost {d}?"),
        QUIETER: ("could you make {d} quieter?", "can we have less {b}?", "please turn {d} down",
                  "can you bring {d} down?"),
    },
}
HELDOUT_NUMBERS = frozenset({9, 10})  # template index + 1: the last two of each list
HELDOUT_FAMILIES = frozenset({"request"})
DEGREES = ("", "", "", "a bit ", "a little ", "much ", "a lot ", "way ", "slightly ")

# Two edits: "{0}<joiner>{1}". Shared-verb joiners list two sounds after one verb ("add rain and thunder").
JOINERS: dict[str, str] = {
    "and": " and ", "then": ", then ", "period": ". ", "plus_sign": " + ", "dash": " - ", "also": ", also ",
    "plus": " plus ", "and_also": " and also ", "comma_and": ", and ", "semicolon": "; ", "amp": " & ",
    "and_then": " and then ",
}
SHARED_VERB_JOINERS: dict[str, str] = {"v_and": " and ", "v_amp": " & ", "v_plus_sign": " + ",
                                       "v_as_well_as": " as well as ", "v_comma_and": ", and "}
HELDOUT_JOINERS = frozenset({"amp", "and_then", "semicolon", "v_as_well_as", "v_amp"})
SHARED_VERBS: dict[str, tuple[str, ...]] = {ADD: ("add", "throw in", "bring in"),
                                            REMOVE: ("remove", "lose", "kill", "get rid of")}
