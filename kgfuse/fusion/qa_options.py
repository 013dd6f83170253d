"""``QAOptions``: every setting of ``train_qa`` in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import torch


@dataclass(frozen=True)
class QAOptions:
    """Settings of a QA fine-tuning run (see ``KGQAConfig`` for the model fields).

    Model: ``text_encoder`` (HF name or path; None = packaged MiniLM), ``pooling``,
    ``freeze_text_encoder`` (None = frozen on CPU, fine-tuned on CUDA; frozen means question
    vectors are computed once and cached and only the graph reasoner trains), ``hops``
    (reasoning steps = subgraph radius), ``hidden_size``, ``node_features`` (``none``,
    ``learned``, ``text``), ``node_states`` (the relational GNN over node states; False =
    path score only, about 2x faster), ``dropout``, ``exclude_topic_entities``.

    Questions: ``mask_topic`` (replace the topic mention with ``placeholder``),
    ``max_length``, ``unknown_topics`` (``error``: a given topic entity that is not in the
    graph stops the run, naming the record; ``skip``: such questions are dropped).

    Subgraphs: ``max_nodes`` per question, ``max_degree`` (farther nodes with more facts are
    not expanded).

    Training: ``batch_size``, ``eval_batch_size``, ``epochs``, ``max_steps`` (> 0 overrides
    epochs), ``learning_rate`` (text encoder, when fine-tuned), ``graph_learning_rate``
    (everything else), ``weight_decay``, ``warmup_ratio``, ``gradient_accumulation_steps``,
    ``seed``, ``mixed_precision`` (``auto``, ``no``, ``bf16``, ``fp16``), ``logging_steps``,
    ``save_steps`` (checkpoints; None = none), ``resume_from_checkpoint``,
    ``keep_best`` (with eval data: keep the weights of the best epoch by Hits@1),
    ``disable_tqdm``, ``cache_dir`` (question-vector cache; default ``out_dir/cache``).
    """

    text_encoder: str | None = None
    pooling: str = "mean"
    freeze_text_encoder: bool | None = None
    hops: int = 2
    hidden_size: int = 128
    node_features: str = "none"
    node_states: bool = True
    dropout: float = 0.1
    exclude_topic_entities: bool = True
    mask_topic: bool = True
    placeholder: str = "NE"
    max_length: int = 64
    unknown_topics: str = "error"
    max_nodes: int = 2048
    max_degree: int = 200
    batch_size: int = 32
    eval_batch_size: int = 128
    epochs: float = 5.0
    max_steps: int = -1
    learning_rate: float = 2e-5
    graph_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.05
    gradient_accumulation_steps: int = 1
    seed: int = 42
    mixed_precision: str = "auto"
    logging_steps: int = 50
    save_steps: int | None = None
    resume_from_checkpoint: str | bool | None = None
    keep_best: bool = True
    disable_tqdm: bool = False
    cache_dir: str | None = None

    def frozen(self) -> bool:
        """Whether the text encoder stays frozen (default: yes on CPU, no on CUDA)."""
        if self.freeze_text_encoder is None:
            return not torch.cuda.is_available()
        return self.freeze_text_encoder

    @classmethod
    def from_train_options(cls, options: Any) -> QAOptions:
        """Take the settings a classification ``TrainOptions`` shares with ``QAOptions``.

        ``freeze_text_encoder`` is only taken when True (``TrainOptions`` defaults to False,
        which would make CPU training slow); ``max_nodes``, ``max_length`` and
        ``node_features`` keep the QA defaults (their classification defaults differ).
        """
        own = {"max_nodes", "max_length", "node_features", "freeze_text_encoder"}
        shared = {f.name for f in fields(cls)} - own
        values = {k: getattr(options, k) for k in shared if hasattr(options, k)}
        if getattr(options, "freeze_text_encoder", False):
            values["freeze_text_encoder"] = True
        return cls(**values)
