"""Assembling a QA run: the answer ranker with pretrained question-encoder weights, text
node features, and question vectors cached for the frozen-encoder mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import PreTrainedTokenizerBase

from kgfuse.errors import ConfigError
from kgfuse.fusion.qa.config import KGQAConfig
from kgfuse.fusion.qa.model import KGQAForAnswerRanking
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.text_encoder import PretrainedText, cached_text_vectors
from kgfuse.graph.data import KGData

logger = logging.getLogger(__name__)


def build_qa_model(
    options: QAOptions, kg: KGData, *, cache_dir: Path | None
) -> tuple[KGQAForAnswerRanking, PreTrainedTokenizerBase, str]:
    """Build the answer ranker with pretrained question-encoder weights.

    Args:
        options: Run settings.
        kg: The graph the model reasons over.
        cache_dir: Where the entity-name vectors of ``node_features="text"`` are cached.

    Returns:
        ``(model, tokenizer, text_path)``.

    Raises:
        ModelError: The text encoder cannot be loaded or its weights do not fit its config.
        ConfigError: An empty graph or invalid settings.
    """
    if kg.num_entities == 0 or kg.num_edges == 0:
        raise ConfigError("question answering needs a graph with facts; the graph is empty")
    text = PretrainedText.load(options.text_encoder)
    config = KGQAConfig(
        text_config=text.config,
        text_model_name_or_path=text.path,
        pooling=options.pooling,
        freeze_text_encoder=options.frozen(),
        num_hops=options.hops,
        hidden_size=options.hidden_size,
        num_entities=kg.num_entities,
        num_relations=kg.num_relations,
        node_features=options.node_features,
        node_states=options.node_states,
        node_feature_dim=text.config.hidden_size if options.node_features == "text" else 0,
        dropout=options.dropout,
        exclude_topic_entities=options.exclude_topic_entities,
    )
    model = KGQAForAnswerRanking(config)
    text.copy_weights_into(model.text_encoder)
    if config.node_features == "text":
        vectors = cached_text_vectors(
            model,
            text.tokenizer,
            kg.entity_names,
            text_path=text.path,
            max_length=32,
            cache_dir=cache_dir,
            name="qa-nodes",
        )
        model.node_input.features.copy_(vectors)
    return model, text.tokenizer, text.path


def question_vectors(
    model: KGQAForAnswerRanking,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    text_path: str,
    max_length: int,
    cache_dir: Path | None,
) -> torch.Tensor:
    """Question vectors for the frozen-encoder mode, computed once and cached on disk.

    Raises:
        ConfigError: The model's text encoder is not frozen (vectors would go stale).
    """
    if not model.config.freeze_text_encoder:
        raise ConfigError("cached question vectors need a frozen text encoder")
    return cached_text_vectors(
        model,
        tokenizer,
        texts,
        text_path=text_path,
        max_length=max_length,
        cache_dir=cache_dir,
        name="qa-questions",
    )
