"""Fine-tuning from a heads file: class list merge, classifier extension, L2-SP anchor, frozen parts,
and a tiny ``train --init`` run on a hand-written feature cache (no backbones)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoint import load_heads, save_heads
from model.heads import HeadsConfig, NudgeHeads
from training.finetune import Anchor, freeze, init_heads, load_relabelled, merged_class_names, relabel
from training.losses import class_bce
from training.pairset import load_pairset

OLD_CLASSES = ["rain", "traffic", "thunder", "dog"]
NEW_CLASSES = ("wind", "dog", "rain", "door")  # the data's own order; dog and rain known to the heads


def _old_heads(path: Path, embed_dim: int = 16) -> Path:
    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=embed_dim, class_names=list(OLD_CLASSES), composer="residual",
                                   text_clauses=2, temperature=0.05))
    with torch.no_grad():  # a trained composer is not zero
        heads.composer[2].weight.normal_(std=0.1)
    save_heads(heads.eval(), path)
    return path


def _write_cache(folder: Path, n_pairs: int, seed: int, classes: tuple[str, ...] = NEW_CLASSES) -> Path:
    """A feature cache in training.feature_cache's layout with random features and labels."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    clips = [f"audio/{i}.flac" for i in range(2 * n_pairs)]
    texts = [f"edit {i}" for i in range(n_pairs)]
    np.save(folder / "audio.npy", rng.standard_normal((len(clips), 1040)).astype(np.float32))
    np.save(folder / "text.npy", rng.standard_normal((n_pairs, 384)).astype(np.float32))
    clause = rng.standard_normal((n_pairs, 2 * 384)).astype(np.float32)
    clause[::2, 384:] = 0  # every other text holds one edit
    np.save(folder / "text_clauses.npy", clause)
    (folder / "classes.txt").write_text("\n".join(classes) + "\n")
    with open(folder / "pairs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["pair_id", "scene", "split", "a_path", "b_path", "text",
                                               "diff_types", "labels_a", "labels_b"])
        writer.writeheader()
        for i in range(n_pairs):
            hot = lambda: " ".join(str(int(v)) for v in rng.random(len(classes)) < 0.5)  # noqa: E731
            writer.writerow({"pair_id": f"p{i}", "scene": "forest" if i % 2 else "rain", "split": folder.name,
                             "a_path": clips[2 * i], "b_path": clips[2 * i + 1], "text": texts[i],
                             "diff_types": "event_added:wind", "labels_a": hot(), "labels_b": hot()})
    index = {"pairs_csv": str(folder / "pairs.csv"), "pairs_sha256": f"sha{seed}", "clips": clips, "texts": texts}
    (folder / "index.json").write_text(json.dumps(index))
    return folder


def test_merged_classes_keep_the_heads_order_and_relabel_moves_columns(tmp_path: Path) -> None:
    names = merged_class_names(OLD_CLASSES, NEW_CLASSES)
    assert names == ["rain", "traffic", "thunder", "dog", "wind", "door"]
    ps = load_pairset(_write_cache(tmp_path / "f" / "dev", 6, seed=1))
    moved, labelled = relabel(ps, names)
    assert moved.class_names == tuple(names)
    assert labelled.tolist() == [True, False, False, True, True, True]  # traffic, thunder: not in the data
    for new_col, name in enumerate(names):
        if name in NEW_CLASSES:
            old_col = NEW_CLASSES.index(name)
            assert (moved.labels_a[:, new_col] == ps.labels_a[:, old_col]).all()
            assert (moved.labels_b[:, new_col] == ps.labels_b[:, old_col]).all()
        else:
            assert (moved.labels_a[:, new_col] == 0).all()
    with pytest.raises(ValueError, match="not in the class list"):
        relabel(ps, ["rain", "dog"])


