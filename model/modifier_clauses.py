"""A formal sentence's asides (readers 121-125): a relative clause between a sound and what is asked of it ("the
siren, which is barely audible, is brought up", "the rain, which drowns everything out, should be quieter") describes
clip A and is left out; so is the road not taken after "rather than" / "instead of" ("I would like the car horn
removed rather than made quieter", "rather than boosting the traffic, add a car engine"), and the weather a sound is
asked for in ("add birds chirping while it rains"); a text opening "unlike A," captions B (reader 125). A swap
("crickets instead of the birds", "rather than keeping the car horn") is left as it was. Rewritten after
model.modifier_story's idioms."""

from __future__ import annotations

from model.modifier_spoken import BARELY

_PREDICATE = r"(?:should|ought|could|can|must|needs?|is|are|be|has to|have to|would|will|gets?|as well as)\b"
_NOT_TAKEN = (r"(?:made|turned|boosting|raising|lowering|turning|adding|removing|cutting|muting|making|bringing|"
              r"pushing|pulling|dropping|ducking|reducing|increasing|decreasing|boosted|raised|lowered|reduced|"
              r"softened)\b")
_LEVEL_SAID = r"(?![^,]*\b(?:audible|inaudible|faint|loud|quiet|soft|barely|hardly)\b)"  # "which were barely audible":
# what B should fix, kept

CLAUSE_IDIOMS: tuple[tuple[str, str], ...] = (
    (rf",\s*which\s{_LEVEL_SAID}[^,]*,\s*(?={_PREDICATE})", " "),
    # a caption of B against A (reader 125): "unlike A, B has a crash in it" (read nothing); "unlike A, the rain is
    # barely there" describes B, quieter (said of A it would ask for more)
    (r"^\s*(?:unlike|compared (?:to|with))\s+(?:a|clip a|the first(?: one| clip)?|the original)\s*,\s*(.*?)\b"
     rf"(is|are|[\u2019']s)\s+{BARELY}", r"\1\2 quieter"),
    (r"^\s*unlike\s+(?:a|clip a|the first(?: one| clip)?|the original)\s*,\s*", ""),
    # "lower the wind, and at the same time adding a dog": a joiner, not "the same" clip (reader 123)
    (r"\bat the same time as\b", "while"), (r"\bat the same time\b", "also"),
    (r"\ba ([a-z]+) or two\b", r"some \1"),  # "could a bird or two be added": one sound, not "or" two pieces
    (r"\s*\b(?:while|as|when) it(?:[\u2019']s| is)? (?:rains|raining|pours|pouring)\b", ""),  # the scene, no add
    (rf"\s*\b(?:rather than|instead of)\s+(?:just\s+)?(?:being\s+)?{_NOT_TAKEN}[^,.;!?]*", ""),
)
