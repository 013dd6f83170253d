"""Labelled examples for classification: reading JSONL/CSV files and the label space.

A record holds a text column, a label column (a string, or a list of strings for
multi-label data) and optionally an ``entities`` column: the entity keys linked in the text
(a JSON list, or ``;``-separated in CSV). Texts without linked entities are fine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kgfuse.corpus.readers import read_corpus
from kgfuse.errors import CorpusError, DataError, EmptyCorpusError


@dataclass(frozen=True)
class Example:
    """One text to classify.

    Attributes:
        text: The text.
        labels: Its label(s); empty for unlabelled data.
        entities: Linked entity keys, or None when the data gave none (a linker fills them).
        id: Record id (or ``file:line``).
    """

    text: str
    labels: tuple[str, ...] = ()
    entities: tuple[str, ...] | None = None
    id: str = ""


def _entities(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    text = str(value).strip()
    if text.startswith("["):
        return tuple(str(v) for v in json.loads(text))
    return tuple(part.strip() for part in text.split(";") if part.strip())


def read_examples(
    path: str | Path,
    *,
    text_column: str = "text",
    label_column: str | None = "label",
    entities_column: str = "entities",
    id_column: str = "id",
) -> list[Example]:
    """Read examples from a JSONL, CSV or TSV file (``.gz`` too) with ``read_corpus``.

    Args:
        path: The data file.
        text_column: Column holding the text.
        label_column: Column holding the label(s); None for unlabelled data.
        entities_column: Column holding linked entity keys (optional in the data).
        id_column: Column holding the record id (optional).

    Returns:
        The examples, in file order (empty texts are skipped by the reader, with a warning).

    Raises:
        DataError: Missing or unreadable file, unknown column, a record without a label,
            no records.
    """
    path = Path(path)
    try:
        documents = list(
            read_corpus(
                path, text_column=text_column, id_column=id_column, label_column=label_column
            )
        )
    except EmptyCorpusError as exc:
        raise DataError(f"{path} holds no examples: a classifier needs at least one") from exc
    except CorpusError as exc:
        raise DataError(str(exc)) from exc
    if label_column is not None:
        unlabelled = [doc for doc in documents if doc.label is None]
        if len(unlabelled) == len(documents):
            columns = sorted({text_column, id_column} | set(documents[0].metadata))
            raise DataError(
                f"{path} has no label column {label_column!r}; its columns are {columns}. "
                "Pass the right name (label_column=...)."
            )
        if unlabelled:
            raise DataError(f"{unlabelled[0].source}: empty or missing label {label_column!r}")
    examples = []
    for doc in documents:
        labels = (doc.label,) if isinstance(doc.label, str) else tuple(doc.label or ())
        try:
            entities = _entities(doc.metadata.get(entities_column))
        except ValueError as exc:
            raise DataError(
                f"{doc.source}: {entities_column!r} is not a JSON list ({exc})"
            ) from exc
        examples.append(Example(doc.text, labels if label_column else (), entities, doc.id))
    return examples


@dataclass(frozen=True)
class LabelSpace:
    """The labels a classifier predicts, sorted, and whether examples may hold several."""

    labels: tuple[str, ...]
    multi_label: bool

    @classmethod
    def from_examples(
        cls, examples: Sequence[Example], *, multi_label: bool | None = None
    ) -> LabelSpace:
        """Collect the labels of training examples (multi-label when any has several).

        Raises:
            DataError: No examples, or fewer than two distinct labels for single-label data.
        """
        if not examples:
            raise DataError("the training set is empty: a classifier needs labelled examples")
        found = sorted({label for ex in examples for label in ex.labels})
        multi = any(len(ex.labels) > 1 for ex in examples) if multi_label is None else multi_label
        if not multi and len(found) < 2:
            raise DataError(f"single-label training needs at least two labels, found {found}")
        return cls(tuple(found), multi)

    def check(self, examples: Sequence[Example], *, where: str) -> None:
        """Raise DataError when ``examples`` hold labels outside this space (or none at all)."""
        if not examples:
            raise DataError(f"the {where} set is empty")
        unseen = sorted({lab for ex in examples for lab in ex.labels} - set(self.labels))
        if unseen:
            raise DataError(
                f"the {where} set has labels never seen in training: {unseen[:10]}. "
                f"Known labels: {list(self.labels)[:20]}. Add training examples for them or "
                "drop those records."
            )
        if not self.multi_label and any(len(ex.labels) > 1 for ex in examples):
            raise DataError(
                f"the {where} set has multi-label records but training was single-label"
            )

    @cached_property
    def index(self) -> dict[str, int]:
        """Class id of each label."""
        return {label: i for i, label in enumerate(self.labels)}

    def config_fields(self) -> dict[str, Any]:
        """``num_labels``, ``id2label``, ``label2id`` and ``problem_type`` for an HF config."""
        return {
            "num_labels": len(self.labels),
            "id2label": dict(enumerate(self.labels)),
            "label2id": dict(self.index),
            "problem_type": "multi_label_classification"
            if self.multi_label
            else "single_label_classification",
        }

    def encode(self, example: Example) -> list[float] | int:
        """Return the class id (single-label) or the multi-hot vector (multi-label)."""
        index = self.index
        if self.multi_label:
            hot = [0.0] * len(self.labels)
            for label in example.labels:
                hot[index[label]] = 1.0
            return hot
        return index[example.labels[0]]
