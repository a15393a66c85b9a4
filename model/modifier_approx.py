"""Words the reader approximates: a sound's distance, size or tone read as a level change ("heavier" -> louder, "more
distant" -> quieter), or a distance dropped from an added sound ("add an explosion in the distance" -> add explosion).
Nudge reads sounds added, removed, louder or quieter; a trial found these readings printed but never said to be
approximations, unlike "reverb" (an effect word, left out and said)."""

from __future__ import annotations

import re

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.modifier_pieces import sound_base
from model.modifier_spelling import known_words
from model.sound_lexicon import find_sounds, tokens
from model.sound_vocab import BY_ID

_DISTANCE = (r"(?:more |less )?distant|in the distance|into the distance|far (?:away|off|back)|faraway"
             r"|(?:further|farther) (?:away|off|back)|closer|nearer|up close|close up|close-up|off[- ]mic|on[- ]mic")
_SIZE = r"bigger|smaller|fuller|thinner|punchier|beefier|weightier|chunkier|fatter|tinier|muffled|muffle|muffles"
SURFACE = "surface"  # the reading of a surface's words: not read
WHO = "who"  # ... of who makes an added voice or step: not read
HINT = "hint"  # ... of how much of an added sound ("subtle", "a hint of"): not read (the strength slider is that)
_NOT_READ = {SURFACE: "what they fall on or are made of", WHO: "whose they are",  # what the note says Nudge misses
             HINT: "how much of a sound added: a lower strength gives a hint of it"}
# how much of an added sound (trial 53: "add thunder, but subtle" was read as "add thunder", unsaid)
_HINT_WORDS = re.compile(r"\b(?:subtle|subtly|a hint of|a touch of|faint|faintly|barely audible|understated)\b")
_WEIGHT_TONE = r"heavier|lighter|duller|darker|brighter|crisper"  # of a named bed: "heavier rain" = more rain
DENSITY = "density"  # the reading of how busy the clip is, as a level of "it": said with its own reason (trial 62:
# "less busy, more distant" said only "more distant" was approximated)
_DENSITY_WORDS = re.compile(r"\b(?:(?:less|more|too|not so|so)\s+(?:busy|cluttered|chaotic|sparse|dense|lively)|busier"
                            r"|calmer|sparser|livelier|denser|emptier)\b")

# what a sound falls on or is made of, after a sound word ("footsteps on snow", "steps on gravel"): not read (trial 43)
_SURFACE_WORDS = re.compile(
    r"\b(?:on|in|over|across|through|onto)\s+(?:the\s+|some\s+|a\s+|an\s+)?(?:(?:wet|dry|fresh|deep|crunchy|thick|"
    r"loose|hard|soft|old|wooden|creaky)\s+)?(?:snow|gravel|grass|wood|floorboards|boards|concrete|tiles?|metal|sand|mud|"
    r"dirt|carpet|stone|stones|marble|stairs|ice|pavement|asphalt|tarmac|dry leaves|leaves|planks|steel|floors?"
    r"|roof)\b")
# who makes an added voice or step ("add a woman screaming", "make it a man talking"): not read (trial 43)
_WHO_WORDS = re.compile(r"\b(?:an? |the |some )?(?:old |young |little )?(?:man|men|woman|women|child|children|kid|kids|"
                        r"girl|girls|boy|boys|guy|guys|lady|ladies|baby|male|female)\b(?:'s)?")
_PEOPLE_SOUNDS = frozenset({"speech", "scream", "laughter", "pain_grunt", "breathing", "footsteps"})
_SIZE_WORDS = re.compile(rf"\b(?:{_SIZE})\b")
_SIZE_TONE_WORDS = re.compile(rf"\b(?:{_SIZE}|{_WEIGHT_TONE})\b")
_DISTANCE_WORDS = re.compile(rf"\b(?:{_DISTANCE})\b")


