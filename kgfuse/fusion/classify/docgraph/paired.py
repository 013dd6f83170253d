"""The paired test behind the graph weight's selection: does one set of predictions beat
another on the same texts beyond resampling noise."""

from __future__ import annotations

import numpy as np

from kgfuse.fusion.classify.metrics import classification_metrics


def paired_bootstrap(
    candidate: np.ndarray,
    baseline: np.ndarray,
    truth: np.ndarray,
    *,
    metric: str,
    multi_label: bool,
    seed: int,
    rounds: int = 1000,
) -> float:
    """One-sided p-value that ``candidate`` scores higher than ``baseline`` on these texts.

    Both sets of logits are scored on the same resampled texts each round; the p-value is
    the fraction of rounds in which the candidate is not better.

    Args:
        candidate: [texts, labels] logits of the candidate.
        baseline: [texts, labels] logits of the baseline.
        truth: [texts] class ids (or [texts, labels] multi-hot).
        metric: ``accuracy`` or ``macro_f1``.
        multi_label: Whether labels are independent.
        seed: Seed of the resampling.
        rounds: Bootstrap rounds.
    """
    rng = np.random.default_rng(seed)
    size = len(truth)
    not_better = 0
    for _ in range(rounds):
        rows = rng.integers(0, size, size)
        ours = classification_metrics(candidate[rows], truth[rows], multi_label=multi_label)
        theirs = classification_metrics(baseline[rows], truth[rows], multi_label=multi_label)
        not_better += ours[metric] <= theirs[metric]
    return not_better / rounds
