"""Classification metrics for the HF ``Trainer`` (``compute_metrics``), numpy only."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from transformers import EvalPrediction


def _macro_f1(true: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the label columns of boolean [n, labels] arrays (absent labels skipped)."""
    tp = (true & pred).sum(0)
    fp = (~true & pred).sum(0)
    fn = (true & ~pred).sum(0)
    present = (tp + fp + fn) > 0
    if not present.any():
        return 0.0
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return float(f1[present].mean())


def classification_metrics(
    logits: np.ndarray, labels: np.ndarray, *, multi_label: bool
) -> dict[str, float]:
    """Accuracy and macro-F1 (plus micro-F1 for multi-label).

    Args:
        logits: [n, num_labels].
        labels: [n] class ids, or [n, num_labels] multi-hot.
        multi_label: Threshold logits at 0 per label instead of taking the argmax.

    Returns:
        ``accuracy`` (exact-match for multi-label), ``macro_f1`` and, for multi-label,
        ``micro_f1``.
    """
    num_labels = logits.shape[-1]
    if multi_label:
        pred = logits > 0
        true = labels > 0.5
        tp, fp, fn = (true & pred).sum(), (~true & pred).sum(), (true & ~pred).sum()
        return {
            "accuracy": float((pred == true).all(1).mean()),
            "macro_f1": _macro_f1(true, pred),
            "micro_f1": float(2 * tp / max(2 * tp + fp + fn, 1)),
        }
    pred_ids = logits.argmax(-1)
    eye = np.eye(num_labels, dtype=bool)
    return {
        "accuracy": float((pred_ids == labels).mean()),
        "macro_f1": _macro_f1(eye[labels.astype(int)], eye[pred_ids]),
    }


def metrics_fn(*, multi_label: bool) -> Callable[[EvalPrediction], dict[str, float]]:
    """Return a ``compute_metrics`` function for the ``Trainer``."""

    def compute(prediction: EvalPrediction) -> dict[str, float]:
        logits = prediction.predictions
        logits = logits[0] if isinstance(logits, tuple) else logits
        return classification_metrics(
            np.asarray(logits), np.asarray(prediction.label_ids), multi_label=multi_label
        )

    return compute
