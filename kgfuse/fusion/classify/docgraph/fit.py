"""The training loop of the document-graph classifier (one full-graph optimizer step per
epoch, or mini-batches: ``minibatch.py``), with an optional dev slice; its step and inputs
are shared with cross-validation."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from kgfuse.errors import DataError
from kgfuse.fusion.classify.data import Example, LabelSpace
from kgfuse.fusion.classify.docgraph.minibatch import GraphBatches, graph_batches
from kgfuse.fusion.classify.docgraph.model import DocGraphModel
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.state import GraphState
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.types import content_hash

logger = logging.getLogger(__name__)

#: Graph weights tried on the dev slice when ``graph_lambda`` is None.
LAMBDA_GRID = tuple(i / 10 for i in range(11))
#: The weight used while training when it is chosen afterwards (> 0 keeps the graph in).
TRAINING_LAMBDA = 0.7


def node_pairs(train: Sequence[Example], state: GraphState) -> list[tuple[int, Example]]:
    """``(node, example)`` of every training example (its text is a graph node)."""
    return [(state.node_of[content_hash(ex.text)], ex) for ex in train]


def split_dev(
    train: Sequence[Example], state: GraphState, options: DocGraphOptions
) -> tuple[list[tuple[int, Example]], list[tuple[int, Example]]]:
    """Pair training examples with their nodes and hold out a seeded dev slice.

    Returns:
        ``(fit, dev)`` lists of ``(node, example)``.

    Raises:
        DataError: The dev slice would leave nothing to train on.
    """
    pairs = node_pairs(train, state)
    random.Random(options.seed).shuffle(pairs)
    size = round(len(pairs) * options.dev_fraction)
    if size >= len(pairs):
        raise DataError(f"{len(pairs)} training texts leave none to train on after the dev slice")
    return pairs[size:], pairs[:size]


def targets(pairs: Sequence[tuple[int, Example]], labels: LabelSpace) -> torch.Tensor:
    """[n] class ids (or [n, labels] multi-hot) of ``(node, example)`` pairs."""
    encoded = [labels.encode(ex) for _, ex in pairs]
    return torch.tensor(encoded, dtype=torch.float32 if labels.multi_label else torch.long)


def graph_inputs(
    model: DocGraphModel, state: GraphState, device: torch.device
) -> tuple[torch.Tensor, ...]:
    """The fixed full-graph inputs of ``model``'s forward, on ``device``."""
    inputs = model.inputs_from(state.adjacency, state.text_vectors)
    return tuple(tensor.to(device) for tensor in inputs)


def new_optimizer(model: DocGraphModel, options: DocGraphOptions) -> torch.optim.Optimizer:
    """AdamW over every parameter with the run's learning rate and weight decay."""
    return torch.optim.AdamW(
        model.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay
    )


def train_step(
    model: DocGraphModel,
    optimizer: torch.optim.Optimizer,
    inputs: tuple[torch.Tensor, ...],
    fit_index: torch.Tensor,
    fit_targets: torch.Tensor,
) -> float:
    """One full-graph optimizer step on the ``fit_index`` documents; returns the loss."""
    model.train()
    optimizer.zero_grad()
    loss = model(*inputs, fit_index, labels=fit_targets).loss
    loss.backward()
    optimizer.step()
    return loss.item()


def fit_full_graph(
    model: DocGraphModel,
    state: GraphState,
    labels: LabelSpace,
    fit: list[tuple[int, Example]],
    dev: list[tuple[int, Example]],
    options: DocGraphOptions,
    device: torch.device,
    batches: GraphBatches | None = None,
) -> tuple[list[dict[str, float]], dict[str, Any]]:
    """Training with early stopping on the dev slice; keeps the best weights.

    Each epoch trains on every ``fit`` node (one full-graph step, or one step per mini-batch:
    ``batches``, default ``graph_batches`` of the options); the dev nodes are scored after
    each epoch (without their labels ever entering the loss).

    Returns:
        ``(history, best)``: per-epoch loss and dev scores (HF ``log_history`` keys), and the
        best epoch with its dev scores (the last epoch when there is no dev slice).
    """
    batches = batches or graph_batches(model, state, options, device)
    fit_index = torch.tensor([node for node, _ in fit], device=device)
    fit_targets = targets(fit, labels).to(device)
    dev_index = torch.tensor([node for node, _ in dev], dtype=torch.long, device=device)
    dev_targets = targets(dev, labels).numpy() if dev else None
    optimizer = new_optimizer(model, options)
    tune = options.graph_lambda is None and dev_targets is not None
    grid = LAMBDA_GRID if tune else (model.config.graph_lambda,)
    history: list[dict[str, float]] = []
    best: dict[str, Any] = {"best_epoch": options.epochs, "graph_lambda": grid[0]}
    best_score, best_weights, waited = -1.0, None, 0
    bar = tqdm(range(1, options.epochs + 1), desc="docgraph", disable=options.disable_tqdm)
    for epoch in bar:
        loss = batches.train_epoch(model, optimizer, fit_index, fit_targets)
        history.append({"step": epoch, "epoch": epoch, "loss": loss})
        if dev_targets is None:
            continue
        lam, scores = _dev_scores(model, batches, dev_index, dev_targets, grid, options, labels)
        history.append(
            {"step": epoch, "epoch": epoch, **{f"dev_{k}": v for k, v in scores.items()}}
        )
        bar.set_postfix(loss=f"{loss:.3f}", dev=f"{scores['accuracy']:.3f}", lam=lam)
        score = scores[options.metric_for_best_model]
        # ties go to the later epoch (a small dev slice plateaus while the model still
        # improves), but only a strict improvement restarts the patience
        waited = 0 if score > best_score else waited + 1
        if score >= best_score:
            best_score = score
            best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best = {
                "best_epoch": epoch,
                "graph_lambda": lam,
                **{f"dev_{k}": v for k, v in scores.items()},
            }
        if options.patience is not None and waited >= options.patience:
            logger.info("early stop at epoch %d (best %d)", epoch, best["best_epoch"])
            break
    if best_weights is not None:
        model.load_state_dict(best_weights)
    if tune:
        model.config.graph_lambda = best["graph_lambda"]
        logger.info("graph_lambda %.1f chosen on the dev slice", best["graph_lambda"])
    elif options.graph_lambda is None:
        logger.warning("no dev slice to choose graph_lambda: keeping %.1f", TRAINING_LAMBDA)
    model.eval()
    return history, best


def _dev_scores(
    model: DocGraphModel,
    batches: GraphBatches,
    dev_index: torch.Tensor,
    dev_targets: np.ndarray,
    grid: Sequence[float],
    options: DocGraphOptions,
    labels: LabelSpace,
) -> tuple[float, dict[str, float]]:
    """Score the dev slice at every graph weight of ``grid``; return the best weight and scores.

    Ties go to the smaller weight: the graph has to earn its place.
    """
    with torch.no_grad():
        graph_logits, text_logits = batches.parts(model, dev_index)
        found: tuple[float, dict[str, float]] | None = None
        for lam in grid:
            logits = model.mixed_logits(graph_logits, text_logits, lam).float().cpu().numpy()
            scores = classification_metrics(logits, dev_targets, multi_label=labels.multi_label)
            key = options.metric_for_best_model
            if found is None or scores[key] > found[1][key]:
                found = (lam, scores)
    assert found is not None
    return found
