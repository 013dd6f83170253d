"""Building blocks of the fusion models: node inputs, the text encoder, the HF base class.

``KGFusionPreTrainedModel`` holds weight init and a ``from_pretrained`` that checks the
directory first (safetensors only; a pickle is refused before anything is opened).
"""

from __future__ import annotations

import os
from typing import Any

import torch
from safetensors import SafetensorError
from torch import nn
from transformers import AutoModel, PreTrainedModel
from transformers import initialization as init

from kgfuse.errors import ModelError
from kgfuse.fusion.config import KGFusionConfig
from kgfuse.fusion.encoders.rgcn import WeightedRGCNConv
from kgfuse.fusion.fusers import CrossAttentionFusion


class NodeInput(nn.Module):
    """Initial node states: a learned embedding per entity, or projected text features.

    Args:
        config: The model config (``num_entities``, ``node_features``, sizes).
    """

    def __init__(self, config: KGFusionConfig) -> None:
        super().__init__()
        num, hidden = max(config.num_entities, 1), config.graph_hidden_size
        self.kind = config.node_features
        if self.kind == "text":
            self.register_buffer("features", torch.zeros(num, config.node_feature_dim))
            self.proj = nn.Linear(config.node_feature_dim, hidden)
        else:
            self.embedding = nn.Embedding(num, hidden)

    def forward(self, node_ids: torch.Tensor) -> torch.Tensor:
        """Args: node_ids [N] global entity ids. Returns x [N, graph_hidden]."""
        if self.kind == "text":
            return self.proj(self.features[node_ids])
        return self.embedding(node_ids)


def build_text_encoder(config: KGFusionConfig) -> PreTrainedModel:
    """Build the text encoder from ``config.text_config`` (random weights, no pooler)."""
    try:
        return AutoModel.from_config(config.text_config, add_pooling_layer=False)
    except TypeError:  # architectures without a pooler argument
        return AutoModel.from_config(config.text_config)


class KGFusionPreTrainedModel(PreTrainedModel):
    """Weight init and loading glue shared by the kgfuse fusion heads."""

    config_class = KGFusionConfig
    config: KGFusionConfig
    base_model_prefix = "kgfusion"
    accepts_loss_kwargs = False
    supports_gradient_checkpointing = False

    @torch.no_grad()
    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        if isinstance(module, WeightedRGCNConv):
            bound = (6.0 / (module.bases.shape[1] + module.bases.shape[2])) ** 0.5
            init.uniform_(module.bases, -bound, bound)
            init.uniform_(module.comp, 0.0, 2.0 / module.comp.shape[1])
        elif isinstance(module, CrossAttentionFusion):
            init.zeros_(module.null)
        elif getattr(module, "no_graph", None) is not None:
            init.zeros_(module.no_graph)

    @classmethod
    def from_pretrained(
        cls, pretrained_model_name_or_path: str | os.PathLike[str], *args: Any, **kwargs: Any
    ) -> KGFusionPreTrainedModel:
        """Load from a directory holding ``config.json`` and ``model.safetensors``.

        The weights must be safetensors (checked before loading: a pickle is never opened).

        Raises:
            ModelError: Missing directory or files, a pickle, or corrupt weights.
        """
        from kgfuse.fusion.io import check_model_dir

        path = check_model_dir(pretrained_model_name_or_path, required=())
        kwargs["use_safetensors"] = True
        try:
            model = super().from_pretrained(path, *args, **kwargs)
        except (OSError, ValueError, RuntimeError, SafetensorError) as exc:
            raise ModelError(f"cannot load the model in {path}: {exc}") from exc
        if model.config.freeze_text_encoder:
            model.text_encoder.requires_grad_(False)
        return model


def pool_text(
    text_encoder: nn.Module,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    token_type_ids: torch.Tensor | None = None,
    *,
    pooling: str,
    frozen: bool,
) -> torch.Tensor:
    """Run a Hugging Face encoder and pool its last states into [batch, hidden].

    Args:
        text_encoder: The encoder (its output has ``last_hidden_state``).
        input_ids: [batch, tokens] token ids.
        attention_mask: [batch, tokens] 1 for real tokens.
        token_type_ids: Optional [batch, tokens] segment ids.
        pooling: ``"mean"`` over real tokens, or ``"cls"`` (first token).
        frozen: Run without gradients (frozen-encoder mode).
    """
    extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
    with torch.set_grad_enabled(torch.is_grad_enabled() and not frozen):
        states = text_encoder(
            input_ids=input_ids, attention_mask=attention_mask, **extra
        ).last_hidden_state  # [batch, tokens, hidden]
    if pooling == "cls":
        return states[:, 0]
    mask = attention_mask.unsqueeze(-1).to(states.dtype)  # [batch, tokens, 1]
    return (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # [batch, hidden]
