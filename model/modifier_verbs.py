"""The words of a modifier that say what to do: verbs, phrasal verbs, comparatives, complaints, amounts.

Used by model.modifier_parser: `find_cues` returns the kind (add / remove / louder / quieter) and
strength of every cue in a piece of text, and the token positions the cues use. The strongest cue of
a piece wins: complaints ("too loud", "buried") and signed amounts ("-6 dB") > phrasal verbs
("bring X up", "take X out"), comparatives ("louder") and "no more" > plain verbs ("kill", "boost") and
"more" / "less" > add verbs ("add", "throw in", "needs") > bare particles and weak comparatives
("up", "bigger", "further back").
"""

from __future__ import annotations

import re
from functools import cache

from model.edits import ADD, LOUDER, QUIETER, REMOVE
from model.sound_lexicon import tokens

# (cue words, kind, priority)
CUES: tuple[tuple[str, str, int], ...] = (
    *((c, QUIETER, 5) for c in ("too loud", "too much", "too strong", "too prominent", "too hot", "overpowering",
                                "not so loud", "not as loud", "not that loud", "less loud", "less prominent",
                                "too busy", "too present", "too forward", "too upfront", "too harsh", "drowning",
                                "way too loud", "too heavy", "too big", "less present", "to loud", "to much",
                                "too high", "in your face", "not so much", "not as much", "not that much",
                                "too many", "to many")),  # "too many horns" (reader 107)
    *((c, LOUDER, 5) for c in ("too quiet", "too soft", "too low", "too faint", "not loud enough", "barely audible",
                               "can't hear", "cannot hear", "too weak", "barely hear", "hardly hear", "hard to hear",
                               "can t hear", "cant hear", "not enough", "buried", "drowned", "lost in", "less quiet",
                               "get lost", "inaudible",
                               "not so quiet", "too subtle", "too distant", "too far", "to quiet", "to soft",
                               "too timid", "too tame", "too small", "too few", "few audible", "little audible")),
    *((c, QUIETER, 4) for c in ("half as loud", "half volume", "half as much", "half the volume", "half of what",
                                "a third of", "a quarter of", "half as")),
    *((c, LOUDER, 4) for c in ("twice as loud", "twice as much", "twice as", "double the")),
    *((c, REMOVE, 3) for c in ("nobody", "no one", "noone")),  # "nobody is talking"
    *((c, LOUDER, 2) for c in ("clearer", "crisper", "more audible")),  # "speech clearer"
    ("dropped", QUIETER, 3),  # "the road noise dropped" (but "drop the dog" removes it)
    *((c, QUIETER, 5) for c in ("too close", "too near", "too aggressive", "too scary", "too intense",
                                "too dominant", "too constant", "too overpowering")),
    *((c, REMOVE, 4) for c in ("no more", "get rid of", "do without", "don't want", "do not want", "leave out",
                               "dont want", "don t want", "to go", "don t need", "dont need", "do not need",
                               "should go", "must go", "can go", "has gone", "have gone", "not be there",
                               "shouldn t be there", "not be here", "shouldn t be here", "could go", "might go",
                               "may go", "ceased", "ceases", "died away", "died out", "dies away", "moved on",
                               "fallen silent", "gone silent", "to nothing", "not needed", "isn t needed",
                               "aren t needed", "unnecessary")),  # "the bell ringing isn't needed" (reader 39)
    *((c, LOUDER, 4) for c in ("louder", "loud", "more prominent", "stronger", "higher", "upfront", "up front",
                               "punchier", "more present", "more intense", "more upfront", "further forward")),
    *((c, QUIETER, 4) for c in ("quieter", "softer", "quiet", "lower", "fainter", "weaker", "subtler", "less intense",
                                "more distant", "further back", "farther back", "further away", "farther away",
                                "more subtle", "gentler", "duller", "more soft", "more quiet", "more silent",
                                "more far", "more faint", "more gentle", "more muted", "more calm",  # reader 47
                                "more weak", "less strong",  # non-native comparatives (reader 64)
                                "more back", "more away")),  # "put it more back" (reader 142)
    *((c, QUIETER, 1) for c in ("further away", "farther away")),  # "add a dog further away" stays an add
    *((c, REMOVE, 3) for c in ("remove", "lose", "kill", "cut", "drop", "mute", "delete", "eliminate", "ditch",
                               "erase", "without", "no", "none", "zero", "silence", "strip", "scrap", "nix",
                               "exclude", "axe", "bin", "trash", "skip", "minus", "stop", "stopped", "silenced",
                               "subtract", "muted", "removed", "silent", "missing", "absent", "vanish", "disappear",
                               "nuke", "scrub", "suppress")),  # "scrub the tire screech" (reader 60); reader 64
    *((c, LOUDER, 3) for c in ("more", "boost", "crank", "amplify", "raise", "increase", "louden", "emphasize",
                               "double", "emphasise", "accentuate", "pump", "push", "heighten", "intensify",
                               "highlight", "bump", "feature", "beef", "juice", "blast", "favour", "favor", "lost")),
    *((c, QUIETER, 3) for c in ("less", "fewer", "tame", "reduce", "soften", "decrease", "attenuate", "dim", "halve",
                                "lessen", "muffle", "tone down", "dial down", "duck", "bury", "tuck", "dampen",
                                "hush", "thin", "ease", "eases", "shave", "trim", "more quietly", "more softly",
                                "more faintly", "less loudly", "recede", "recedes", "receding", "fade", "retreats",
                                "calm")),  # not "dip": "dep", "deip" are typos of "deep" (reader 61)
    *((c, LOUDER, 3) for c in ("more loudly", "swells", "swelling", "swelled", "surges", "lifted", "builds")),
    *((c, REMOVE, 3) for c in ("dump", "loose", "go away", "goes away", "went away")),  # "the pig go away" (47)
    ("rm", REMOVE, 3),  # an editor's shorthand: "rm alarm", "bell: rm" (reader 110)
    ("bypass", REMOVE, 3),  # "bypass the car engine loop" (reader 111)
    *((c, ADD, 3) for c in ("unmute", "unmuted")), ("sink", QUIETER, 3),  # "unmute the frogs", "sink the siren"
    *((c, LOUDER, 5) for c in ("barely there", "hardly there")),  # "loose the alarm": the common misspelling of "lose"
    *((c, QUIETER, 1) for c in ("further off", "farther off", "further from")),
    *((c, ADD, 2) for c in ("add", "ad", "include", "insert", "layer", "put", "throw", "toss", "want", "needs",
                            "need", "give me", "with", "there should be", "overlay", "introduce", "sprinkle", "mix in",
                            "bring in", "fade in", "drop in", "as well", "too", "gimme",
                            "d like", "would like", "like to hear", "would be nice", "would be good", "where is",
                            "where are", "would be great", "would be cool", "would be awesome", "would be perfect",
                            "stick", "let s hear", "lets hear", "let us hear",
                            # a caption saying a sound happens: "a dog starts barking", "a siren can be heard"
                            "starts", "begins", "joins", "join", "arrives", "arrive",
                            "appears", "appear", "enters", "audible", "can be heard",
                            "is heard", "are heard", "there is", "there are", "love", "approaches")),
    *((c, ADD, 1) for c in ("get", "use", "have", "hear")),  # "can we get some gulls", "could use a dog"
    # weak comparatives: "make the thunder bigger"; "add heavier rain" stays an add (the leftmost wins a tie)
    *((c, LOUDER, 2) for c in ("bigger", "heavier", "fuller", "closer", "nearer", "harder", "busier", "livelier",
                               "denser", "thicker")),
    *((c, QUIETER, 2) for c in ("smaller", "lighter", "thinner", "hot", "calmer", "sparser", "stiller", "milder")),
    ("gone", REMOVE, 3),
    *((c, LOUDER, 1) for c in ("up", "forward")),
    *((c, QUIETER, 1) for c in ("down", "back")),  # ("under" only at a piece's end: END_ONLY)
    ("out", REMOVE, 1),
)
# verb ... particle anywhere later in the piece: "bring the birds up", "take the siren out"
PHRASAL: dict[tuple[str, str], str] = {
    **{(v, "up"): LOUDER for v in ("bring", "turn", "crank", "pump", "dial", "push", "fade", "ramp", "jack", "kick",
                                   "bump", "punch", "beef", "juice", "keep", "fire", "boost", "open")},
    **{(v, "down"): QUIETER for v in ("bring", "turn", "dial", "tone", "fade", "knock", "pull", "take", "back", "put",
                                      "move", "bump", "notch", "calm", "settle", "ease", "ramp", "drop", "quiet",
                                      "step", "nudge", "ride", "rides", "ridden")},
    **{(v, "back"): QUIETER for v in ("pull", "dial", "turn", "roll", "knock", "ease", "scale", "push", "hold", "sit",
                                      "move", "set", "step", "rein", "tuck", "sink", "cut", "drop")},
    **{(v, "up"): LOUDER for v in ("nudge", "ride", "rides", "ridden")},
    ("fly", "in"): ADD,
    **{(v, "under"): QUIETER for v in ("tuck", "sit", "push", "bury", "sink", "drop", "put", "slip")},
    **{(v, "forward"): LOUDER for v in ("bring", "push", "pull", "move", "put")},
    **{(v, "out"): REMOVE for v in ("take", "cut", "leave", "fade", "edit", "pull", "filter", "strip", "get", "knock",
                                    "clear", "throw", "chuck", "mute", "keep")},
    **{(v, "off"): REMOVE for v in ("turn", "switch", "shut", "kill", "cut", "take", "knock")},
    **{(v, "up"): REMOVE for v in ("clean", "shut", "dry")},  # "dry it up": its reverb off, no level (reader 146)
    ("come", "up"): LOUDER, ("come", "down"): QUIETER, ("go", "up"): LOUDER, ("go", "down"): QUIETER,
    **{(v, "away"): REMOVE for v in ("take", "get", "put", "do", "want")},  # "I want the horn away" (reader 142)
    ("roll", "off"): QUIETER, ("back", "off"): QUIETER, ("ease", "off"): QUIETER,
    ("bring", "back"): ADD, ("put", "back"): ADD, ("come", "back"): ADD,
    ("fade", "away"): REMOVE, ("die", "away"): REMOVE, ("die", "out"): REMOVE, ("die", "down"): QUIETER,
    ("pick", "up"): LOUDER, ("pull", "up"): LOUDER, ("pull", "in"): ADD,
    **{(v, "in"): ADD for v in ("bring", "put", "throw", "mix", "toss", "fade", "drop", "pop", "slip", "sneak",
                                "stick", "get", "layer", "add", "chuck", "work", "dial", "weave", "blend", "lay",
                                "sprinkle", "fold", "edit", "cut", "roll", "kick", "come")},
    ("lay", "down"): ADD, ("thin", "out"): QUIETER, ("drop", "out"): REMOVE, ("dropped", "out"): REMOVE,
}
_ING_BEFORE_AWAY = re.compile(r"\bwant\w*\b.*?\b\w+ing\b.*?\baway\b", re.IGNORECASE)
_DISTANCE_BEFORE = frozenset({"more", "further", "farther"})  # before "back" / "away": a distance (reader 142)
START_ONLY: dict[str, str] = {"lift": LOUDER, "pull": QUIETER, "punch": LOUDER}  # verbs only at a piece's start
# particles only at a piece's end: "dog in", "rain under", "thunder on", "crow off"
END_ONLY: dict[str, str] = {"in": ADD, "under": QUIETER, "on": ADD, "off": REMOVE}
# ("laughs under the shelter" places the laugh)
# words that name the main sound of the clip instead of a sound class
PRONOUNS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "the rest", "everything else", "the whole thing", "whole thing", "the entire thing", "entire thing", "all of it",
    "the whole lot", "everything", "the mix", "the master", "master", "overall", "it", "this", "that", "all",
    "the clip", "the sound", "the scene", "the track", "them", "they", "these", "those", "the lot",
    "the ambience", "ambience", "ambiance", "atmosphere", "atmos", "the bed", "bed", "the background",
    "background", "bg", "backdrop", "the main sound", "main sound", "the main one", "em", "him", "he", "she"))