def test_init_heads_compute_what_the_file_computes_and_new_classes_start_at_zero(tmp_path: Path) -> None:
    path = _old_heads(tmp_path / "old.safetensors")
    old = load_heads(path)
    names = merged_class_names(OLD_CLASSES, NEW_CLASSES)
    new = init_heads(path, names).eval()
    assert new.config.class_names == names and new.config.temperature == old.config.temperature
    audio, text = torch.randn(5, 1040), torch.randn(5, 2 * 384)
    with torch.no_grad():
        a_old, a_new = old.embed_audio(audio), new.embed_audio(audio)
        assert torch.equal(a_old, a_new)
        assert torch.equal(old.compose(a_old, old.embed_text(text)), new.compose(a_new, new.embed_text(text)))
        logits_old, logits_new = old.classify(a_old), new.classify(a_new)
    assert torch.equal(logits_new[:, :4], logits_old)
    assert (logits_new[:, 4:] == 0).all()
    with pytest.raises(ValueError, match="drops classes"):
        init_heads(path, ["rain", "dog"])


def test_class_bce_ignores_masked_columns() -> None:
    logits = torch.tensor([[5.0, -5.0, 9.0]])
    labels = torch.tensor([[1.0, 0.0, 0.0]])
    mask = torch.tensor([True, True, False])
    assert float(class_bce(logits, labels, mask)) == pytest.approx(float(class_bce(logits[:, :2], labels[:, :2])))
    assert float(class_bce(logits, labels)) > float(class_bce(logits, labels, mask)) + 1.0


def test_anchor_penalty_is_the_weighted_squared_distance_of_trainable_weights(tmp_path: Path) -> None:
    heads = init_heads(_old_heads(tmp_path / "old.safetensors"), OLD_CLASSES)
    freeze(heads, ["audio"])
    anchor = Anchor(heads, weight=0.5)
    assert float(anchor.penalty(heads).detach()) == 0.0
    assert not any(name.startswith("audio.") for name in anchor.start)
    with torch.no_grad():
        heads.text.linear1.weight[0, :4] += 1.0  # squared distance 4
        heads.audio.linear1.weight += 1.0  # frozen: not anchored
    assert float(anchor.penalty(heads).detach()) == pytest.approx(2.0)
    assert anchor.distance(heads) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="unknown part"):
        freeze(heads, ["backbone"])


def _train(tmp_path: Path, name: str, *flags: str, epochs: int = 2) -> Path:
    from training import train

    run = tmp_path / name
    assert train.main(["--train", str(tmp_path / "f" / "dev"), "--val", str(tmp_path / "f" / "val"),
                       "--out", str(run), "--epochs", str(epochs), "--batch-size", "8", "--threads", "1",
                       "--embed-dim", "64", "--lr", "1e-2", *flags]) == 0
    return run


@pytest.fixture
def caches(tmp_path: Path) -> Path:
    _write_cache(tmp_path / "f" / "dev", 24, seed=2)
    _write_cache(tmp_path / "f" / "val", 8, seed=3)
    return tmp_path


def test_train_init_keeps_the_header_architecture_and_extends_the_classes(caches: Path) -> None:
    init = _old_heads(caches / "old.safetensors")
    run = _train(caches, "ft", "--init", str(init), "--freeze", "audio")
    heads, old = load_heads(run / "heads.safetensors"), load_heads(init)
    assert heads.config.embed_dim == 16 and heads.config.composer == "residual"  # the header's, not --embed-dim
    assert heads.config.class_names == merged_class_names(OLD_CLASSES, NEW_CLASSES)
    rows = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [0, 1, 2]  # epoch 0 = the initial heads
    assert rows[1]["distance_to_init"] > 0
    for key, value in old.state_dict().items():
        if key.startswith("audio."):
            assert torch.equal(heads.state_dict()[key], value)  # frozen
    if json.loads((run / "summary.json").read_text())["best_epoch"] > 0:
        assert not torch.equal(heads.text.linear1.weight, old.text.linear1.weight)


def test_a_strong_anchor_keeps_the_weights_nearer_the_start(caches: Path) -> None:
    init = _old_heads(caches / "old.safetensors")
    free = _train(caches, "free", "--init", str(init), "--patience", "9", epochs=8)
    held = _train(caches, "held", "--init", str(init), "--anchor-weight", "10", "--patience", "9", epochs=8)

    def last_distance(run: Path) -> float:
        return json.loads((run / "log.jsonl").read_text().splitlines()[-1])["distance_to_init"]

    assert last_distance(held) < 0.5 * last_distance(free)


