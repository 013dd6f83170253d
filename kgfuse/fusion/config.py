"""``KGFusionConfig``: the Hugging Face config of a graph-aware text classifier."""

from __future__ import annotations

from typing import Any, ClassVar

from transformers import AutoConfig, PretrainedConfig
from transformers.configuration_utils import SubConfigSpec

from kgfuse.errors import ConfigError
from kgfuse.fusion.encoders import GRAPH_ENCODERS
from kgfuse.fusion.fusers import FUSIONS

POOLINGS = ("mean", "cls")
NODE_FEATURES = ("learned", "text")


class KGFusionConfig(PretrainedConfig):
    r"""Configuration of ``KGFusionForSequenceClassification``.

    Args:
        text_config: Config (or dict) of the text encoder, any ``AutoModel`` architecture.
        text_model_name_or_path: Where the text encoder's pretrained weights came from.
        pooling: Text vector: ``mean`` of token states (sentence-transformers) or ``cls``.
        freeze_text_encoder: Train only graph encoder, fuser and head (frozen-encoder mode).
        fusion: One of ``none``, ``concat``, ``gated``, ``cross_attention``, ``interpolate``.
        graph_encoder: ``rgcn``, ``gat`` or ``sage``.
        graph_hidden_size: Node state size.
        graph_num_layers: Message-passing layers.
        graph_act: Activation name (``relu``, ``gelu``, ...).
        graph_dropout: Dropout in the graph encoder.
        graph_heads: Attention heads of ``gat``.
        num_bases: Basis matrices of ``rgcn``.
        num_entities: Nodes of the graph the model was built for.
        num_relations: Directed relation types of that graph (the encoder adds inverses).
        node_features: ``learned`` (an embedding per entity) or ``text`` (frozen text-encoder
            embeddings of entity names, stored in the weights, projected to the graph size).
        node_feature_dim: Size of the ``text`` node features.
        fusion_heads: Attention heads of ``cross_attention``.
        interpolation_lambda: Weight of the graph logits in ``interpolate``.
        classifier_dropout: Dropout before the classification head.
        initializer_range: Std of the normal init of new linear and embedding weights.

    Raises:
        ConfigError: An unknown fusion, graph encoder, pooling or node-feature kind.
    """

    model_type = "kgfusion"
    sub_configs_defaults: ClassVar[dict[str, SubConfigSpec]] = {
        "text_config": SubConfigSpec(config_class=AutoConfig, model_type="bert")
    }

    text_config: dict | PretrainedConfig | None = None
    text_model_name_or_path: str | None = None
    pooling: str = "mean"
    freeze_text_encoder: bool = False
    fusion: str = "concat"
    graph_encoder: str = "rgcn"
    graph_hidden_size: int = 128
    graph_num_layers: int = 2
    graph_act: str = "relu"
    graph_dropout: float = 0.1
    graph_heads: int = 2
    num_bases: int = 4
    num_entities: int = 0
    num_relations: int = 0
    node_features: str = "learned"
    node_feature_dim: int = 0
    fusion_heads: int = 4
    interpolation_lambda: float = 0.5
    classifier_dropout: float = 0.1
    initializer_range: float = 0.02

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        checks = {
            "fusion": (self.fusion, FUSIONS),
            "graph_encoder": (self.graph_encoder, GRAPH_ENCODERS),
            "pooling": (self.pooling, POOLINGS),
            "node_features": (self.node_features, NODE_FEATURES),
        }
        for field, (value, allowed) in checks.items():
            if value not in allowed:
                raise ConfigError(f"{field}={value!r} is not supported: expected one of {allowed}")
        if self.node_features == "text" and self.fusion != "none" and self.node_feature_dim < 1:
            raise ConfigError("node_features='text' needs node_feature_dim >= 1")

    @property
    def uses_graph(self) -> bool:
        """Whether the model has a graph side (every fusion but ``none``)."""
        return self.fusion != "none"