# ("he", "she": a voice named before, "can she be louder?", reader 58; not "her", a typo of "hear", reader 59)
# words that say nothing about what to do or to which sound (articles, amounts, places, politeness)
FILLER = frozenset("""a an the some of sound sounds noise noises to in on at into onto over under with from for by
    please pls bit little lot lots much way very really slightly somewhat quite just also so tad touch notch
    make get i me we you can could would should be is are was it's its let lets let's now maybe again
    distance background foreground top bottom there here more less like kind sort level volume vol lvl possible im
    ive id what making
    overhead far away close nearby behind around softly loudly gently big small huge tiny distant faint
    heavy light gentle deep long short occasional constant random few couple single another other extra new
    s one two three some any my our their them and or than then but if while as also plus okay ok yeah hey
    need needs want bring turn take put throw mix have has do does don't dont go going gonna kinda sorta give gimme
    up down back out off d ll re ve m t only same now further farther smidge hair ton tons loads heaps massively
    hugely seriously totally whole bg fx sfx amb atmos atmo layer track mix thing though still keep bunch
    please kindly thanks thank thx actually definitely right yes no past somewhere someone something night busy pinch
    dash hint smattering both twice once fader faders before earlier previously originally ideally preferably perhaps
    hopefully halfway version after afterwards later suddenly meanwhile finally eventually soon dawn dusk morning
    evening afternoon
    midnight tonight lone solitary req anything sudden set stem stems bus buss perfect great nice lovely awesome cool
    itll why ugh hmm hmmm meh nah wow argh ah yikes eh um uh nope yep man woman guy kid child boy girl
    completely entirely altogether immersive aggressive basically trees tree branches canopy ngl tbh lol lmao idk imo
    fr rn smth brought made were roughly approximately approx""".split())
