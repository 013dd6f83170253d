"""Assembling a QA run: the answer ranker with pretrained question-encoder weights, text
node features."""

from __future__ import annotations

from pathlib import Path

from transformers import PreTrainedTokenizerBase

from kgfuse.errors import ConfigError
from kgfuse.fusion.qa.config import KGQAConfig
from kgfuse.fusion.qa.model import KGQAForAnswerRanking
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.text_encoder import PretrainedText
from kgfuse.graph.data import KGData


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
    config = KGQAConfig.for_graph(
        text,
        kg,
        pooling=options.pooling,
        freeze_text_encoder=options.frozen(),
        num_hops=options.hops,
        hidden_size=options.hidden_size,
        node_features=options.node_features,
        node_states=options.node_states,
        dropout=options.dropout,
        exclude_topic_entities=options.exclude_topic_entities,
        hop_loss_weight=options.hop_loss_weight,
    )
    model = KGQAForAnswerRanking(config)
    model.load_text_weights(text, kg.entity_names, cache_dir=cache_dir, cache_name="qa-nodes")
    return model, text.tokenizer, text.path
