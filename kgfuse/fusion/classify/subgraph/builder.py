"""Assembling a subgraph-fusion run: the model with pretrained text weights, text node
features and cached text vectors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import PreTrainedTokenizerBase

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import Example, LabelSpace
from kgfuse.fusion.classify.subgraph.config import KGFusionConfig
from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.text_encoder import PretrainedText, cached_text_vectors
from kgfuse.graph.data import KGData

logger = logging.getLogger(__name__)

_MODEL_FIELDS = (
    "fusion", "graph_encoder", "graph_hidden_size", "graph_num_layers", "graph_act",
    "graph_dropout", "graph_heads", "num_bases", "node_features", "pooling",
    "freeze_text_encoder", "interpolation_lambda", "fusion_heads", "classifier_dropout",
)  # fmt: skip


def build_model(
    options: TrainOptions, kg: KGData, labels: LabelSpace, *, cache_dir: Path
) -> tuple[KGFusionForSequenceClassification, PreTrainedTokenizerBase, str]:
    """Build the classifier with pretrained text weights and, if asked, text node features.

    Returns:
        ``(model, tokenizer, text_path)``.

    Raises:
        ModelError: The text encoder cannot be loaded.
        ConfigError: A graph fusion without a graph.
    """
    if options.fusion != "none" and kg.num_entities == 0:
        raise ConfigError(
            f"fusion={options.fusion!r} needs a graph with entities; use fusion='none'"
        )
    text = PretrainedText.load(options.text_encoder)
    config = KGFusionConfig(
        text_config=text.config,
        text_model_name_or_path=text.path,
        **labels.config_fields(),
        num_entities=kg.num_entities,
        num_relations=kg.num_relations,
        node_feature_dim=text.config.hidden_size if options.node_features == "text" else 0,
        **{k: getattr(options, k) for k in _MODEL_FIELDS},
    )
    model = KGFusionForSequenceClassification(config)
    text.copy_weights_into(model.text_encoder)
    if config.uses_graph and config.node_features == "text":
        vectors = cached_text_vectors(
            model,
            text.tokenizer,
            kg.entity_names,
            text_path=text.path,
            max_length=32,
            cache_dir=cache_dir,
            name="nodes",
        )
        model.node_input.features.copy_(vectors)
    return model, text.tokenizer, text.path


def frozen_text_embeds(
    model: KGFusionForSequenceClassification,
    tokenizer: PreTrainedTokenizerBase,
    examples: Sequence[Example],
    *,
    text_path: str,
    max_length: int,
    cache_dir: Path,
) -> torch.Tensor:
    """Text vectors for the frozen-encoder mode, computed once and cached on disk."""
    return cached_text_vectors(
        model,
        tokenizer,
        [ex.text for ex in examples],
        text_path=text_path,
        max_length=max_length,
        cache_dir=cache_dir,
        name="texts",
    )
