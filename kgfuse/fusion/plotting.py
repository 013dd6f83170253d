"""A PNG of the training curves (loss and evaluation metrics per step), matplotlib Agg."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Where scores come from: the evaluation data (HF ``Trainer``), a dev slice, or pooled
#: out-of-fold predictions of cross-validation.
_SCORED = ("eval", "dev", "cv")


def plot_training_curves(log_history: Sequence[dict[str, Any]], path: str | Path) -> Path | None:
    """Plot training and evaluation loss, and accuracy/macro-F1 (evaluation, dev or
    cross-validation), against the step.

    Args:
        log_history: ``trainer.state.log_history``.
        path: PNG file to write.

    Returns:
        The path, or None when there was nothing to plot or matplotlib is missing.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    losses = ("loss", "eval_loss")
    scores = tuple(f"{where}_{name}" for where in _SCORED for name in ("accuracy", "macro_f1"))
    series: dict[str, list[tuple[float, float]]] = {}
    for row in log_history:
        for key in (*losses, *scores):
            if key in row and "step" in row:
                series.setdefault(key, []).append((row["step"], row[key]))
    if not series:
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for keys, axis, marker in ((losses, left, "."), (scores, right, "o")):
        for key in keys:
            if key in series:
                axis.plot(*zip(*series[key], strict=True), marker=marker, label=key)
    left.set(xlabel="step", ylabel="loss", title="loss")
    right.set(xlabel="step", ylabel="score", title="evaluation")
    for axis in (left, right):
        axis.grid(alpha=0.3)
        if axis.lines:
            axis.legend()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
