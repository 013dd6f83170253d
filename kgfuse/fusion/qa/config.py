"""``KGQAConfig``: the Hugging Face config of a graph-aware answer ranker."""

from __future__ import annotations

from typing import Any

from kgfuse.errors import ConfigError
from kgfuse.fusion.config import TextGraphConfig, check_choice

QA_MODEL_TYPE = "kgfuse_qa"
QA_NODE_FEATURES = ("none", "learned", "text")


#: The most hops a question (and a QA model) may have: subgraphs grow quickly past it.
MAX_HOPS = 4


def check_hops(hops: int, what: str = "hops") -> int:
    """Return ``hops`` when it is between 1 and ``MAX_HOPS``.

    Raises:
        ConfigError: Otherwise.
    """
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= MAX_HOPS:
        raise ConfigError(
            f"{what} must be between 1 and {MAX_HOPS}, got {hops!r} (answers farther than "
            f"{MAX_HOPS} hops make subgraphs of most of a graph)"
        )
    return hops


class KGQAConfig(TextGraphConfig):
    r"""Configuration of ``KGQAForAnswerRanking``.

    Args:
        **shared: ``TextGraphConfig``'s fields (question encoder, pooling, graph sizes,
            node feature size, init);
            ``freeze_text_encoder`` defaults to True (question vectors computed once).
        num_hops: Reasoning steps; answers may lie 1 to ``num_hops`` hops from the topic.
        hidden_size: Size of node states, relation embeddings and hop instructions.
        node_features: ``none`` (the default: states come from the topic marker and the
            messages alone), ``learned`` or ``text``.
        node_states: Run the relational GNN over node states (its score term ranks among the
            nodes the path score reaches); False keeps the path score and a per-node term
            from the initial states only, which is several times faster on a CPU.
        dropout: Dropout on the question vector and node states.
        exclude_topic_entities: Never rank a topic entity as an answer.
        initial_score_scale: Initial weight of the propagated path score in the logits.
        hop_loss_weight: Weight of the hop-attention cross-entropy against the questions'
            stated hop counts (default 0, off: on MetaQA it helped a 3-hop model's 2-hop
            questions, 49.1 -> 66.0 Hits@1, but cost a 2-hop model 4 points, 93.7 -> 89.7).

    Raises:
        ConfigError: An unknown pooling or node-feature kind, or fewer than one hop.
    """

    model_type = QA_MODEL_TYPE

    freeze_text_encoder: bool = True
    num_hops: int = 2
    hidden_size: int = 128
    node_states: bool = True
    dropout: float = 0.1
    exclude_topic_entities: bool = True
    initial_score_scale: float = 10.0
    hop_loss_weight: float = 0.0

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        check_choice("node_features", self.node_features, QA_NODE_FEATURES)
        check_hops(self.num_hops, "num_hops")