# ("trees": a place, "wind in the trees", reader 70)
# verbs that are also sound words: a verb when they open a piece that names another sound after them
# ("switch the alarm off", "blast the music", "punch up the voice")
SOUND_VERBS: frozenset[str] = frozenset({"switch", "punch", "blast", "knock", "fly"})
# an amount: "-6 dB", "+3dB", "by 4 dB", "10 decibels"; a sign decides the kind
_AMOUNT = re.compile(r"(?:(?<=\s)|^)([+\-\u2212])?\s?(\d+(?:\.\d+)?)\s*(db|dbs|decibels?)?\b", re.IGNORECASE)
_AMOUNT_TOKEN = re.compile(r"^\d+(?:\.\d+)?(?:db|dbs)?$|^db$|^dbs$|^decibels?$")


def is_amount_word(word: str) -> bool:
    """'6', '6db', 'db', 'decibels': words of an amount (never sound words)."""
    return bool(_AMOUNT_TOKEN.match(word))


def amount_kind(raw: str) -> tuple[str | None, bool]:
    """(kind of a signed amount, whether the text has an amount at all): "rain -6 dB" -> (quieter, True)."""
    for match in _AMOUNT.finditer(raw):
        sign, _, unit = match.groups()
        if sign:
            return (LOUDER if sign == "+" else QUIETER), True
        if unit:
            return None, True
    return None, False