def approximated_words(text: str, edits: list[Edit]) -> list[tuple[str, str]]:
    """(words, what they were read as) for each approximation in ``text``, read into ``edits``: "louder" / "quieter"
    for a level change, "" for a distance left out of an added or removed sound. Weight and tone words count only
    for the whole clip ("heavier rain" is more rain); a distance beside both an added sound and a level change is
    left unsaid (which one it went with is not known here). Empty when none."""
    lowered = text.lower()
    levels = [e for e in edits if e.kind in (LOUDER, QUIETER)]
    others = any(e.kind in (ADD, REMOVE) for e in edits)
    found: list[tuple[str, str]] = []
    if levels:
        kinds = {e.kind for e in levels}
        reading = ("louder" if LOUDER in kinds else "quieter") if len(kinds) == 1 else "a level change"
        sizes = _SIZE_TONE_WORDS if all(e.sound is None for e in levels) else _SIZE_WORDS
        found = [(m.group(0), reading) for m in sizes.finditer(lowered)]
        if all(e.sound is None for e in levels):  # "less busy": how many sounds happen, read as the clip's level
            found += [(m.group(0), f"{DENSITY}:{reading}") for m in _DENSITY_WORDS.finditer(lowered)]
        if not others:
            found += [(m.group(0), reading) for m in _DISTANCE_WORDS.finditer(lowered)]
    elif others:
        found = [(m.group(0), "") for m in _DISTANCE_WORDS.finditer(lowered)]
    if edits:
        found += [(m.group(0), SURFACE) for m in _SURFACE_WORDS.finditer(lowered)
                  if not find_sounds(tokens(m.group(0)))]  # "on the rain" names a sound: read
    if any(e.kind == ADD for e in edits) and not levels:  # a level beside it may have read the word
        found += [(m.group(0), HINT) for m in _HINT_WORDS.finditer(lowered)]
    if any(e.kind == ADD and e.sound in _PEOPLE_SOUNDS for e in edits):
        found += [(m.group(0), WHO) for m in _WHO_WORDS.finditer(lowered)]
    return list(dict.fromkeys(found))


def approximation_message(found: list[tuple[str, str]]) -> str:
    """One line for the user: 'heavier: read as louder (Nudge reads how loud a sound is, not its distance, size or
    tone)' or 'in the distance: not read (...)'; "" when nothing was approximated."""
    lines = []
    for kind, what in _NOT_READ.items():  # "on snow", "a man": one line each
        named = [f"\u201c{w}\u201d" for w, r in found if r == kind]
        if named:
            lines.append(f"{', '.join(named)}: not read (Nudge reads which sounds are there and how loud, not {what})")
    dense = [(w, r.partition(":")[2]) for w, r in found if r.startswith(f"{DENSITY}:")]
    if dense:  # "less busy": read as quieter, and how to take a sound out
        said = dense[0][1] if len({r for _, r in dense}) == 1 else "a level change"
        quoted = ", ".join(f"\u201c{w}\u201d" for w, _ in dense)
        how = ("to add one, name it, as \u201cadd dog barking\u201d" if said == "louder" else
               "to take one out, name it, as \u201cremove the car horn\u201d")
        lines.append(f"{quoted}: read as {said} (Nudge reads how loud the clip is, not how many sounds happen in it: "
                     f"{how})")
    found = [(w, r) for w, r in found if r not in _NOT_READ and not r.startswith(f"{DENSITY}:")]
    if not found:
        return "; ".join(lines)
    words = ", ".join(f"\u201c{w}\u201d" for w, _ in found)
    readings = {r for _, r in found}
    if readings == {""}:
        line = f"{words}: not read (Nudge reads which sounds are there and how loud, not how far away they are)"
    else:
        said = next(iter(readings)) if len(readings) == 1 else "a level change"
        line = f"{words}: read as {said} (Nudge reads how loud a sound is, not its distance, size or tone)"
    return "; ".join([line, *lines])


# a call word after the name of what calls ("a hawk screech"): read as the known sound the call word names (a tire
# screech), which a trial found unsaid; the reading stays (readers 95-96 changing it lost a test row), it is said
_CALLS = frozenset({"screech", "screeches", "screeching", "song", "songs", "squawk", "squawks", "squawking", "chirp",
                    "chirps", "chirping", "hoot", "hoots", "hooting", "bark", "barks", "barking", "scream", "screams",
                    "screaming",
                    # what a thing does, read as the known sound that does it ("a tarp flapping" -> whoosh, "a fridge
                    # hum" -> room tone, "a drone buzzing" -> insects: a writers' set; said, the reading kept)
                    "flap", "flaps", "flapping", "buzz", "buzzes", "buzzing", "chatter", "chattering", "hum", "hums",
                    "humming", "whir", "whirring", "beep", "beeps", "beeping", "ringing", "clank", "clanking", "creak",
                    "creaking", "squeak", "squeaking", "tick", "ticking", "roar", "roars", "roaring", "honk",
                    "honking", "howl", "howling", "growl", "growling", "purr", "purring", "cluck", "clucking", "caw",
                    "cawing", "croak", "croaking", "bleat", "bleating", "moo", "mooing", "neigh", "neighing",
                    # an animal's grunt, read as a person's (trial 46: "add a camel grunting" said nothing of the camel)
                    "grunt", "grunts", "grunting", "groan", "groans", "groaning"})
