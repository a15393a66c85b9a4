"""Descriptions of one or two edits in many phrasings: imperative, caption-like, studio speak,
pronouns, synonyms, misspellings, and every natural joiner for two edits.

Pure functions: every random choice comes from the numpy Generator passed in. Families:
    imperative  "make the rain quieter"
    caption     "Add the sound of a dog barking in the distance and make the rain a bit louder."
    studio      "needs more rain", "lose the horn", "the rain's too loud, pull it back"
    pronoun     the main sound's level as "it": "make it quieter" (other edits imperative)
    synonym     imperative or studio with other words for the sound ("pooch", "chopper")
    typo        imperative or studio with one misspelt word of 5+ letters
    request     polite requests and questions ("could you add a dog?"), held out as a whole
Held-out templates, joiners and families (training/wording_templates.py) are used only when
``heldout=True``, for eval pairs flagged is_heldout_phrasing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.edits import ADD, LOUDER, QUIETER, Edit
from model.sound_lexicon import SYNONYMS
from model.sound_vocab import BY_ID
from training.wording_templates import (
    DEGREES,
    HELDOUT_FAMILIES,
    HELDOUT_JOINERS,
    HELDOUT_NUMBERS,
    JOINERS,
    SHARED_VERB_JOINERS,
    SHARED_VERBS,
    TEMPLATES,
)

FAMILIES: tuple[str, ...] = ("imperative", "caption", "studio", "pronoun", "synonym", "typo", "request")
_SOURCE_FAMILY = {"synonym": ("imperative", "studio"), "typo": ("imperative", "studio")}


@dataclass(frozen=True)
class Description:
    text: str
    template_id: str  # "studio:quieter_01+then+imperative:add_03"
    family: str
    is_heldout: bool


def _pick(rng: np.random.Generator, options):
    options = list(options)
    return options[int(rng.integers(len(options)))]


def _templates(family: str, kind: str, heldout: bool) -> dict[str, str]:
    """{template id: template} of a family and kind, held-out ones only if heldout, else only seen ones."""
    out = {}
    for number, template in enumerate(TEMPLATES[family].get(kind, ()), 1):
        if (family in HELDOUT_FAMILIES or number in HELDOUT_NUMBERS) == heldout:
            out[f"{family}:{kind}_{number:02d}"] = template
    return out


def sound_names(sound: str, synonyms: bool) -> tuple[str, ...]:
    """Words for a class: all its names, or (synonym family) everything but the canonical name."""
    cls = BY_ID[sound]
    if not synonyms:
        return cls.names
    others = tuple(cls.names[1:]) + tuple(w for w, c in SYNONYMS.items() if c == sound)
    return others or cls.names


def _indefinite(name: str, countable: bool, rng: np.random.Generator) -> str:
    first = name.split()[0]
    if countable and not (first.endswith("s") and not first.endswith("ss")):
        return ("an " if name[0] in "aeiou" else "a ") + name
    return _pick(rng, ("", "some ")) + name


def _fill(template: str, edit: Edit, main_sound: str | None, family: str, rng: np.random.Generator) -> str:
    sound = edit.sound or main_sound
    if sound is None:  # the main sound, unnamed and unknown: only pronoun templates can say it
        name = "it"
        x = d = b = "it"
    else:
        name = _pick(rng, sound_names(sound, family == "synonym"))
        x, d, b = _indefinite(name, BY_ID[sound].countable, rng), f"the {name}", name
    return " ".join(template.format(x=x, d=d, b=b, deg=_pick(rng, DEGREES)).split())


def _edit_family(edit: Edit, family: str) -> str:
    """The template family that phrases this edit within a description of ``family``."""
    if family == "pronoun":
        return "pronoun" if edit.is_main and edit.kind in (LOUDER, QUIETER) else "imperative"
    return family


def describe_one(edit: Edit, rng: np.random.Generator, family: str, main_sound: str | None,
                 heldout: bool) -> tuple[str, str]:
    """(phrase, template id) of one edit in a family."""
    source = _SOURCE_FAMILY.get(family)
    tfamily = _pick(rng, source) if source else _edit_family(edit, family)
    if edit.sound is None and main_sound is None:
        if edit.kind not in (LOUDER, QUIETER):
            raise ValueError(f"cannot name the sound of {edit}: no main_sound given")
        tfamily = "pronoun"
    templates = _templates(tfamily, edit.kind, heldout)
    tid = _pick(rng, templates)
    return _fill(templates[tid], edit, main_sound, family, rng), tid


def misspell(text: str, rng: np.random.Generator) -> str:
    """One deletion, doubling, swap of neighbours or substitution inside one word of 5+ letters."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = _pick(rng, candidates)
    word = words[i]
    pos = int(rng.integers(1, len(word) - 1))
    op = int(rng.integers(4))
    if op == 0:
        word = word[:pos] + word[pos + 1 :]
    elif op == 1:
        word = word[:pos] + word[pos] + word[pos:]
    elif op == 2:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    else:
        letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[pos]]
        word = word[:pos] + _pick(rng, letters) + word[pos + 1 :]
    words[i] = word
    return " ".join(words)


