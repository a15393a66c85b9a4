"""A newcomer's typed words on a folder of single recordings: how many of the top 10 hold what was asked for.

    python -m bench.bench_real_folder --catalog data/catalog --split eval
    python -m bench.bench_real_folder --catalog data/catalog --split eval ood   # more files of the examples' sounds

Real libraries hold mostly isolated sounds (one dog, one door slam) beside ambiences. This builds a library of
source-catalog splits' labelled files (training/catalog.py: labelled by path and YAMNet; the eval and ood splits'
recordings were never trained on), imports it as the app does, and searches with every file of a class X as the
query and the shipped heads:

* "add <Y>" for every other event class Y with at least two files in the folder: the share of the top 10 that are
  Y files, with the words and audio-only (the same query without words), and the share of queries with at
  least one Y file in the top 10;
* "make it quieter" / "make it louder", and "make the <X> louder" / "quieter" naming the query's own sound: the share
  of the top 10 that are X files (other takes of the same sound: in a peak- or loudness-normalized library that is
  the most a level word can mean).

Then the examples issue 12 tried by hand: a dog + "make it quieter", birds + "add a dog barking", a car engine +
"add a car horn", rain + "add thunder", any sound + "add a helicopter". Figures only; nothing is tuned on them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.service import SearchService
from bench.bench_named_sounds import labelled_files
from model.sound_vocab import BY_ID

TOP = 10
LEVEL_WORDS = ("make it quieter", "make it louder")
EXAMPLES = (("dog", "make it quieter", "dog"), ("chirping_birds", "add a dog barking", "dog"),
            ("car_engine", "add a car horn", "car_horn"), ("traffic", "add a car horn", "car_horn"),
            ("rain", "add thunder", "thunder"), (None, "add a helicopter", "helicopter"))


@dataclass
class Tally:
    """Share of the top 10 holding the wanted class, and whether any did, over queries."""
    shares: list[float]
    any_hit: list[bool]

    def add(self, labels: list[str | None], wanted: str) -> None:
        hits = sum(1 for label in labels if label == wanted)
        self.shares.append(hits / TOP)
        self.any_hit.append(hits > 0)

    def line(self) -> str:
        if not self.shares:
            return "no queries"
        return f"{np.mean(self.shares):.3f} of the top 10, a hit in {np.mean(self.any_hit):.3f} of queries"


def top_labels(svc: SearchService, labels: dict[Path, str], query: Path, words: str) -> list[str | None]:
    return [labels.get(r.path) for r in svc.search(query, words, top_k=TOP)]


def alone_report(svc: SearchService, labels: dict[Path, str], classes: list[str]) -> None:
    """Words with no query sound ("<Y>", as the app's search with words alone reads them): for each class with 2+
    files, the share of the top 10 on it, whether any is, and whether the first is."""
    tally, first = Tally([], []), []
    for wanted in classes:
        found = [labels.get(r.path) for r in svc.search(None, BY_ID[wanted].name, top_k=TOP)]
        tally.add(found, wanted)
        first.append(bool(found) and found[0] == wanted)
    print(f'words alone "<Y>", {len(classes)} sounds: {tally.line()}, first in {np.mean(first):.3f}')


def report(svc: SearchService, labels: dict[Path, str], title: str, searches: list[tuple[Path, str, str]]) -> None:
    """Print how often the top 10 of each (query, words, wanted class) holds the wanted class, with the words and
    with the query alone (searched once per query)."""
    text, audio = Tally([], []), Tally([], [])
    plain: dict[Path, list[str | None]] = {}
    seconds = []
    for query, words, wanted in searches:
        start = time.perf_counter()
        text.add(top_labels(svc, labels, query, words), wanted)
        seconds.append(time.perf_counter() - start)
        if query not in plain:
            plain[query] = top_labels(svc, labels, query, "")
        audio.add(plain[query], wanted)
    took = f" (median {1000 * float(np.median(seconds)):.1f} ms a search with words)" if seconds else ""
    print(f"{title}, {len(searches)} queries: with words {text.line()}; audio-only {audio.line()}{took}")


def typed_words(sound: str) -> list[str]:
    """The first single word (a base form) the reader reads as this sound that shares no word with its name
    ("chainsaw" for power tool): how a designer names one kind of it (IndexConfig.added_typed_named)."""
    from app.named_sounds import name_words
    from model.sound_lexicon import lexicon

    own = name_words(BY_ID[sound].name)
    return sorted(w[0] for w, cid in lexicon().items() if cid == sound and len(w) == 1 and len(w[0]) >= 3
                  and not name_words(w[0]) & own and name_words(w[0]) == {w[0]})[:1]  # a base form, one a sound


def run(catalog: Path, splits: list[str], rerank: bool = True, weights: Path | None = None,
        added_heard: bool = True, added_named: bool = True, added_pulled: int | None = None,
        alone_named: bool = True, level_kept: bool = False, level_named: bool = True, min_match: float = 0.0,
        typed_named: bool = True, level_lean: float | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        folder.mkdir()
        labels = {path: label for split in splits for path, label in labelled_files(catalog, split, folder).items()}
        counts = Counter(labels.values())
        by_class: dict[str, list[Path]] = {}
        for path, label in sorted(labels.items()):
            by_class.setdefault(label, []).append(path)
        addable = sorted(c for c, n in counts.items() if n >= 2 and BY_ID[c].role != "background")
        print(f"{' + '.join(splits)}: {len(labels)} labelled files, {len(counts)} classes, "
              f"{len(addable)} addable sounds (events with 2+ files)")
        pulled = {} if added_pulled is None else {"added_pulled": added_pulled}
        with SearchService(Path(tmp) / "data", config=IndexConfig(aligned_rerank=rerank, added_heard=added_heard,
                                                                  added_named=added_named, **pulled,
                                                                  words_alone_named=alone_named, level_kept=level_kept,
                                                                  level_named=level_named, rerank_min_match=min_match,
                                                                  added_typed_named=typed_named,
                                                                  **({} if level_lean is None else
                                                                     {"level_lean": level_lean})),
                           rerank_weights=weights) as svc:
            print(svc.rerank_status)
            svc.import_folders([folder])
            report(svc, labels, '"add <Y>"', [(q, f"add {BY_ID[wanted].name}", wanted) for wanted in addable
                                                for label, queries in by_class.items() if label != wanted
                                                for q in queries])
            report(svc, labels, '"add <a word read as Y>"', [  # "add a jackhammer": power tool (typed_words)
                (q, f"add {word}", wanted) for wanted in addable for word in typed_words(wanted)
                for label, queries in by_class.items() if label != wanted for q in queries])
            for words in LEVEL_WORDS:
                report(svc, labels, f'"{words}", same class', [(q, words, label) for label, queries in by_class.items()
                                                               if counts[label] >= 2 for q in queries])
            for level in ("louder", "quieter"):  # the query's own sound named (IndexConfig.level_named)
                report(svc, labels, f'"make the <X> {level}", same class', [
                    (q, f"make the {BY_ID[label].name} {level}", label) for label, queries in by_class.items()
                    if counts[label] >= 2 for q in queries])
            alone_report(svc, labels, sorted(c for c, n in counts.items() if n >= 2))
            for query_class, words, wanted in EXAMPLES:
                queries = by_class.get(query_class, []) if query_class else sorted(labels)
                report(svc, labels, f'{query_class or "any sound"} + "{words}" -> {wanted} ({counts[wanted]} files)',
                       [(q, words, wanted) for q in queries if query_class == wanted or labels[q] != wanted])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--split", nargs="+", default=["eval"], help="catalog splits whose files form the folder")
    parser.add_argument("--no-rerank", action="store_true", help="rank by match alone (app.rerank off)")
    parser.add_argument("--rerank", type=Path, help="the reranker's weights file (default: the shipped one)")
    parser.add_argument("--no-added-heard", action="store_true",
                        help="without the added sounds' rule (IndexConfig.added_heard off: app.heard_edits)")
    parser.add_argument("--no-added-named", action="store_true",
                        help="the added sounds' rule without files named for the sound (IndexConfig.added_named off)")
    parser.add_argument("--added-pulled", type=int, metavar="N",
                        help="files holding an added sound pulled from beyond the first K (IndexConfig.added_pulled)")
    parser.add_argument("--no-alone-named", action="store_true",
                        help="words alone without files named for the sound (IndexConfig.words_alone_named off)")
    parser.add_argument("--no-level-named", action="store_true",
                        help="level words on a named sound without it as if added (IndexConfig.level_named off)")
    parser.add_argument("--rerank-min-match", type=float, default=0.0, metavar="T",
                        help="the reranker reads only results matching A(query) at T or more (IndexConfig)")
    parser.add_argument("--level-kept", action="store_true",
                        help="level words keeping the query's own sound first (IndexConfig.level_kept on)")
    parser.add_argument("--no-typed-named", action="store_true",
                        help="no files named for a word read as a broader sound first (IndexConfig.added_typed_named)")
    parser.add_argument("--level-lean", type=float, default=None, metavar="W",
                        help="IndexConfig.level_lean (default: the app's)")
    args = parser.parse_args(argv)
    run(args.catalog, args.split, rerank=not args.no_rerank, weights=args.rerank, added_heard=not args.no_added_heard,
        added_named=not args.no_added_named, added_pulled=args.added_pulled, alone_named=not args.no_alone_named,
        level_kept=args.level_kept, level_named=not args.no_level_named, min_match=args.rerank_min_match,
        typed_named=not args.no_typed_named, level_lean=args.level_lean)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
