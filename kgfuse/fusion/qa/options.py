"""``QAOptions``: every setting of ``train_qa`` in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import torch

from kgfuse.fusion.options import TrainingSettings


@dataclass(frozen=True)
class QAOptions(TrainingSettings):
    """Settings of a QA run (see ``KGQAConfig`` for the model fields), on top of the shared
    ``TrainingSettings`` (text encoder, batches, optimiser, checkpoints; QA changes some of
    their defaults).

    Model: ``freeze_text_encoder`` (None = frozen on CPU, fine-tuned on CUDA; frozen means
    question vectors are computed once and cached and only the graph reasoner trains),
    ``hops`` (reasoning steps = subgraph radius), ``hidden_size``, ``node_features``
    (``none``, ``learned``, ``text``), ``node_states`` (the relational GNN over node states;
    False = path score only, about 2x faster), ``dropout``, ``exclude_topic_entities``,
    ``hop_loss_weight`` (the hop attention learns the hop counts questions state; default 0,
    off; 1 helps ``hops=3`` models).

    Questions: ``mask_topic`` (replace the topic mention with ``placeholder``),
    ``unknown_topics`` (``error``: a given topic entity that is not in the graph stops the
    run, naming the record; ``skip``: such questions are dropped).

    Subgraphs: ``max_nodes`` per question, ``max_degree`` (farther nodes with more facts are
    not expanded).

    Evaluation: ``keep_best`` (with eval data: keep the weights of the best epoch by Hits@1).
    """

    freeze_text_encoder: bool | None = None
    hops: int = 2
    hidden_size: int = 128
    node_features: str = "none"
    node_states: bool = True
    dropout: float = 0.1
    exclude_topic_entities: bool = True
    hop_loss_weight: float = 0.0
    mask_topic: bool = True
    placeholder: str = "NE"
    max_length: int = 64
    unknown_topics: str = "error"
    max_nodes: int = 2048
    max_degree: int = 200
    keep_best: bool = True
    # TrainingSettings defaults that QA changes: larger batches, more epochs.
    batch_size: int = 32
    eval_batch_size: int = 128
    epochs: float = 5.0
    warmup_ratio: float = 0.05
    logging_steps: int = 50

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
