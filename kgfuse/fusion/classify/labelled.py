"""Labelled data linked to the graph: examples get their entities, and the label space is
fixed on the training data (shared by every classification method)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from kgfuse.fusion.classify.data import Example, LabelSpace, read_examples
from kgfuse.graph.data import KGData
from kgfuse.graph.linking import DictionaryLinker, Linker

logger = logging.getLogger(__name__)


def link_examples(examples: Sequence[Example], kg: KGData, linker: Linker | None) -> list[Example]:
    """Fill in ``entities`` of examples that have none, with ``linker`` (default: by name)."""
    missing = [i for i, ex in enumerate(examples) if ex.entities is None]
    if not missing:
        return list(examples)
    if linker is None:
        logger.info("%d texts have no linked entities: linking them by entity name", len(missing))
        linker = DictionaryLinker(kg)
    links = linker([examples[i].text for i in missing])
    out = list(examples)
    for i, keys in zip(missing, links, strict=True):
        out[i] = replace(examples[i], entities=tuple(keys))
    return out


class DataColumns(Protocol):
    """Where a classification run finds its data (both methods' options have these)."""

    text_column: str
    label_column: str
    entities_column: str
    multi_label: bool | None


def read_labelled(
    train_path: str | Path,
    eval_path: str | Path | None,
    *,
    kg: KGData,
    linker: Linker | None,
    columns: DataColumns,
) -> tuple[list[Example], list[Example], LabelSpace]:
    """Read and link training and evaluation data and fix the label space on training.

    Args:
        train_path: Training data.
        eval_path: Evaluation data, or None.
        kg: The graph whose entities texts without an entities column are linked to.
        linker: The linker (default: entity names).
        columns: The run's options: column names and ``multi_label``.

    Returns:
        ``(train, evaluation, labels)``; ``evaluation`` is empty without ``eval_path``.

    Raises:
        DataError: Unknown columns, empty training data, eval labels unseen in training.
    """
    names = {
        "text_column": columns.text_column,
        "label_column": columns.label_column,
        "entities_column": columns.entities_column,
    }
    train = link_examples(read_examples(train_path, **names), kg, linker)
    labels = LabelSpace.from_examples(train, multi_label=columns.multi_label)
    evaluation: list[Example] = []
    if eval_path is not None:
        evaluation = link_examples(read_examples(eval_path, **names), kg, linker)
        labels.check(evaluation, where="evaluation")
    return train, evaluation, labels
