"""Small pieces of a QA run: the graph argument, ``TrainingArguments``, saved metadata."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from transformers import TrainingArguments

from kgfuse.errors import ConfigError
from kgfuse.fusion.graph_data import KGData
from kgfuse.fusion.qa_options import QAOptions

#: Settings saved with a model and reused by ``answer`` / ``evaluate_qa``.
INFERENCE_SETTINGS = ("hops", "max_nodes", "max_degree", "mask_topic", "placeholder", "max_length")


def as_graph(graph: Any) -> tuple[KGData, Any]:
    """Return ``(KGData, store or None)`` for a ``KGData`` or an open ``GraphStore``.

    Raises:
        ConfigError: Anything else (QA always needs a graph).
    """
    if isinstance(graph, KGData):
        return graph, None
    from kgfuse.kg.store import GraphStore
    from kgfuse.kg.to_pyg import to_pyg

    if isinstance(graph, GraphStore):
        return to_pyg(graph), graph
    raise ConfigError(
        f"question answering needs a graph: KGData or an open GraphStore, got "
        f"{type(graph).__name__}; pass --store PATH"
    )


def qa_metadata(options: QAOptions, metrics: dict[str, Any]) -> dict[str, Any]:
    """The ``kgfuse_model.json`` fields of a QA model: inference settings and metrics."""
    settings = asdict(options)
    return {
        "task": "qa",
        "settings": {k: settings[k] for k in INFERENCE_SETTINGS},
        "options": settings,
        "metrics": metrics,
    }


def training_arguments(options: QAOptions, out_dir: Path) -> TrainingArguments:
    """Map ``QAOptions`` to ``TrainingArguments`` (checkpoints in ``out_dir/checkpoints``).

    Raises:
        ConfigError: Mixed precision asked for without CUDA, or an unknown precision.
    """
    cuda = torch.cuda.is_available()
    precision = options.mixed_precision
    if precision == "auto":
        precision = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if cuda else "no"
    if precision not in {"no", "bf16", "fp16"} or (precision != "no" and not cuda):
        raise ConfigError(
            f"mixed_precision={options.mixed_precision!r}: use auto, no, or bf16/fp16 on CUDA"
        )
    return TrainingArguments(
        output_dir=str(out_dir / "checkpoints"),
        per_device_train_batch_size=options.batch_size,
        gradient_accumulation_steps=options.gradient_accumulation_steps,
        num_train_epochs=options.epochs,
        max_steps=options.max_steps,
        learning_rate=options.learning_rate,
        weight_decay=options.weight_decay,
        warmup_steps=options.warmup_ratio,
        lr_scheduler_type="linear",
        eval_strategy="no",
        save_strategy="no" if options.save_steps is None else "steps",
        save_steps=options.save_steps or 500,
        save_total_limit=2,
        logging_steps=options.logging_steps,
        seed=options.seed,
        data_seed=options.seed,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        report_to="none",
        remove_unused_columns=False,
        disable_tqdm=options.disable_tqdm,
        dataloader_num_workers=0,
        dataloader_pin_memory=cuda,
    )
