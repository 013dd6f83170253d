"""``train_qa``: fine-tune a graph-aware answer ranker with the HF ``Trainer``.

The ``Trainer`` runs the loop (AMP on CUDA, gradient accumulation, checkpoints and resume,
DDP under ``torchrun``); the question encoder and the graph reasoner get separate learning
rates (``FusionTrainer``). On CPU the question encoder is frozen by default: each question
is embedded once (cached under ``cache_dir``) and only the reasoner trains, which makes a
MetaQA-sized run take minutes instead of hours. With eval data, Hits@1 is measured after
each epoch and the best epoch's weights are kept (``keep_best``); the confidence temperature
and the no-answer threshold are then fitted on them (``calibration.json``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import torch
from transformers import TrainerCallback

from kgfuse.errors import DataError
from kgfuse.fusion.hf_training import fit
from kgfuse.fusion.options import TrainingSettings, output_dirs
from kgfuse.fusion.qa.builder import build_qa_model
from kgfuse.fusion.qa.calibration import fit_calibration, save_calibration
from kgfuse.fusion.qa.callbacks import BestEpochCallback
from kgfuse.fusion.qa.config import check_hops
from kgfuse.fusion.qa.data import read_qa
from kgfuse.fusion.qa.dataset import QACollator, QADataset
from kgfuse.fusion.qa.examples import QAExample, prepare_examples
from kgfuse.fusion.qa.io import save_qa_model
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.qa.setup import qa_metadata, qa_training_arguments
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.fusion.text_encoder import cached_text_vectors
from kgfuse.graph.linking import TopicLinker
from kgfuse.graph.to_pyg import as_graph
from kgfuse.kg.vocabulary import size_of_kg

logger = logging.getLogger(__name__)


def train_qa(
    train_path: str | Path,
    eval_path: str | Path | None = None,
    *,
    graph: Any,
    out_dir: str | Path,
    options: QAOptions | TrainingSettings | None = None,
    callbacks: list[TrainerCallback] | None = None,
) -> dict[str, Any]:
    """Fine-tune a question-answering model over a graph and save it to ``out_dir``.

    Args:
        train_path: Training questions (JSONL: ``question``, ``answers``, ``topic_entity``).
        eval_path: Held-out questions: Hits@1 per epoch (best epoch kept) and final metrics.
        graph: ``KGData`` or an open ``GraphStore`` (which also serves alias/fuzzy linking).
        out_dir: Where the model directory, ``metrics.json`` and checkpoints go.
        options: ``QAOptions`` (or a classification ``TrainOptions``, whose shared settings
            are taken); default ``QAOptions()``.
        callbacks: Extra ``TrainerCallback``s.

    Returns:
        Metrics: ``train_loss``, ``global_step``, the training questions used and dropped,
        and with eval data ``eval_hits@1``, ``eval_hits@10``, ``eval_mrr``, ...

    Raises:
        DataError: Empty data, an unknown topic entity, no question with a reachable answer.
        ConfigError, ModelError: Invalid settings, an empty graph, an unloadable encoder.
    """
    if options is None:
        options = QAOptions()
    elif not isinstance(options, QAOptions):
        options = QAOptions.from_train_options(options)
    check_hops(options.hops)
    out, cache_dir = output_dirs(out_dir, options.cache_dir)
    kg, store = as_graph(graph, needed_by="question answering")
    linker = TopicLinker(kg, store=store)
    prep = {
        "mask_topic": options.mask_topic,
        "placeholder": options.placeholder,
        "unknown_topics": options.unknown_topics,
    }
    train_all = prepare_examples(read_qa(train_path), kg, linker, **prep)
    train = [ex for ex in train_all if ex.topics and ex.answers]
    linked = len(train)
    evaluation = prepare_examples(read_qa(eval_path), kg, linker, **prep) if eval_path else None
    sampler = QASubgraphSampler(
        kg, hops=options.hops, max_nodes=options.max_nodes, max_degree=options.max_degree
    )
    train = _reachable(train, sampler)
    if not train:
        raise DataError(
            f"none of the {len(train_all)} training questions has a linked topic entity and an "
            f"answer within {options.hops} hops of it in the graph; check the topic entities, "
            "the answer names, or raise hops"
        )
    logger.info("QA training on %d of %d questions", len(train), len(train_all))
    torch.manual_seed(options.seed)
    model, tokenizer, text_path = build_qa_model(options, kg, cache_dir=cache_dir)

    def vectors(examples: list[QAExample]) -> torch.Tensor | None:
        if not model.config.freeze_text_encoder:
            return None
        texts = [ex.text for ex in examples]
        return cached_text_vectors(
            model,
            tokenizer,
            texts,
            text_path=text_path,
            max_length=options.max_length,
            cache_dir=cache_dir,
            name="qa-questions",
        )

    train_vectors = vectors(train)
    if train_vectors is not None and len(train) > 1:
        model.question_mean.copy_(train_vectors.mean(0))
        model.question_std.copy_(train_vectors.std(0).clamp(min=1e-4))
    train_set = QADataset(
        train, tokenizer=tokenizer, max_length=options.max_length, text_embeds=train_vectors
    )
    all_callbacks = list(callbacks or [])
    best, calibration = None, None
    if evaluation is not None:
        best = BestEpochCallback(
            evaluation, vectors(evaluation), tokenizer=tokenizer, sampler=sampler, options=options
        )
        all_callbacks.append(best)
    trainer, metrics = fit(
        model,
        qa_training_arguments(options, out),
        options=options,
        collator=QACollator(tokenizer.pad_token_id or 0, sampler),
        train_set=train_set,
        tokenizer=tokenizer,
        callbacks=all_callbacks,
    )
    metrics.update(
        {
            "train_questions": len(train),
            "train_questions_dropped": len(train_all) - len(train),
            # share of linked questions with an answer inside the hops-bounded subgraph
            "train_answer_coverage": round(len(train) / max(linked, 1), 4),
            "frozen_text_encoder": model.config.freeze_text_encoder,
            **size_of_kg(kg).as_dict(),  # entities, facts, predicates (kg.vocabulary)
        }
    )
    if best is not None:
        if options.keep_best:
            best.restore(model)
        metrics.update({f"eval_{k}": v for k, v in best.evaluate(model).items()})
        metrics["best_epoch"] = best.best_epoch
        calibration = fit_calibration(best.rank(model), best.examples)
        metrics["calibration_temperature"] = calibration["temperature"]
        metrics["calibration_threshold"] = calibration["threshold"]
    if trainer.is_world_process_zero():
        metadata = qa_metadata(options, metrics)
        save_qa_model(model, out, tokenizer=tokenizer, kg=kg, metadata=metadata)
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
        if calibration is not None:
            save_calibration(out, calibration)
    logger.info("QA training done: %s", metrics)
    return metrics


def _reachable(examples: list[QAExample], sampler: QASubgraphSampler) -> list[QAExample]:
    """Keep the examples with a gold answer inside their subgraph (others teach nothing)."""
    kept = []
    for ex in examples:
        nodes, _ = sampler.one(ex.topics)
        if set(ex.answers).intersection(nodes.tolist()) - set(ex.topics):
            kept.append(ex)
    return kept