def test_caches_with_different_class_lists_train_together_with_per_pair_masks(caches: Path) -> None:
    old = _write_cache(caches / "old" / "dev", 10, seed=4, classes=("rain", "traffic", "thunder", "dog"))
    train, train_mask, val, val_mask = load_relabelled([caches / "f" / "dev", old], [caches / "f" / "val"],
                                                       OLD_CLASSES)
    assert train.class_names == val.class_names == ("rain", "traffic", "thunder", "dog", "wind", "door")
    assert train_mask.shape == (34, 6) and val_mask.shape == (8, 6)
    assert train_mask[:24].tolist() == [[True, False, False, True, True, True]] * 24
    assert train_mask[24:].tolist() == [[True, True, True, True, False, False]] * 10
    assert (train.labels_a[24:, 4:] == 0).all() and (train.labels_a[:24, 1:3] == 0).all()
    logits, labels = torch.randn(2, 6), torch.zeros(2, 6)
    rows = torch.from_numpy(train_mask[[0, 30]])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.cat([logits[0, rows[0]], logits[1, rows[1]]]), torch.zeros(8))
    assert float(class_bce(logits, labels, rows)) == pytest.approx(float(expected))
    init = _old_heads(caches / "old.safetensors")
    run = caches / "mixed"
    from training import train as train_module

    assert train_module.main(["--init", str(init), "--train", str(caches / "f" / "dev"), str(old),
                              "--val", str(caches / "f" / "val"), "--out", str(run), "--epochs", "1",
                              "--batch-size", "8", "--threads", "1", "--batching", "scene",
                              "--anchor-weight", "0.1"]) == 0
    assert load_heads(run / "heads.safetensors").config.class_names == list(train.class_names)


def test_distill_penalty_starts_at_zero_and_grows_with_the_outputs_change(tmp_path: Path) -> None:
    from training.finetune import Distill

    heads = init_heads(_old_heads(tmp_path / "old.safetensors"), OLD_CLASSES)
    distill = Distill(heads, weight=2.0)
    audio_a, text, audio_b = torch.randn(6, 1040), torch.randn(6, 2 * 384), torch.randn(6, 1040)
    heads.eval()
    with torch.no_grad():
        assert float(distill.penalty(heads, audio_a, text, audio_b)) == pytest.approx(0.0, abs=1e-10)
        heads.audio.linear1.weight.normal_()
        moved = float(distill.penalty(heads, audio_a, text, audio_b))
    assert 0.0 < moved <= 2.0 * 3 * 4.0  # three unit vectors, each at most distance 2
    assert not torch.equal(distill.start.audio.linear1.weight, heads.audio.linear1.weight)  # a copy, not shared


def test_distilled_pairs_keep_the_start_outputs_nearer(caches: Path) -> None:
    from training.finetune import Distill, pairs_of
    from training.train import main

    old = _write_cache(caches / "old" / "dev", 16, seed=5, classes=tuple(OLD_CLASSES))
    mask = pairs_of([caches / "f" / "dev", old], [old])
    assert mask.tolist() == [False] * 24 + [True] * 16
    with pytest.raises(ValueError, match="must be training caches"):
        pairs_of([old], [caches / "f" / "dev"])
    init = _old_heads(caches / "old.safetensors")
    runs = {}
    for name, flags in (("free", []), ("kept", ["--distill-weight", "30", "--distill", str(old)])):
        runs[name] = caches / name
        # validated on training pairs, so that fitting them is kept (random features generalize nowhere)
        assert main(["--init", str(init), "--train", str(caches / "f" / "dev"), str(old), "--val",
                     str(caches / "f" / "dev"), "--out", str(runs[name]), "--epochs", "6", "--patience", "9",
                     "--batch-size", "8", "--threads", "1", "--lr", "1e-2", *flags]) == 0
    ps = load_pairset(old)
    audio = torch.from_numpy(np.asarray(ps.audio))
    start = Distill(load_heads(init), weight=1.0)

    def change(run: Path) -> float:
        heads = load_heads(run / "heads.safetensors").eval()
        with torch.no_grad():
            return float(start.penalty(heads, audio[ps.a], torch.from_numpy(ps.clause_text[ps.t]), audio[ps.b]))

    rows = [json.loads(line) for line in (runs["kept"] / "log.jsonl").read_text().splitlines()]
    assert "train_distill" in rows[1]
    assert change(runs["kept"]) < 0.5 * change(runs["free"])
