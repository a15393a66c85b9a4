"""`main.py sounds`: the sounds the words know, what else each is called, whether it is a bed or an event, and
whether the heads in use were trained on it (a trial: "the words know 67 sounds" and nowhere a list of them, so a
newcomer could not tell whether "duck", "creak" or "rumble" would be read). No library and no model load: the
vocabulary (model.sound_vocab) and the heads file's header."""

from __future__ import annotations

import json
from pathlib import Path

from app.errors import NudgeError, describe_path

ROLES = {"background": "bed", "event": "event", "both": "bed or event"}


def trained_sounds(heads_file: Path) -> list[str]:
    """The vocabulary ids of the sounds the heads' classifier was trained on (their header's class names)."""
    from model.checkpoint import read_metadata
    from model.sound_vocab import vocab_id

    try:
        config = dict(read_metadata(heads_file)["config"])
    except Exception as exc:  # noqa: BLE001 - a missing or damaged heads file, said plainly
        raise NudgeError(str(exc) or f"cannot read the model heads {describe_path(heads_file)}") from exc
    return [vocab_id(c) for c in config.get("class_names") or []]


def known_sounds(trained: list[str]) -> list[dict]:
    """One row per known sound, in the vocabulary's order: id, name, the other names it is read from, its role
    and whether it is among ``trained``."""
    from model.sound_vocab import VOCAB

    return [{"id": c.id, "name": c.name, "also": [n for n in c.names if n != c.name], "role": ROLES.get(c.role, c.role),
             "trained": c.id in trained} for c in VOCAB]


def sounds_lines(rows: list[dict]) -> list[str]:
    """The listing `main.py sounds` prints."""
    trained = sum(r["trained"] for r in rows)
    width = max(len(r["name"]) for r in rows) if rows else 0
    lines = [f"{len(rows)} sounds the words know; * the model in use was trained on ({trained}); a sound word not "
             "here is said to be unknown, with the nearest known ones"]
    for r in rows:
        also = f"  also: {', '.join(r['also'])}" if r["also"] else ""
        lines.append(f"{'*' if r['trained'] else ' '} {r['name']:<{width}}  {r['role']:<12}{also}".rstrip())
    return lines


def cmd_sounds(args) -> int:
    from model import paths

    rows = known_sounds(trained_sounds(paths.heads_path(args.heads)))
    if args.json:
        print(json.dumps({"sounds": rows}, indent=2))
    else:
        print("\n".join(sounds_lines(rows)))
    return 0