def families_for(edits: list[Edit], main_sound: str | None, heldout: bool) -> tuple[str, ...]:
    """Families that can describe these edits (pronoun needs a level change of the main sound)."""
    out = []
    for family in FAMILIES:
        if (family in HELDOUT_FAMILIES) and not heldout:
            continue
        if family == "pronoun" and not any(e.is_main and e.kind in (LOUDER, QUIETER) for e in edits):
            continue
        if family == "request" and any(e.sound is None and main_sound is None for e in edits):
            continue
        out.append(family)
    return tuple(out)


def _joiners(heldout: bool, shared: bool) -> dict[str, str]:
    table = SHARED_VERB_JOINERS if shared else JOINERS
    return {jid: j for jid, j in table.items() if (jid in HELDOUT_JOINERS) == heldout}


def _shared_verb(edits: list[Edit], family: str, main_sound: str | None, heldout: bool,
                 rng: np.random.Generator) -> tuple[str, str] | None:
    """'add rain and thunder' for two adds (or two removals) of named sounds, else None."""
    a, b = edits
    if a.kind != b.kind or a.kind not in SHARED_VERBS or None in (a.sound, b.sound) or family == "request":
        return None
    jid = _pick(rng, _joiners(heldout, shared=True))
    verb = _pick(rng, SHARED_VERBS[a.kind])
    nps = [_fill("{x}" if a.kind == ADD else "{d}", e, main_sound, family, rng) for e in edits]
    return f"{verb} {nps[0]}{SHARED_VERB_JOINERS[jid]}{nps[1]}", f"{family}:{a.kind}_{verb.replace(' ', '_')}+{jid}"


def describe(edits: list[Edit], rng: np.random.Generator, *, main_sound: str | None,
             heldout: bool = False, family: str | None = None) -> Description:
    """A description of one or two edits; heldout=True uses only held-out phrasings. ``main_sound``
    names edits of the main sound that have no sound of their own. ``family`` forces one."""
    if not 1 <= len(edits) <= 2:
        raise ValueError(f"expected 1 or 2 edits, got {len(edits)}")
    family = family or _pick(rng, families_for(edits, main_sound, heldout))
    shared = _shared_verb(edits, family, main_sound, heldout, rng) if len(edits) == 2 and rng.random() < 0.3 else None
    if shared is not None:
        text, template_id = shared
    else:
        parts = [describe_one(e, rng, family, main_sound, heldout) for e in edits]
        text, template_id = parts[0]
        if len(parts) == 2:
            jid = _pick(rng, _joiners(heldout, shared=False))
            text = parts[0][0].rstrip("?") + JOINERS[jid] + parts[1][0]
            template_id = f"{parts[0][1]}+{jid}+{parts[1][1]}"
    if family == "typo":
        text = misspell(text, rng)
    if family == "caption" or rng.random() < 0.4:
        text = text[0].upper() + text[1:]
    if family == "caption" or (rng.random() < 0.25 and not text.endswith("?")):
        text += "."
    return Description(text, template_id, family, heldout)
