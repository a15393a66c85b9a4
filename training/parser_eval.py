"""How often the modifier parser reads a description back to exactly the edits it was made from.

Two measures:
  generated  N descriptions per family from random edits (training/wording.py), seen and held-out
             phrasings apart, one vs two edits;
  free       the hand-written phrasings of training/data/free_phrasings.tsv (written apart from the
             generator, before the parser);
  dev / test the two halves of training/data/parser_dev.tsv (modifiers as sound designers type them,
             written by hand apart from the generator), of parser_dev_captions.tsv (captions of the
             target, scene descriptions), of parser_dev_casual.tsv (chat-like requests) and of parser_dev_two.tsv
             (two-edit texts above all), parser_dev_studio.tsv (studio speak, pronouns) and
             parser_dev_imperative.tsv (imperatives), parser_dev_captions2.tsv (two-change captions),
             parser_dev_fresh_a.tsv to _z.tsv and _aa.tsv to _ak.tsv (independent writers: captions, studio
             speak, pronouns, a librarian's captions, a chat box, prose, negations, a tagger's captions,
             a mixing desk, reactions, keywords, project context, two-change captions, references,
             fast typing, scene-opening captions, heavy misspellings, editors' studio speak,
             main-sound pronouns, non-native English, voice dictation, a client's notes, terse studio
             notes, rain and traffic scenes in free wording, plain words from non-sound people,
             annotators comparing two recordings, requests to an editing assistant, two edits and the
             bed's level, pronouns and references; several
             styles by two or three writers), parser_dev_trials.tsv (what newcomer trials typed; dev only): failures are
             listed for dev only, the test halves are only scored.
An edit counts as right when kind and sound match; "it" is right for an edit of the main sound, and
an expected unknown sound ('?kazoo') must be reported as unknown with that word.

    python -m training.parser_eval [--n 500] [--seed 0] [--test] [--json training/results/parser_eval.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from model.edits import KINDS, LOUDER, QUIETER, Edit
from model.modifier_parser import ParsedModifier, parse_modifier
from model.sound_vocab import BACKGROUND, BOTH, VOCAB
from training.wording import FAMILIES, describe, families_for
from training.wording_templates import HELDOUT_FAMILIES

_DATA = Path(__file__).parent / "data"
FREE_PHRASINGS = _DATA / "free_phrasings.tsv"
PARSER_DEV = _DATA / "parser_dev.tsv"
PARSER_CAPTIONS = _DATA / "parser_dev_captions.tsv"  # captions / scene descriptions (reader 3)
PARSER_CASUAL = _DATA / "parser_dev_casual.tsv"  # chat-like requests (reader 3, second part)
PARSER_TWO = _DATA / "parser_dev_two.tsv"  # two-edit texts above all (reader 5)
PARSER_STUDIO = _DATA / "parser_dev_studio.tsv"  # studio speak and pronouns (reader 6)
PARSER_IMPERATIVE = _DATA / "parser_dev_imperative.tsv"  # imperatives (reader 7)
PARSER_CAPTIONS2 = _DATA / "parser_dev_captions2.tsv"  # two-change captions (reader 10)
# the independent writers' sets by letter (readers 11-30; what each holds: its own header and MODEL_CARD)
PARSER_FRESH = {p.stem.removeprefix("parser_dev_fresh_"): p for p in sorted(_DATA.glob("parser_dev_fresh_*.tsv"))}
PARSER_TRIALS = _DATA / "parser_dev_trials.tsv"  # typed in newcomer trials of the app; dev only (reader 56)
# every hand-written set with dev / test halves but parser_dev.tsv, by its key in the --json file
PARSER_SETS = {"captions": PARSER_CAPTIONS, "casual": PARSER_CASUAL, "two": PARSER_TWO, "studio": PARSER_STUDIO,
               "imperative": PARSER_IMPERATIVE, "captions2": PARSER_CAPTIONS2,
               **{f"fresh_{letter}": path for letter, path in PARSER_FRESH.items()}, "trials": PARSER_TRIALS}
_MAINS = [c.id for c in VOCAB if c.role in (BACKGROUND, BOTH)]
_EVENTS = [c.id for c in VOCAB if c.role != BACKGROUND]


def random_edits(rng: np.random.Generator, n_edits: int) -> tuple[list[Edit], str]:
    """(edits, main sound): level changes of the main sound or of events, adds and removals of events."""
    main = _MAINS[int(rng.integers(len(_MAINS)))]
    edits: list[Edit] = []
    while len(edits) < n_edits:
        kind = KINDS[int(rng.integers(len(KINDS)))]
        on_main = kind in (LOUDER, QUIETER) and rng.random() < 0.5
        if on_main:
            if any(e.is_main for e in edits):
                continue
            edits.append(Edit(kind, None if rng.random() < 0.3 else main, True))
            continue
        sound = _EVENTS[int(rng.integers(len(_EVENTS)))]
        if sound != main and sound not in {e.sound for e in edits}:
            edits.append(Edit(kind, sound))
    return edits, main


def edits_match(expected: list[Edit], parsed: ParsedModifier, main_sound: str | None) -> bool:
    """Same number of edits and unknowns, each edit of the same kind and sound (in order)."""
    if len(parsed.edits) != len(expected) or parsed.unknown:
        return False
    for want, got in zip(expected, parsed.edits, strict=True):
        if want.kind != got.kind:
            return False
        same = got.sound == want.sound or (want.is_main and got.sound in (None, main_sound))
        if not same:
            return False
    return True


def eval_generated(n: int, seed: int) -> dict[str, dict[str, float]]:
    """{'<family>/<seen|heldout>/<1|2>': {'n': .., 'exact': ..}} plus an overall row per seen/heldout."""
    rng = np.random.default_rng(seed)
    hits: dict[str, list[bool]] = defaultdict(list)
    for heldout in (False, True):
        split = "heldout" if heldout else "seen"
        for family in FAMILIES:
            if family in HELDOUT_FAMILIES and not heldout:
                continue
            for n_edits in (1, 2):
                made = 0
                while made < n:
                    edits, main = random_edits(rng, n_edits)
                    if family not in families_for(edits, main, heldout):
                        continue
                    text = describe(edits, rng, main_sound=main, heldout=heldout, family=family).text
                    ok = edits_match(edits, parse_modifier(text, main_sound=main), main)
                    for key in (f"{family}/{split}/{n_edits}", f"all/{split}/{n_edits}", f"all/{split}/any"):
                        hits[key].append(ok)
                    made += 1
    return {k: {"n": len(v), "exact": float(np.mean(v))} for k, v in sorted(hits.items())}


def read_free_phrasings(path: Path = FREE_PHRASINGS, split: str | None = None) -> list[tuple[str, list[str]]]:
    """(text, ['quieter:rain', 'add:?kazoo', ...]) rows of a hand-written set; ``split``: only the rows
    whose third column is this ('dev' / 'test' in parser_dev.tsv)."""
    lines = [line.rstrip("\n") for line in path.read_text().splitlines() if line and not line.startswith("#")]
    rows = [line.split("\t") for line in lines[1:]]
    return [(cols[0], cols[1].split("|")) for cols in rows if split is None or cols[2] == split]


def free_phrasing_right(text: str, expected: list[str]) -> bool:
    parsed = parse_modifier(text)
    got = [f"{e.kind}:{e.sound or 'it'}" for e in parsed.edits]
    want_known = [e for e in expected if "?" not in e]
    want_unknown = [e.split("?", 1)[1] for e in expected if "?" in e]
    return got == want_known and [u.word for u in parsed.unknown] == want_unknown


def eval_free(path: Path = FREE_PHRASINGS, split: str | None = None) -> dict[str, float]:
    rows = read_free_phrasings(path, split)
    right = [free_phrasing_right(text, expected) for text, expected in rows]
    two = [r for r, (_, e) in zip(right, rows, strict=True) if len(e) == 2]
    return {"n": len(rows), "exact": float(np.mean(right)), "n_two": len(two), "exact_two": float(np.mean(two)),
            "wrong": [text for r, (text, _) in zip(right, rows, strict=True) if not r]}


def eval_pairs(paths: list[Path]) -> dict[str, dict[str, float]]:
    """Read-back on the descriptions of pairs.csv files written apart from the generator (the OOD set's
    phrasing bank): share parsed to exactly the pair's `edits`, per phrasing family and edit count."""
    import csv

    from model.edits import parse_edits

    hits: dict[str, list[bool]] = {}
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                want = parse_edits(row["edits"])
                right = edits_match(want, parse_modifier(row["text"]), None)
                for key in (f"family:{row.get('phrasing_family', '')}", f"edits:{len(want)}", "all"):
                    hits.setdefault(key, []).append(right)
    return {k: {"exact": float(np.mean(v)), "n": len(v)} for k, v in sorted(hits.items())}


