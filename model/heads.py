"""Projection heads (the trained part) and their configuration."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from model import text_backbone, yamnet
from model.audio_features import CONV_CHANNELS, FEATURE_DIM


@dataclass
class HeadsConfig:
    """Everything needed to rebuild the heads and to check they fit the backbones."""

    embed_dim: int = 256
    dropout: float = 0.2
    use_loudness: bool = True
    audio_feature_dim: int = FEATURE_DIM
    text_dim: int = text_backbone.TEXT_DIM
    class_names: list[str] = field(default_factory=list)
    audio_backbone: str = yamnet.BACKBONE_ID
    text_backbone: str = text_backbone.BACKBONE_ID
    temperature: float = 0.07
    composer: str = "add"  # "add": A(a) + T(t); "residual": A(a) + T(t) + R([A(a); T(t)])
    text_clauses: int = 1  # >1: text features hold this many clause embeddings; T sums their projections

    @property
    def audio_input_dim(self) -> int:
        return self.audio_feature_dim if self.use_loudness else CONV_CHANNELS

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> HeadsConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        return cls(**data)


class Projection(nn.Module):
    """Linear -> GELU -> Linear -> dropout, residual, LayerNorm (the paper's projection)."""

    def __init__(self, d_in: int, d_out: int, dropout: float):
        super().__init__()
        self.linear1 = nn.Linear(d_in, d_out, bias=False)
        self.linear2 = nn.Linear(d_out, d_out, bias=False)
        self.drop = nn.Dropout(dropout)
        self.layer_norm = nn.LayerNorm(d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        embed1 = self.linear1(x)
        embed2 = self.drop(self.linear2(F.gelu(embed1)))
        return self.layer_norm(embed1 + embed2)


class NudgeHeads(nn.Module):
    """Audio head A, text head T and the event classifier used by the auxiliary loss."""

    def __init__(self, config: HeadsConfig):
        super().__init__()
        self.config = config
        self.audio_norm = nn.LayerNorm(config.audio_input_dim, elementwise_affine=False)
        self.audio = Projection(config.audio_input_dim, config.embed_dim, config.dropout)
        self.text = Projection(config.text_dim, config.embed_dim, config.dropout)
        self.classifier = nn.Linear(config.embed_dim, max(1, len(config.class_names)))
        if config.composer not in ("add", "residual"):
            raise ValueError(f"unknown composer {config.composer!r}")
        if config.composer == "residual":  # a small MLP corrects the text offset for this clip
            d = config.embed_dim
            self.composer = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(approximate="tanh"), nn.Linear(d, d))
            nn.init.zeros_(self.composer[2].weight)  # starts as the paper's plain sum
            nn.init.zeros_(self.composer[2].bias)

    def select_audio_features(self, features: torch.Tensor) -> torch.Tensor:
        return features if self.config.use_loudness else features[..., :CONV_CHANNELS]

    def embed_audio(self, features: torch.Tensor) -> torch.Tensor:
        """Frozen audio features (N, FEATURE_DIM) -> A(audio) (N, embed_dim)."""
        return self.audio(self.audio_norm(self.select_audio_features(features)))

    def embed_text(self, features: torch.Tensor) -> torch.Tensor:
        """Frozen text features (N, text_clauses * text_dim) -> T(text) (N, embed_dim).

        With several clauses (e.g. "add a dog and make the rain quieter") T is the sum of each
        clause's projection; an all-zero slot is an absent clause."""
        k = self.config.text_clauses
        if k == 1:
            return self.text(features)
        clauses = features.reshape(*features.shape[:-1], k, self.config.text_dim)
        present = (clauses.abs().sum(-1, keepdim=True) > 0).to(features.dtype)
        return (self.text(clauses) * present).sum(-2)

    def compose(self, audio_embedding: torch.Tensor, text_embedding: torch.Tensor,
                strength: float = 1.0) -> torch.Tensor:
        """Unnormalized query: A(a) + strength * (T(t) [+ R([A(a); T(t)])])."""
        offset = text_embedding
        if self.config.composer == "residual":
            offset = offset + self.composer(torch.cat([audio_embedding, text_embedding], dim=-1))
        return audio_embedding + strength * offset

    def classify(self, audio_embedding: torch.Tensor) -> torch.Tensor:
        """Multi-label event logits from A(audio)."""
        return self.classifier(audio_embedding)
