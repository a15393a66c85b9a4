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
                                "too high", "in your face", "not so much", "not as much", "not that much")),
    *((c, LOUDER, 5) for c in ("too quiet", "too soft", "too low", "too faint", "not loud enough", "barely audible",
                               "can't hear", "cannot hear", "too weak", "barely hear", "hardly hear", "hard to hear",
                               "can t hear", "cant hear", "not enough", "buried", "drowned", "lost in", "less quiet",
                               "get lost", "inaudible",
                               "not so quiet", "too subtle", "too distant", "too far", "to quiet", "to soft",
                               "too timid", "too tame", "too small")),
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
                                "more far", "more faint", "more gentle", "more muted", "more calm")),  # reader 47
    *((c, QUIETER, 1) for c in ("further away", "farther away")),  # "add a dog further away" stays an add
    *((c, REMOVE, 3) for c in ("remove", "lose", "kill", "cut", "drop", "mute", "delete", "eliminate", "ditch",
                               "erase", "without", "no", "none", "zero", "silence", "strip", "scrap", "nix",
                               "exclude", "axe", "bin", "trash", "skip", "minus", "stop", "stopped", "silenced",
                               "subtract", "muted", "removed", "silent", "missing", "absent", "vanish", "disappear",
                               "nuke")),
    *((c, LOUDER, 3) for c in ("more", "boost", "crank", "amplify", "raise", "increase", "louden", "emphasize",
                               "double", "emphasise", "accentuate", "pump", "push", "heighten", "intensify",
                               "highlight", "bump", "feature", "beef", "juice", "blast", "favour", "favor", "lost")),
    *((c, QUIETER, 3) for c in ("less", "fewer", "tame", "reduce", "soften", "decrease", "attenuate", "dim", "halve",
                                "lessen", "muffle", "tone down", "dial down", "duck", "bury", "tuck", "dampen",
                                "hush", "thin", "ease", "eases", "shave", "trim", "more quietly", "more softly",
                                "more faintly", "less loudly", "recede", "recedes", "receding", "fade", "retreats",
                                "calm")),
    *((c, LOUDER, 3) for c in ("more loudly", "swells", "swelling", "swelled", "surges", "lifted", "builds")),
    *((c, REMOVE, 3) for c in ("dump", "loose", "go away", "goes away", "went away")),  # "the pig go away" (47)
    *((c, ADD, 3) for c in ("unmute", "unmuted")), ("sink", QUIETER, 3),  # "unmute the frogs", "sink the siren"
    *((c, LOUDER, 5) for c in ("barely there", "hardly there")),  # "loose the alarm": the common misspelling of "lose"
    *((c, QUIETER, 1) for c in ("further off", "farther off", "further from")),
    *((c, ADD, 2) for c in ("add", "ad", "include", "insert", "layer", "put", "throw", "toss", "want", "needs",
                            "need", "give me", "with", "there should be", "overlay", "introduce", "sprinkle", "mix in",
                            "bring in", "fade in", "drop in", "as well", "too", "gimme",
                            "d like", "would like", "like to hear", "would be nice", "would be good", "where is",
                            "would be great", "would be cool", "would be awesome", "would be perfect",
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
    **{(v, "up"): REMOVE for v in ("clean", "shut")},
    ("come", "up"): LOUDER, ("come", "down"): QUIETER, ("go", "up"): LOUDER, ("go", "down"): QUIETER,
    **{(v, "away"): REMOVE for v in ("take", "get", "put", "do")},
    ("roll", "off"): QUIETER, ("back", "off"): QUIETER, ("ease", "off"): QUIETER,
    ("bring", "back"): ADD, ("put", "back"): ADD, ("come", "back"): ADD,
    ("fade", "away"): REMOVE, ("die", "away"): REMOVE, ("die", "out"): REMOVE, ("die", "down"): QUIETER,
    ("pick", "up"): LOUDER, ("pull", "up"): LOUDER, ("pull", "in"): ADD,
    **{(v, "in"): ADD for v in ("bring", "put", "throw", "mix", "toss", "fade", "drop", "pop", "slip", "sneak",
                                "stick", "get", "layer", "add", "chuck", "work", "dial", "weave", "blend", "lay",
                                "sprinkle", "fold", "edit", "cut", "roll", "kick", "come")},
    ("lay", "down"): ADD, ("thin", "out"): QUIETER, ("drop", "out"): REMOVE, ("dropped", "out"): REMOVE,
}
START_ONLY: dict[str, str] = {"lift": LOUDER, "pull": QUIETER, "punch": LOUDER}  # verbs only at a piece's start
# particles only at a piece's end: "dog in", "rain under", "thunder on", "crow off"
END_ONLY: dict[str, str] = {"in": ADD, "under": QUIETER, "on": ADD, "off": REMOVE}
# ("laughs under the shelter" places the laugh)
# words that name the main sound of the clip instead of a sound class
PRONOUNS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "the rest", "everything else", "the whole thing", "whole thing", "the entire thing", "entire thing", "all of it",
    "the whole lot", "everything", "the mix", "overall", "it", "this", "that", "all",
    "the clip", "the sound", "the scene", "the track", "them", "they", "these", "those", "the lot",
    "the ambience", "ambience", "ambiance", "atmosphere", "atmos", "the bed", "bed", "the background",
    "background", "bg", "backdrop", "the main sound", "main sound", "the main one", "em", "him"))
