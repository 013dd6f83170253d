"""``DocGraphConfig``: the Hugging Face configuration of every document-graph model."""

from __future__ import annotations

from transformers import PretrainedConfig

MODEL_TYPE = "kgfuse-docgraph"


class DocGraphConfig(PretrainedConfig):
    """Configuration of the document-graph classifier.

    Args:
        text_dim: Size of the text vectors (the text encoder's hidden size).
        num_terms: Term nodes in the graph.
        hidden_size: GCN hidden size.
        dropout: Dropout on GCN inputs and hidden states.
        text_dropout: Dropout before the text head.
        graph_lambda: Weight of the graph's probabilities in the mix (0 = text only).
        text_model_name_or_path: The frozen text encoder the vectors come from.
        text_max_length: Token limit used for the text vectors.
        pooling: Pooling of the text encoder's states.
        objective: ``separate`` (text head and GCN each trained on its own loss, mixed
            afterwards) or ``mixture`` (trained on the mixed probabilities, as BertGCN).
        graph_model: ``gcn`` (two GCN layers, TextGCN), ``sgc`` (the same two hops
            without the non-linearity, SGC: precomputed once, a linear model per step) or
            ``rsgc`` (SGC with entity terms refined by a relational layer over typed facts).
        term_feature_dim: Size of fixed term features (knowledge-graph embeddings of entity
            terms) added to the learned term rows through a projection; 0 = none.
        relations: Relation types of the typed facts between entity terms (``rsgc``).
        num_relation_edges: How many typed fact edges the ``rsgc`` model holds.
    """

    model_type = MODEL_TYPE

    def __init__(
        self,
        text_dim: int = 384,
        num_terms: int = 0,
        hidden_size: int = 256,
        dropout: float = 0.5,
        text_dropout: float = 0.1,
        graph_lambda: float = 0.7,
        text_model_name_or_path: str = "",
        text_max_length: int = 128,
        pooling: str = "mean",
        objective: str = "separate",
        graph_model: str = "gcn",
        term_feature_dim: int = 0,
        relations: list[str] | None = None,
        num_relation_edges: int = 0,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.text_dim, self.num_terms, self.hidden_size = text_dim, num_terms, hidden_size
        self.dropout, self.text_dropout, self.graph_lambda = dropout, text_dropout, graph_lambda
        self.text_model_name_or_path = text_model_name_or_path
        self.text_max_length = text_max_length
        self.pooling = pooling
        self.objective = objective
        self.graph_model = graph_model
        self.term_feature_dim = term_feature_dim
        self.relations = list(relations or [])
        self.num_relation_edges = num_relation_edges

    @property
    def multi_label(self) -> bool:
        """Whether labels are independent (sigmoid) rather than exclusive (softmax)."""
        return self.problem_type == "multi_label_classification"
