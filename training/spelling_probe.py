"""What the modifier reader makes of every one-slip misspelling of the words it knows (MODEL_CARD "Reader 15").

For each known word of 4+ letters (model.modifier_spelling.known_words): every copy with one letter dropped, two
neighbours swapped or one letter doubled, normalized as a piece's word is (model.modifier_pieces._normalize, in a
verb slot and not). Writes {typo: [word, read, read_as_verb]}; with --against, compares with another reader's file:
the misspellings the other reader turned back into their word (in either slot) and this one does not read as that
word in either slot, and the reverse. ``--vowels`` (reader 32): every copy with one vowel changed for another instead.

    python -m training.spelling_probe --out training/results/reader15/spelling_reader15.json \
        --against training/results/reader15/spelling_reader9.json
    python -m training.spelling_probe --vowels --out training/results/reader32/vowels_reader32.json \
        --against training/results/reader32/vowels_reader31.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from model.modifier_pieces import _normalize
from model.modifier_spelling import known_words

VOWELS = "aeiou"


def slips(word: str) -> set[str]:
    """One letter dropped, two neighbours swapped, one letter doubled (the first letter kept)."""
    out = set()
    for i in range(1, len(word)):
        out.add(word[:i] + word[i + 1 :])
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        out.add(word[:i] + word[i] + word[i:])
    out.discard(word)
    return out


def vowel_slips(word: str) -> set[str]:
    """One vowel changed for another (reader 32's probe: such a typo is often another real word)."""
    out = {word[:i] + v + word[i + 1 :] for i, ch in enumerate(word) if ch in VOWELS for v in VOWELS if v != ch}
    return out - known_words()


def probe(make_slips=slips) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word in sorted(known_words()):
        if len(word) >= 4 and word.isalpha():
            for typo in sorted(make_slips(word)):
                table.setdefault(typo, [word, _normalize(typo), _normalize(typo, verb_slot=True)])
    return table


def recovered(row: list[str]) -> bool:
    return row[0] in row[1:]


def compare(mine: dict[str, list[str]], other: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(typos the other reader recovers and this one does not, typos this one recovers and the other does not),
    over the typos both probed."""
    both = sorted(set(mine) & set(other))
    lost = [t for t in both if recovered(other[t]) and other[t][0] not in mine[t][1:]]
    gained = [t for t in both if recovered(mine[t]) and mine[t][0] not in other[t][1:]]
    return lost, gained


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--against", type=Path, help="another reader's probe file to compare with")
    ap.add_argument("--vowels", action="store_true", help="one vowel changed for another instead of the slips above")
    args = ap.parse_args(argv)
    table = probe(vowel_slips if args.vowels else slips)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(table, indent=0, sort_keys=True))
    print(f"{len(table)} misspellings, {sum(recovered(r) for r in table.values())} read as their word")
    if args.against:
        other = json.loads(args.against.read_text())
        lost, gained = compare(table, other)
        print(f"against {args.against}: {len(lost)} read as their word there and not here, {len(gained)} the reverse")
        for t in lost:
            print(f"  lost: {t} ({other[t][0]}): there {other[t][1:]}, here {table[t][1:]}")
        for t in gained:
            print(f"  gained: {t} ({table[t][0]}): there {other[t][1:]}, here {table[t][1:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