@cache
def cue_words() -> frozenset[str]:
    return frozenset({w for cue, _, _ in CUES for w in tokens(cue)} | {w for pair in PHRASAL for w in pair}
                     | set(START_ONLY))


@cache
def cue_kind(word: str) -> str | None:
    """The kind a single cue word stands for alone ('quieter' -> quieter), else None."""
    kinds = {kind for cue, kind, _ in CUES if tokens(cue) == [word]}
    return kinds.pop() if len(kinds) == 1 else None


# words of cue phrases that are no verbs: "ths" is not an inflected "the" ("half the volume")
_FUNCTION_WORDS = frozenset({"a", "an", "the", "of", "as", "to", "at", "in", "on", "is", "be", "so", "if", "than", "it",
                             "me", "us", "we", "you", "i"})


def verb_base(word: str) -> str | None:
    """The cue verb an inflected word comes from ("adding" -> add, "removed" -> remove), else None."""
    for suffix in ("ing", "ed", "en", "es", "s"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2:
            doubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None
            y_base = stem[:-1] + "y" if stem.endswith("i") and suffix in ("ed", "es") else None  # intensified
            for base in (stem, stem + "e", doubled, y_base):
                if base in cue_words() and base not in _FUNCTION_WORDS:
                    return base
    return None


@cache
def _sorted_cues() -> tuple[tuple[list[str], str, int], ...]:
    return tuple((tokens(c), k, p) for c, k, p in sorted(CUES, key=lambda c: -len(tokens(c[0]))))


def find_cues(words: list[str], raw: str = "") -> tuple[list[tuple[int, str]], set[int]]:
    """(priority, kind) of every cue in the piece, in order of strength then position, and the token
    positions the cues use. Masked tokens ("\\0": sound words) never match. ``raw``: the piece as
    typed, for signed amounts ("-6 dB")."""
    found, used = located_cues(words, raw)
    return [(p, k) for p, _, k in found], used


def located_cues(words: list[str], raw: str = "") -> tuple[list[tuple[int, int, str]], set[int]]:
    """find_cues with each cue's position: (priority, position, kind), strongest first (position -1: a signed
    amount)."""
    found: list[tuple[int, int, str]] = []  # (priority, position, kind)
    used: set[int] = set()

    def match_cues(strongest: bool) -> None:
        for cue_words_, kind, priority in _sorted_cues():
            n = len(cue_words_)
            for i in range(len(words) - n + 1):
                if ((priority == 5) == strongest and words[i : i + n] == cue_words_
                        and not used & set(range(i, i + n))):
                    found.append((priority, i, kind))
                    used.update(range(i, i + n))

    match_cues(strongest=True)  # complaints first: "the dog gets lost in the rain" is not "get ... in"
    for i, verb in enumerate(words):  # then phrasal verbs: "turn the rain down", "pull it back"
        for j in range(i + 1, len(words)):
            kind = PHRASAL.get((verb, words[j]))
            if kind is not None and words[j] == "under" and words[i + 1 : i + 2] == ["more"]:
                continue  # "put more rain under it": more of it, not tucked under (reader 144)
            if kind is not None and words[j] in ("back", "away") and (
                    words[j - 1] in _DISTANCE_BEFORE or (verb, words[j - 1], words[j]) == ("want", "far", "away")):
                continue  # "put the birds further back", "want a siren far away": a distance (reader 142)
            if (verb, words[j]) == ("want", "away") and _ING_BEFORE_AWAY.search(raw):
                continue  # "wants a car pulling away": the car's going, not a removal (the typed words: "pulling")
            if kind is not None and i not in used and j not in used:
                found.append((4, i, kind))
                used |= {i, j}
                break
    if len(words) > 1 and words[-1] == "out" and words[-2] == "\0" and len(words) - 1 not in used:
        found.append((3, len(words) - 1, REMOVE))  # "I want the thunder out": the particle after the sound decides
        used.add(len(words) - 1)
    match_cues(strongest=False)
    if words and words[0] in START_ONLY and 0 not in used:
        found.append((3, 0, START_ONLY[words[0]]))
        used.add(0)
    if len(words) > 1 and words[-1] in END_ONLY and len(words) - 1 not in used:  # "thunder out, dog in"
        found.append((1, len(words) - 1, END_ONLY[words[-1]]))
        used.add(len(words) - 1)
    signed, has_amount = amount_kind(raw)
    if signed is not None:
        found.append((5, -1, signed))
    elif has_amount:  # "drop the engine 6 dB", "cut the rain by 3 dB": a level change, not a removal or an add
        found = [(p, i, {REMOVE: QUIETER, ADD: LOUDER}.get(k, k)) for p, i, k in found]  # "add 3 dB to the birds"
    found.sort(key=lambda f: (-f[0], f[1]))
    return found, used


# a mood or quality ("spooky", "cosy", "punchy"): never corrected into another word, such as speech, cows, punch
# (reader 138)
QUALITY_WORDS = frozenset("""spooky spookier creepy eerie scary scarier moody dreamy cosy cozy gritty airy cheery
    cheerier lonely lonelier roomy punchy gloomy ominous""".split())

# words of a sound's processing or quality, not of a sound: said as such, with no "nearest known" sound (a trial got
# "echo" -> forest, "tail" -> horse, "low pass filter" -> car engine; reader 72)
EFFECT_WORDS = frozenset("""reverb reverberation verb echo echoes delay tail tails distortion distorted overdrive
    saturation eq equalization equalizer filter filtered lowpass highpass bandpass compression compressor limiter chorus
    flanger pitch pitched bass treble lows highs mids stereo mono pan panning sidechain""".split())