# words that say nothing about what to do or to which sound (articles, amounts, places, politeness)
FILLER = frozenset("""a an the some of sound sounds noise noises to in on at into onto over under with from for by
    please pls bit little lot lots much way very really slightly somewhat quite just also so tad touch notch
    make get i me we you can could would should be is are was it's its let lets let's now maybe again
    distance background foreground top bottom there here more less like kind sort level volume
    overhead far away close nearby behind around softly loudly gently big small huge tiny distant faint
    heavy light gentle deep long short occasional constant random few couple single another other extra new
    s one two three some any my our their them and or than then but if while as also plus okay ok yeah hey
    need needs want bring turn take put throw mix have has do does don't dont go going gonna kinda sorta
    up down back out off d ll re ve m t only same now further farther smidge hair ton tons loads heaps massively
    hugely seriously totally whole bg fx sfx amb atmos atmo layer track mix thing though still keep bunch
    please thanks thank thx actually definitely right yes no past somewhere someone something night busy pinch dash hint
    smattering both twice once fader faders before earlier previously originally ideally preferably perhaps hopefully
    halfway version after afterwards later suddenly meanwhile finally eventually soon dawn dusk morning evening
    afternoon
    midnight tonight lone solitary req anything sudden set stem stems bus buss perfect great nice lovely awesome cool
    itll why ugh hmm hmmm meh nah wow argh ah yikes eh um uh nope yep man woman guy kid child boy girl
    completely entirely altogether immersive aggressive basically""".split())
