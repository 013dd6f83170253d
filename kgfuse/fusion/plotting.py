"""A PNG of the training curves (loss and evaluation metrics per step), matplotlib Agg."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def plot_training_curves(log_history: Sequence[dict[str, Any]], path: str | Path) -> Path | None:
    """Plot training loss, evaluation loss and evaluation accuracy/macro-F1 against the step.

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
    series: dict[str, list[tuple[float, float]]] = {}
    for row in log_history:
        for key in ("loss", "eval_loss", "eval_accuracy", "eval_macro_f1"):
            if key in row and "step" in row:
                series.setdefault(key, []).append((row["step"], row[key]))
    if not series:
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key in ("loss", "eval_loss"):
        if key in series:
            left.plot(*zip(*series[key], strict=True), marker=".", label=key)
    for key in ("eval_accuracy", "eval_macro_f1"):
        if key in series:
            right.plot(*zip(*series[key], strict=True), marker="o", label=key)
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
