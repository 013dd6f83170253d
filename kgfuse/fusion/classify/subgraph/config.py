"""``KGFusionConfig``: the Hugging Face config of a graph-aware text classifier."""

from __future__ import annotations

from typing import Any

from kgfuse.fusion.config import TextGraphConfig, check_choice
from kgfuse.fusion.encoders import GRAPH_ENCODERS
from kgfuse.fusion.fusers import FUSIONS

NODE_FEATURES = ("learned", "text")


class KGFusionConfig(TextGraphConfig):
    r"""Configuration of ``KGFusionForSequenceClassification``.

    Args:
        **shared: ``TextGraphConfig``'s fields (text encoder, pooling, freezing, graph
            sizes, node feature size, init).
        fusion: One of ``none``, ``concat``, ``gated``, ``cross_attention``, ``interpolate``.
        graph_encoder: ``rgcn``, ``gat`` or ``sage``.
        graph_hidden_size: Node state size.
        graph_num_layers: Message-passing layers.
        graph_act: Activation name (``relu``, ``gelu``, ...).
        graph_dropout: Dropout in the graph encoder.
        graph_heads: Attention heads of ``gat``.
        num_bases: Basis matrices of ``rgcn``.
        node_features: ``learned`` (the default) or ``text``.
        fusion_heads: Attention heads of ``cross_attention``.
        interpolation_lambda: Weight of the graph logits in ``interpolate``.
        classifier_dropout: Dropout before the classification head.

    Raises:
        ConfigError: An unknown fusion, graph encoder, pooling or node-feature kind.
    """

    model_type = "kgfusion"

    fusion: str = "concat"
    graph_encoder: str = "rgcn"
    graph_hidden_size: int = 128
    graph_num_layers: int = 2
    graph_act: str = "relu"
    graph_dropout: float = 0.1
    graph_heads: int = 2
    num_bases: int = 4
    node_features: str = "learned"
    fusion_heads: int = 4
    interpolation_lambda: float = 0.5
    classifier_dropout: float = 0.1

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        check_choice("fusion", self.fusion, FUSIONS)
        check_choice("graph_encoder", self.graph_encoder, GRAPH_ENCODERS)
        check_choice("node_features", self.node_features, NODE_FEATURES)

    @property
    def uses_text_features(self) -> bool:
        """Whether graph nodes start from text features (only when there is a graph side)."""
        return self.uses_graph and self.node_features == "text"

    @property
    def uses_graph(self) -> bool:
        """Whether the model has a graph side (every fusion but ``none``)."""
        return self.fusion != "none"
