"""Saving and loading a subgraph-fusion classifier directory (the shared model-directory
contract of ``kgfuse.fusion.model_dir``, format ``kgfuse-classifier/1``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase

from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.fusion.model_dir import LoadedModel, load_model_dir, write_model_dir
from kgfuse.graph.data import KGData

METADATA_FORMAT = "kgfuse-classifier/1"

#: A loaded classifier: ``model``, ``tokenizer``, ``kg`` and ``metadata``.
LoadedClassifier = LoadedModel


def save_classifier(
    model: PreTrainedModel,
    out_dir: str | Path,
    *,
    tokenizer: PreTrainedTokenizerBase,
    kg: KGData,
    metadata: dict[str, Any],
) -> Path:
    """Write a self-contained classifier directory.

    Args:
        model: The fusion model.
        out_dir: Target directory (created).
        tokenizer: Its tokenizer.
        kg: The graph it was trained with.
        metadata: Labels, sampling settings, metrics... (JSON-serialisable).

    Returns:
        The directory.
    """
    return write_model_dir(
        model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata, fmt=METADATA_FORMAT
    )


def load_classifier(model_dir: str | Path, *, device: str | None = None) -> LoadedClassifier:
    """Load a directory written by ``save_classifier`` (safetensors only).

    Args:
        model_dir: The directory.
        device: Where to put the model (default: CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected.
    """
    return load_model_dir(
        model_dir, KGFusionForSequenceClassification, fmt=METADATA_FORMAT, device=device
    )