# verbs that are also sound words: a verb when they open a piece that names another sound after them
# ("switch the alarm off", "blast the music", "punch up the voice")
SOUND_VERBS: frozenset[str] = frozenset({"switch", "punch", "blast", "knock", "fly"})
# text-level idioms, rewritten before the text is cut into pieces
IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\bhit (?:it|me|us|them) with\b", "add"),
    (r"\bgotta\b", "got to"),  # "the owl's gotta go"
    # keywords: "rain x2", "thunder x0", "traffic 50%", "vol+", "thunder yes dog no"
    (r"\b(?:x\s?2|2x|x\s?3|3x)\b", " louder"), (r"\b(?:x\s?0|0x)\b", " out"), (r"\b(?:50|33|25)\s?%", " half as loud"),
    (r"\bvol(?:ume)?\s?\+", " louder"), (r"\bvol(?:ume)?\s?[-\u2212]", " quieter"),
    (r"\b([a-z]+) yes\b", r"add \1"), (r"\b([a-z]+) no\s*$", r"no \1"),
    (r"\b(go|goes|going|went|gone) off\b", r"\1"), (r"\bspot on\b", "perfect"),  # "a car alarm goes off"
    (r"\bnothing but\b", "only"),  # "Nothing but waves and a louder gull": the waves are the scene
    (r"\b(?:porch |street |the )?(?:lights?|lamps?|heating|heater) (?:is |are )?(?:on|off)\b", ""),  # a state
    (r"\bthe (?:roar|sound|noise|drone|whine) of (?:a |an |the )?", "the "),  # "the roar of a car engine"
    # a complaint about how busy or calm the clip is says what the edits after it are for, it is no edit itself
    (r"(?:^|(?<=[.!?,]\s))(?:it[\u2019']?s |it is |this is |that[\u2019']?s )?(?:way |far |a bit |a little |just )?"
     r"(?:too|so) (?:busy|cluttered|chaotic|calm|chilled|flat|empty|static|boring|much going on)\b[.!]*", ""),
    (r"\bi (?:just|only) (?:want|need) the\b", "just the"),  # "strip the crow layer, I just want the rain"
    (r"\bpunch(?:es|ing)? through\b", "louder"), (r"\bbe roaring\b", "be louder"),
    (r"\b(?:sits|is sitting|sitting|is|are) (?:way |too far |buried )?under everything\b", "is too quiet"),
    (r"\b(?:is|are) (?:messing|screwing) (?:it|this|things) up\b", "is too loud"),
    (r"\b(?:right )?in (?:my|your|our) ears?\b", "too loud"),  # "the footsteps are clomping right in my ear"
    (r"\bwho (?:put|added|threw)\b", "there is"),  # "Who put a siren in here? Remove it."
    (r"\bwould (?:sell|make|help|do)(?: it| this)?(?: (?:more|so much more|a lot more) \w+)?\b", "would be nice"),
    (r"\b(?:i )?(?:love|like|dig) the\b", "keep the"),  # praise: "love the rain, but ..."
    (r"\b(?:is|are|sounds|sound) (?:great|perfect|lovely|fine|good)\b", "stays"),  # "the wolf howl is great"
    (r"\b(?:hit|hits|land|lands|slam|slams) (?:harder|heavier)\b", "be louder"),  # "the punches need to hit harder"
    (r"\btaking off\b(?!\s+(?:the|a|an|that|this|those|these|it)\b)", "departing"),  # "the jets taking off"
    (r"\b(up|down) to [-+\u2212](\d)", r"\1 to \2"), (r"\bin at [-+\u2212]?\d+(?:\s?db)?\b", "in"),  # target levels
    (r"\b(?:doesn|don|didn)[\u2019']?t (?:need|have) to change\b", "stays"),  # "the rain doesn't need to change"
    (r"\b(?:i[\u2019']?d|i would) rather not (?:have|hear)\b", "remove"),  # "I'd rather not have the engine"
    (r"\b(?:can|could) (?:we|you|i) not (?:have|hear)\b", "remove"),
    (r"^rather than\s+(.+?),\s*(.+)$", r"remove \1 and \2"),  # "rather than the siren, I'd like a plane"
    (r"\b(?:could|can|should|must|might) (the(?: \w+){1,2}) go\b", r"\1 to go"),  # "could the horn go?"
    (r"\bnobody[\u2019']s\b", "nobody is"),
    (r"\b(?:isn[\u2019']?t|aren[\u2019']?t|is not|are not) (?:heard|there|audible) any ?more\b", "is gone"),
    (r"\bno longer (?:heard|there|audible)\b", "gone"),
    # a caption: "the siren now faint", "the thunder now only a faint rumble" (reader 42)
    (r"\bnow (?:(?:only |just |merely )?(?:a |an ))?(?:faint|distant|muffled|soft|softer|quiet|far off|far away|"
     r"barely audible)\b", "quieter"),
    (r"(?:(?<=\s)|^)\+(?=[a-z])", "add "), (r"(?:(?<=\s)|^)[-\u2212](?=[a-z])", "no "),  # "+thunder -dog"
    (r"(?<=[a-z])\+(?=\s|$|[,.;!?])|(?<=[a-z])\s\+(?=\s*$|[,.;!?])", " in"),  # "thunder+", "thunder +" (at the end)
    (r"(?<=[a-z])[-\u2212](?=\s|$|[,.;!?])|(?<=[a-z])\s[-\u2212](?=\s*$|[,.;!?])", " out"),  # "dog-", "dog -"
    (r"\s*[\u2191\u2b06]+", " louder"), (r"\s*[\u2193\u2b07]+", " quieter"),  # "rain \u2191 horn \u2717"
    (r"\s*[\u2717\u2718\u274c]+", " out"),
    (r"\b(?:later )?(?:that|this) (?:night|morning|evening|afternoon|time)\b", "later"),  # "that" is no pronoun
    (r"\b(?:shouldn[\u2019']?t|should not|mustn[\u2019']?t|must not) be (?:this|that|so) (loud|quiet|soft|faint)\b",
     r"is too \1"),  # "the rain shouldn't be this loud": a complaint
    (r"\binto the (?:distance|background)\b", "back"),  # "pushed into the distance"
    (r"\b(drift|drifts|drifting|coming|comes|spilling|spills|pouring|pours|leaking|leaks) out of\b", r"\1 from"),
    (r"\b(start|starts|starting) up\b", r"\1"), (r"\boff-screen\b", "offscreen"),  # "birds starting up"
    (r"\b(?:right )?on top of (?:us|you|me|the listener|the mic)\b", "closer"),  # "the thunder is right on top of us"
    (r"\b(?:up close|close up|close by)\b", "nearby"), (r"\bup front\b", "forward"),  # a place; "the engines up front"
    (r"\bfar (?:out|off)\b", "far away"),  # "a ship horn sounding far out on the water": not a removal
    (r"\bcomes? through\b", "louder"),  # "so the clanks come through"
    (r"\bswell\b", "grow louder"),  # "crickets swell" (a cue word "swell" would take the misspelling "svell" of spell)
    (r"\bin the back\b(?!ground)", "in the background"),  # "ticking clock in the back": a place, not a level
    # a sound nearly gone is quieter, not removed: "the rain has almost stopped"
    (r"\b(?:almost|nearly|practically|all but|mostly)\s+(?:stopped|gone|silent|disappeared|vanished|died|empty)\b",
     "much quieter"),
    (r"\b(?:sounds|feels?|seems?)\s+(?:a bit |kinda |really |very |pretty |rather |so |quite |too )?(?:thin|sparse)\b",
     " is too weak"),  # "the traffic sounds thin": a complaint about the level
    # the level a sound should have: "the ocean should be calm", "the birds should be soft"
    (r"\bbe\s+(?:(?:a lot|much|way|far|a bit|more)\s+)?(?:calm|soft|quiet|gentle|subtle|faint)\b", "be quieter"),
    (r"\bbe\s+(?:(?:a lot|much|way|far|a bit|more)\s+)?(?:overwhelming|deafening|huge|massive|dominant)\b",
     "be louder"),
    (r"\bw/o\b", "without"), (r"\bw/(?=\s|\w)", "with "), (r"(?<=\s)w(?=\s)", "with"),  # "rain w/ thunder", "w dog"
    (r"\b(?:needs?|has|have|ought|got) to be\b", "be"),  # "the thunder needs to be bigger": not an add
    (r"\b(?:lose|cut|drop|remove|take out)\s+(?:a (?:bit|little|touch|tad)|some) of\b", "less"),  # "lose a bit of rain"
    (r"\b(pour(?:s|ing|ed)?|teem(?:s|ing)?) down\b", r"\1"),  # "rain pouring down" falls hard: not a level down
    (r"^\s*(?:plus|\+)\s+(?=(?:a|an|some)\b)", "add "),  # "plus a helicopter, minus the plane": an add, not a scene
    (r"\bdropping (?=(?:into|onto|in|on|to) )", "falling "),  # "coins dropping into a meter" happen: not a removal
    (r"\bwhere[\u2019']?s the\b", "there is the"),  # "where's the thunder?? make it louder": the thunder is there
    (r"\bso (?:that )?(?:you|we|i|one) (?:can[\u2019']?t|cannot|can not|don[\u2019']?t) hear (.+?) any ?more\b",
     r"remove \1"),  # "so you can't hear the helicopter any more" (reader 39)
    # "bring some gusts of wind": an add (but "bring a little more thunder" is a level; reader 39)
    (r"\bbring (?=(?:a|an|some)\b(?! (?:little|bit|touch|tad|more|lot)\b))", "bring in "),
    # how a sound should sound is its level: "make the thunder sound weak", "the rain should sound heavy" (but "the
    # traffic sounds thin" is a complaint, above; reader 41)
    (r"(?<=\s)(?:sound|feel) (?:(?:a bit|a little|a lot|much|way|more|even) )?(?:weak|weaker|faint|fainter|soft|softer|"
     r"distant|far away|far off|small|smaller|thin|thinner|muffled)\b", "quieter"),
    (r"(?<=\s)(?:sound|feel) (?:(?:a bit|a little|a lot|much|way|more|even) )?(?:heavy|heavier|big|bigger|huge|strong|"
     r"stronger|powerful|massive|close|closer|intense|overwhelming|deafening|dominant)\b", "louder"),  # reader 44
    # "the rain needs to sit under the dialogue": quieter (but "sitting under everything" is a complaint; reader 44)
    (r"\b(?:needs? to|should|must|has to|have to|could|can|to) sit (?:way |well |further |a bit )?(?:under|beneath|"
     r"below|behind)\b", "be quieter under"),
    (r"\b(?:bus|tram|taxi|truck) (?:stop|stops|shelter|lane|depot)\b", "somewhere"),  # a place: "at the bus stop" (44)
    (r"\b(echo|echoes|echoing|echoed) (?:down|up|through|along|across)\b", r"\1 in"),  # where it echoes (reader 45)
    (r"\bcomes? in (?=(?:(?:a bit|a little|a lot|a touch|much|way) )?(?:louder|quieter|softer|stronger|harder|lower|"
     r"higher|heavier|lighter)\b)", "be "),  # "the horse should come in louder": a level, not an arrival (reader 41)
    (r"\ball (?:this|that|these|those) (?=\w)", "the same "),  # "on the street with all this traffic" (reader 41)
    # "so the footsteps read as the foreground" (but "laughter in the foreground" places an added sound; reader 41)
    (r"\b(?:as|into|to) the foreground\b", "forward"),
    # masking is a complaint: "it's stepping on everything", "the dog is stepping on the dialogue" (reader 42)
    (r"(?:\s+(?:is|are)|[\u2019']s|[\u2019']re)?\s+stepping on(?=\s+(?:everything|it|them|each other|the (?:dialogue|"
     r"dialog|vo|voice|voices|music|score|mix|lines|narration|speech)\b))", " too loud for"),
    (r"\blay (?=(?:a|an|some)\b)", "add "),  # "lay a little room tone under it" (reader 42)
    (r"\bput (?=(?:a|an|some)\b[^,.;]{1,30}?\bunder\b)", "add "),  # "put a traffic bed under" (reader 42)
    (r"\bpops? more\b", "louder"),  # "the coins need to pop more" (reader 42)
    (r"\b(?:by )?a (?:few|couple(?: of)?) (?:db|dbs|decibels)\b", "by 3 dB"),  # "drop it by a few dB": a level
    (r"\bgive (?:me|us) (?:the )?same\b", "same"),  # "give me the same thing but quieter"
    # "X without Y" / "X minus Y" (a caption of the clip wanted): Y goes, X is what the clip is
    (r"(?<!\bdo)(?<!\bbut)(?<!\band)(?<!,)\s+(without|minus)\b(?!\s*\d)", r", \1"),
    # a sound breaking out or cutting through happens: it is not taken out
    (r"^(?!.*\b(?:take|takes|taking|pull|cut|get|leave|filter|strip|knock|clear|throw|chuck|keep|edit|fade|mute)\b)"
     r"(.*?\b(?:ring|rings|ringing|rang|break|breaks|breaking|broke|cry|cries|crying|call|calls|calling|shout|shouts|"
     r"shouting|blare|blares|blaring|bark|barks|barking))\s+out\b", r"\1"),
    (r"\bcut(?:s|ting)? through\b", "over"),
    (r"\bgive (?:it|me|us) (?:a bit of |a little |some |a touch of )?more\b", "more"),
    (r"\b(?:the )?same (?:clip|scene|sound|thing|mix|recording)\b", "same"),
    # a statement about the level is a complaint: "it's a bit loud", "the birds are quiet"
    (r"(?:\b(?:is|are|feels|sounds|seems)|['\u2019]s)\s+(?:(?:a )?(?:bit|little|tad|touch)\s+|(?:kinda|rather|"
     r"pretty|quite|really|very|so|super|far|way)\s+)?(loud|quiet|soft|faint|hot|weak)\b", r" is too \1"),
    # a sound sticking out of the mix is a complaint ("the horn's poking out", "the dog is jumping out"); making a
    # sound stand out is a boost ("make the thunder stand out more")
    (r"(?:\b(?:is|are)|['\u2019]s)\s+(?:(?:a )?(?:bit|little|tad|touch)\s+|(?:kinda|really|way)\s+)?(?:sticking|poking|"
     r"jumping|standing|popping) out\b", " too loud"),
    (r"\b(?:stick|poke)(?:s|ing)? out\b", "too loud"),
    (r"\b(?:stand|jump|pop)(?:s|ing)? out\b", "louder"),
    (r"\bgive\b(?=[^,.;]*\d\s*(?:db|dbs|decibels)\b)", "boost"),  # "give it 3 dB"
    # "we're missing a dog", "what it's missing is a horn" (but "the thunder is missing" removes)
    (r"\bmissing(?: is| are)? (?=(?:a|an|some)\b)", "add "),
    (r"\bto the (?:front|fore)\b", "forward"), (r"\bto the back\b", "back"),  # "bring the rain to the front"
    (r"\bmore (?:punch|weight|presence|body|oomph|energy|power|impact) (?:on|to|in|for)\b", "more"),
    (r"\b(can[\u2019']?t|cannot|can not|barely|hardly) (?:really |even |quite |properly )?hear\b", r"\1 hear"),
    (r"(\w)\s*\+\+", r"\1 louder"), (r"(\w)\s*--(?!\w)", r"\1 quieter"),  # "dog++"
    (r"\bneeds? (?:a bit |a little |some |way |much )?more (?:punch|weight|presence|body|oomph|energy|power|impact)\b",
     "louder"),
    (r"\bwhat if (the [\w\s]{1,25}?) (?:were|was|became|turned into) (?=(?:a|an|some)\b)", r"replace \1 with "),
    (r"(?-i:(?<![A-Za-z])NOT(?![A-Za-z]))", "no"),  # keywords: "rain NOT dog" (typed in capitals; reader 43)
    # a swap is two edits: "swap the dog for a cat", "replace the music with crowd noise"
    (r"\b(?:swap|replace|switch|trade|exchange)\s+(?:out\s+)?(.+?)\s+(?:for|with)\s+(.+)", r"remove \1 and add \2"),
    (r"\binstead of\s+(.+?),\s*(.+)", r"remove \1 and \2"),
    (r"^(.+?)\s+instead of\s+(.+)$", r"\1 and remove \2"),
))
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
