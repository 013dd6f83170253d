"""``KgfusePreTrainedModel``: the Hugging Face base every kgfuse model shares, and
``NodeInput``, the initial states of graph nodes.

The base class builds nothing itself; it gives every model the same ``encode_text`` (pooled
text vectors) and a ``from_pretrained`` that checks the directory first (safetensors only: a
pickle is refused before anything is opened) and turns every loading failure into
``ModelError``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import torch
from safetensors import SafetensorError
from torch import nn
from transformers import PreTrainedModel

from kgfuse.errors import ModelError
from kgfuse.fusion.config import TextGraphConfig
from kgfuse.fusion.model_dir import check_model_dir
from kgfuse.fusion.text_encoder import (
    PretrainedText,
    build_text_encoder,
    cached_text_vectors,
    pool_text,
)


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
    ``kind`` (what the model is, for messages), build their graph side after
    ``super().__init__(config)`` (which builds ``text_encoder``) and end with
    ``post_init_frozen()``.

    Args:
        config: A ``TextGraphConfig`` subclass (the only constructor argument, HF style).
    """

    kind: ClassVar[str] = "kgfuse"
    accepts_loss_kwargs = False
    supports_gradient_checkpointing = False

    def __init__(self, config: TextGraphConfig) -> None:
        super().__init__(config)
        self.text_encoder = build_text_encoder(config.text_config)

    def post_init_frozen(self) -> None:
        """HF ``post_init`` (weight init), then freeze the text encoder if the config says so."""
        self.post_init()
        if self.config.freeze_text_encoder:
            self.text_encoder.requires_grad_(False)

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

    def load_text_weights(
        self,
        text: PretrainedText,
        entity_names: Sequence[str],
        *,
        cache_dir: Path | None,
        cache_name: str,
    ) -> None:
        """Copy a pretrained encoder's weights into ``text_encoder`` and, when the model has
        ``text`` node features, fill them with its vectors of the entity names (32 tokens
        each, cached under ``cache_dir/cache_name-*``).

        Raises:
            ModelError: The weights do not fit the encoder.
        """
        text.copy_weights_into(self.text_encoder)
        node_input = getattr(self, "node_input", None)
        if node_input is None or node_input.kind != "text":
            return
        vectors = cached_text_vectors(
            self,
            text.tokenizer,
            entity_names,
            text_path=text.path,
            max_length=32,
            cache_dir=cache_dir,
            name=cache_name,
        )
        node_input.features.copy_(vectors)  # [entities, text_hidden]

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
