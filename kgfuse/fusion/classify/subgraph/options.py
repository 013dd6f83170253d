"""``TrainOptions``: every setting of ``train_classifier`` (the subgraph-fusion classifier)
in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from kgfuse.fusion.options import TrainingSettings


@dataclass(frozen=True)
class TrainOptions(TrainingSettings):
    """Settings of a subgraph-fusion run (see ``KGFusionConfig`` for the model fields), on
    top of the shared ``TrainingSettings`` (text encoder, batches, optimiser, checkpoints).

    Model: ``fusion``, ``graph_encoder``, ``graph_hidden_size``, ``graph_num_layers``,
    ``graph_act``, ``graph_dropout``, ``graph_heads``, ``num_bases``, ``node_features``
    (``text`` or ``learned``), ``freeze_text_encoder`` (frozen-encoder mode: text vectors
    computed once and cached, only graph encoder + fuser + head trained),
    ``interpolation_lambda``, ``fusion_heads``, ``classifier_dropout``.

    Subgraphs: ``hops``, ``max_neighbors`` (per node), ``max_nodes`` (per batch),
    ``max_entities`` (linked entities kept per text).

    Evaluation: ``early_stopping_patience`` (evaluations without improvement; None
    disables), ``eval_strategy`` (``epoch`` or ``steps``), ``eval_steps``,
    ``save_total_limit``, ``metric_for_best_model``.

    Data: ``text_column``, ``label_column``, ``entities_column``, ``multi_label`` (None =
    detect: any record with several labels).
    """

    fusion: str = "concat"
    graph_encoder: str = "rgcn"
    graph_hidden_size: int = 128
    graph_num_layers: int = 2
    graph_act: str = "relu"
    graph_dropout: float = 0.1
    graph_heads: int = 2
    num_bases: int = 4
    node_features: str = "text"
    freeze_text_encoder: bool = False
    interpolation_lambda: float = 0.5
    fusion_heads: int = 4
    classifier_dropout: float = 0.1
    hops: int = 2
    max_neighbors: int = 10
    max_nodes: int = 1024
    max_entities: int = 32
    early_stopping_patience: int | None = 3
    eval_strategy: str = "epoch"
    eval_steps: int | None = None
    save_total_limit: int | None = 2
    metric_for_best_model: str = "macro_f1"
    text_column: str = "text"
    label_column: str = "label"
    entities_column: str = "entities"
    multi_label: bool | None = None
