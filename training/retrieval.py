"""Embedding a PairSet with trained heads and ranking its targets per scene (the paper's protocol).

Gallery of a scene = every distinct target clip b of that scene in the set; each pair's query is
ranked against it. Query modes: "proposed" = A(a) + T(t), "audio" = A(a) only.
"""

from __future__ import annotations

import numpy as np
import torch

from model.change_term import ChangeWeights, change_scores
from model.compose import l2_normalize
from model.heads import NudgeHeads
from model.ranking import cosine_ranks, target_ranks
from training.pairset import PairSet


@torch.inference_mode()
def embed_rows(fn, features: np.ndarray, batch: int = 2048) -> np.ndarray:
    """Apply a head function to a (N, F) table in batches -> (N, D) float32."""
    out = [fn(torch.from_numpy(np.ascontiguousarray(features[i : i + batch], dtype=np.float32))).numpy()
           for i in range(0, len(features), batch)]
    return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


def one_slot_features(features: np.ndarray, slots: int) -> np.ndarray:
    """Frozen text features (N, F) of one edit each in the first of ``slots`` clause slots, the others empty
    (the heads' input for one stated edit)."""
    if slots == 1:
        return features
    return np.concatenate([features, np.zeros((len(features), features.shape[1] * (slots - 1)),
                                              dtype=features.dtype)], axis=1)


def embed_pairset(heads: NudgeHeads, ps: PairSet) -> tuple[np.ndarray, np.ndarray]:
    """A(.) of every clip row and T(.) of every text row (heads in eval mode)."""
    heads.eval()
    texts = ps.text_features(heads.config.text_clauses)
    return embed_rows(heads.embed_audio, ps.audio), embed_rows(heads.embed_text, texts)


def scene_gallery(ps: PairSet, scene: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair indices of the scene, gallery clip rows, each pair's target position in the gallery)."""
    pairs = np.flatnonzero(ps.scene == scene)
    gallery, target = np.unique(ps.b[pairs], return_inverse=True)
    return pairs, gallery, target


def scene_cosines(ps: PairSet, scene: str, clip_emb: np.ndarray, text_emb: np.ndarray | None,
                  heads: NudgeHeads | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scene_gallery's (pairs, gallery, target) and the cosine of each pair's query (pair_queries) to every
    gallery clip, (pairs, gallery)."""
    pairs, gallery, target = scene_gallery(ps, scene)
    query = l2_normalize(pair_queries(ps, pairs, clip_emb, text_emb, heads))
    return pairs, gallery, target, query @ l2_normalize(clip_emb[gallery]).T


@torch.inference_mode()
def compose_rows(heads: NudgeHeads | None, audio: np.ndarray, text: np.ndarray, strength: float) -> np.ndarray:
    """Unnormalized queries: the heads' composition, or the plain sum A + strength * T without heads."""
    if heads is None or heads.config.composer == "add":
        return audio + strength * text
    heads.eval()
    return heads.compose(torch.from_numpy(audio), torch.from_numpy(text), strength).numpy()


def pair_queries(ps: PairSet, pairs: np.ndarray, clip_emb: np.ndarray, text_emb: np.ndarray | None,
                 heads: NudgeHeads | None = None, strength: float = 1.0) -> np.ndarray:
    """Unnormalized queries of these pairs: A(a) composed with T(t) (compose_rows), or A(a) alone when text_emb
    is None."""
    query = clip_emb[ps.a[pairs]].astype(np.float32)
    if text_emb is None:
        return query
    return compose_rows(heads, query, text_emb[ps.t[pairs]].astype(np.float32), strength)


def rank_pairs(
    ps: PairSet, clip_emb: np.ndarray, text_emb: np.ndarray | None, strength: float = 1.0,
    heads: NudgeHeads | None = None, change: ChangeWeights | None = None, aligned=None,
) -> np.ndarray:
    """Rank of every pair's target within its scene gallery; text_emb None = audio-only query.

    ``heads`` supplies the composition when it is not the plain sum (HeadsConfig.composer). ``change``: the
    ranking term of model.change_term, for queries with words (None or weight 0: plain cosine). ``aligned``: a
    training.aligned_scoring.AlignedScorer reordering the first K of queries with words (model.aligned_rerank).
    """
    ranks = np.zeros(len(ps), dtype=np.int64)
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        query = pair_queries(ps, pairs, clip_emb, text_emb, heads, strength)
        use_change = change is not None and change.active and text_emb is not None
        if not use_change and (aligned is None or text_emb is None):
            ranks[pairs] = cosine_ranks(query, clip_emb[gallery], target)
            continue
        keys = l2_normalize(clip_emb[gallery])
        scores = l2_normalize(query) @ keys.T
        if use_change:
            clip = clip_emb[ps.a[pairs]].astype(np.float32)
            scores = scores + change_scores(keys, clip, query - clip, change)
        if aligned is not None and text_emb is not None:
            scores = aligned.rescore(scores, ps.a[pairs], gallery, [ps.texts[ps.t[p]] for p in pairs])
        ranks[pairs] = target_ranks(scores, target)
    return ranks
