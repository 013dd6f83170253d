"""Saving and loading a QA model directory, never unpickling.

Same contract as a classifier directory (``kgfuse.fusion.io``): ``config.json`` (model type
``kgfuse_qa``), ``model.safetensors``, the tokenizer files, ``entity_vocab.json``,
``relation_vocab.json``, ``graph.safetensors`` (the facts, so answering needs no store) and
``kgfuse_model.json`` (format ``kgfuse-qa/1``: subgraph bounds, question settings, metrics).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase

from kgfuse.errors import ModelError
from kgfuse.fusion.graph_data import KGData
from kgfuse.fusion.io import KGFUSE_FILES, check_model_dir, load_model_dir, write_model_dir
from kgfuse.fusion.qa_config import QA_MODEL_TYPE

logger = logging.getLogger(__name__)

QA_METADATA_FORMAT = "kgfuse-qa/1"


def check_qa_model_dir(model_dir: str | Path, *, full: bool = True) -> Path:
    """Check a QA model directory before loading anything from it (``check_model_dir``).

    Args:
        model_dir: The directory.
        full: Also require the kgfuse files (vocabularies, graph, metadata).

    Raises:
        ModelError: What is missing or corrupt, and what to do.
    """
    return check_model_dir(
        model_dir,
        model_type=QA_MODEL_TYPE,
        kind="QA",
        required=KGFUSE_FILES if full else (),
        hint="train one with `kgfuse train --task qa`",
    )


@dataclass
class LoadedQA:
    """Everything needed to answer questions: model, tokenizer, graph and metadata."""

    model: Any  # KGQAForAnswerRanking
    tokenizer: PreTrainedTokenizerBase
    kg: KGData
    metadata: dict[str, Any]


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
    out = write_model_dir(
        model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata, fmt=QA_METADATA_FORMAT
    )
    logger.info("saved QA model to %s", out)
    return out


def load_qa_model(model_dir: str | Path, *, device: str | None = None) -> LoadedQA:
    """Load a directory written by ``save_qa_model`` (safetensors only).

    Args:
        model_dir: The directory.
        device: Where to put the model (default: CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected.
    """
    from kgfuse.fusion.qa_model import KGQAForAnswerRanking

    path = check_qa_model_dir(model_dir)
    model, tokenizer, kg, metadata = load_model_dir(
        path, KGQAForAnswerRanking, fmt=QA_METADATA_FORMAT, device=device
    )
    if model.config.num_entities != kg.num_entities:
        raise ModelError(
            f"{path}: the model was built for {model.config.num_entities} entities but the "
            f"saved graph has {kg.num_entities}; re-save or retrain"
        )
    return LoadedQA(model, tokenizer, kg, metadata)
