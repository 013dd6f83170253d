"""``KGQAConfig``: the Hugging Face config of a graph-aware answer ranker."""

from __future__ import annotations

from typing import Any, ClassVar

from transformers import AutoConfig, PretrainedConfig
from transformers.configuration_utils import SubConfigSpec

from kgfuse.errors import ConfigError

QA_MODEL_TYPE = "kgfuse_qa"
QA_NODE_FEATURES = ("none", "learned", "text")
QA_POOLINGS = ("mean", "cls")


class KGQAConfig(PretrainedConfig):
    r"""Configuration of ``KGQAForAnswerRanking``.

    Args:
        text_config: Config (or dict) of the question encoder, any ``AutoModel`` architecture.
        text_model_name_or_path: Where the question encoder's pretrained weights came from.
        pooling: Question vector: ``mean`` of token states or ``cls``.
        freeze_text_encoder: Train only the graph reasoner (question vectors computed once).
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
        initializer_range: Std of the normal init of linear and embedding weights.

    Raises:
        ConfigError: An unknown pooling or node-feature kind, or fewer than one hop.
    """

    model_type = QA_MODEL_TYPE
    sub_configs_defaults: ClassVar[dict[str, SubConfigSpec]] = {
        "text_config": SubConfigSpec(config_class=AutoConfig, model_type="bert")
    }

    text_config: dict | PretrainedConfig | None = None
    text_model_name_or_path: str | None = None
    pooling: str = "mean"
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
    initializer_range: float = 0.02

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        if self.pooling not in QA_POOLINGS:
            raise ConfigError(f"pooling={self.pooling!r} is not supported: expected {QA_POOLINGS}")
        if self.node_features not in QA_NODE_FEATURES:
            raise ConfigError(
                f"node_features={self.node_features!r} is not supported: "
                f"expected one of {QA_NODE_FEATURES}"
            )
        if self.num_hops < 1:
            raise ConfigError(f"num_hops must be at least 1, got {self.num_hops}")
        if self.node_features == "text" and self.node_feature_dim < 1:
            raise ConfigError("node_features='text' needs node_feature_dim >= 1")