def parse_ms(texts: list[str], repeat: int = 5) -> float:
    """Median milliseconds to parse one text (after the first call built the word tables)."""
    parse_modifier(texts[0])
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            parse_modifier(text)
            times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="descriptions per family, split and edit count")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--test", action="store_true",
                    help="also score the test halves (for the final report; failures never shown)")
    ap.add_argument("--pairs", nargs="*", type=Path, default=[],
                    help="also score the descriptions of these pairs.csv files (e.g. data/ood/*/pairs.csv)")
    args = ap.parse_args(argv)
    generated = eval_generated(args.n, args.seed)
    free = eval_free()
    ms = parse_ms([t for t, _ in read_free_phrasings()])
    print(f"{'family':<12}{'seen 1':>9}{'seen 2':>9}{'held 1':>9}{'held 2':>9}")
    for family in (*FAMILIES, "all"):
        cells = [generated.get(f"{family}/{s}/{k}") for s in ("seen", "heldout") for k in (1, 2)]
        print(f"{family:<12}" + "".join(f"{c['exact']:>9.3f}" if c else f"{'-':>9}" for c in cells))
    seen, held = generated["all/seen/any"]["exact"], generated["all/heldout/any"]["exact"]
    print(f"overall: seen {seen:.3f}, held-out {held:.3f} ({args.n} per family, split and edit count)")
    print(f"free phrasings: {free['exact']:.3f} of {free['n']} (two edits: {free['exact_two']:.3f} of {free['n_two']})")
    for text in free["wrong"]:
        print(f"  wrong: {text}")
    halves = {}
    for key, path in (("dev", PARSER_DEV), *PARSER_SETS.items()):
        dev = eval_free(path, "dev")
        test = eval_free(path, "test") if args.test else {}
        for name, cell in (("dev", dev), ("test", test)):
            if cell and cell["n"]:  # a dev-only set (the trials) has no test half
                print(f"{path.name} {name}: {cell['exact']:.3f} of {cell['n']} "
                      f"(two edits: {cell['exact_two']:.3f} of {cell['n_two']})")
        for text in dev["wrong"]:
            print(f"  wrong (dev): {text}")
        test.pop("wrong", None)  # the test half is scored, never looked at
        halves[key] = {"dev": dev, "test": test}
    print(f"parse time: {ms:.3f} ms per text (median)")
    pairs = eval_pairs(args.pairs) if args.pairs else {}
    for key, cell in pairs.items():
        print(f"pairs {key}: {cell['exact']:.3f} of {cell['n']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"generated": generated, "free": free, **halves.pop("dev"), **halves,
                                         "parse_ms": ms, "pairs": pairs,
                                         "n": args.n, "seed": args.seed}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
