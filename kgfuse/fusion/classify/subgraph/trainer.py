"""``train_classifier``: fine-tune a graph-aware text classifier with the HF ``Trainer``.

The ``Trainer`` does the loop: AMP (bf16/fp16, CUDA only), gradient accumulation,
checkpoints and ``resume_from_checkpoint``, seeds, tqdm progress, and DDP. For several GPUs
launch the same Python entry point with ``torchrun``::

    torchrun --nproc_per_node 4 -m your_script   # calls train_classifier(...) on every rank

Each rank reads the data and builds the graph tensors itself; the ``Trainer`` shards the
batches and all-reduces gradients (``batch_size`` is per device). Text and graph parts get
separate learning rates (``FusionTrainer.create_optimizer``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import torch
from transformers import EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments

from kgfuse.fusion.classify.data import LabelSpace
from kgfuse.fusion.classify.labelled import read_labelled
from kgfuse.fusion.classify.metrics import metrics_fn
from kgfuse.fusion.classify.subgraph.builder import build_model
from kgfuse.fusion.classify.subgraph.dataset import ClassificationDataset, FusionCollator
from kgfuse.fusion.classify.subgraph.io import save_classifier
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.hf_training import fit, training_arguments
from kgfuse.fusion.options import output_dirs
from kgfuse.fusion.plotting import plot_training_curves
from kgfuse.fusion.text_encoder import cached_text_vectors
from kgfuse.graph.linking import Linker
from kgfuse.graph.sampling import SubgraphSampler
from kgfuse.graph.to_pyg import as_graph
from kgfuse.kg.vocabulary import size_of_kg

logger = logging.getLogger(__name__)


def train_classifier(
    train_path: str | Path,
    eval_path: str | Path | None = None,
    *,
    graph: Any,
    out_dir: str | Path,
    options: TrainOptions | None = None,
    linker: Linker | None = None,
    callbacks: list[TrainerCallback] | None = None,
) -> dict[str, Any]:
    """Fine-tune a graph-aware classifier and save it to ``out_dir``.

    Args:
        train_path: Training data (JSONL/CSV with text, label and optional entities columns).
        eval_path: Evaluation data (early stopping, best checkpoint, final metrics).
        graph: ``KGData``, an open ``GraphStore``, or None (only with ``fusion="none"``).
        out_dir: Where the model directory, ``metrics.json``, ``training_curves.png`` and the
            checkpoints go.
        options: Run settings (default ``TrainOptions()``).
        linker: Links texts without an ``entities`` column (default: entity names).
        callbacks: Extra ``TrainerCallback``s.

    Returns:
        Metrics: ``train_loss``, ``global_step``, ``eval_accuracy``/``eval_macro_f1`` (with
        eval data), ``linked_fraction`` and the run's sizes.

    Raises:
        DataError: Unknown columns, unseen eval labels, empty data.
        ConfigError, ModelError: Invalid settings or an unloadable text encoder.
    """
    options = options or TrainOptions()
    out, cache_dir = output_dirs(out_dir, options.cache_dir)
    kg, _ = as_graph(graph)
    train, evaluation, labels = read_labelled(
        train_path, eval_path, kg=kg, linker=linker, columns=options
    )
    torch.manual_seed(options.seed)
    model, tokenizer, text_path = build_model(options, kg, labels, cache_dir=cache_dir)

    def dataset(examples: list) -> ClassificationDataset:
        embeds = None
        if options.freeze_text_encoder:
            embeds = cached_text_vectors(
                model,
                tokenizer,
                [ex.text for ex in examples],
                text_path=text_path,
                max_length=options.max_length,
                cache_dir=cache_dir,
            )
        return ClassificationDataset(
            examples,
            tokenizer=tokenizer,
            kg=kg,
            label_space=labels,
            max_length=options.max_length,
            max_entities=options.max_entities,
            text_embeds=embeds,
        )

    train_set = dataset(train)
    eval_set = dataset(evaluation) if evaluation else None
    sampler = None
    if model.config.uses_graph:
        sampler = SubgraphSampler(
            kg, hops=options.hops, max_neighbors=options.max_neighbors, max_nodes=options.max_nodes
        )
    all_callbacks = list(callbacks or [])
    if eval_set is not None and options.early_stopping_patience is not None:
        all_callbacks.append(EarlyStoppingCallback(options.early_stopping_patience))
    trainer, metrics = fit(
        model,
        classifier_training_arguments(options, out, has_eval=eval_set is not None),
        options=options,
        collator=FusionCollator(
            tokenizer.pad_token_id or 0, sampler, multi_label=labels.multi_label
        ),
        train_set=train_set,
        eval_set=eval_set,
        tokenizer=tokenizer,
        callbacks=all_callbacks,
        compute_metrics=metrics_fn(multi_label=labels.multi_label),
    )
    if eval_set is not None:
        metrics.update(trainer.evaluate())
    metrics.update(
        linked_fraction=train_set.linked_fraction(),
        train_examples=len(train_set),
        **size_of_kg(kg).as_dict(),  # entities, facts, predicates (kg.vocabulary)
    )
    if trainer.is_world_process_zero():
        _finish(
            trainer,
            out,
            tokenizer=tokenizer,
            kg=kg,
            labels=labels,
            options=options,
            metrics=metrics,
        )
    return metrics


def _finish(
    trainer: Trainer,
    out: Path,
    *,
    tokenizer: Any,
    kg: Any,
    labels: LabelSpace,
    options: TrainOptions,
    metrics: dict[str, Any],
) -> None:
    """Save the model directory, metrics.json and the training-curve plot; log a summary."""
    metadata = {
        "labels": list(labels.labels),
        "multi_label": labels.multi_label,
        "sampling": {
            k: getattr(options, k)
            for k in ("hops", "max_neighbors", "max_nodes", "max_entities", "max_length")
        },
        "text_column": options.text_column,
        "metrics": metrics,
    }
    save_classifier(trainer.model, out, tokenizer=tokenizer, kg=kg, metadata=metadata)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    plot_training_curves(trainer.state.log_history, out / "training_curves.png")
    summary = ", ".join(
        f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items()
    )
    logger.info("training done (%s): %s", options.fusion, summary)


def classifier_training_arguments(
    options: TrainOptions, out_dir: Path, *, has_eval: bool
) -> TrainingArguments:
    """``TrainingArguments`` of a classification run: evaluation, best-model selection and
    checkpoints follow ``eval_strategy`` when there is eval data."""
    save_strategy = options.eval_strategy if has_eval or options.save_steps is None else "steps"
    return training_arguments(
        options,
        out_dir,
        eval_strategy=options.eval_strategy if has_eval else "no",
        eval_steps=options.eval_steps,
        save_strategy=save_strategy,
        save_steps=options.save_steps or options.eval_steps or 500,
        save_total_limit=options.save_total_limit,
        load_best_model_at_end=has_eval and options.early_stopping_patience is not None,
        metric_for_best_model=options.metric_for_best_model if has_eval else None,
    )
