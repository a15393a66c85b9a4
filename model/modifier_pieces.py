"""A modifier cut into pieces, each read for its cue, sound, pronoun and leftover words (model.modifier_parser
merges the pieces into edits).

The text is cut by model.modifier_said (joiners, corrections, two edits typed without a joiner). Each piece records what
the merge needs: its strongest cue (model.modifier_verbs), the first and last sound named, whether it opens with an
article, places a sound ("distant thunder"), tells a sound happening ("thunder rumbles", "a siren approaches"),
or goes on about the previous piece's sound ("..., which are louder now").
"""

from __future__ import annotations

from dataclasses import dataclass

from model.edits import ADD, LOUDER, QUIETER, REMOVE
from model.modifier_arrivals import ARTICLES, WHERE, acts_on, introduced, moves_in, said_new
from model.modifier_spelling import TYPED_ONLY, a_real_word, correct_spelling, english_words, known_words
from model.modifier_verbs import (
    FILLER,
    PHRASAL,
    PRONOUNS,
    SOUND_VERBS,
    cue_kind,
    is_amount_word,
    located_cues,
    verb_base,
)
from model.sound_lexicon import audioset_matches, find_sounds, lexicon, tokens
from model.sound_vocab import BACKGROUND, BY_ID, EVENT

_KEEP = frozenset({"keep", "leave", "only", "just"})  # "keep the rain, lose the thunder": the rain is not an edit
# "the birds remain", "the dog stays where it is"
_KEPT = frozenset({"still", "remain", "remains", "kept", "unchanged", "untouched", "fine", "stays", "stay"})
_HOLDS = frozenset({"has", "have", "gets", "got", "features", "contains", "includes"})  # "the street now has bells"
# adjectives of an added sound, not level changes: "add a loud explosion", "add muffled music"
_ADJECTIVES = frozenset({"loud", "quiet", "soft", "faint", "muffle", "subtle", "gentle", "low", "heavy", "lower",
                         "louder", "quieter", "softer", "bigger", "heavier", "lighter", "distant", "close"})
_RELATIVE = frozenset({"which", "who"})
# where an unknown sound goes: "add a kazoo to the rain" puts it into the bed, it does not add rain (reader 91)
_INTO = frozenset({"to", "in", "into", "over", "on", "onto", "under", "across", "through", "throughout", "inside",
                   "within", "behind", "beside", "above", "beneath", "below", "among", "amid"})
_HOLDER = _HOLDS - {"features", "contains", "includes"}  # "the street now has a kazoo": has / have / gets / got
# an effect asked of a named sound: "more reverb on the rain" is no edit of the rain (reader 105); tone words not
_EFFECTS_ON = frozenset("""reverb reverberation echo echoes delay distortion distorted overdrive saturation eq
    equalization equalizer filter filtered lowpass highpass bandpass compression compressor limiter chorus flanger pitch
    pitched""".split())
# an unknown sound's words stop at its place: "a fountain in the courtyard" is a fountain (reader 99)
_PLACE_AFTER = frozenset({"in", "on", "at", "from", "near", "by", "under", "over", "behind", "outside", "across",
                          "around", "along", "beside"})
_PLACES = frozenset({"distant", "overhead", "somewhere", "nearby", "faraway", "far", "outside", "offscreen",
                     "distance"})
# "the dog is barking", "it sounds distant": the verb of a statement (modifier_parser reads its finite forms alone)
COPULA = frozenset({"is", "are", "was", "were", "be", "been", "being", "seems", "sounds", "feels"})
_HAPPEN = frozenset({"start", "begin", "approach", "come", "go", "pass", "appear", "arrive", "enter", "shut", "open",
                     "close", "cry", "call", "ring", "sound", "roll", "rumble", "sing", "chirp", "bark", "honk", "hoot",
                     "caw", "howl", "creak", "splash", "echo", "blare", "wail", "buzz", "tick", "rev", "crash"})
