"""What every classification method returns for a text (``Prediction``), and how logits
become predictions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kgfuse.errors import DataError
from kgfuse.fusion.classify.data import Example


@dataclass(frozen=True)
class Prediction:
    """The prediction for one text.

    Attributes:
        labels: Predicted label (single-label) or labels (multi-label, possibly empty).
        scores: Probability of each label.
        entities: The linked entity keys found in the model's graph.
    """

    labels: tuple[str, ...]
    scores: dict[str, float]
    entities: tuple[str, ...]


def texts_as_examples(
    texts: Sequence[str], entities: Sequence[Sequence[str]] | None
) -> list[Example]:
    """Unlabelled examples of texts to predict, with their linked keys when given.

    Raises:
        DataError: ``entities`` and ``texts`` differ in length.
    """
    if entities is not None and len(entities) != len(texts):
        raise DataError(f"got {len(texts)} texts but {len(entities)} entity lists")
    return [
        Example(text, entities=None if entities is None else tuple(entities[i]))
        for i, text in enumerate(texts)
    ]


def predictions_from_logits(
    logits: np.ndarray,
    id2label: dict[int, str],
    examples: Sequence[Example],
    *,
    known: set[str],
    multi_label: bool,
) -> list[Prediction]:
    """Turn logits into ``Prediction``s (softmax, or sigmoid > 0.5 for multi-label).

    Args:
        logits: [texts, labels] logits.
        id2label: Label name of each column.
        examples: The linked examples, in the same order.
        known: Entity keys of the model's graph (the others are not reported as linked).
        multi_label: Whether labels are independent.
    """
    names = [id2label[i] for i in range(logits.shape[1])]
    probs = 1 / (1 + np.exp(-logits)) if multi_label else _softmax(logits)
    results = []
    for example, row in zip(examples, probs, strict=True):
        chosen = (
            [n for n, p in zip(names, row, strict=True) if p > 0.5]
            if multi_label
            else [names[row.argmax()]]
        )
        linked = tuple(k for k in example.entities or () if k in known)
        results.append(
            Prediction(tuple(chosen), dict(zip(names, map(float, row), strict=True)), linked)
        )
    return results


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    return shifted / shifted.sum(-1, keepdims=True)
