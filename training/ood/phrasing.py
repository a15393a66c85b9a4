"""Draw each OOD pair's text from the hand-written bank in phrasings.json.

A family of templates (imperative, caption, studio, pronoun, typo) is drawn per pair; each edit becomes
one clause, two clauses are joined by one of the family's joins (the pronoun family names the main
sound "it" / "the background" and puts that clause first). template_id names every piece drawn,
e.g. "studio:quieter:3+studio:add:0|join:2", so any text can be traced back to the bank.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit

BANK_PATH = Path(__file__).with_name("phrasings.json")
FAMILIES = ("imperative", "caption", "studio", "pronoun", "typo")
PRONOUN = "pronoun"


@dataclass(frozen=True)
class Phrase:
    text: str
    template_id: str
    family: str


class PhrasingBank:
    def __init__(self, data: dict):
        self.data = data
        self.templates: dict[str, dict[str, list[str]]] = data["templates"]
        self.sounds: dict[str, dict[str, list[str]]] = data["sounds"]

    @classmethod
    def load(cls, path: Path = BANK_PATH) -> PhrasingBank:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def families_for(self, edits: tuple[Edit, ...]) -> list[str]:
        """The pronoun family only when one edit changes the main sound's level."""
        has_main = any(e.is_main and e.kind in (LOUDER, QUIETER) for e in edits)
        return [f for f in FAMILIES if f != PRONOUN or has_main]

    def render(self, edits: tuple[Edit, ...], has_bed: bool, rng: np.random.Generator,
               family: str | None = None) -> Phrase:
        """A text for one or two edits; `has_bed`: the main sound is a background (not an isolated sound)."""
        if family is None:
            options = self.families_for(edits)
            family = options[int(rng.integers(len(options)))]
        ordered = sorted(edits, key=lambda e: not e.is_main) if family == PRONOUN else list(edits)
        clauses, ids = [], []
        for edit in ordered:
            text, tid = self._clause(edit, family, has_bed, rng)
            clauses.append(text)
            ids.append(tid)
        if len(clauses) == 1:
            text, template_id = clauses[0], ids[0]
        else:
            joins = self.data["joins"][family]
            j = int(rng.integers(len(joins)))
            second = clauses[1][:1].upper() + clauses[1][1:] if "{1}. {2}" == joins[j] else clauses[1]
            text = joins[j].replace("{1}", clauses[0]).replace("{2}", second)
            template_id = "+".join(ids) + f"|join:{j}"
        return Phrase(self._style(text, family, rng), template_id, family)

    def _clause(self, edit: Edit, family: str, has_bed: bool, rng: np.random.Generator) -> tuple[str, str]:
        key = {ADD: "add", REMOVE: "remove", LOUDER: "louder", QUIETER: "quieter"}[edit.kind]
        if family == PRONOUN and edit.is_main and edit.kind in (LOUDER, QUIETER):
            keys = [f"main_{key}", f"bed_{key}"] if has_bed else [f"main_{key}"]
            key = keys[int(rng.integers(len(keys)))]
        options = self.templates[family][key]
        i = int(rng.integers(len(options)))
        return self._fill(options[i], edit, family, rng), f"{family}:{key}:{i}"

    def _fill(self, template: str, edit: Edit, family: str, rng: np.random.Generator) -> str:
        forms = self.sounds[edit.sound] if edit.sound else {"the": ["it"], "a": ["it"], "bare": ["it"]}
        plural = set(forms.get("plural_forms", []))
        typo = family == "typo" and forms.get("typo") and rng.random() < self.data["styles"]["typo"]["noun_typo"]
        words: dict[str, str] = {}
        for slot in ("the", "a", "bare"):
            pick = forms[slot][int(rng.integers(len(forms[slot])))]
            if typo:
                misspelled = forms["typo"][int(rng.integers(len(forms["typo"])))]
                pick = {"the": f"the {misspelled}", "a": misspelled, "bare": misspelled}[slot]
            words[slot] = pick
        is_plural = words["the"] in plural or words["the"].removeprefix("the ") in plural
        amounts = self.data["amounts"]
        size = "small" if abs(edit.amount_db) <= amounts["small_max_db"] else "large"
        cmp_words, adv_words = amounts[f"cmp_{size}"], amounts[f"adv_{size}"]
        if is_plural:
            template = template.replace("{the}'s", "{the} are")
        values = {"{the}": words["the"], "{a}": words["a"], "{bare}": words["bare"],
                  "{is}": "are" if is_plural else "is", "{db}": str(int(round(abs(edit.amount_db)))),
                  "{cmp}": cmp_words[int(rng.integers(len(cmp_words)))],
                  "{adv}": adv_words[int(rng.integers(len(adv_words)))]}
        for placeholder, value in values.items():
            template = template.replace(placeholder, value)
        return template

    def _style(self, text: str, family: str, rng: np.random.Generator) -> str:
        style = self.data["styles"][family]
        if rng.random() < style["capitalize"]:
            text = text[:1].upper() + text[1:]
        ends = style["end"]
        p = np.array([w for _, w in ends], dtype=float)
        end = ends[int(rng.choice(len(ends), p=p / p.sum()))][0]
        return text + end if not text.endswith((".", "!", "?")) else text
