"""How sensible the nearest known sounds are for sound words Nudge has no class for: the judged words of
training/data/nearest_known_judged.tsv (a sound designer's acceptable nearest sounds per word), read by the old hint
(YAMNet's class-map order) and the new one (what YAMNet hears the catalog's recordings as, assets/heard_as.json).

    python -m training.nearest_known_eval [--out training/results/nearest_known/eval.txt]

Right at 1: the first hint is acceptable; at 3: any of them is. A word with no hint is wrong for both; words Nudge
knows ("add X" reads an edit) are left out and listed. ``--text``: also the app's whole chain, where a word without
an AudioSet hint gets the text model's nearest sounds (model.text_neighbours; loads the text backbone).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model import sound_lexicon
from model.modifier_parser import parse_modifier
from model.modifier_spelling import a_real_word

JUDGED = Path(__file__).resolve().parent / "data" / "nearest_known_judged.tsv"
METHODS = ("old", "new", "B", "C")  # class-map order; heard as; with a relative floor (B); B on the second-highest
# recording (C)
RELATIVE = {"B": sound_lexicon.HEARD_AS_RELATIVE, "C": sound_lexicon.HEARD_AS_RELATIVE}
TABLES = {"C": Path(__file__).resolve().parent / "results" / "nearest_known" / "heard_as_second.json"}


def read_judged(path: Path = JUDGED) -> list[tuple[str, set[str]]]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(word, set(ok.split("|"))) for word, ok in rows[1:]]


def hints(word: str, method: str, text=None) -> list[str]:
    """The nearest known sounds ``method`` ("old": class-map order, "new": heard as, "B": heard as with the relative
    floor) gives ``word``, read as the reader reads it (close spellings only for a word that is not a real one:
    "lawnmower" finds "Lawn mower"); ``text``: a TextNeighbours for words without (the app's chain)."""
    spelling = not all(a_real_word(w) for w in sound_lexicon.tokens(word))
    shipped = sound_lexicon.HEARD_AS
    sound_lexicon.HEARD_AS = TABLES.get(method, shipped)
    sound_lexicon._heard_as.cache_clear()
    try:
        found, _ = sound_lexicon.nearest_known(word, spelling=spelling, heard_as=method != "old",
                                               relative=RELATIVE.get(method))
    finally:
        sound_lexicon.HEARD_AS = shipped
        sound_lexicon._heard_as.cache_clear()
    return found or (text.nearest([word])[0] if text is not None else [])


def evaluate(judged: list[tuple[str, set[str]]], text=None,
             ) -> tuple[list[str], dict[str, tuple], list[str]]:
    lines, known = [], []
    right = {m: [0, 0, 0, 0] for m in METHODS}  # right at 1, at 3, hints acceptable, hints shown
    for word, ok in judged:
        if parse_modifier(f"add {word}").edits:
            known.append(word)
            continue
        row = [word]
        for method in METHODS:
            found = hints(word, method, text)[:3]
            at1, at3 = bool(found) and found[0] in ok, bool(set(found) & ok)
            right[method][0] += at1
            right[method][1] += at3
            right[method][2] += len(set(found) & ok)
            right[method][3] += len(found)
            row.append(f"{method}: {', '.join(found) or '-'}{' (1)' if at1 else ' (3)' if at3 else ''}")
        lines.append("\t".join(row))
    return lines, {m: tuple(v) for m, v in right.items()}, known


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--judged", type=Path, default=JUDGED, help="the judged words (default: the first set)")
    parser.add_argument("--text", action="store_true", help="the app's chain: the text model for words without")
    args = parser.parse_args()
    text = None
    if args.text:
        from model.encoder import NudgeEncoder
        from model.text_neighbours import TextNeighbours

        text = TextNeighbours(NudgeEncoder(load_audio=False).encode_words)
    lines, right, known = evaluate(read_judged(args.judged), text)
    n = len(lines)
    chain = " (with the text model for words without an AudioSet hint, as the app)" if text else ""
    report = [*lines, "",
              f"{n} judged words Nudge does not know ({len(known)} it knows left out: {', '.join(known) or '-'})"
              + chain,
              *(f"{m}: right at 1 {a} of {n} ({a / n:.3f}), at 3 {b} of {n} ({b / n:.3f}); precision {c} of {d} "
                f"hints ({c / max(d, 1):.3f})" for m, (a, b, c, d) in right.items())]
    text = "\n".join(report) + "\n"
    print(text, end="")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
