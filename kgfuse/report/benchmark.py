"""Ablation results of ``benchmarks/docgraph_accuracy.py`` (one JSON file per dataset) as
report rows, each arm against the text-only arm of the same seeds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgfuse.errors import ConfigError


@dataclass(frozen=True)
class ArmRow:
    """One arm of one dataset: test scores over seeds and the paired difference to text."""

    dataset: str
    arm: str
    seeds: int
    accuracy: tuple[float, float]  # mean, std over seeds
    macro_f1: tuple[float, float]
    diff: tuple[float, float] | None  # paired difference to text in the dataset's metric
    graph_lambda: float
    seconds: float

    def verdict(self, metric: str) -> str:
        """Whether the arm beat text only, in words."""
        if self.diff is None:
            return "the text-only reference"
        mean, std = self.diff
        change = f"{mean * 100:+.1f} {metric} points"
        if self.seeds < 2:
            return f"{change} over text only (one seed: no spread measured)"
        if mean > std:
            return f"helped: {change} ± {std * 100:.1f} over text only"
        if mean < -std:
            return f"hurt: {change} ± {std * 100:.1f} against text only"
        return f"within the seed noise: {change} ± {std * 100:.1f}"


@dataclass(frozen=True)
class BenchmarkResult:
    """One dataset's ablation."""

    dataset: str
    metric: str
    commit: str
    rows: list[ArmRow]
    references: dict[str, dict[str, float]]

    def summary(self) -> str:
        """The best arm, and whether the knowledge graph beat the words, in one sentence."""
        score = {
            row.arm: (row.accuracy if self.metric == "accuracy" else row.macro_f1)[0]
            for row in self.rows
        }
        best = max(score, key=lambda arm: score[arm])
        sentence = f"Best arm on {self.dataset}: {best} ({self.metric} {score[best]:.4f})."
        if "kg" in score and "words-only" in score:
            beat = "beat" if score["kg"] > score["words-only"] else "did not beat"
            sentence += (
                f" The knowledge graph without words {beat} the words-only graph "
                f"({score['kg']:.4f} against {score['words-only']:.4f})."
            )
        return sentence


def read_benchmark(path: str | Path) -> BenchmarkResult:
    """Read a results file of ``benchmarks/docgraph_accuracy.py``.

    Raises:
        ConfigError: Missing, not JSON, or not such a results file.
    """
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        table: dict[str, Any] = doc["table"]
        dataset = str(doc["dataset"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a docgraph benchmark results file ({exc})") from exc
    metric = str(doc.get("args", {}).get("metric", "accuracy"))
    rows = [
        ArmRow(
            dataset=dataset,
            arm=arm,
            seeds=len(cell.get("seeds", [])),
            accuracy=_pair(cell.get("eval_accuracy")),
            macro_f1=_pair(cell.get("eval_macro_f1")),
            diff=_pair(cell[f"diff_eval_{metric}"]) if arm != "text" else None,
            graph_lambda=float(cell.get("graph_lambda", 0.0)),
            seconds=float(cell.get("median_seconds", 0.0)),
        )
        for arm, cell in table.items()
    ]
    references = {
        "TF-IDF + linear SVM": doc.get("tfidf_svm", {}),
        "logistic regression on the text vectors": doc.get("text_vectors_logreg", {}),
        "the text encoder fine-tuned alone (one seed)": doc.get("text_encoder_finetuned", {}),
    }
    return BenchmarkResult(
        dataset, metric, str(doc.get("code", {}).get("commit")), rows, references
    )


def _pair(cell: dict[str, float] | None) -> tuple[float, float]:
    if not cell:
        return (float("nan"), float("nan"))
    return (float(cell["mean"]), float(cell["std"]))
