"""What a report says about one saved model: its files read back, the graph-versus-text
evidence in one plain sentence, and an optional confusion matrix on labelled data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kgfuse.errors import ModelError

#: Metrics shown as the graph's statistics, when a run has them.
GRAPH_KEYS = (
    "graph_documents",
    "graph_terms",
    "term_edges",
    "entities",
    "facts",
    "linked_fraction",
    "train_examples",
)


@dataclass
class RunSummary:
    """One saved model, as a report shows it.

    Attributes:
        path: The model directory.
        family: ``task/method`` from the registry.
        metrics: ``metrics.json`` (or the metadata's metrics).
        timings: ``timings.json`` (seconds per stage), when saved.
        curves_png: The training-curve plot, when saved.
        confusion: ``(labels, matrix)`` on labelled data, when computed.
    """

    path: Path
    family: str
    metrics: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    curves_png: bytes | None = None
    confusion: tuple[list[str], np.ndarray] | None = None

    @property
    def graph_stats(self) -> dict[str, Any]:
        """The graph's sizes and link coverage recorded with the run."""
        return {k: self.metrics[k] for k in GRAPH_KEYS if k in self.metrics}

    def verdict(self) -> str:
        """Where the graph helped and where it did not, in one sentence."""
        m = self.metrics
        if "cv_graph_kept" in m:
            metric = "accuracy" if "cv_text_accuracy" in m else "macro_f1"
            text, graph = m.get(f"cv_text_{metric}"), m.get(f"cv_graph_{metric}")
            evidence = (
                f"out-of-fold {metric} {graph:.4f} at weight {m['cv_best_lambda']:g} against "
                f"{text:.4f} for text only, paired bootstrap p = {m['cv_p_value']:.3f}"
            )
            if m["cv_graph_kept"]:
                verdict = f"The graph helped and was kept at weight {m['graph_lambda']:g}"
            elif graph is not None and text is not None and graph > text:
                verdict = "The graph's gain was within the noise, so the model uses the text only"
            else:
                verdict = "The graph did not beat the text only, so the model uses the text only"
            return f"{verdict} ({evidence})."
        if "graph_lambda" in m:
            return (
                f"Graph weight {m['graph_lambda']:g}, chosen on a dev slice without a significance "
                "test: compare it with a text-only run before trusting the graph."
            )
        return "This run has no text-only comparison of its own; see the ablation table."


def read_run(path: str | Path) -> RunSummary:
    """Read a model directory written by any registered family.

    Raises:
        ModelError: Not a kgfuse model directory, or unreadable files.
    """
    from kgfuse.fusion.registry import family_of

    root = Path(path)
    family = family_of(root)
    metrics = _json(root / "metrics.json") or _json(root / "kgfuse_model.json").get("metrics", {})
    curves = root / "training_curves.png"
    return RunSummary(
        path=root,
        family=f"{family.task}/{family.method}",
        metrics=metrics,
        timings=_json(root / "timings.json"),
        curves_png=curves.read_bytes() if curves.is_file() else None,
    )


def add_confusion(run: RunSummary, data: str | Path) -> None:
    """Predict ``data`` (labelled JSONL/CSV) with the run's model; keep the confusion matrix.

    Raises:
        ModelError, DataError: The model cannot be loaded or the data read.
    """
    from kgfuse.fusion.classify.data import read_examples
    from kgfuse.fusion.registry import family_of

    family = family_of(run.path, task="classify")
    loaded = family.entry_point("load")(run.path)
    examples = read_examples(data)
    predictions = family.entry_point("predict")(loaded, [ex.text for ex in examples])
    labels = sorted({*(lab for ex in examples for lab in ex.labels), *predictions[0].scores})
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)  # [true, predicted]
    for example, prediction in zip(examples, predictions, strict=True):
        for truth in example.labels[:1]:
            for guess in prediction.labels[:1]:
                matrix[index[truth], index[guess]] += 1
    run.confusion = (labels, matrix)


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelError(f"{path} is not valid JSON ({exc})") from exc
    return value if isinstance(value, dict) else {}
