"""Calibrated confidence and the "no answer" threshold, fitted on held-out questions.

A model's top probability is not the chance that its top answer is right: softmax over a few
dozen candidates is often over-confident. One temperature ``T`` rescales the log-probabilities
(``softmax(log p / T)``); it is chosen on held-out questions to minimise the log-loss of the
top answer's probability against whether that answer was right (questions whose answer is not
in the subgraph count as wrong, so the confidence also covers "no answer reachable").

The threshold below which ``ask`` says "no answer in the graph within N hops" is then the
confidence that makes the most right decisions on the same questions: answering when the top
answer is right, abstaining when it is wrong. Both are saved as ``calibration.json`` in the
model directory.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kgfuse.errors import DataError, ModelError
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.ranking import Ranking

CALIBRATION_FILE = "calibration.json"
_TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(20.0), 121))


def temper(probs: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log p / T)`` of one question's candidate probabilities."""
    if probs.size == 0:
        return probs
    logp = np.log(np.clip(probs.astype(np.float64), 1e-300, None)) / temperature
    logp -= logp.max()
    out = np.exp(logp)
    return out / out.sum()


def _top(rankings: Sequence[Ranking], examples: Sequence[QAExample]) -> tuple[list, np.ndarray]:
    """Candidate probabilities of each question and whether its top answer is right."""
    probs, right = [], []
    for ranking, ex in zip(rankings, examples, strict=True):
        probs.append(ranking.scores)
        right.append(bool(ranking.node_ids.size) and int(ranking.node_ids[0]) in ex.answers)
    return probs, np.asarray(right, dtype=bool)


def _confidences(probs: list[np.ndarray], temperature: float) -> np.ndarray:
    return np.asarray([float(temper(p, temperature)[0]) if p.size else 0.0 for p in probs])


def expected_calibration_error(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by size."""
    edges = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = edges == b
        if inside.any():
            total += inside.sum() * abs(right[inside].mean() - conf[inside].mean())
    return float(total / max(conf.size, 1))


def fit_calibration(rankings: Sequence[Ranking], examples: Sequence[QAExample]) -> dict[str, Any]:
    """Fit the temperature and the no-answer threshold on held-out questions.

    Returns:
        ``temperature``, ``threshold``, ``questions``, ``ece_before``, ``ece_after``,
        ``answered`` (share above the threshold) and ``hits@1_answered`` (their accuracy).

    Raises:
        DataError: No question to fit on.
    """
    probs, right = _top(rankings, examples)
    if not probs:
        raise DataError("calibration needs held-out questions; none were given")
    eps = 1e-6
    losses = []
    for t in _TEMPERATURES:
        c = np.clip(_confidences(probs, float(t)), eps, 1 - eps)
        losses.append(-np.mean(right * np.log(c) + (~right) * np.log(1 - c)))
    temperature = float(_TEMPERATURES[int(np.argmin(losses))])
    conf = _confidences(probs, temperature)
    # Right decisions for a threshold c: answer (conf >= c) when right, abstain when wrong.
    candidates = np.unique(np.concatenate([[0.0], conf]))
    decisions = [((conf >= c) & right).sum() + ((conf < c) & ~right).sum() for c in candidates]
    threshold = float(candidates[int(np.argmax(decisions))])
    answered = conf >= threshold
    return {
        "temperature": round(temperature, 4),
        "threshold": round(threshold, 6),
        "questions": len(probs),
        "ece_before": round(expected_calibration_error(_confidences(probs, 1.0), right), 4),
        "ece_after": round(expected_calibration_error(conf, right), 4),
        "answered": round(float(answered.mean()), 4),
        "hits@1_answered": round(float(right[answered].mean()) if answered.any() else 0.0, 4),
    }


def save_calibration(model_dir: str | Path, calibration: dict[str, Any]) -> Path:
    """Write ``calibration.json`` into a model directory."""
    path = Path(model_dir) / CALIBRATION_FILE
    path.write_text(json.dumps(calibration, indent=2), encoding="utf-8")
    return path


def load_calibration(model_dir: str | Path | None) -> dict[str, Any] | None:
    """Read a model directory's ``calibration.json`` (None when it has none).

    Raises:
        ModelError: The file is not a calibration (malformed JSON, missing fields).
    """
    if model_dir is None:
        return None
    path = Path(model_dir) / CALIBRATION_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        float(data["temperature"]), float(data["threshold"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{path} is not a calibration file ({exc}); rerun kgfuse qa calibrate"
        ) from exc
    if float(data["temperature"]) <= 0:
        raise ModelError(f"{path}: temperature must be positive; rerun kgfuse qa calibrate")
    return data
