"""Building blocks of the QA model: its output, node inputs, the question encoder, the HF
base class.

``KGQAPreTrainedModel.from_pretrained`` checks the directory first (safetensors only; a
pickle is refused before anything is opened) and turns every loading failure into
``ModelError``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import torch
from safetensors import SafetensorError
from torch import nn
from transformers import AutoModel, PretrainedConfig, PreTrainedModel
from transformers import initialization as init
from transformers.utils import ModelOutput

from kgfuse.errors import ModelError
from kgfuse.fusion.qa_config import KGQAConfig


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


class QANodeInput(nn.Module):
    """Initial node states: a topic marker plus optional entity features.

    Args:
        config: The model config (``num_entities``, ``node_features``, sizes).
    """

    def __init__(self, config: KGQAConfig) -> None:
        super().__init__()
        num, hidden = max(config.num_entities, 1), config.hidden_size
        self.kind = config.node_features
        self.marker = nn.Embedding(2, hidden)  # 0: other node, 1: topic entity
        if self.kind == "text":
            self.register_buffer("features", torch.zeros(num, config.node_feature_dim))
            self.proj = nn.Linear(config.node_feature_dim, hidden)
        elif self.kind == "learned":
            self.embedding = nn.Embedding(num, hidden)

    def forward(self, node_ids: torch.Tensor, topic_mask: torch.Tensor) -> torch.Tensor:
        """Args: node_ids [N] global ids, topic_mask [N]. Returns x [N, hidden]."""
        x = self.marker(topic_mask.long())  # [N, hidden]
        if self.kind == "text":
            x = x + self.proj(self.features[node_ids])
        elif self.kind == "learned":
            x = x + self.embedding(node_ids)
        return x


def build_text_encoder(text_config: PretrainedConfig) -> PreTrainedModel:
    """Build the question encoder from its config (random weights, no pooler)."""
    try:
        return AutoModel.from_config(text_config, add_pooling_layer=False)
    except TypeError:  # architectures without a pooler argument
        return AutoModel.from_config(text_config)


class KGQAPreTrainedModel(PreTrainedModel):
    """Weight init and loading glue of the QA model."""

    config_class = KGQAConfig
    config: KGQAConfig
    base_model_prefix = "kgqa"
    accepts_loss_kwargs = False
    supports_gradient_checkpointing = False

    @torch.no_grad()
    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        scale = getattr(module, "score_scale", None)
        if isinstance(scale, nn.Parameter):
            init.constant_(scale, float(self.config.initial_score_scale))

    @classmethod
    def from_pretrained(
        cls, pretrained_model_name_or_path: str | os.PathLike[str], *args: Any, **kwargs: Any
    ) -> KGQAPreTrainedModel:
        """Load from a directory holding ``config.json`` and ``model.safetensors``.

        Raises:
            ModelError: Missing directory or files, a pickle, or corrupt weights.
        """
        from kgfuse.fusion.qa_io import check_qa_model_dir

        path = check_qa_model_dir(pretrained_model_name_or_path, full=False)
        kwargs["use_safetensors"] = True
        try:
            model = super().from_pretrained(path, *args, **kwargs)
        except (OSError, ValueError, RuntimeError, SafetensorError) as exc:
            raise ModelError(f"cannot load the QA model in {path}: {exc}") from exc
        if model.config.freeze_text_encoder:
            model.text_encoder.requires_grad_(False)
        return model
