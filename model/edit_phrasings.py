"""Several phrasings of one edit, for reading it as the mean of T over them (a prompt ensemble).

The parser turns each edit of a modifier into one canonical text ("add dog barking"); T was trained on varied
wording, so one phrasing may sit off the centre of what T learned for that edit. Modes (MODEL_CARD "twenty-
seventh round"): ``canonical`` (the parser's text alone), ``names`` (the canonical verb with each of the sound's
first names), ``verbs`` (verb templates with the first name) and ``both``. A clause the parser did not read as
an edit stays as typed.
"""

from __future__ import annotations

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.modifier_parser import canonical_text, parse_modifier
from model.sound_vocab import BY_ID

MODES = ("canonical", "names", "verbs", "both")
N_NAMES = 4
NAMED_TEMPLATES = {
    ADD: ("add {n}", "add the sound of {n}", "bring in {n}", "with {n} added"),
    REMOVE: ("remove the {n}", "take out the {n}", "get rid of the {n}", "without the {n}"),
    LOUDER: ("make the {n} louder", "turn the {n} up", "more {n}", "raise the {n}"),
    QUIETER: ("make the {n} quieter", "turn the {n} down", "less {n}", "lower the {n}"),
}
MAIN_TEMPLATES = {
    LOUDER: ("make it louder", "turn it up", "louder", "raise the level"),
    QUIETER: ("make it quieter", "turn it down", "quieter", "lower the level"),
}


def edit_phrasings(edit: Edit, mode: str) -> list[str]:
    """The texts whose mean T reads ``edit``, canonical first, without repeats."""
    if mode not in MODES:
        raise ValueError(f"unknown phrasing mode {mode!r}: one of {', '.join(MODES)}")
    canonical = canonical_text(edit)
    if mode == "canonical":
        return [canonical]
    if edit.sound is None:  # "it": the main sound, unnamed
        texts = list(MAIN_TEMPLATES.get(edit.kind, ())) if mode in ("verbs", "both") else []
        return list(dict.fromkeys([canonical, *texts]))
    names = BY_ID[edit.sound].names
    names = names[:N_NAMES] if mode in ("names", "both") else names[:1]
    templates = NAMED_TEMPLATES[edit.kind] if mode in ("verbs", "both") else NAMED_TEMPLATES[edit.kind][:1]
    if mode == "names" and edit.kind == ADD:
        templates = ("add {n}",)
    texts = [t.format(n=n) for n in names for t in templates]
    return list(dict.fromkeys([canonical, *texts]))


def clause_phrasings(text: str, max_clauses: int, mode: str) -> list[list[str]]:
    """Per clause slot the model fills for ``text`` (model.modifier_parser.modifier_clauses): its phrasings."""
    parsed = parse_modifier(text, max_clauses)
    by_text = {canonical_text(e): e for e in parsed.edits}
    return [edit_phrasings(by_text[c], mode) if c in by_text else [c] for c in parsed.clauses]
