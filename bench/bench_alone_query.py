"""Can the words alone find a sound? The query "a faint noise floor + add <sound>" on a folder of single recordings.

    python -m bench.bench_alone_query --catalog data/catalog --split eval
    python -m bench.bench_alone_query --catalog data/catalog --split eval ood   # more files of the examples' sounds

Builds the folder of bench.bench_real_folder (a catalog split's labelled files, imported as the app does) and, for
every "add <Y>" search of that bench (each file of a class X as the query, Y another event class with 2+ files),
prints how often a Y file is in the top 10 for: the query clip alone, the composed query (what the app searches),
the floor + words query (NudgeEncoder.words_query: A(a faint room floor) + T("add <Y>"), no query clip at all), and
the unit sum of the composed and the floor queries. Then, per class, whether the floor + words query puts one of
its files first, in the top 3 and in the top 10; and how many of the top 10 hold the sound for issue 12's
hand-tried words ("a car horn", "a dog barking", ...) asked for with no query sound. The app's search with words
and no query sound ranks by the floor + words query.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import soundfile as sf

from app.named_sounds import sound_presence
from app.service import SearchService
from bench.bench_named_sounds import labelled_files
from model.class_term import classifier_presence
from model.compose import l2_normalize
from model.sound_vocab import BY_ID

TOP = 10
WORDS_EXAMPLES = (("a dog barking", "dog"), ("a car horn", "car_horn"), ("thunder", "thunder"),
                  ("a helicopter", "helicopter"))


NOISE = "noise"  # the label of the synthetic hiss and room-tone files


def write_noise_files(folder: Path, n: int) -> list[Path]:
    """n noise files (white, pink, brown; peaks -60 / -45 / -30 / -20 dBFS; 6 s, every second one 10 s): the hiss
    and room tone a real library holds, which match no words and must not come first for them."""
    paths = []
    rng = np.random.default_rng(7)
    for k in range(n):
        colour, level = ("white", "pink", "brown")[k % 3], (-60, -45, -30, -20)[(k // 3) % 4]
        samples = 16_000 * (10 if k % 2 else 6)
        spectrum = np.fft.rfft(rng.standard_normal(samples))
        bins = np.arange(1, len(spectrum))
        spectrum[1:] /= {"white": 1.0, "pink": np.sqrt(bins), "brown": bins}[colour]
        spectrum[0] = 0.0
        x = np.fft.irfft(spectrum, samples)
        x = x / np.abs(x).max() * 10 ** (level / 20)
        paths.append(folder / f"roomtone_{colour}_{-level}dB_{k:02d}.wav")
        sf.write(paths[-1], x.astype(np.float32), 16_000)
    return paths


def class_weights(matrix: np.ndarray, presence: dict[str, np.ndarray], alone: dict[str, np.ndarray],
                  label: np.ndarray, counts: Counter, weights: list[float]) -> None:
    """Per weight of the named sound's class: per class, a file of it first / in the top 10, and a noise file
    first."""
    for w in weights:
        first = top10 = noise_first = 0
        for c in counts:
            order = np.argsort(-(matrix @ alone[c] + w * presence[c]), kind="stable")
            first += label[order[0]] == c
            top10 += any(label[j] == c for j in order[:TOP])
            noise_first += label[order[0]] == NOISE
        n = len(counts)
        print(f"  class weight {w:<5g} per class: a file of it first {first / n:.3f}, in the top 10 {top10 / n:.3f}; "
              f"a noise file first {noise_first / n:.3f} ({n} classes)")


def run(catalog: Path, splits: list[str], noise_files: int = 0, weights: list[float] | None = None,
        classifier: bool = False) -> None:
    split = " + ".join(splits) + (f" + {noise_files} noise files" if noise_files else "")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        folder.mkdir()
        labels = {path: label for s in splits for path, label in labelled_files(catalog, s, folder).items()}
        labels |= {path: NOISE for path in write_noise_files(folder, noise_files)}
        with SearchService(Path(tmp) / "data") as svc:
            svc.import_folders([folder])
            svc.load_model()
            snap = svc._current_snapshot()  # a measurement: the stored unit vectors as search reads them
            ids = [int(i) for i in snap.blocks.ids]
            records = svc.db.records(ids)
            paths = [records[i].path for i in ids]
            matrix = np.asarray(snap.store.matrix()[snap.blocks.first], dtype=np.float32)
            norms = np.array([svc.db.vector_ref(p).norm for p in paths], dtype=np.float32)
            classes = snap.classes
            rows = np.asarray(snap.blocks.first)
            encoder = svc.encoder
            presence = {c: sound_presence(classes, c, rows) if classes is not None else np.zeros(len(rows))
                        for c in {v for v in labels.values() if v != NOISE}}
    label = np.array([labels.get(Path(p)) for p in paths], dtype=object)
    counts = Counter(v for v in label if v and v != NOISE)
    addable = sorted(c for c, n in counts.items() if n >= 2 and BY_ID[c].role != "background")
    words = {c: encoder.embed_text([f"add {BY_ID[c].name}"])[0] for c in counts}
    alone = {c: encoder.words_query(f"add {BY_ID[c].name}") for c in counts}  # as search(None, words)
    searches = [(i, y) for y in addable for i in range(len(paths)) if label[i] not in (None, NOISE, y)]
    print(f"{split}: {len(paths)} files, {len(counts)} classes, {len(searches)} 'add <Y>' searches")

    def hit_rate(name: str, query) -> None:
        hits = []
        for i, y in searches:
            scores = matrix @ query(i, y)
            scores[i] = -np.inf
            hits.append(any(label[j] == y for j in np.argpartition(-scores, TOP)[:TOP]))
        print(f"  {name:44s} a Y file in the top 10: {np.mean(hits):.3f}")

    composed = {}

    def with_words(i: int, y: str) -> np.ndarray:
        if (i, y) not in composed:
            composed[i, y] = encoder.compose(matrix[i] * norms[i], words[y], 1.0)
        return composed[i, y]

    hit_rate("the query clip alone", lambda i, y: matrix[i])
    hit_rate("clip + words (the app's query)", with_words)
    hit_rate("floor + words (no clip)", lambda i, y: alone[y])
    hit_rate("unit sum of the two", lambda i, y: l2_normalize(with_words(i, y) + alone[y]))
    first = top3 = top10 = 0
    for c in counts:
        order = np.argsort(-(matrix @ alone[c]))
        first += label[order[0]] == c
        top3 += any(label[j] == c for j in order[:3])
        top10 += any(label[j] == c for j in order[:TOP])
    n = len(counts)
    print(f"  per class, floor + 'add <class>': a file of it first {first / n:.3f}, in the top 3 {top3 / n:.3f}, "
          f"in the top 10 {top10 / n:.3f} ({n} classes)")
    if weights:
        class_weights(matrix, presence, alone, label, counts, weights)
    if weights and classifier:  # the heads' classifier's presence for the sounds it knows (IndexConfig
        trained = {c: classifier_presence(encoder.heads, matrix, c) for c in presence}  # .words_alone_presence)
        known = {c: p for c, p in trained.items() if p is not None}
        print(f"  with the heads' classifier's presence for the {len(known)} of {len(presence)} classes it knows:")
        class_weights(matrix, presence | known, alone, label, counts, weights)
    for words, wanted in WORDS_EXAMPLES:  # issue 12's hand-tried sounds, asked for with no query sound
        if wanted in counts:
            top = np.argsort(-(matrix @ encoder.words_query(words)))[:TOP]
            print(f'  "{words}" alone: {sum(label[j] == wanted for j in top)} of the top 10 are {wanted} files '
                  f"({counts[wanted]} in the folder)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--split", nargs="+", default=["val"], help="catalog splits whose files form the folder")
    parser.add_argument("--noise-files", type=int, default=0, help="hiss / room-tone files added to the folder")
    parser.add_argument("--class-weight", type=float, nargs="*", default=None,
                        help="weights of the named sound's YAMNet class to compare (score = cosine + w x presence)")
    parser.add_argument("--classifier", action="store_true", help="also with the heads' classifier's presence for "
                        "the sounds it was trained on (IndexConfig.words_alone_presence)")
    args = parser.parse_args(argv)
    run(args.catalog, args.split, args.noise_files, args.class_weight, args.classifier)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
