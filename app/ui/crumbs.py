"""A refine step's breadcrumb text: its label cut to fit the bar, the words kept whole where they can be."""

from __future__ import annotations

CURRENT_CRUMB, OTHER_CRUMB = 64, 26  # characters a crumb shows (the current step's, the others'); the tooltip: all
NAME_LEAST = 8  # characters of the file's name a crumb keeps when its words are kept whole


def crumb_text(label: str, limit: int) -> str:
    """A step's label cut to ``limit`` characters, so more steps fit whole in the bar (a trial saw the first crumbs
    cut at the edge mid-word): the file's name cut in its middle when the words then fit whole ("rai…2.ogg + “add
    thunder”": trial 43 read "rain_12.ogg + “a… thunder”"), else the words alone ("… + “make the rain louder”", cut in
    their middle if need be; the tooltip names the file: trial 58 read "…n louder" and "…t louder")."""
    if len(label) <= limit:
        return label
    name, plus, words = label.partition(" + ")
    if plus and len(words) + len(plus) + NAME_LEAST <= limit:
        return f"{_cut_name(name, limit - len(plus) - len(words))}{plus}{words}"
    return f"…{plus}{_cut_middle(words, limit - 1 - len(plus))}" if plus else _cut_name(label, limit)


def _cut_name(name: str, limit: int) -> str:
    """A file's name, and the range of it the step searched ("rain_11.flac [0:33.6–0:43.7]"), cut in the name's
    middle so the range stays whole (trial 59 read "rain_11.flac [0:…6–0:43.7]")."""
    file, bracket, rest = name.partition(" [")
    if bracket and len(bracket) + len(rest) + NAME_LEAST <= limit:
        return f"{_cut_middle(file, limit - len(bracket) - len(rest))}{bracket}{rest}"
    return _cut_middle(name, limit)


def _cut_middle(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head):]}"
