"""The refine session kept across restarts: the history's steps as plain JSON in the UI settings.

Each step keeps its query file (and selected part), words, strength, the results marked more / less like this and
the earlier steps' words a promoted result still carries (history.Step). A saved session that cannot be read in
full (a hand-edited or older file) is not restored at all: the app then starts from the last query as before.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from app.service import EarlierSteps, FeedbackMark
from app.ui.history import Step

VERSION = 1
MAX_STEPS = 100  # the steps kept around the current one; older ones are left out


def _range(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    start, end = (float(v) for v in value)  # ValueError / TypeError: not a pair of numbers
    if not (math.isfinite(start) and math.isfinite(end) and 0 <= start < end):
        raise ValueError(f"not a time range: {value!r}")
    return start, end


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


def step_json(step: Step) -> dict:
    earlier = None if step.earlier is None else {
        "first": str(step.earlier.first), "texts": list(step.earlier.texts),
        "range": None if step.earlier.first_range is None else list(step.earlier.first_range)}
    return {"query": str(step.query), "text": step.text, "strength": step.strength,
            "range": None if step.query_range is None else list(step.query_range),
            "feedback": [[str(m.path), m.start, m.end, sign] for m, sign in step.feedback],
            "earlier": earlier, "forgot": step.forgot, "keyword": step.keyword}


def step_from_json(data: dict) -> Step:
    strength = float(data["strength"])
    if not (math.isfinite(strength) and 0 <= strength <= 2):
        raise ValueError(f"strength {strength!r} is out of range")
    feedback = []
    for path, start, end, sign in data.get("feedback", []):
        if sign not in (1, -1):
            raise ValueError(f"mark {sign!r} is neither more nor less like this")
        feedback.append((FeedbackMark(Path(_text(path)), float(start), None if end is None else float(end)), sign))
    earlier = data.get("earlier")
    if earlier is not None:
        earlier = EarlierSteps(Path(_text(earlier["first"])), tuple(_text(t) for t in earlier["texts"]),
                               _range(earlier.get("range")))
    return Step(Path(_text(data["query"])), _text(data["text"]), strength, tuple(feedback), _range(data.get("range")),
                earlier, bool(data.get("forgot", False)), _text(data.get("keyword", "")))


def session_json(steps: list[Step], index: int) -> dict:
    """The history to keep: at most MAX_STEPS steps, the current one among them; {} without steps."""
    if not steps or not 0 <= index < len(steps):
        return {}
    first = max(0, min(index - MAX_STEPS // 2, len(steps) - MAX_STEPS))
    kept = steps[first : first + MAX_STEPS]
    return {"version": VERSION, "index": index - first, "steps": [step_json(s) for s in kept]}


def session_from_json(data: Any) -> tuple[list[Step], int] | None:
    """The saved steps and the current one's index; None when there is none or any part of it cannot be read."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    try:
        steps = [step_from_json(s) for s in data["steps"]]
        index = data["index"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not steps or not isinstance(index, int) or not 0 <= index < len(steps):
        return None
    return steps, index


def restorable(data: Any) -> tuple[list[Step], int] | None:
    """The saved session to start with: None when there is none or it cannot be read (the app then starts from its
    last query as before). A current query file not on disk now is restored too: a library file is searched with its
    sound as imported (an unplugged drive), another says why it cannot be searched, and Back still walks the steps."""
    return session_from_json(data)


def restored_message(steps: list[Step], index: int) -> str:
    if len(steps) == 1:
        return "Your last search is back"
    return (f"Your last session is back: step {index + 1} of {len(steps)} (Back, Forward and the steps above the "
            "results walk through it)")
