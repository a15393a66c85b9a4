"""The story a note tells after its edits (reader 117): "lose the traffic and the horns. she's in a bubble", "boat OUT,
rain UP, we're back on shore", "the horn blast needs to be louder, he's about to get hit". A clause that opens with a
character or the crew ("he's", "she's", "we're", "we've") and asks for nothing says why, not what: it is left out,
so "hit" is no punch, "back" no lowering and "the park" no sound to report. Clauses that ask or say a level ("we need
a dog", "she's too loud", "we should hear a bell") stay. So do when-clauses (reader 124): "frogs in after the rain
stops", "wind from the start". Rewritten after model.modifier_desk's idioms."""

from __future__ import annotations

_SEPARATOR = r"(?:[,.;:!?]|\s[-\u2013\u2014])\s*"  # a clause after the edits, never the text's first words
_OPENS = r"(?:(?:and|so|because|cause|as)\s+)?(?:he|she|we)(?:[\u2019']s|[\u2019']re|[\u2019']ve|\s+(?:is|are|have)\b)"
_ASKS = (r"(?:need|needs|want|wants|wanna|should|could|would|must|gotta|got to|have to|has to|hear|hears|heard|add|"
         r"adds|louder|quieter|softer|loud|quiet|soft|audible|more|less|missing)")
_CLAUSE_END = r"[^,.;:!?\u2013\u2014]*"

STORY_IDIOMS: tuple[tuple[str, str], ...] = (
    (rf"{_SEPARATOR}{_OPENS}(?!{_CLAUSE_END}\b{_ASKS}\b){_CLAUSE_END}", "."),  # a dash left would read as minus
    # when a sound is wanted, told by another's change (reader 124): "frogs in after the rain stops" adds the frogs and
    # leaves the rain
    (r"\s*\b(?:after|once|until|till|as soon as)\s+(?:the\s+)?[a-z]+\s+(?:stops|ends|dies down|fades(?: out| away)?)\b",
     ""),
    (r"\s*\bfrom the (?:very )?(?:start|beginning|top|get-go)\b", ""),  # "wind from the start": when, not a cue
)
