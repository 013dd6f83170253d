"""Choosing the graph's weight and the number of epochs by k-fold cross-validation, with a
paired test against text only, so that a graph that does not help gets weight 0.

Every labelled training text is held out once: k models train in lockstep, each on the
other folds' labels (the held-out texts stay graph nodes, unlabelled), and after every epoch
the held-out texts of all folds are pooled into one out-of-fold score per graph weight. Each
weight keeps its best epoch. The best weight above 0 is kept only when it beats text only
(weight 0, at its own best epoch) on a paired bootstrap over the texts with a one-sided
p-value below ``significance``; otherwise the model is text only. With
``cv_rule="every_fold"`` it must also score above text only on each fold's held-out texts on
its own (a stricter rule, for data whose test split may be shifted). The caller then refits
on all labelled texts for the chosen number of epochs.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from kgfuse.errors import DataError
from kgfuse.fusion.classify.data import Example, LabelSpace
from kgfuse.fusion.classify.docgraph.fit import LAMBDA_GRID, new_optimizer, targets
from kgfuse.fusion.classify.docgraph.minibatch import GraphBatches, graph_batches
from kgfuse.fusion.classify.docgraph.model import DocGraphModel
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.paired import paired_bootstrap
from kgfuse.fusion.classify.docgraph.state import GraphState
from kgfuse.fusion.classify.metrics import classification_metrics

logger = logging.getLogger(__name__)

Pair = tuple[int, Example]  # (graph node, labelled example)


@dataclass(frozen=True)
class Selection:
    """What cross-validation chose, and the evidence.

    Attributes:
        graph_lambda: The kept graph weight (0 = text only).
        epochs: Epochs to refit on all labelled texts.
        folds: Number of folds.
        metric: The score compared (``accuracy`` or ``macro_f1``).
        text_score: Pooled out-of-fold score of text only, at its best epoch.
        best_lambda: The best graph weight above 0 before the test.
        best_score: Its pooled out-of-fold score, at its best epoch.
        p_value: One-sided paired-bootstrap p-value of ``best_score > text_score``.
        kept: Whether the graph passed the test.
        fold_wins: On how many folds' held-out texts alone the best weight scored above
            text only.
    """

    graph_lambda: float
    epochs: int
    folds: int
    metric: str
    text_score: float
    best_lambda: float
    best_score: float
    p_value: float
    kept: bool
    fold_wins: int = 0

    def metrics(self) -> dict[str, Any]:
        """The selection as ``metrics.json`` fields (``cv_*``)."""
        return {
            "graph_lambda": self.graph_lambda,
            "best_epoch": self.epochs,
            "cv_folds": self.folds,
            f"cv_text_{self.metric}": self.text_score,
            "cv_best_lambda": self.best_lambda,
            f"cv_graph_{self.metric}": self.best_score,
            "cv_p_value": self.p_value,
            "cv_graph_kept": self.kept,
            "cv_fold_wins": self.fold_wins,
        }


def stratified_folds(pairs: Sequence[Pair], k: int, seed: int) -> list[list[int]]:
    """Split pair indices into ``k`` seeded folds with the labels spread evenly.

    Raises:
        DataError: Fewer labelled texts than folds.
    """
    if len(pairs) < k:
        raise DataError(f"{len(pairs)} labelled training texts are too few for {k} folds")
    rng = random.Random(seed)
    by_label: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, (_, example) in enumerate(pairs):
        by_label[tuple(sorted(example.labels))].append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    position = 0
    for key in sorted(by_label):
        members = by_label[key]
        rng.shuffle(members)
        for i in members:
            folds[position % k].append(i)
            position += 1
    return folds


def cross_validate(
    state: GraphState,
    labels: LabelSpace,
    pairs: Sequence[Pair],
    options: DocGraphOptions,
    device: torch.device,
    new_model: Callable[[], DocGraphModel],
) -> tuple[Selection, list[dict[str, float]]]:
    """Choose the graph weight and the epochs by ``options.cv_folds``-fold cross-validation.

    Args:
        state: The document graph (every labelled text is a node).
        labels: The label space.
        pairs: ``(node, example)`` of every labelled training text.
        options: ``cv_folds``, ``epochs``, ``patience``, ``graph_lambda`` (None: chosen
            from 0, 0.1, ..., 1; a number: only the epochs are chosen),
            ``metric_for_best_model``, ``significance``, ``seed``.
        device: Where to train.
        new_model: Builds a fresh, seeded model.

    Returns:
        The selection and the history (the best pooled out-of-fold score so far, per epoch).
    """
    folds = stratified_folds(pairs, options.cv_folds, options.seed)
    models, optimizers, fit_sets = [], [], []
    for fold in folds:
        held = set(fold)
        fit = [pair for i, pair in enumerate(pairs) if i not in held]
        index = torch.tensor([node for node, _ in fit], device=device)
        fit_sets.append((index, targets(fit, labels).to(device)))
        models.append(new_model().to(device))
        optimizers.append(new_optimizer(models[-1], options))
    batches = graph_batches(models[0], state, options, device)  # full graph or mini-batches
    held_index = [torch.tensor([pairs[i][0] for i in fold], device=device) for fold in folds]
    truth = targets(pairs, labels).numpy()
    grid = LAMBDA_GRID if options.graph_lambda is None else (0.0, options.graph_lambda)
    key = options.metric_for_best_model
    best: dict[float, tuple[float, int, np.ndarray]] = {}  # weight -> (score, epoch, logits)
    history: list[dict[str, float]] = []
    waited = 0
    bar = tqdm(range(1, options.epochs + 1), desc="cross-validation", disable=options.disable_tqdm)
    for epoch in bar:
        losses = [
            batches.train_epoch(model, optimizer, *fit_set)
            for model, optimizer, fit_set in zip(models, optimizers, fit_sets, strict=True)
        ]
        graph_oof, text_oof = _out_of_fold(models, batches, held_index, folds, len(pairs))
        improved = False
        for lam in grid:
            mixed = models[0].mixed_logits(graph_oof, text_oof, lam).float().numpy()
            score = classification_metrics(mixed, truth, multi_label=labels.multi_label)[key]
            if lam not in best or score > best[lam][0]:
                best[lam] = (score, epoch, mixed)
                improved = True
        top = max(grid, key=lambda lam: best[lam][0])
        history.append({"step": epoch, "epoch": epoch, f"cv_{key}": best[top][0]})
        bar.set_postfix(loss=f"{np.mean(losses):.3f}", cv=f"{best[top][0]:.3f}")
        waited = 0 if improved else waited + 1
        if options.patience is not None and waited >= options.patience:
            break
    return _decide(best, truth, labels, options, folds), history


@torch.no_grad()
def _out_of_fold(
    models: Sequence[DocGraphModel],
    batches: GraphBatches,
    held_index: Sequence[torch.Tensor],
    folds: Sequence[Sequence[int]],
    size: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """[texts, labels] graph and text logits of every text, by the model that held it out."""
    graph_oof: torch.Tensor | None = None
    text_oof: torch.Tensor | None = None
    for model, index, fold in zip(models, held_index, folds, strict=True):
        graph_logits, text_logits = batches.parts(model, index)
        if graph_logits is None:  # a fixed weight of 0: the graph side is never built
            graph_logits = torch.zeros_like(text_logits)
        if text_oof is None or graph_oof is None:
            text_oof = text_logits.new_zeros(size, text_logits.shape[-1])
            graph_oof = text_logits.new_zeros(size, text_logits.shape[-1])
        rows = torch.tensor(fold, dtype=torch.long)
        text_oof[rows], graph_oof[rows] = text_logits.cpu(), graph_logits.cpu()
    assert graph_oof is not None and text_oof is not None
    return graph_oof, text_oof


def _decide(
    best: dict[float, tuple[float, int, np.ndarray]],
    truth: np.ndarray,
    labels: LabelSpace,
    options: DocGraphOptions,
    folds: Sequence[Sequence[int]],
) -> Selection:
    """Keep the best weight above 0 only when it beats text only on the paired test (and,
    with ``cv_rule="every_fold"``, on every fold)."""
    text_score, text_epoch, text_logits = best[0.0]
    graph_weights = [lam for lam in sorted(best) if lam > 0]
    # ties go to the smaller weight: the graph has to earn its place
    top = max(graph_weights, key=lambda lam: (best[lam][0], -lam)) if graph_weights else 0.0
    top_score, top_epoch, top_logits = best.get(top, best[0.0])
    p_value = 1.0
    if top > 0 and top_score > text_score:
        p_value = paired_bootstrap(
            top_logits,
            text_logits,
            truth,
            metric=options.metric_for_best_model,
            multi_label=labels.multi_label,
            seed=options.seed,
        )
    fold_wins = _fold_wins(top_logits, text_logits, truth, folds, labels, options) if top else 0
    kept = top > 0 and top_score > text_score and p_value < options.significance
    if options.cv_rule == "every_fold":
        kept = kept and fold_wins == len(folds)
    selection = Selection(
        graph_lambda=top if kept else 0.0,
        epochs=top_epoch if kept else text_epoch,
        folds=len(folds),
        metric=options.metric_for_best_model,
        text_score=text_score,
        best_lambda=top,
        best_score=top_score,
        p_value=p_value,
        kept=kept,
        fold_wins=fold_wins,
    )
    logger.info(
        "cross-validation (%d folds): text only %.4f, graph weight %.1f %.4f, p=%.3f, "
        "ahead on %d folds: %s",
        len(folds),
        text_score,
        top,
        top_score,
        p_value,
        fold_wins,
        f"graph kept at {top:.1f}" if kept else "text only",
    )
    return selection


def _fold_wins(
    candidate: np.ndarray,
    baseline: np.ndarray,
    truth: np.ndarray,
    folds: Sequence[Sequence[int]],
    labels: LabelSpace,
    options: DocGraphOptions,
) -> int:
    """On how many folds' held-out texts ``candidate`` scores above ``baseline``."""
    wins = 0
    for fold in folds:
        rows = np.asarray(fold)
        ours, theirs = (
            classification_metrics(logits[rows], truth[rows], multi_label=labels.multi_label)
            for logits in (candidate, baseline)
        )
        wins += ours[options.metric_for_best_model] > theirs[options.metric_for_best_model]
    return int(wins)
