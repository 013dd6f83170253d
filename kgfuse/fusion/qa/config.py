"""``KGQAConfig``: the Hugging Face config of a graph-aware answer ranker."""

from __future__ import annotations

from typing import Any

from kgfuse.errors import ConfigError
from kgfuse.fusion.config import TextGraphConfig, check_choice

QA_MODEL_TYPE = "kgfuse_qa"
QA_NODE_FEATURES = ("none", "learned", "text")


class KGQAConfig(TextGraphConfig):
    r"""Configuration of ``KGQAForAnswerRanking``.

    Args:
        **shared: ``TextGraphConfig``'s fields (question encoder, pooling, init);
            ``freeze_text_encoder`` defaults to True (question vectors computed once).
        num_hops: Reasoning steps; answers may lie 1 to ``num_hops`` hops from the topic.
        hidden_size: Size of node states, relation embeddings and hop instructions.
        num_entities: Nodes of the graph the model was built for.
        num_relations: Directed relation types of that graph (reverse directions are added).
        node_features: ``none`` (states come from the topic marker and the messages alone),
            ``learned`` (an embedding per entity) or ``text`` (frozen text-encoder embeddings
            of entity names, stored in the weights, projected to ``hidden_size``).
        node_feature_dim: Size of the ``text`` node features.
        node_states: Run the relational GNN over node states (its score term ranks among the
            nodes the path score reaches); False keeps the path score and a per-node term
            from the initial states only, which is several times faster on a CPU.
        dropout: Dropout on the question vector and node states.
        exclude_topic_entities: Never rank a topic entity as an answer.
        initial_score_scale: Initial weight of the propagated path score in the logits.

    Raises:
        ConfigError: An unknown pooling or node-feature kind, or fewer than one hop.
    """

    model_type = QA_MODEL_TYPE

    freeze_text_encoder: bool = True
    num_hops: int = 2
    hidden_size: int = 128
    num_entities: int = 0
    num_relations: int = 0
    node_features: str = "none"
    node_feature_dim: int = 0
    node_states: bool = True
    dropout: float = 0.1
    exclude_topic_entities: bool = True
    initial_score_scale: float = 10.0

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        check_choice("node_features", self.node_features, QA_NODE_FEATURES)
        if self.num_hops < 1:
            raise ConfigError(f"num_hops must be at least 1, got {self.num_hops}")
        if self.node_features == "text" and self.node_feature_dim < 1:
            raise ConfigError("node_features='text' needs node_feature_dim >= 1")