_NOT_A_SOURCE = frozenset({"sharp", "shrill", "high", "piercing", "harsh", "deep", "sudden", "quick", "brief", "short",
                           "angry", "eerie", "wild", "tiny", "huge", "lone", "lonely", "occasional", "constant",
                           "frantic", "happy", "sad", "creepy", "scary", "raspy", "squeaky", "throaty", "hoarse",
                           "metallic", "massive", "strange", "weird", "odd", "single", "double", "big", "small",
                           "little", "great", "nice", "good", "bad", "new", "old", "same", "other", "another",
                           "whole", "full", "real", "fake", "weak", "strong", "hard", "gentle", "bright", "dark",
                           "dull", "cute", "evil", "scared", "startled", "mournful", "distant", "her", "his", "their",
                           "its", "my", "your", "our", "whose", "kid", "child", "man", "woman", "girl", "boy", "guy",
                           "lady", "person", "a", "an", "the", "some", "one", "that", "this",
                           "longer", "never", "still", "again", "now", "then", "also", "even", "really", "barely",
                           "hardly", "more", "less", "any", "every", "all", "no", "not"})  # "tires no longer screech"


def _a_source(word: str) -> bool:
    """A word Nudge does not know that may name what calls ("hawk", "seal"), not a describing word ("sharp"); not a
    plural ("brakes screech" is a tire screech)."""
    return (word.isalpha() and word not in known_words() and word not in _NOT_A_SOURCE
            and not word.endswith(("s", "ing", "ed", "ly", "ful", "ous", "ish", "ic", "less", "est")))


def stood_in_calls(text: str, edits: list[Edit]) -> list[tuple[str, str]]:
    """(words as typed, the known sound read) for each call word read as a known sound beside a word Nudge does not
    know that names what calls ("hawk screech", "hawk's screech", "screeching hawk"): [("hawk screech", "tire
    screech")]; empty when none."""
    words = tokens(text)
    read = {e.sound for e in edits if e.sound}
    found = []
    for i, call in enumerate(words):
        sounds = (find_sounds([call]) or find_sounds([sound_base(call) or call])) if call in _CALLS else []  # flapping
        if not sounds or sounds[0][2] not in read:
            continue
        before = words[i - 2] if i >= 2 and words[i - 1] == "s" else words[i - 1] if i >= 1 else ""  # "hawk's"
        after = words[i + 1] if i + 1 < len(words) and call.endswith("ing") else ""  # "a screeching hawk"
        source = before if _a_source(before) else after if _a_source(after) else ""
        if source:
            pair = f"{source} {call}" if source == before else f"{call} {source}"
            found.append((pair, BY_ID[sounds[0][2]].name))
    return list(dict.fromkeys(found))


_NO_CALLER = frozenset({"tire_skid"})  # known sounds a call word is read as that no creature makes: beside a word
# Nudge does not know ("a hawk screeching") the caller is asked for, not them; other stand-ins stay read ("a lion
# roar" -> growl, "a drone buzzing" -> insects: writers' sets expect them)


_WHEELS = frozenset({"tyre", "brake", "wheel", "rubber", "axle", "trolley", "cart", "skateboard", "bike", "bicycle"})
# ... what does screech as a tire does ("a tyre screech", "the brake screech")


def unknown_callers(text: str, edits: list[Edit]) -> list[tuple[Edit, str, str]]:
    """(the edit a call word made, the word Nudge does not know that names what calls, the words as typed) for each
    call read as a sound no creature makes (_NO_CALLER) beside such a word ("a hawk screeching": the add of a tire
    screech, "hawk", "hawk screeching"): the caller is the sound asked for (trials 51-52: Hawk.ogg lost to skids)."""
    out = []
    for pair, name in stood_in_calls(text, edits):
        made = next((e for e in edits if e.sound in _NO_CALLER and BY_ID[e.sound].name == name), None)
        if made is not None and _source_of(pair) not in _WHEELS:
            out.append((made, _source_of(pair), pair))
    return out


def stood_in_message(found: list[tuple[str, str]]) -> str:
    """'“hawk screech”: hawk is not a sound Nudge knows, so it was read as tire screech'; "" for none."""
    return "; ".join(f"\u201c{words}\u201d: {_source_of(words)} is not a sound Nudge knows, so it was read as {name}"
                     for words, name in found)


def _source_of(pair: str) -> str:
    first, second = pair.split()
    return second if first in _CALLS else first
