"""Assembling a subgraph-fusion run: the model with pretrained text weights and text node
features."""

from __future__ import annotations

from pathlib import Path

from transformers import PreTrainedTokenizerBase

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import LabelSpace
from kgfuse.fusion.classify.subgraph.config import KGFusionConfig
from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.text_encoder import PretrainedText
from kgfuse.graph.data import KGData

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
    config = KGFusionConfig.for_graph(
        text,
        kg,
        **labels.config_fields(),
        **{k: getattr(options, k) for k in _MODEL_FIELDS},
    )
    model = KGFusionForSequenceClassification(config)
    model.load_text_weights(text, kg.entity_names, cache_dir=cache_dir, cache_name="nodes")
    return model, text.tokenizer, text.path
