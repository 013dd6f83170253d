"""Saving and loading a QA model directory (the shared model-directory contract of
``kgfuse.fusion.model_dir``, model type ``kgfuse_qa``, format ``kgfuse-qa/1``: subgraph
bounds, question settings, metrics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase

from kgfuse.errors import ModelError
from kgfuse.fusion.model_dir import LoadedModel, load_model_dir, write_model_dir
from kgfuse.fusion.qa.model import KGQAForAnswerRanking
from kgfuse.graph.data import KGData

QA_METADATA_FORMAT = "kgfuse-qa/1"

#: A loaded QA model: ``model``, ``tokenizer``, ``kg`` and ``metadata``.
LoadedQA = LoadedModel


def save_qa_model(
    model: PreTrainedModel,
    out_dir: str | Path,
    *,
    tokenizer: PreTrainedTokenizerBase,
    kg: KGData,
    metadata: dict[str, Any],
) -> Path:
    """Write a self-contained QA model directory.

    Args:
        model: The ``KGQAForAnswerRanking``.
        out_dir: Target directory (created).
        tokenizer: The question encoder's tokenizer.
        kg: The graph the model reasons over.
        metadata: Subgraph bounds, question settings, metrics (JSON-serialisable).

    Returns:
        The directory.
    """
    return write_model_dir(
        model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata, fmt=QA_METADATA_FORMAT
    )


def load_qa_model(model_dir: str | Path, *, device: str | None = None) -> LoadedQA:
    """Load a directory written by ``save_qa_model`` (safetensors only).

    Args:
        model_dir: The directory.
        device: Where to put the model (default: CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected, or a
            graph that does not match the weights.
    """
    loaded = load_model_dir(
        model_dir,
        KGQAForAnswerRanking,
        fmt=QA_METADATA_FORMAT,
        device=device,
        hint="train one with `kgfuse qa train`",
    )
    if loaded.model.config.num_entities != loaded.kg.num_entities:
        raise ModelError(
            f"{model_dir}: the model was built for {loaded.model.config.num_entities} entities "
            f"but the saved graph has {loaded.kg.num_entities}; re-save or retrain"
        )
    return loaded