# prepositions before a sound that only places the edited one: "the dog's too loud, tuck it under the rain"
_REFERENCE = frozenset({"under", "below", "beneath", "behind", "beside", "against"})
_WANTS = frozenset({"want", "wants", "wanted", "need", "needs", "get", "gets", "got"})  # weak adds: "the client wants"
# verbs that only add ("add a duck": what follows is what is added), then every verb an add can open with
_ADDING = frozenset({"add", "ad", "include", "insert", "layer", "throw", "toss", "overlay", "introduce", "sprinkle"})
_ADD_VERBS = _ADDING | {"put", "want", "need", "needs", "give", "gimme", "drop", "stick", "hear"}
_NOUN_AFTER = frozenset({"a", "an", "some", "the"})
_ALL_THE_WAY = frozenset({"completely", "entirely", "altogether"})
# "The frogs I want them more far": a sound named, then wanted as "it"; not one an adding verb or article brings in
WANTING = frozenset({"want", "like", "need"})
INTRODUCING = (_ADD_VERBS - WANTING) | ARTICLES
PARTICLES = frozenset({"up", "down", "off", "on", "in", "out", "under"})  # keyword particles: "crow off", "wind up"


def _normalize(word: str, verb_slot: bool = False, article_next: bool = False) -> str:
    if word in known_words():
        return word
    return verb_base(word) or sound_base(word) or correct_spelling(word, verb_slot, article_next)


