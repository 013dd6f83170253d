"""Prediction and evaluation with a saved classifier directory (no store needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader

from kgfuse.fusion.classify.data import Example, LabelSpace, read_examples
from kgfuse.fusion.classify.labelled import link_examples
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.fusion.classify.prediction import (
    Prediction,
    predictions_from_logits,
    texts_as_examples,
)
from kgfuse.fusion.classify.subgraph.dataset import ClassificationDataset, FusionCollator
from kgfuse.fusion.classify.subgraph.io import LoadedClassifier, load_classifier
from kgfuse.graph.linking import Linker
from kgfuse.graph.sampling import SubgraphSampler


def _loaded(model: str | Path | LoadedClassifier, device: str | None) -> LoadedClassifier:
    return model if isinstance(model, LoadedClassifier) else load_classifier(model, device=device)


@torch.no_grad()
def classifier_logits(
    loaded: LoadedClassifier, examples: Sequence[Example], *, batch_size: int = 32
) -> np.ndarray:
    """Return the logits [n, num_labels] of linked examples."""
    sampling = loaded.metadata.get("sampling", {})
    dataset = ClassificationDataset(
        examples,
        tokenizer=loaded.tokenizer,
        kg=loaded.kg,
        max_length=sampling.get("max_length", 128),
        max_entities=sampling.get("max_entities", 32),
    )
    sampler = None
    if loaded.model.config.uses_graph:
        sampler = SubgraphSampler(
            loaded.kg,
            hops=sampling.get("hops", 2),
            max_neighbors=sampling.get("max_neighbors", 10),
            max_nodes=sampling.get("max_nodes", 1024),
        )
    collate = FusionCollator(loaded.tokenizer.pad_token_id or 0, sampler)
    device = next(loaded.model.parameters()).device
    out = []
    for batch in DataLoader(dataset, batch_size=batch_size, collate_fn=collate):
        batch = {k: v.to(device) for k, v in batch.items()}
        out.append(loaded.model(**batch).logits.float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, loaded.model.config.num_labels))


def predict(
    model: str | Path | LoadedClassifier,
    texts: Sequence[str],
    *,
    entities: Sequence[Sequence[str]] | None = None,
    linker: Linker | None = None,
    batch_size: int = 32,
    device: str | None = None,
) -> list[Prediction]:
    """Classify new texts (inductive: only their linked entities are needed).

    Args:
        model: A model directory (or an already loaded classifier).
        texts: Texts to classify.
        entities: Linked entity keys per text; otherwise ``linker`` (default: entity names).
        linker: Entity linker for texts without ``entities``.
        batch_size: Texts per forward pass.
        device: Where to run (default CPU).

    Raises:
        ModelError: The directory cannot be loaded.
        DataError: ``entities`` and ``texts`` differ in length.
    """
    loaded = _loaded(model, device)
    examples = link_examples(texts_as_examples(texts, entities), loaded.kg, linker)
    logits = classifier_logits(loaded, examples, batch_size=batch_size)
    multi = loaded.model.config.problem_type == "multi_label_classification"
    return predictions_from_logits(
        logits,
        loaded.model.config.id2label,
        examples,
        known=set(loaded.kg.entity_vocab),
        multi_label=multi,
    )


def evaluate_classifier(
    model: str | Path | LoadedClassifier,
    data_path: str | Path,
    *,
    linker: Linker | None = None,
    label_column: str = "label",
    entities_column: str = "entities",
    batch_size: int = 32,
    device: str | None = None,
) -> dict[str, Any]:
    """Score a saved classifier on labelled data.

    Returns:
        ``accuracy``, ``macro_f1`` (and ``micro_f1`` for multi-label), ``examples``.

    Raises:
        ModelError: The directory cannot be loaded.
        DataError: Unknown columns, labels the model does not know, empty data.
    """
    loaded = _loaded(model, device)
    text_column = loaded.metadata.get("text_column", "text")
    examples = read_examples(
        data_path,
        text_column=text_column,
        label_column=label_column,
        entities_column=entities_column,
    )
    labels = LabelSpace(tuple(loaded.metadata["labels"]), bool(loaded.metadata["multi_label"]))
    labels.check(examples, where="evaluation")
    examples = link_examples(examples, loaded.kg, linker)
    logits = classifier_logits(loaded, examples, batch_size=batch_size)
    target = np.array([labels.encode(ex) for ex in examples])
    metrics: dict[str, Any] = classification_metrics(logits, target, multi_label=labels.multi_label)
    metrics["examples"] = len(examples)
    return metrics
