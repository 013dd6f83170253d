"""Small pieces of a QA run: its ``TrainingArguments`` and its saved metadata."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from transformers import TrainingArguments

from kgfuse.fusion.hf_training import training_arguments
from kgfuse.fusion.qa.options import QAOptions

#: Settings saved with a model and reused by ``answer`` / ``evaluate_qa``.
INFERENCE_SETTINGS = ("hops", "max_nodes", "max_degree", "mask_topic", "placeholder", "max_length")


def qa_metadata(options: QAOptions, metrics: dict[str, Any]) -> dict[str, Any]:
    """The ``kgfuse_model.json`` fields of a QA model: inference settings and metrics."""
    settings = asdict(options)
    return {
        "task": "qa",
        "settings": {k: settings[k] for k in INFERENCE_SETTINGS},
        "options": settings,
        "metrics": metrics,
    }


def qa_training_arguments(options: QAOptions, out_dir: Path) -> TrainingArguments:
    """``TrainingArguments`` of a QA run: no Trainer evaluation (``BestEpochCallback`` ranks
    the eval questions), checkpoints only with ``save_steps``.

    Raises:
        ConfigError: Mixed precision asked for without CUDA, or an unknown precision.
    """
    return training_arguments(
        options,
        out_dir,
        lr_scheduler_type="linear",
        eval_strategy="no",
        save_strategy="no" if options.save_steps is None else "steps",
        save_steps=options.save_steps or 500,
        save_total_limit=2,
    )