def sound_base(word: str) -> str | None:
    """The sound word an inflected word comes from ("groaning" -> groan, "howls" -> howl), else None."""
    for suffix in ("ing", "ed", "es", "s"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if (base,) in lexicon() and base not in TYPED_ONLY:
                    return base
    return None


@dataclass
class Piece:
    raw: str  # the piece as typed
    joiner: str  # what joined it to the previous piece ("" for the first)
    kind: str | None  # strongest cue's kind
    priority: int
    sound: str | None  # class id of the first sound named
    pronoun: bool
    leftover: list[str]  # content words that are neither cue, sound, pronoun nor filler
    article: bool = False  # opens with "a", "an", "some": introduces a sound ("more rain and a dog")
    context: bool = False  # names the clip as it is ("the same rain"), not an edit
    bare: bool = False  # names a sound and nothing else: an add unless the next piece gives a verb
    n_sounds: int = 0  # sound phrases named
    last_sound: str | None = None  # class id of the last sound named ("seagulls join the waves" -> sea_waves)
    relative: bool = False  # opens with "which" / "who": goes on about the previous piece's last sound
    placed: bool = False  # places a sound not named before ("distant thunder", "a dog somewhere"): an arrival
    happening: bool = False  # a sound doing its thing, no cue: "thunder rumbles", "a siren approaches": an arrival
    also: bool = False  # "..., the dog barking too": the previous edit again, for another sound
    acting: bool = False  # the sound's name says what it does: "a clock ticking", "birds chirping"
    definite: bool = False  # the first sound named follows "the": one the clip holds ("the crash needs to hurt")


_NOISE_OF = frozenset({"room_tone", "machinery"})  # a hum or hiss "of" a sound named next is that sound's


def _verb_with_particle(words: list[str], start: int, end: int) -> bool:
    """Whether the one-word sound words[start:end] is a verb ("has been switched ... off"): a sound verb with its
    particle later in the piece, not after an article or another filler word ("turn the punch up")."""
    if end - start != 1 or words[start] not in SOUND_VERBS:
        return False
    after_filler = start > 0 and words[start - 1] in FILLER and words[start - 1] not in ("be", "is", "are", "was")
    return not after_filler and any((words[start], w) in PHRASAL for w in words[end:])


def read_piece(raw: str, joiner: str) -> Piece:
    typed = _split_compounds(tokens(raw.replace("'s ", " is ").replace("\u2019s ", " is ")))
    words = [_normalize(w, verb_slot=i == 0, article_next=typed[i + 1 : i + 2] == ["the"]) for i, w in enumerate(typed)]
    sounds = find_sounds(words)
    if len(sounds) > 1 and sounds[0][:2] == (0, 1) and words[0] in SOUND_VERBS:
        sounds = sounds[1:]  # "switch the alarm off": the opening sound word is the verb
    if len(sounds) > 1:  # "the machinery has been switched off": a sound word that is a verb with its particle
        sounds = [(a, b, c) for a, b, c in sounds if not _verb_with_particle(words, a, b)]
    if (len(sounds) > 1 and sounds[0][2] in _NOISE_OF and sounds[0][1] - sounds[0][0] == 1
            and words[sounds[0][1] : sounds[0][1] + 1] == ["of"] and sounds[1][0] - sounds[0][1] <= 2):
        sounds = sounds[1:]  # "the hum of traffic", "the hiss of the rain": that sound's, no room tone (trial 52)
    in_sound = {i for start, end, _ in sounds for i in range(start, end)}
    if (len(sounds) > 1 and BY_ID[sounds[0][2]].role == BACKGROUND
            and _HOLDS & {t.lower() for t in typed[sounds[0][1] : sounds[1][0]]}):
        sounds = sounds[1:]  # "the street now has church bells ringing": the bed is the scene, the bells the edit
    if len(sounds) > 1 and ":" in raw:  # "Jungle at night: the insects louder": the bed before the colon is the scene
        head = len(_split_compounds(tokens(raw.split(":", 1)[0].replace("'s ", " is "))))
        scene = [t for t in sounds if t[1] <= head]
        if scene and len(scene) < len(sounds) and all(BY_ID[t[2]].role != EVENT for t in scene):
            sounds = [t for t in sounds if t[1] > head] + scene
    rest = [w if i not in in_sound else "\0" for i, w in enumerate(words)]
    for i in range(1, len(rest)):
        if rest[i] == "ad" and (i == len(rest) - 1 or rest[i - 1] not in FILLER | {"\0"}):
            rest[i] = "the"  # "Casino ad.", "gym ad for a studio": an advertisement, not a misspelt "add"
    start = sounds[0][0] if sounds else 0
    for i in range(1, len(rest)):  # "the owl layer out", "horn stem in": a layer named, not layered
        if rest[i] in ("layer", "layers", "track", "tracks") and rest[i - 1] == "\0":
            rest[i] = "the"
    bed = bool(sounds) and BY_ID[sounds[0][2]].role == BACKGROUND  # a bed is never added: its adjective is a level
    if start >= 2 and rest[start - 1] in _ADJECTIVES and _ADD_VERBS & set(rest[:start]) and not bed:
        rest[start - 1] = "a"  # "add a loud explosion": the adjective describes the added sound
    if not sounds:  # "add a duck", "add some pumps", "add duck" (reader 91): after an adding verb (and an article), a
        for i in range(1, len(rest)):  # level word that names an AudioSet sound is that sound (not "add a boost")
            after_adding = rest[i - 1] in _ADDING or (rest[i - 1] in _NOUN_AFTER and _ADDING & set(rest[: i - 1]))
            if after_adding and cue_kind(rest[i]) in (LOUDER, QUIETER) and audioset_matches(typed[i], spelling=False):
                rest[i] = "\x01"  # not a cue: left over, so reported as a sound Nudge does not know (reader 35)
    located, used = located_cues(rest, raw)
    cues = [(p, k) for p, _, k in located]
    textual = list(sounds)
    if len(sounds) > 1 and located and located[0][1] >= 0:  # "parking garage in the rain: add a car alarm"
        sounds = _edited_first(words, sounds, located[0])
    relative = bool(words) and words[0] in _RELATIVE
    used = used | ({0} if relative else set())
    priority, kind = cues[0] if cues else (0, None)
    if bed and kind == ADD:  # "I want a heavier downpour": the level change, not an add of the bed
        priority, kind = next(((p, k) for p, k in cues if k in (LOUDER, QUIETER)), (priority, kind))
    pronoun = False
    for phrase in PRONOUNS:
        n = len(phrase)
        for i in range(len(rest) - n + 1):
            demonstrative = phrase in (("this",), ("that",), ("these",), ("those",)) and rest[i + 1 : i + 2] == ["\0"]
            if tuple(rest[i : i + n]) == phrase and not used & set(range(i, i + n)):
                pronoun, used = pronoun or not demonstrative, used | set(range(i, i + n))
    if pronoun and sounds:  # "tuck it under the rain": the sound after the preposition is a reference
        sounds = [t for t in sounds if not _reference(words, t[0])]
    opening = [w for w in words[:3] if w not in ("and", "also", "but", "oh")][:1]
    also = (bool(cues) and cues[0] == (2, ADD) and (rest[-1:] == ["too"] or rest[-2:] == ["as", "well"])
            and opening == ["the"])
    if also:  # "..., the dog barking too", "and the dog as well" (reader 90): not an add, the previous edit's kind
        (priority, kind), cues = (0, None), []
    same_clip = "same" in words and (not cues or (kind == ADD and priority <= 2))  # "want the same rain, but ..."
    if _negated(words, used, kind):  # "not more rain - less rain", "don't make the rain louder", "no louder"
        same_clip, used = True, used | set(range(len(words)))
    if kind == QUIETER and _ALL_THE_WAY & set(words):
        kind = REMOVE  # "pull the alarm stem completely", "turn it down entirely" (reader 42)
    if same_clip or joiner.endswith("when"):  # "add an explosion when the ship goes down": when, not what
        kind, priority, same_clip = None, 0, True
    left = [i for i, w in enumerate(rest) if w != "\0" and i not in used and w not in FILLER and not is_amount_word(w)]
    cue_at = located[0][1] if located else -1
    if sounds and _effect_asked(words, kind, cue_at, sounds[0][0]):
        sounds, kind, priority = [], ADD, max(priority, 2)  # the effect is said and left out (reader 105)
        left = [i for i, w in enumerate(rest) if w != "\0" and i not in used and words[i] in _EFFECTS_ON] or left
    if kind in (ADD, None) and _bed_is_the_place(typed, sounds, left, cue_at if kind == ADD else None):
        sounds, kind, priority = [], ADD, max(priority, 2)  # the leftover is the unknown sound put into the bed
        left = [i for i in left if words[i] not in _HOLDER]  # "the rain has got a kazoo in it": not "got kazoo"
    wants = bool(located) and located[0][1] >= 0 and words[located[0][1]] in _WANTS
    if kind == ADD and priority <= 2 and not sounds and wants and (pronoun or len(left) >= 3):
        kind, priority, same_clip = None, 0, True  # "the client wants every blow to land", "they get grating"
    if priority == 1 and not sounds and not pronoun and len(left) >= 2:
        kind, priority, same_clip = None, 0, True  # "villagers waking up": a particle in a story, not an edit
    where = _where_it_happens(words, sounds, left)  # "footsteps on the path": placed, so an arrival
    brought_in = introduced(words, sounds)
    if brought_in and moves_in(words, kind, priority):
        kind, priority, cues = None, 0, []  # "a round of applause goes up", "a scream echoes down": it arrives
    arrival = not cues and (said_new(words, sounds) or (brought_in and acts_on(words, typed, sounds)))
    if where or arrival:
        left = []  # "footsteps on wet pavement": a description of the event, read like the sound alone
        pronoun = pronoun and not arrival  # "a clank that wasn't there"
    if not sounds and left:  # "a fountain in the courtyard": the fountain, not "fountain courtyard" (reader 99)
        place = next((i for i in range(left[0] + 1, len(words)) if words[i] in _PLACE_AFTER), None)
        left = [i for i in left if place is None or i < place]
    leftover = [typed[i] for i in left]  # as typed: "chains rattling" is reported, not a guess
    return Piece(raw, joiner, kind, priority, sounds[0][2] if sounds else None, pronoun, leftover,
                  article=bool(words) and words[0] in ARTICLES,
                  context=same_clip or (((bool(words) and words[0] in _KEEP) or bool(_KEPT & set(words))) and not cues),
                  n_sounds=len(sounds), last_sound=textual[-1][2] if textual else None, relative=relative,
                  placed=(bool(_PLACES & set(words)) or where) and bool(words) and words[0] != "the",
                  happening=arrival or _happening(words, typed, sounds, left) or _acts(typed, sounds, left, not joiner),
                  also=also, acting=_acting(typed, sounds),
                  definite=bool(sounds) and sounds[0][0] >= 1 and words[sounds[0][0] - 1] == "the")


def _bed_is_the_place(typed: list[str], sounds: list[tuple[int, int, str]], left: list[int], cue_at: int | None,
                      ) -> bool:
    """Every sound named is a bed placed after a preposition ("add a kazoo to the rain"; cue_at: the add cue's word)
    or holding what follows ("the street now has a kazoo": no cue, cue_at None, or the holder is the cue), and the
    leftover words come after the cue or the holder: they are the sound put into the bed (reader 91)."""
    if not sounds or not left or any(BY_ID[s[2]].role != BACKGROUND for s in sounds):
        return False
    words = [t.lower() for t in typed]
    for start, end, _ in sounds:
        before = start - 1 - (start >= 1 and words[start - 1] in ("the", "a"))
        holder = next((i for i in range(end, min(left)) if _holds(words, i)), None)
        placed = cue_at is not None and cue_at >= 0 and before >= 0 and words[before] in _INTO
        holds = holder is not None and (cue_at is None or cue_at == holder)  # "the street gets a kazoo"
        if not (placed or holds):
            return False
    return cue_at is None or min(left) > cue_at


def unknown_word(leftover: list[str]) -> list[str]:
    """The words naming an unknown sound, without what it does after it: "kettle whistling" -> kettle (reader 73), "a
    kettle whistlin" too (reader 107: a dropped g, where the "-ing" form is a word of the text model's vocabulary)."""
    words = list(leftover)
    while len(words) > 1 and (words[-1].endswith("ing") or (
            words[-1].lower().endswith("in") and a_real_word(words[-1].lower() + "g"))):
        words.pop()
    return words


def _effect_asked(words: list[str], kind: str | None, cue_at: int, sound_at: int) -> bool:
    """An effect word before the sound (after it, "footsteps echo down the aisle" is the sound doing its thing; only
    "pitched" may follow: "make the rain higher pitched") that opens the piece as its verb ("pitch the dog down"), or
    comes with an add or no cue ("add echo to the thunder"), or right after the level cue ("more reverb on the
    rain") (reader 105)."""
    at = [i for i, w in enumerate(words) if w in _EFFECTS_ON and (i < sound_at or w == "pitched")]
    return bool(at) and (at[0] == 0 or kind in (ADD, None) or (cue_at >= 0 and cue_at + 1 in at))


def _holds(words: list[str], i: int) -> bool:
    """words[i] holds an added sound: "has a", "gets some", "has got an" (not "the rain has made them shy")."""
    after = i + 1 + (words[i + 1 : i + 2] == ["got"])
    return words[i] in _HOLDER and words[after : after + 1] in (["a"], ["an"], ["some"])


def _acting(typed: list[str], sounds: list[tuple[int, int, str]]) -> bool:
    """The sound's name says what it does: "a clock ticking", "someone clicking"."""
    return bool(sounds) and typed[sounds[0][1] - 1].lower().endswith("ing")


def _edited_first(words: list[str], sounds: list[tuple[int, int, str]], cue: tuple[int, int, str],
                  ) -> list[tuple[int, int, str]]:
    """A bed named first as the scene, then the sound the strongest cue acts on: the sound right after a verb ("parking
    garage in the rain: add a car alarm", "rain no crows"), or, in keywords, the sound right after the bed, before a
    particle or comparative ("traffic sirens louder"). That sound goes first; the others keep their order."""
    priority, at, _ = cue
    bed = sounds[0]
    if BY_ID[bed[2]].role != BACKGROUND or priority >= 5 or at < bed[1]:
        return sounds
    verb = words[at] not in PARTICLES and not words[at].endswith("er")  # "add", "no", "bring" (not "down", "louder")
    after = next((t for t in sounds[1:] if verb and t[0] > at and all(w in FILLER for w in words[at + 1 : t[0]])),
                 None)
    nxt = sounds[1]
    keyword = (bed[0] == 0 or words[:bed[0]] == ["the"]) and nxt[0] == bed[1] and nxt[1] <= at and not words[
        nxt[1] - 1].endswith("ing")
    pick = after or (nxt if keyword else None)
    return [pick, *(t for t in sounds if t != pick)] if pick else sounds


def _negated(words: list[str], used: set[int], kind: str | None) -> bool:
    """A level change or an add said not to be wanted: the piece opens with a negation that no cue took."""
    if kind not in (LOUDER, QUIETER, ADD):
        return False
    if words[:1] == ["no"] and len(words) == 2 and kind != ADD:
        return True  # "no louder, just add a dog"
    return 0 not in used and (words[:1] in (["not"], ["dont"]) or words[:2] in (["don", "t"], ["do", "not"]))


def _reference(words: list[str], start: int) -> bool:
    return (start >= 1 and words[start - 1] in _REFERENCE) or (
        start >= 2 and words[start - 1] in ("the", "a") and words[start - 2] in _REFERENCE)


def _acts(typed: list[str], sounds: list[tuple[int, int, str]], left: list[int], first: bool) -> bool:
    """A sound named, then its own verb, which is a sound word of the same class: "a horn honks", "a dog barks"."""
    if len(sounds) == 1 and not left and sounds[0][1] - sounds[0][0] >= 2 and sounds[0][0] >= 1:
        last, article = typed[sounds[0][1] - 1].lower(), typed[sounds[0][0] - 1].lower()
        return article in ("a", "an") and last.endswith("s") and not last.endswith("ss")  # "a dog barks": a verb
    verb = typed[sounds[1][0]].lower() if len(sounds) == 2 else ""
    opens_the = bool(typed) and typed[0].lower() == "the"
    bare_verb = not opens_the and ((verb.endswith("s") and not verb.endswith("ss"))  # "+ crow caws"
                                   or (verb.endswith("ing") and not first))  # "..., frogs croaking"
    return (len(sounds) == 2 and not left and sounds[0][2] == sounds[1][2] and sounds[1][1] - sounds[1][0] == 1
            and ((sounds[0][0] >= 1 and typed[sounds[0][0] - 1].lower() in ("a", "an")) or bare_verb)
            and typed[sounds[1][0]].lower().endswith(("s", "ing", "ed")) and BY_ID[sounds[0][2]].role != BACKGROUND)


def _happening(words: list[str], typed: list[str], sounds: list[tuple[int, int, str]], left: list[int]) -> bool:
    """A sound doing its thing, with no cue: its leftover words are verbs ("thunder rumbles", "the birds start
    singing"; not a bed, not "the siren is annoying")."""
    if not sounds or not left or BY_ID[sounds[0][2]].role == BACKGROUND or COPULA & set(words):
        return False
    where = [i for i in range(sounds[0][1], len(words)) if words[i] in WHERE]
    left = [i for i in left if not where or i < where[0]]  # "a door closes somewhere in the house"
    return bool(left) and all(typed[i].lower() in _HAPPEN or typed[i].lower().endswith(("s", "ing")) for i in left)


def _where_it_happens(words: list[str], sounds: list[tuple[int, int, str]], left: list[int]) -> bool:
    """An event's leftover words all say where it is, after a preposition: "footsteps on wet pavement"."""
    if not sounds or not left or BY_ID[sounds[0][2]].role != EVENT:
        return False
    after = [i for i in range(sounds[0][1], len(words)) if words[i] in WHERE]
    return bool(after) and min(left) >= after[0]


def _split_compounds(words: list[str]) -> list[str]:
    """Sound names typed as one word: "carhorn" -> car horn (when the word is not known or common)."""
    out: list[str] = []
    for word in words:
        if len(word) >= 6 and word not in known_words() and word not in english_words():
            for k in range(3, len(word) - 2):
                if (word[:k], word[k:]) in lexicon():
                    out += [word[:k], word[k:]]
                    break
            else:
                out.append(word)
        else:
            out.append(word)
    return out
