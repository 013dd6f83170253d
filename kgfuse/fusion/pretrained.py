"""``KgfusePreTrainedModel``: the Hugging Face base every kgfuse model shares, and
``NodeInput``, the initial states of graph nodes.

The base class builds nothing itself; it gives every model the same ``encode_text`` (pooled
text vectors) and a ``from_pretrained`` that checks the directory first (safetensors only: a
pickle is refused before anything is opened) and turns every loading failure into
``ModelError``.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import torch
from safetensors import SafetensorError
from torch import nn
from transformers import PreTrainedModel

from kgfuse.errors import ModelError
from kgfuse.fusion.model_dir import check_model_dir
from kgfuse.fusion.text_encoder import pool_text


class NodeInput(nn.Module):
    """Initial node states from entity features: none, a learned embedding per entity, or
    frozen text features (stored in the weights) projected to ``hidden``.

    Args:
        num_entities: Nodes of the graph the model was built for.
        hidden: Node state size.
        kind: ``none``, ``learned`` or ``text``.
        feature_dim: Size of the ``text`` features.
    """

    def __init__(self, num_entities: int, hidden: int, *, kind: str, feature_dim: int) -> None:
        super().__init__()
        num = max(num_entities, 1)
        self.kind, self.hidden = kind, hidden
        if kind == "text":
            self.register_buffer("features", torch.zeros(num, feature_dim))
            self.proj = nn.Linear(feature_dim, hidden)
        elif kind == "learned":
            self.embedding = nn.Embedding(num, hidden)

    def forward(self, node_ids: torch.Tensor) -> torch.Tensor:
        """Args: node_ids [N] global entity ids. Returns x [N, hidden] (zeros for ``none``)."""
        if self.kind == "text":
            return self.proj(self.features[node_ids])
        if self.kind == "learned":
            return self.embedding(node_ids)
        return torch.zeros(node_ids.shape[0], self.hidden, device=node_ids.device)


class KgfusePreTrainedModel(PreTrainedModel):
    """Text pooling and checked loading shared by every kgfuse model.

    Subclasses set ``config_class`` (whose ``model_type`` a directory must name) and
    ``kind`` (what the model is, for messages), and build a ``text_encoder``.
    """

    kind: ClassVar[str] = "kgfuse"
    accepts_loss_kwargs = False
    supports_gradient_checkpointing = False

    def encode_text(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Return the pooled text vector [batch, text_hidden] (``mean`` or ``cls`` pooling)."""
        return pool_text(
            self.text_encoder,
            input_ids,
            attention_mask,
            token_type_ids,
            pooling=self.config.pooling,
            frozen=self.config.freeze_text_encoder,
        )

    @classmethod
    def from_pretrained(
        cls, pretrained_model_name_or_path: str | os.PathLike[str], *args: Any, **kwargs: Any
    ) -> Any:
        """Load from a directory holding ``config.json`` and ``model.safetensors``.

        The weights must be safetensors (checked before loading: a pickle is never opened).

        Raises:
            ModelError: Missing directory or files, a pickle, or corrupt weights.
        """
        path = check_model_dir(
            pretrained_model_name_or_path,
            model_type=cls.config_class.model_type,
            kind=cls.kind,
            required=(),
        )
        kwargs["use_safetensors"] = True
        try:
            model = super().from_pretrained(path, *args, **kwargs)
        except (OSError, ValueError, RuntimeError, SafetensorError) as exc:
            raise ModelError(f"cannot load the {cls.kind} model in {path}: {exc}") from exc
        if model.config.freeze_text_encoder:
            model.text_encoder.requires_grad_(False)
        return model
