"""Text-level idioms of the modifier reader: each pattern is rewritten before the text is cut into pieces
(model.modifier_said.read_pieces), in this order. A comment names the reader that brought a rule in (MODEL_CARD
"Reader N"), where one did.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from model.modifier_clauses import CLAUSE_IDIOMS
from model.modifier_desk import DESK_IDIOMS
from model.modifier_reports import REPORT_IDIOMS
from model.modifier_spoken import EMOJI, SPOKEN_IDIOMS
from model.modifier_spotting import SPOTTING_IDIOMS
from model.modifier_story import STORY_IDIOMS

_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
           r"sixteen|seventeen|eighteen|nineteen|twenty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)")

Replacement = str | Callable[[re.Match[str]], str]  # re.sub's: a template or a function of the match
IDIOMS: tuple[tuple[re.Pattern[str], Replacement], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    *SPOKEN_IDIOMS,  # model.modifier_spoken (readers 106-107)
    *DESK_IDIOMS,  # model.modifier_desk (readers 115-116, 124)
    *SPOTTING_IDIOMS,  # model.modifier_spotting (reader 126)
    *STORY_IDIOMS,  # model.modifier_story (reader 117)
    *CLAUSE_IDIOMS,  # model.modifier_clauses (reader 121)
    *REPORT_IDIOMS,  # model.modifier_reports (readers 97-98)
    # exercise sheets (reader 94): "Step 2:" is a list label, not footsteps; "Answer:", "Students should" open a line
    (rf"\bstep\s+{_NUMBER}\b\s*[:.\u2014\u2013-]?\s*", ""),
    (r"(?:^|(?<=[.!?;]\s))answer\s*:\s*", ""), (r"^\s*(?:(?:the )?students?|you) should\s+", ""),
    (r",?\s*\bfull stop\b", ""),  # "The rain needs to be louder, full stop."
    # when, not what: "a car door slam as he gets out" (reader 94)
    (r"\bas (?:he|she|they|we|someone|somebody) (?:gets|steps|walks|comes|goes|drives|pulls)"
     r"(?: (?:in|out|off|up|down|away|by|past|over))?\b", ""),
    # "heavy traffic" typed alone: that bed louder ("light rain": quieter), not an add of a bed the query holds
    (r"^\s*(?:(?:some|a|more)\s+)?(?:heavy|heavier|dense|thick|busy)\s+(rain|rainfall|downpour|traffic|wind|crowd|"
     r"street noise|road noise|city noise|sea|waves|surf)\s*(?:please|pls)?[.!]*\s*$", r"more \1"),  # (reader 102)
    (r"^\s*(?:(?:some|a|more)\s+)?(?:light|lighter|thin|sparse)\s+(rain|rainfall|downpour|traffic|wind|crowd|"
     r"street noise|road noise|city noise|sea|waves|surf)\s*(?:please|pls)?[.!]*\s*$", r"less \1"),
    (r"\bnext[- ]door\b", "nearby"),  # a place, not a door: "add a lawnmower from next door" (reader 100)
    # a librarian's catalogue words (reader 103): "WTHR Rain Heavy instead of Light", "FOLEY footsteps", "a kazoo
    # sweetener", "rain only please"
    (r"\b(?:heavy|heavier) instead of (?:light|lighter)\b", "louder"),
    (r"\b(?:light|lighter) instead of (?:heavy|heavier)\b", "quieter"),
    (r"(?-i:\b(?:AMB|WTHR|VEH|ANML|FOLEY|HMN|WATR|MECH|DSGN)\b)\s*", ""), (r"(?<=\w)\s+sweeteners?\b", ""),
    (r"(?:^|(?<=[.;,!?]\s))(?!(?:the|a|an|if|not|it|is|this|that)\b)([a-z]+(?: [a-z]+)?) only\b", r"only \1"),
    # B described (reader 101): "the second clip doesn't have the bell", "A has birds, B doesn't"; "half the traffic"
    (r"\bA has (.+?),? (?:but )?B (?:doesn[\u2019']?t|does not)\b", r"B has no \1"),
    (r"\b(?:clip b|b|the second (?:clip|recording|one|take|file)|the target) (?:doesn[\u2019']?t|does not) have"
     r"(?: the| any)?\b", "has no"),
    (r"\b(?:drop|bring|turn|take|cut) (?:the )?([a-z]+(?: [a-z]+)?) (?:down )?to half\b", r"\1 quieter"),
    (r"\bhalf (?:of )?the\b", "less"), (r"\btwice the\b", "more"),
    (r"\bas (?:it is|they are|is)\b", "unchanged"),
    (r"\bhit (?:it|me|us|them) with\b", "add"),
    # chat (reader 73): emoji as words, "ppl", "v loud" (letters held down: model.modifier_said.held_letters)
    *((rf"{emoji}\ufe0f?", word) for emoji, word in EMOJI.items()),
    (r"\bppl\b", "people"),
    # "knock it back", "knock back the rain": a level's verb, not a door's knock (reader 89)
    (r"\bknock(?:s|ed|ing)?\s+(?:back|down)\b", "bring down"),
    (r"\bknock(?:s|ed|ing)?\s+(it|him|her|them|this|that|these|those|(?:the|that|this|those)\s+\w+(?:\s+\w+)?)\s+"
     r"(?:back|down)\b", r"bring \1 down"),
    (r"\bpunch(?:es|ed|ing)?\s+(it|them|that|this)\s+up\b", r"bring \1 up"),  # a level's verb, not a punch (reader 92)
    (r"(?:\s+(?:is|are)|[\u2019']s|[\u2019']re|\s+its)\s+v\s+(loud|quiet|soft|faint)\b", r" is too \1"),  # a complaint
    (r"(?<=\s)v(?=\s+(?:loud|quiet|soft|faint|loudly|quietly)\b)", "very"),
    (r"(?<=[a-z])(?<!\bit)(?<!\bmake)(?<!\bbe)(?<!\bget)(?<!\bgets)(?<!\bis)(?<!\bare)(?<!\bsound)(?<!\bsounds)"
     r"\s+(?:so|way too)\s+(loud|quiet|soft|faint)\b"
     r"(?=\s+(?:i\s+)?(?:can[\u2019']?t|cannot|can not|couldn[\u2019']?t)\b)",
     r" is too \1"),  # a complaint with its reason: "siren sooo quiet cant even hear it"
    # regional English (reader 73): "whack in a siren", "whack the traffic up", "chuck it down", "a bit much innit"
    (r"\bwhack(?:s|ed|ing)?\s+(up\b|the\s+[a-z]+(?:\s+[a-z]+)?\s+up\b)", r"turn \1"),
    (r"\bwhack(?:s|ed|ing)?\s+(?=(?:in|on)\b)", "chuck "),
    (r"\bmake it (?:properly |really |absolutely )?(?:chuck it down|bucket(?: it)? down|pelt(?: it)? down|lash(?: it)? "
     r"down|piss(?: it)? down|pour(?: it)? down)\b", "make it heavier"),
    (r"\b(?:chuck(?:s|ing)? it down|bucket(?:s|ing)?(?: it)?(?: down)?|pelt(?:s|ing)?(?: it)? down|lash(?:es|ing)?"
     r"(?: it)? down|piss(?:es|ing)?(?: it)? down)\b", "pouring"),
    (r"\binnit\b|\bbish,? bash,? bosh\b|\bbob[\u2019']?s your uncle\b", ""),
    (r"[,.!]\s*cheers(?: mate| mates| love| pal)?[.!]*\s*$", ""),  # a sign-off after a comma ("add cheers" adds)
    (r"(?<!\bit)(?<!\bthat)(?<!\bthis)(?:\s+(?:is|are)|[\u2019']s|[\u2019']re)\s+(?:a bit|a little|a tad|way|far|bit|"
     r"just)?\s*(?:too much|much|over the top)(?=\s*(?:$|[,.;!?]|and\b|but\b|tbh\b|ngl\b|lol\b|mate\b))",
     " is too loud"),  # "the rain's a bit much innit" (not "much louder", "too much gravel", "it's a bit much")
    (r"\b(?:too |so |way too |a bit |well )(?:shouty|screechy|shrill|boomy|harsh|in (?:your|yer) face)\b", "too loud"),
    (r"\b(?:is|are|[\u2019']s|[\u2019']re)\s+ear[- ]?splitting\b", " is too loud"),
    (r"(?<=[,.;])\s*(?:it[\u2019']?s |it is |that[\u2019']?s |they[\u2019']?re )?(?:giving me a headache|doing my head "
     r"in|doing me head in|hurting my ears)\b", ""),
    (r"\b(?:is|are|[\u2019']s|[\u2019']re)\s+(?:giving me a headache|doing my head in|doing me head in|hurting my "
     r"ears)\b", " is too loud"),
    (r"\b(?:the |a |that |some )?(?:fella|fellow|geezer|bloke|chap|guy|dude|lady|woman|man|lad|girl|kid)s? (?:on the "
     r"phone|rabbiting on|rabbiting|nattering|gabbing|chatting away|going on)\b", "the voice"),
    (r",?\s*(?:i )?(?:can[\u2019']?t|cannot|can not) (?:make out|understand) (?:a word|what) (?:he|she|they|you)"
     r"(?:[\u2019']s|[\u2019']re| is| are)? saying\b", ""),
    (r"\b(?:a |the )?(?:bus|car|truck|taxi|van|lorry|cab|driver|people|someone|somebody)s? "
     r"(?=(?:honk|hoot|toot)(?:s|ing|ed)?\b)", "a horn "),
    # tickets (reader 70): an asset name ("AMB_city_rain_07") is no sound; "VO" (in capitals) is a voice; a bare
    # "remove" at the end takes the sound just named ("stray VO in the bg at 0:05, pls remove")
    (r"\b[a-z]+(?:_[a-z0-9]+)*_\d+[a-z0-9]*\b(?:\s*(?:->|[:\-\u2212\u2013\u2014])(?=\s))?", ""),
    (r"\b(push|pull|lift|raise|lower|duck|boost|cut|kill|lose|remove|drop|mute|add|tuck|dip|trim|stray)( the)? "
     r"(?-i:VOs?)\b", r"\1\2 voice"),  # not "under the VO", "for the VO": the film's dialogue, no edit (reader 72)
    (r"(?-i:(?<![A-Za-z])VOs?)(?=\s*(?:[-+\u2212]\s?\d|(?:is|are) (?:too |way |a bit |so )?(?:hot|loud|quiet|low|"
     r"buried|soft|forward|present|upfront|prominent)\b|(?:up|down|out)\b))", "voice"),
    (r"[,.;:]\s*(?:pls|plz|please)?\s*(?:remove|delete|kill|lose|cut)\s*(?:pls|plz|please)?[.!]*\s*$", ", remove it"),
    # a wish with "what if": "what if there was a helicopter overhead and ...", "what if it had a bell" (reader 70)
    # machine-translated English and prose (reader 81): "more low / discreet / tranquil" quieter, "more big /
    # strong" louder, "the whole" everything, "must not be heard" removes, "X must be added" adds, "quit the X"
    # removes; "thins to a murmur", "a soft whisper" quieter, "drifts away for good" gone, "let it roar" louder,
    # "falls quiet" stops, "gives way to" a swap, "steps forward / back" (no footsteps), "thicken" louder
    (r"\bmore (?:low|quiet|discreet|small|soft|tranquil|calm|weak|silent|gentle|faint|little)"
     r"(?=\s*(?:$|[,.;!?&]|and\b|but\b|please\b|plz\b))", "quieter"),  # a predicate: "the rain more low." (not
    (r"\bmore (?:big|strong|high|intense|powerful|forte|heavy|loud)(?=\s*(?:$|[,.;!?&]|and\b|but\b|please\b|plz\b))",
     "louder"),  # "more heavy breathing", "more low end")
    (r"\bthe whole\b(?!\s+(?:clip|thing|track|mix|asset|loop|file|scene|recording|lot)\b)", "everything"),
    (r"\b(?:must|should|may|can)(?: not|n[\u2019']?t) (?:sound|be heard|be audible|be there)\b", "has to go"),
    (r"\b(the [\w ]+?) (?:also )?(?:must|should|has to|have to|needs? to) be added\b", r"add \1"),
    (r"\bquit (?=(?:the|that|those|this|all)\b)", "remove "),
    (r"\b(?:to|into) (?:a|an) (?:distant |faint |soft |low |gentle |bare )?(?:murmur|whisper|hum|trickle|patter|"
     r"mumble|hush|grumble)\b", "quieter"),
    (r"\b(?:is|are|[\u2019']s|[\u2019']re) (?:barely |just |only |now )?(?:a |an )?(?:soft |faint |distant )?"
     r"(?:whisper|murmur|hum)\b", " is much quieter"),
    (r"\b(?:drifts?|goes|fades?|moves?|climbs?|flies|rolls?)(?: off)? away (?:for good|completely|entirely)\b",
     "is gone"),
    (r"\b(?:let it|it should|everything should|let everything) roar\b", "make it louder"),
    (r"\b(?:falls?|fell) (?:quiet|silent)\b|\b(?:go|goes|went) silent\b", "stops"),
    (r"\b(the [\w ]+?) gives? way to (.+)", r"remove \1 and add \2"),
    (r"(?<=[a-z] )(?<!add )(?<!more )(?<!the )(?<!some )(?<!of )(?<!no )(?<!with )(?<!less )(?<!few )steps? "
     r"(forward|back|aside)\b", r"moves \1"),  # "the rain steps back" (not "add steps forward")
    (r"\bthicken(?:s|ed|ing)?\b", "grows louder"),
    (r"\bclears? (?:off|up|away)\b", "stops"),
    (r"\b(?:fades?|fading|drops?|dropping|sinks?|sinking) (?:down )?to (?:almost|nearly|next to) nothing\b",
     "much quieter"),
    # librarians' captions and annotators (reader 80): the clip named as "this street" / "the street take" / "the alt",
    # "somebody speak", "in B", "a tram bell", "down the street" a place, "the rain behind them" quieter, and a caption
    # of B ("same", "like A") where a sound "barely there" is a state of B, not a complaint
    (r"\b(?:this|the) (street|road|rain|scene|city|place|forest|beach|room|ambience|ambiance|traffic)"
     r"(?: (?:take|recording|clip|one|version|alt))?(?= (?:with|but|minus|without)\b)", r"the same \1"),
    (r"\b(?:the|this|an?) alt(?:ernate)?(?: take| version)?\b", "the same"),
    (r"\b(?:somebody|someone|a man|a woman|a person) (?:speak|speaks|speaking)\b", "a voice"),
    (r"(?<=\w)\s+in b\b(?!\s+(?:is|are)\s+(?:barely|hardly))", ""),
    (r"\b(?:tram|bike|bicycle|trolley|cable car) bells?\b", "bell"),
    (r"(?<!turn )(?<!bring )(?<!pull )(?<!knock )(?<!tone )(?<!dial )(?<!take )(?<!push )(?<!crank )\b(?:down|up|along|"
     r"across) the (?:street|road)\b(?!\s+(?:noise|sounds?|traffic|ambience|bed))", "nearby"),
    (r"\band the (\w+(?: \w+)?) (?:behind|under|beneath|below) (?:it|them|that)\b(?=\s*(?:$|[,.;!?]|and\b))",
     r"and the \1 quieter"),
    (r"^(\s*(?:same|like a|as a|same as a)\b.*?)\b(?:barely|hardly) (?:there|audible)\b", r"\1much quieter"),
    # engineers and survey answers (reader 78): "clear the horn" removes it, "way hotter" is louder, "windier" more
    # wind, "the rain is masking everything" a complaint, "traffic down. way down" one edit
    (r"\bclear(?:s|ed|ing)? (?=(?:the|those|out|away)\b)", "remove "), (r"\bhotter\b", "louder"),
    (r"\b(?:it |this )?(?:sounds? |is |gets? |got |feels? )?(?:a (?:bit|lot) |much |way )?windier\b",
     "the wind is louder"),
    (r"\b(?:it |this )?(?:sounds? |is |gets? |got |feels? )?(?:a (?:bit|lot) |much |way )?rainier\b",
     "the rain is louder"),
    (r"(?:\s+(?:is|are)|[\u2019']s|[\u2019']re)\s+masking (?=everything|it\b|them\b|the\b)", " too loud for "),
    (r"\b(down|up)[.;,]\s*(?:way|much|a lot|lots) \1[.!]*\s*$", r"\1"),
    (r"\bwhat if (?:there (?:was|were|is|are)|it had|we had|we added|you added)\b(?!\s+(?:more|less|fewer|no|none|"
     r"much|way|a lot|even)\b)", "add"),
    # ... but not a sound only named before its fix: "and there's a dog barking, lose it" (reader 79)
    (r"\b(and|but) there (?:were|was|are|is) (?!(?:no|nothing|not|the|still|less|fewer|more)\b)"
     r"(?![^.;!?]*\b(?:it|them|that|those)\b)", r"\1 add "),
    (r"\band there[\u2019']?s (?!(?:no|nothing|not|the|still|less|fewer|more)\b)(?![^.;!?]*\b(?:it|them|that|those)\b)",
     "and add "),  # "and theres thunder" (reader 78)
    # signs with a space in a list: "rev2 -> + distant thunder, - birds" (reader 70)
    (r"(?:^|(?<=[,;>]))\s*\+\s+(?=[a-z])", " add "), (r"(?<=[,;])\s*[-\u2212]\s+(?=[a-z])", " no "),  # not a bullet
    # pitch is no level ("make it higher pitched" was louder); a horn's sound named before it; leaves rustle, they do
    # not leave (reader 70)
    (r"\b(?:higher|lower|high|low|deeper)[- ]pitched\b|\bpitch(?:ed)? (?:it )?(?:up|down)\b|\b(?:higher|lower|deeper) "
     r"(?:in )?pitch\b", "pitched"),
    (r"\b(?:beep|honk|toot)(?:[- ](?:beep|honk|toot))* (?=horns?\b)", ""),
    (r"\b(in|through|among) the leaves\b", r"\1 the trees"),
    # a phone ringing is no bell (reader 70)
    (r"\b(?:tele|cell ?|mobile |smart ?)?phones? (?:ring|rings|ringing)\b|\bring ?tones?\b", "phone"),
    # a complaint that only a removal ends: "that clock ticking is driving me mad" (reader 70)
    (r"(?:\s+(?:is|are|keeps?)|[\u2019']s|[\u2019']re)\s+driving me (?:mad|crazy|nuts|insane|bonkers|up the wall)\b",
     " has to go"),
    (r"\b(?:can|could|should|must) (?:it|they|that|this) go\b(?=\s*(?:please|pls)?\s*(?:[?.!,;]|$))", "remove it"),
    # ("..., can it go?", but "can it go louder" is a level; reader 72)
    (r"\bgotta\b", "got to"),  # "the owl's gotta go"
    # keywords: "rain x2", "thunder x0", "traffic 50%", "vol+", "thunder yes dog no"
    (r"\b(?:x\s?2|2x|x\s?3|3x)\b", " louder"), (r"\b(?:x\s?0|0x)\b", " out"),
    (r"(?<!\bup )(?<!\bdown )(?<!\+)\b(?:50|33|25)\s?%(?!\s*(?:louder|more|up|higher|stronger|boost))",
     " half as loud"),  # not "50% louder" (63)
    (r"\bvol(?:ume)?\s?\+", " louder"), (r"\bvol(?:ume)?\s?[-\u2212]", " quieter"),
    (r"\b([a-z]+) yes\b", r"add \1"), (r"\b([a-z]+) no\s*$", r"no \1"),
    (r"\b(go|goes|going|went|gone) off\b", r"\1"), (r"\bspot on\b", "perfect"),  # "a car alarm goes off"
    (r"\bnothing but\b", "only"),  # "Nothing but waves and a louder gull": the waves are the scene
    (r"\b(?:porch |street |the )?(?:lights?|lamps?|heating|heater) (?:is |are )?(?:on|off)\b", ""),  # a state
    (r"\bthe (?:roar|sound|noise|drone|whine) of (?:a |an |the )?", "the "),  # "the roar of a car engine"
    # a complaint about how busy or calm the clip is says what the edits after it are for, it is no edit itself
    (r"(?:^|(?<=[.!?,]\s))(?:it[\u2019']?s |it is |this is |that[\u2019']?s "
     r"|(?:everything|it all|the whole thing|the mix) (?:sounds |feels |is |seems )?)?"
     r"(?:way |far |a bit |a little |just )?"
     r"(?:too|so) (?:busy|cluttered|chaotic|calm|chilled|flat|empty|static|boring|much going on)\b[.!]*", ""),
    (r"\b(?:(?:i|we) (?:just|only) (?:want|need|have)|just have) the\b", "just the"),  # "strip the crow layer, I just
    # want the rain", "we just want the rain", "just have the traffic" (reader 93)
    (r",?\s*\b(?:if (?:at all )?possible|where possible)\b", ""),  # politeness, no words left over (reader 93)
    (r"\b(?:i[\u2019']?m |i am |i was |just )?wondering (?:if|whether)\b", ""),  # opens a request (reader 93)
    (r"\bpunch(?:es|ing)? through\b", "louder"), (r"\bbe roaring\b", "be louder"),
    (r"\b(?:sits|is sitting|sitting|is|are) (?:way |too far |buried )?under everything\b", "is too quiet"),
    (r"\b(?:is|are) (?:messing|screwing) (?:it|this|things) up\b", "is too loud"),
    (r"\b(?:right )?in (?:my|your|our) ears?\b", "too loud"),  # "the footsteps are clomping right in my ear"
    (r"\bwho (?:put|added|threw)\b", "there is"),  # "Who put a siren in here? Remove it."
    (r"\bwould (?:sell|make|help|do)(?: it| this)?(?: (?:more|so much more|a lot more) \w+)?\b", "would be nice"),
    # a dislike is a removal: "I don't really like the alarm going off, can it go?" (reader 70)
    (r"\b(?:i )?(?:do not|don[\u2019']?t|dont) (?:really |much |particularly )?(?:like|love|want) (the|that|this|those|"
     r"these)\b(?![^,.;!?]*\b(?:so|that|this|too|as|quite|very|louder|quieter|softer|lower|higher|heavier|lighter|"
     r"up|down|loud|quiet|soft|heavy|light)\b)", r"remove \1"),  # (but "I don't want the rain so loud": reader 72)
    (r"\b(?:i )?(?:love|like|dig) the\b", "keep the"),  # praise: "love the rain, but ..."
    # the query itself named before "but": "something like this but with rain" is "same but with rain" (reader 53)
    (r"^\s*(?:(?:a |one )?(?:sound|something|anything|one)\s+|(?:it |this )?sounds?\s+)?(?:(?:just |exactly )?like|"
     r"similar to)\s+(?:this|that|it)(?:\s+one)?(?=\s*,?\s*(?:but|only)\b)", "same"),  # "sounds like" (reader 55)
    (r"^\s*(?:something|anything) similar(?=\s*,?\s*(?:but|only)\b)", "same"),
    (r"^\s*this(?=\s*,?\s*but\b)", "same"),
    # "same but not the dog" is without the dog (reader 54)
    (r"\bbut not (?=(?:the|a|an|any|my|our|that|this)\b)", "but without "),
    # the second clip of a pair named "B" holds what arrives: "B has footsteps and the rain is lighter" (reader 57)
    (r"^\s*(?:(?:clip|recording|version|take|sound) )?b (has|have|gets|got|features|contains|includes)\b",
     r"it now \1"),
    (r"^\s*(?:the )?(?:(?:clip|recording|version|take|sound) )?b (is|sounds|feels|seems)\b", r"it \1"),  # (58, 80)
    # "b quieter", "B: more rain less wind" (fast annotators; reader 76)
    (r"^\s*b\s*[:\-]?\s+(?=(?:quieter|louder|softer|lower|higher|much|way|a bit|slightly)\b)", "it "),
    (r"^\s*b\s*[:\-]?\s+(?=(?:more|less|no|without|with|w/)\b)", ""),
    (r"\bin (?:b|the second (?:one|clip|recording))\s+(is|are)\s+(?:barely|hardly)\s+(?:audible|there)\b",
     r"\1 much quieter"),  # a state of clip B, not a complaint: "the rain in B is barely audible"
    # the second clip named in words: "the second one has a helicopter", "birds are chirping in the second one", "In B
    # you can't hear the helicopter anymore" (reader 66)
    (r"^\s*the (?:second|2nd|other|new|latter) (?:one|clip|recording|version|take|file|track) (has|have|gets|got|"
     r"features|contains|includes)\b", r"it now \1"),
    (r"^\s*the (?:second|2nd|other|new|latter) (?:one|clip|recording|version|take|file|track) "
     r"(is|sounds|feels|seems)\b", r"it \1"),
    (r"^\s*(?:in|on) (?:(?:clip|recording|version|take) b|b|the (?:second|2nd|other|new|latter) (?:one|clip|recording|"
     r"version|take|file|track))\b,?\s*", ""),
    (r",?\s*(?:in|on) the (?:second|2nd|other|new|latter) (?:one|clip|recording|version|take|file|track)\b", ""),
    (r"\b(?:you |we |i |one )?(?:can[\u2019']?t|cannot|can not|don[\u2019']?t|do not|no longer) (?:hear|make out) "
     r"(the [\w\s]{1,25}?) any ?more\b",
     r"remove \1"),
    # "hear the footsteps better" is louder; "sweeten with birdsong" adds it (reader 60)
    (r"\b(?:hear|make out) ((?:the|that|those|this|these|my) [a-z ]+?) (?:better|more clearly|clearer)\b",
     r"have \1 louder"),
    (r"\bsweeten (?:it |this |the mix |the bed )?with\b", "add"),
    (r"\bpad(?:s|ded|ding)? (?:it |this |the mix |the bed )?(?:out )?with\b", "add"),  # "pad with room tone" (78)
    # "not the dog" as the whole words is without it (reader 56; "not the clock - the door" contrasts two sounds)
    (r"^\s*not (?!.*\bbut\b)(?=(?:the|a|an|any|my|our|that|this) [a-z ]+[.!]*\s*$)", "without "),  # not "not the
    # rain but the dog louder" (reader 62); and a sound with no article: "not dog", "not car horn" (reader 64)
    (r"^\s*not (?!(?:so|too|as|that|enough|very|much|more|less|quite|really|yet|now|again|bad|sure|loud|quiet|soft|"
     r"louder|quieter|softer|it|this|that)\b)(?=[a-z]+(?: [a-z]+)?[.!]*\s*$)", "without "),
    # the user changes their mind: "never mind the birds, just add a dog" keeps the birds (reader 56)
    (r"\bnever ?mind (?:about )?(the|that|this|my|our)\b", r"keep \1"),
    # two sounds typed with a slash: "add thunder/dog" (reader 56)
    (r"\band/or\b", "and"), (r"(?<=[a-z]{2})\s*/\s*(?=[a-z]{2})", " and "),  # not "w/", "w/o"
    # a negated edit keeps the sound: "don't remove the dog", "please don't add thunder" (reader 54)
    (r"\b(?:please )?(?:do not|don[\u2019']?t|dont|never) (?:remove|lose|mute|cut out|kill|drop|get rid of|take out|"
     r"take away|add)\b", "keep"),
    # hands off: "don't touch the rain, just lose the dog" (reader 52)
    (r"\b(?:do not|don[\u2019']?t|dont|never) (?:touch|change|alter|mess with|fiddle with|tweak|modify) "
     r"(the|that|this|my|our|it)\b", r"keep \1"),  # "it" since reader 55: "don't touch it, add thunder"
    # a kept list keeps every sound of it: "keep the rain or the dog, add thunder" (reader 54)
    (r"\b(keep|leave) the ((?!but\b)[a-z]+(?: (?!but\b)[a-z]+)?) (and|or|&) the\b", r"\1 the \2 \3 keep the"),
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
    (r"\b(?:isn[\u2019']?t|aren[\u2019']?t|is not|are not) there\b(?! yet)", "is gone"),  # "where the horn isn't there"
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
    # far away after "get" is a place, not its particle: "can we get a dog barking far off" adds it (reader 71)
    (r"\b(get|gets|got|getting)\b([^,.;!?]*?)\s+far away\b", r"\1\2 in the distance"),
    # "the rain needs to sit under the dialogue": quieter (but "sitting under everything" is a complaint; reader 44)
    (r"\b(?:needs? to|should|must|has to|have to|could|can|to) sit (?:way |well |further |a bit )?(?:under|beneath|"
     r"below|behind)\b", "be quieter under"),
    (r"\b(?:is|are) still (?:falling|pouring|coming down)\b", "stays"),  # "the rain is still falling" (reader 49)
    # "the rain is muted" (indoors): muffled, so quieter ("mute the rain" still removes it; reader 49)
    (r"\b(?:is|are|sounds?|sounding|gets?|got|now) (?:a bit |more |slightly |very )?muted\b", "quieter"),
    # a level named: "drop the rain level", "cut the volume of the horn" lower it, not take it out (reader 67)
    (r"\b(?:drop|cut|bring down|pull down)( the [a-z]+(?: [a-z]+)?) (?:level|volume|gain)\b", r"lower\1"),
    (r"\b(?:drop|cut)( the (?:level|volume|gain) of)\b", r"lower\1"),
    (r"\bdrop( the [a-z]+(?: [a-z]+)?) (?=(?:a (?:little|bit|touch|tad|notch)|slightly|somewhat)\b)", r"lower\1 "),
    # the whole clip is the main sound: "more volume on the whole clip", "whole asset is way too hot" (reader 70)
    (r"\bmore volume on (?:the whole (?:clip|thing|track|mix|asset|loop|file|scene)|everything)\b", "louder it"),
    (r"\bless volume on (?:the whole (?:clip|thing|track|mix|asset|loop|file|scene)|everything)\b", "quieter it"),
    (r"\b(?:the )?whole (?:clip|thing|track|mix|asset|loop|file|scene|recording)\b", "everything"),
    # "walking off", "drives off": a way of going, not a removal ("laughing their heads off" is no movement; reader 130)
    (r"\b((?:walk|stroll|stomp|wander|zoom)(?:s|ed|ing)?|runs?|running|ran|driv(?:e|es|ing|en)|drove|hurr(?:y|ies|ied|ying)"
     r"|rid(?:e|es|ing)|rode|strid(?:e|es|ing)|strode|march(?:es|ed|ing)?|jog(?:s|ged|ging)?|speed(?:s|ing)?|sped"
     r"|rac(?:e|es|ed|ing)) off\b", r"\1 away"),
    # a church's organ or choir is what sounds, not its bell ("church" alone is its bell; reader 128)
    (r"\bchurch (?=(?:organs?|choirs?|hymns?|service|mass|music|singing|congregation|organist)\b)", ""),
    (r"\bslot machines?\b", "beeping"),  # a casino's beeps, not machinery (reader 64; "slot" as a sound word took the
    # misspellings "sot" of shot and "slom" of slam)
    (r"\bpower cut\b", "blackout"), (r"\b(?:after|before) the cut\b", "later"),  # times, not removals (reader 49)
    (r"\blet (the [\w\s]{1,20}?) (?:roar|rip|blare|boom)\b", r"make \1 louder"),  # "let the engine roar" (reader 49)
    # one rain for another is its level: "a drizzle instead of a downpour" (reader 50)
    (r"\b(?:a |some )?(?:drizzle|light rain|gentle rain|soft rain|sprinkle) (?:instead of|rather than|not) (?:a |the )?"
     r"(?:downpour|heavy rain|storm|torrential rain|deluge|rainstorm|pouring|pouring rain|steady rain|rain)\b",
     "lighter rain"),
    (r"\b(?:a |some )?(?:downpour|heavy rain|storm|torrential rain|deluge|rainstorm) (?:instead of|rather than|not) "
     r"(?:a |the )?(?:drizzle|light rain|gentle rain|soft rain|sprinkle)\b", "heavier rain"),
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
    (r"\b(the [\w ]+?) (?:swapped|replaced|traded|exchanged) (?:for|with|by) (.+)", r"remove \1 and add \2"),  # (80)
    (r"\binstead of\s+(.+?),\s*(.+)", r"remove \1 and \2"),
    (r"^(.+?)\s+instead of\s+(.+)$", r"\1 and remove \2"),
))
