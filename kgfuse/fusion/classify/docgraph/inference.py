"""Predicting and scoring with a saved document-graph model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kgfuse.fusion.classify.data import LabelSpace, read_examples
from kgfuse.fusion.classify.docgraph.predictor import DocGraphPredictor
from kgfuse.fusion.classify.labelled import link_examples
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.fusion.classify.prediction import (
    Prediction,
    predictions_from_logits,
    texts_as_examples,
)
from kgfuse.graph.linking import Linker


def predict_document_graph(
    predictor: DocGraphPredictor,
    texts: Sequence[str],
    *,
    entities: Sequence[Sequence[str]] | None = None,
    linker: Linker | None = None,
) -> list[Prediction]:
    """Classify texts: graph documents from their node, new texts attached by rows.

    Args:
        predictor: A loaded model (``load_document_graph``).
        texts: Texts to classify.
        entities: Linked entity keys per text; otherwise ``linker`` (default: entity names).
        linker: Entity linker for texts without ``entities``.

    Raises:
        DataError: ``entities`` and ``texts`` differ in length.
    """
    examples = link_examples(texts_as_examples(texts, entities), predictor.entity_graph, linker)
    config = predictor.model.config
    known = set(predictor.entity_graph.entity_vocab)
    return predictions_from_logits(
        predictor.logits(examples),
        config.id2label,
        examples,
        known=known,
        multi_label=config.multi_label,
    )


def evaluate_document_graph(
    predictor: DocGraphPredictor,
    data_path: str | Path,
    *,
    linker: Linker | None = None,
    label_column: str = "label",
    entities_column: str = "entities",
    inductive: bool = False,
) -> dict[str, Any]:
    """Score a document-graph model on labelled data.

    Texts that were (unlabelled) graph documents during training are read from their node,
    a transductive score; ``inductive=True`` attaches every text as a new one instead.

    Returns:
        ``accuracy``, ``macro_f1`` (``micro_f1`` for multi-label), ``examples``,
        ``graph_nodes`` (how many texts were graph documents during training) and
        ``scoring`` (``transductive`` when some were read from their node, else
        ``inductive``).

    Raises:
        DataError: Unknown columns, labels the model does not know, empty data.
    """
    metadata = predictor.metadata
    examples = read_examples(
        data_path,
        text_column=metadata.get("text_column", "text"),
        label_column=label_column,
        entities_column=entities_column,
    )
    labels = LabelSpace(tuple(metadata["labels"]), bool(metadata["multi_label"]))
    labels.check(examples, where="evaluation")
    examples = link_examples(examples, predictor.entity_graph, linker)
    target = np.array([labels.encode(ex) for ex in examples])
    logits = predictor.logits(examples, inductive=inductive)
    metrics: dict[str, Any] = classification_metrics(logits, target, multi_label=labels.multi_label)
    metrics["examples"] = len(examples)
    metrics["graph_nodes"] = predictor.graph_nodes(examples)
    transductive = metrics["graph_nodes"] > 0 and not inductive
    metrics["scoring"] = "transductive" if transductive else "inductive"
    return metrics
