"""``DocGraphOptions``: every setting of ``train_document_graph`` in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from kgfuse.errors import ConfigError


@dataclass(frozen=True)
class DocGraphOptions:
    """Settings of a document-graph run.

    Graph: ``transductive`` (the evaluation and unlabelled texts are graph nodes during
    training, unlabelled; otherwise they are attached after training, like new texts),
    ``words`` (add word terms next to entity terms; on by default: they helped on every
    benchmark dataset), ``use_facts`` (the knowledge graph's
    facts link entity terms), ``min_df``, ``max_df``, ``pmi_top_k``, ``max_entities`` (linked
    entities per text).

    Model: ``text_encoder`` (HF name or path; None = packaged MiniLM), ``pooling``,
    ``max_length``, ``hidden_size``, ``dropout``, ``text_dropout``, ``graph_lambda`` (weight
    of the graph in the mix; 0 = the text-only baseline through the same code; None = chosen
    on the dev slice from 0, 0.1, ..., 1, so the graph is only used as far as it helps there),
    ``objective`` (``separate``: text head and GCN each trained on its own loss, which lets
    ``graph_lambda`` be chosen afterwards; ``mixture``: trained on the mixed probabilities, as
    BertGCN, with ``graph_lambda`` or 0.7), ``graph_model`` (``gcn``: two GCN layers, as
    TextGCN; ``sgc``: the same two hops without the non-linearity, precomputed once, so a
    training step costs about as much as the text head's; ``rsgc``: SGC with the entity terms
    first refined by one relational layer over the knowledge graph's facts, typed by the
    ``max_relations`` most frequent predicates, the rest sharing one type),
    ``entity_features`` (``none``, or a knowledge-graph embedding trained on the graph's
    facts before the run: ``transe``, ``distmult``, ``rotate``, ``complex``; entity terms
    then start from their embedding, ``kge_dim`` wide, trained ``kge_epochs`` epochs).

    Selection: ``cv_folds`` (k >= 2: the graph weight and the epochs are chosen by k-fold
    cross-validation over all labelled training texts, the graph is kept only when it beats
    text only on a paired bootstrap with p < ``significance``, and the model is refit on all
    labelled texts; costs about k + 1 trainings. 0: the older protocol, a dev slice of
    ``dev_fraction`` of the training texts held out, unlabelled, picks the epoch and the
    weight; 0 keeps the last epoch), ``cv_rule`` (``pooled``: the paired test on all
    out-of-fold texts; ``every_fold``: the graph must also score above text only on each
    fold's texts alone, stricter, for test data that may be shifted), ``patience`` (epochs
    without improvement before stopping; None: never).

    Training: ``epochs``, ``learning_rate``, ``weight_decay``,
    ``metric_for_best_model`` (``accuracy`` or ``macro_f1``), ``seed``, ``device`` (None =
    CUDA when available), ``cache_dir`` (text vectors; default under
    ``kgfuse.fusion.options.default_cache_dir()``, never the model directory), ``disable_tqdm``,
    ``mini_batch`` (True: each epoch steps through shuffled batches of ``batch_size``
    labelled documents, each computed from the rows of the graph it reads, so memory is
    bounded by the batch (``minibatch.py``; ``gcn`` and ``sgc``); False: one full-graph step
    per epoch; None: mini-batches when the graph has more than ``mini_batch_threshold`` nodes).

    Data: ``text_column``, ``label_column``, ``entities_column``, ``multi_label`` (None =
    detect).
    """

    transductive: bool = True
    words: bool = True
    use_facts: bool = True
    min_df: int = 2
    max_df: float = 0.5
    pmi_top_k: int = 16
    max_entities: int = 256
    text_encoder: str | None = None
    pooling: str = "mean"
    max_length: int = 128
    hidden_size: int = 256
    dropout: float = 0.5
    text_dropout: float = 0.1
    graph_lambda: float | None = None
    objective: str = "separate"
    graph_model: str = "gcn"
    max_relations: int = 32
    entity_features: str = "none"
    kge_dim: int = 64
    kge_epochs: int = 50
    epochs: int = 200
    mini_batch: bool | None = None
    mini_batch_threshold: int = 100_000
    batch_size: int = 512
    learning_rate: float = 1e-2
    weight_decay: float = 0.0
    cv_folds: int = 5
    significance: float = 0.05
    cv_rule: str = "pooled"
    dev_fraction: float = 0.1
    patience: int | None = 100
    metric_for_best_model: str = "accuracy"
    seed: int = 42
    device: str | None = None
    cache_dir: str | None = None
    disable_tqdm: bool = False
    text_column: str = "text"
    label_column: str = "label"
    entities_column: str = "entities"
    multi_label: bool | None = None

    def check(self) -> None:
        """Refuse settings out of range.

        Raises:
            ConfigError: Naming the setting, its value and what is allowed.
        """
        if self.objective not in ("separate", "mixture"):
            raise ConfigError(f"objective must be 'separate' or 'mixture', got {self.objective!r}")
        if self.graph_model not in ("gcn", "sgc", "rsgc"):
            raise ConfigError(
                f"graph_model must be 'gcn', 'sgc' or 'rsgc', got {self.graph_model!r}"
            )
        if self.max_relations < 0:
            raise ConfigError(f"max_relations must be at least 0, got {self.max_relations}")
        if self.entity_features not in ("none", "transe", "distmult", "rotate", "complex"):
            raise ConfigError(
                "entity_features must be none, transe, distmult, rotate or complex, "
                f"got {self.entity_features!r}"
            )
        if self.graph_lambda is not None and not 0.0 <= self.graph_lambda <= 1.0:
            raise ConfigError(f"graph_lambda must be in [0, 1], got {self.graph_lambda}")
        if self.cv_folds < 0 or self.cv_folds == 1:
            raise ConfigError(
                f"cv_folds must be 0 (a dev slice) or at least 2, got {self.cv_folds}"
            )
        if self.cv_rule not in ("pooled", "every_fold"):
            raise ConfigError(f"cv_rule must be 'pooled' or 'every_fold', got {self.cv_rule!r}")
        if not 0.0 < self.significance <= 1.0:
            raise ConfigError(f"significance must be in (0, 1], got {self.significance}")
        if not 0.0 <= self.dev_fraction < 1.0:
            raise ConfigError(f"dev_fraction must be in [0, 1), got {self.dev_fraction}")
        if self.metric_for_best_model not in ("accuracy", "macro_f1"):
            raise ConfigError("metric_for_best_model must be 'accuracy' or 'macro_f1'")
        if self.epochs < 1:
            raise ConfigError(f"epochs must be at least 1, got {self.epochs}")
        if self.mini_batch and self.graph_model not in ("gcn", "sgc"):
            raise ConfigError(
                f"mini_batch training supports graph_model gcn and sgc, not {self.graph_model!r}"
            )
        if self.batch_size < 1 or self.mini_batch_threshold < 0:
            raise ConfigError(
                "batch_size must be at least 1 and mini_batch_threshold at least 0, got "
                f"{self.batch_size} and {self.mini_batch_threshold}"
            )
