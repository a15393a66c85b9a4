"""Modifiers split into their edits, and heads that sum one T per edit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoint import load_heads, save_heads
from model.heads import HeadsConfig, NudgeHeads
from model.text_backbone import TEXT_DIM, split_clauses
from tests.helpers import TEST_CLASSES
from training.descriptions import JOINERS, SOUND_NAMES, TEMPLATES


def _single_edits() -> list[str]:
    """Every single-edit template with every sound name filled in, as the data generator writes them."""
    out = []
    for group in TEMPLATES.values():
        for template in group.values():
            for names in SOUND_NAMES.values():
                for x in names.definite + names.indefinite:
                    out.append(template.format(x=x, bare=names.bare[0]))
    return out


def test_a_single_edit_is_one_clause() -> None:
    edits = _single_edits()
    assert len(edits) > 500
    for text in edits:
        assert split_clauses(text) == [text], text


@pytest.mark.parametrize("joiner", sorted(JOINERS))
def test_every_joiner_of_the_data_splits_into_its_two_edits(joiner: str) -> None:
    first, second = "make the rain quieter", "add a dog barking"
    text = JOINERS[joiner].format(first, second)
    assert split_clauses(text) == [first, second]
    assert split_clauses(text.capitalize() + ".") == [first.capitalize(), second]


def test_user_phrasings_and_extra_clauses() -> None:
    assert split_clauses("add thunder, then make the rain quieter!") == ["add thunder", "make the rain quieter"]
    assert split_clauses("add rain and thunder and a dog") == ["add rain", "thunder and a dog"]  # rest joins slot 2
    assert split_clauses("add rain and thunder and a dog", max_clauses=3) == ["add rain", "thunder", "a dog"]
    assert split_clauses("   ") == [""]
    assert split_clauses("and") == ["and"]


def _clause_heads() -> NudgeHeads:
    torch.manual_seed(0)
    config = HeadsConfig(embed_dim=16, class_names=list(TEST_CLASSES), text_clauses=2)
    return NudgeHeads(config).eval()


def test_clause_heads_sum_one_projection_per_present_clause(tmp_path: Path) -> None:
    heads = _clause_heads()
    first, second = torch.randn(3, TEXT_DIM), torch.randn(3, TEXT_DIM)
    with torch.inference_mode():
        one = heads.embed_text(torch.cat([first, torch.zeros_like(second)], dim=1))
        two = heads.embed_text(torch.cat([first, second], dim=1))
        torch.testing.assert_close(one, heads.text(first))
        torch.testing.assert_close(two, heads.text(first) + heads.text(second))
    save_heads(heads, tmp_path / "h.safetensors")
    loaded = load_heads(tmp_path / "h.safetensors")
    assert loaded.config.text_clauses == 2
    with torch.inference_mode():
        torch.testing.assert_close(loaded.embed_text(torch.cat([first, second], dim=1)), two)


def test_encoder_embeds_each_edit_of_a_modifier(tmp_path: Path) -> None:
    from model.encoder import NudgeEncoder

    path = tmp_path / "clauses.safetensors"
    save_heads(_clause_heads(), path)
    enc = NudgeEncoder(path, load_audio=False)
    both, dog, rain = enc.embed_text(["Add a dog and make the rain quieter.", "add a dog", "make the rain quieter"])
    np.testing.assert_allclose(both, dog + rain, rtol=1e-5, atol=1e-5)
    assert not np.allclose(dog, rain)
