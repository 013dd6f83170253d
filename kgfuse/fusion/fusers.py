"""Fusion operators: how the text vector and the linked entities' node states make logits.

Every fuser maps ``(text [B, H], graph_vec [B, G], seeds [B, S, G], seed_mask [B, S])`` to
logits [B, L]. ``graph_vec`` is the mean state of an example's linked entities, or the learned
"no graph" vector when it has none (so texts outside the graph still work).

- ``none``: text only (the baseline, through the same model and training code).
- ``concat``: ``head([text; graph_vec])``.
- ``gated``: ``head(text + g * W graph_vec)`` with ``g = sigmoid(W_g [text; W graph_vec])``.
- ``cross_attention``: the text vector attends over its linked entities' states (plus a
  learned null entity), residual + layer norm, then the head.
- ``interpolate``: BertGCN-style ``λ * graph_logits + (1 - λ) * text_logits``.
"""

from __future__ import annotations

import torch
from torch import nn

from kgfuse.errors import ConfigError

FUSIONS = ("none", "concat", "gated", "cross_attention", "interpolate")


class ClassificationHead(nn.Module):
    """Dropout then a linear layer (as ``BertForSequenceClassification``)."""

    def __init__(self, in_features: int, num_labels: int, *, dropout: float) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(in_features, num_labels)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """Args: h [B, in]. Returns logits [B, L]."""
        return self.out(self.dropout(h))


class NoneFusion(nn.Module):
    """Text-only baseline."""

    uses_graph = False

    def __init__(self, text_dim: int, graph_dim: int, num_labels: int, *, dropout: float) -> None:
        super().__init__()
        self.head = ClassificationHead(text_dim, num_labels, dropout=dropout)

    def forward(
        self,
        text: torch.Tensor,
        graph_vec: torch.Tensor | None = None,
        seeds: torch.Tensor | None = None,
        seed_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        return self.head(text)


class ConcatFusion(nn.Module):
    """``head([text; graph_vec])``."""

    uses_graph = True

    def __init__(self, text_dim: int, graph_dim: int, num_labels: int, *, dropout: float) -> None:
        super().__init__()
        self.head = ClassificationHead(text_dim + graph_dim, num_labels, dropout=dropout)

    def forward(
        self,
        text: torch.Tensor,
        graph_vec: torch.Tensor,
        seeds: torch.Tensor | None = None,
        seed_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        return self.head(torch.cat([text, graph_vec], dim=-1))  # [batch, text + graph]


class GatedFusion(nn.Module):
    """``head(text + g * W graph_vec)``, ``g = sigmoid(W_g [text; W graph_vec])`` per feature."""

    uses_graph = True

    def __init__(self, text_dim: int, graph_dim: int, num_labels: int, *, dropout: float) -> None:
        super().__init__()
        self.proj = nn.Linear(graph_dim, text_dim)
        self.gate = nn.Linear(2 * text_dim, text_dim)
        self.head = ClassificationHead(text_dim, num_labels, dropout=dropout)

    def forward(
        self,
        text: torch.Tensor,
        graph_vec: torch.Tensor,
        seeds: torch.Tensor | None = None,
        seed_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        graph = self.proj(graph_vec)  # [batch, text_dim]
        gate = torch.sigmoid(self.gate(torch.cat([text, graph], dim=-1)))  # [batch, text_dim]
        return self.head(text + gate * graph)


class CrossAttentionFusion(nn.Module):
    """The text vector attends over its linked entity states and a learned null entity."""

    uses_graph = True

    def __init__(
        self, text_dim: int, graph_dim: int, num_labels: int, *, dropout: float, heads: int = 4
    ) -> None:
        super().__init__()
        heads = heads if text_dim % heads == 0 else 1
        self.proj = nn.Linear(graph_dim, text_dim)
        self.null = nn.Parameter(torch.zeros(1, 1, text_dim))
        self.attn = nn.MultiheadAttention(text_dim, heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(text_dim)
        self.head = ClassificationHead(text_dim, num_labels, dropout=dropout)

    def forward(
        self,
        text: torch.Tensor,
        graph_vec: torch.Tensor,
        seeds: torch.Tensor,
        seed_mask: torch.Tensor,
    ) -> torch.Tensor:
        batch = text.shape[0]
        keys = torch.cat([self.null.expand(batch, 1, -1), self.proj(seeds)], dim=1)
        # keys: [batch, 1 + entities, text_dim]; the null entity is never masked
        mask = torch.cat([seed_mask.new_ones(batch, 1), seed_mask], dim=1)  # [batch, 1 + ents]
        query = text.unsqueeze(1)  # [batch, 1, text_dim]
        attended, _ = self.attn(query, keys, keys, key_padding_mask=~mask, need_weights=False)
        return self.head(self.norm(text + attended.squeeze(1)))  # [batch, text_dim] -> logits


class InterpolateFusion(nn.Module):
    """BertGCN-style mix of logits: ``λ * head_g(graph_vec) + (1 - λ) * head_t(text)``."""

    uses_graph = True

    def __init__(
        self, text_dim: int, graph_dim: int, num_labels: int, *, dropout: float, lam: float = 0.5
    ) -> None:
        super().__init__()
        if not 0.0 <= lam <= 1.0:
            raise ConfigError(f"interpolation_lambda must lie in [0, 1], got {lam}")
        self.lam = lam
        self.text_head = ClassificationHead(text_dim, num_labels, dropout=dropout)
        self.graph_head = ClassificationHead(graph_dim, num_labels, dropout=dropout)

    def forward(
        self,
        text: torch.Tensor,
        graph_vec: torch.Tensor,
        seeds: torch.Tensor | None = None,
        seed_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        return self.lam * self.graph_head(graph_vec) + (1.0 - self.lam) * self.text_head(text)


def build_fuser(
    name: str,
    *,
    text_dim: int,
    graph_dim: int,
    num_labels: int,
    dropout: float = 0.1,
    heads: int = 4,
    lam: float = 0.5,
) -> nn.Module:
    """Build a fusion operator by name (one of ``FUSIONS``).

    Raises:
        ConfigError: Unknown name.
    """
    common = {"dropout": dropout}
    if name == "none":
        return NoneFusion(text_dim, graph_dim, num_labels, **common)
    if name == "concat":
        return ConcatFusion(text_dim, graph_dim, num_labels, **common)
    if name == "gated":
        return GatedFusion(text_dim, graph_dim, num_labels, **common)
    if name == "cross_attention":
        return CrossAttentionFusion(text_dim, graph_dim, num_labels, heads=heads, **common)
    if name == "interpolate":
        return InterpolateFusion(text_dim, graph_dim, num_labels, lam=lam, **common)
    raise ConfigError(f"unknown fusion {name!r}: expected one of {FUSIONS}")
