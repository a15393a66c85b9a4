"""Training objective: symmetric InfoNCE between composed queries and targets, plus event BCE."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from model.heads import NudgeHeads


def multi_positive_infonce(query: torch.Tensor, key: torch.Tensor, positives: torch.Tensor,
                           logit_scale: torch.Tensor, extra_keys: torch.Tensor | None = None,
                           extra_mask: torch.Tensor | None = None) -> torch.Tensor:
    """Symmetric InfoNCE; ``positives`` (B, B) bool marks duplicate targets as positives too.

    query, key: (B, D) unit vectors. Each row's loss is -log(sum_pos exp / sum_all exp).
    ``extra_keys`` (M, D): additional negatives for the query -> key direction only; ``extra_mask`` (B, M)
    bool: which of them each query counts (default all).
    """
    logits = logit_scale * query @ key.T
    neg_inf = torch.finfo(logits.dtype).min
    pos_logits = logits.masked_fill(~positives, neg_inf)
    q_logits = logits
    if extra_keys is not None:
        extra_logits = logit_scale * query @ extra_keys.T
        if extra_mask is not None:
            extra_logits = extra_logits.masked_fill(~extra_mask, neg_inf)
        q_logits = torch.cat([logits, extra_logits], dim=1)
    q2k = torch.logsumexp(q_logits, dim=1) - torch.logsumexp(pos_logits, dim=1)
    k2q = torch.logsumexp(logits, dim=0) - torch.logsumexp(pos_logits, dim=0)
    return 0.5 * (q2k.mean() + k2q.mean())


def compose(heads: NudgeHeads, feat_a: torch.Tensor, feat_t: torch.Tensor, feat_b: torch.Tensor):
    """Raw head outputs A(a), T(t), A(b) and the unit query / key vectors."""
    emb_a = heads.embed_audio(feat_a)
    emb_t = heads.embed_text(feat_t)
    emb_b = heads.embed_audio(feat_b)
    query = F.normalize(heads.compose(emb_a, emb_t), dim=-1)
    key = F.normalize(emb_b, dim=-1)
    return emb_a, emb_t, emb_b, query, key


def nudge_loss(
    heads: NudgeHeads,
    feat_a: torch.Tensor,
    feat_t: torch.Tensor,
    feat_b: torch.Tensor,
    b_ids: torch.Tensor,
    labels_a: torch.Tensor,
    labels_b: torch.Tensor,
    logit_scale: torch.Tensor,
    rho: float,
    a_negatives: bool = False,
    levels: tuple[torch.Tensor, torch.Tensor, torch.nn.Module, float] | None = None,
    edits: tuple[torch.Tensor, float] | None = None,
    label_mask: torch.Tensor | None = None,
    self_negatives: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> tuple[torch.Tensor, dict[str, float]]:
    """Total loss and its parts: contrastive + rho * (BCE(A(a)) + BCE(A(b))) / 2.

    ``a_negatives``: the query clips A(a) join the negatives (the unedited clip is the hardest
    wrong answer: a query that ignores the text lands there).
    ``levels``: (levels_a, levels_b, regressor, weight) adds weight * masked MSE of each present
    class's scaled level (training.levels) regressed from A(a) and A(b).
    ``edits``: (edit_ids, weight) adds weight * InfoNCE between the audio difference A(b) - A(a)
    and T(t), pairs with the same edit (e.g. 'event_added:dog') counting as positives.
    ``label_mask`` bool, (n_classes,) or (B, n_classes) per pair: the BCE covers only the labelled
    classes (rows of A(a) and A(b) share their pair's mask).
    ``self_negatives``: (a_ids, use), (B,) clip ids of the clips a and (B,) bool: a pair marked ``use`` gets
    its own clip a as one extra negative (unless a is also its target): the words ask for an audible change,
    so the unchanged clip must rank below the changed one. Other pairs' clips a are not added.
    """
    emb_a, emb_t, emb_b, query, key = compose(heads, feat_a, feat_t, feat_b)
    positives = b_ids[:, None] == b_ids[None, :]
    extra, extra_mask = (F.normalize(emb_a, dim=-1) if a_negatives or self_negatives else None), None
    if self_negatives is not None and not a_negatives:
        a_ids, use = self_negatives
        extra_mask = torch.diag(use & (a_ids != b_ids))
    contrastive = multi_positive_infonce(query, key, positives, logit_scale, extra, extra_mask)
    total = contrastive
    parts = {"contrastive": float(contrastive.detach())}
    if rho > 0:
        mask = label_mask if label_mask is None or label_mask.ndim == 1 else torch.cat([label_mask, label_mask])
        bce = class_bce(heads.classify(torch.cat([emb_a, emb_b])), torch.cat([labels_a, labels_b]), mask)
        total = total + rho * bce
        parts["bce"] = float(bce.detach())
    if levels is not None:
        levels_a, levels_b, regressor, weight = levels
        mse = masked_level_mse(regressor(torch.cat([emb_a, emb_b])), torch.cat([levels_a, levels_b]))
        total = total + weight * mse
        parts["level_mse"] = float(mse.detach())
    if edits is not None:
        edit_ids, weight = edits
        same_edit = edit_ids[:, None] == edit_ids[None, :]
        difference = F.normalize(emb_b - emb_a, dim=-1)
        edit_loss = multi_positive_infonce(difference, F.normalize(emb_t, dim=-1), same_edit, logit_scale)
        total = total + weight * edit_loss
        parts["edit"] = float(edit_loss.detach())
    parts["loss"] = float(total.detach())
    return total, parts


def masked_level_mse(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error over the entries whose target is not NaN (classes present in the clip)."""
    present = ~torch.isnan(target)
    return F.mse_loss(predicted[present], target[present])


def class_bce(logits: torch.Tensor, labels: torch.Tensor, label_mask: torch.Tensor | None = None) -> torch.Tensor:
    """Multi-label BCE, the mean over the entries of ``label_mask`` only when given: (n_classes,)
    for all rows alike, or (n_rows, n_classes) per row."""
    if label_mask is None:
        return F.binary_cross_entropy_with_logits(logits, labels)
    per_entry = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")
    return per_entry[label_mask.expand_as(per_entry)].mean()
