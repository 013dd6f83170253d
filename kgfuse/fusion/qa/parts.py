"""Building blocks of the QA model: its output and its node inputs."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers.utils import ModelOutput

from kgfuse.fusion.pretrained import NodeInput
from kgfuse.fusion.qa.config import KGQAConfig


@dataclass
class KGQAOutput(ModelOutput):
    """Output of ``KGQAForAnswerRanking``.

    Attributes:
        loss: Mean cross-entropy over the questions that have a gold answer among candidates.
        logits: [batch, max_nodes] candidate logits (non-candidates and padding very negative).
        node_mask: [batch, max_nodes] True at real nodes.
        candidate_mask: [batch, max_nodes] True at the answer candidates (real, not a topic
            entity when those are excluded).
        hop_scores: [hops, N] propagated score of every node after each hop (flat layout).
        relation_weights: [hops, batch, 2 * num_relations] attention of each hop's instruction.
        hop_attention: [batch, hops] how much each hop's score counts.
    """

    loss: torch.Tensor | None = None
    logits: torch.Tensor | None = None
    node_mask: torch.Tensor | None = None
    candidate_mask: torch.Tensor | None = None
    hop_scores: torch.Tensor | None = None
    relation_weights: torch.Tensor | None = None
    hop_attention: torch.Tensor | None = None


class QANodeInput(NodeInput):
    """Initial node states: a topic marker plus optional entity features (``NodeInput``).

    Args:
        config: The model config (``num_entities``, ``node_features``, sizes).
    """

    def __init__(self, config: KGQAConfig) -> None:
        super().__init__(
            config.num_entities,
            config.hidden_size,
            kind=config.node_features,
            feature_dim=config.node_feature_dim,
        )
        self.marker = nn.Embedding(2, config.hidden_size)  # 0: other node, 1: topic entity

    def forward(self, node_ids: torch.Tensor, topic_mask: torch.Tensor) -> torch.Tensor:
        """Args: node_ids [N] global ids, topic_mask [N]. Returns x [N, hidden]."""
        x = self.marker(topic_mask.long())  # [N, hidden]
        return x if self.kind == "none" else x + super().forward(node_ids)
