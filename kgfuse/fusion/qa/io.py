"""Saving and loading a QA model directory (the shared model-directory contract of
``kgfuse.fusion.model_dir``, model type ``kgfuse_qa``, format ``kgfuse-qa/1``: subgraph
bounds, question settings, metrics).

``save_qa_model(model, out_dir, *, tokenizer, kg, metadata) -> Path``; ``load_qa_model``
also checks that the saved graph matches the weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgfuse.errors import ModelError
from kgfuse.fusion.model_dir import LoadedModel, ModelFormat
from kgfuse.fusion.qa.calibration import load_calibration, save_calibration
from kgfuse.fusion.qa.model import KGQAForAnswerRanking
from kgfuse.graph.data import KGData

QA_FORMAT = ModelFormat(
    KGQAForAnswerRanking, fmt="kgfuse-qa/1", hint="train one with `kgfuse qa train`"
)

#: A loaded QA model: ``model``, ``tokenizer``, ``kg`` and ``metadata``.
LoadedQA = LoadedModel


def save_qa_model(
    model: KGQAForAnswerRanking,
    out_dir: str | Path,
    *,
    tokenizer: Any,
    kg: KGData,
    metadata: dict[str, Any],
) -> Path:
    """Write a QA model directory; a ``calibration`` in ``metadata`` (as ``load_qa_model``
    puts it there) goes to ``calibration.json``.

    Returns:
        The directory.
    """
    metadata = dict(metadata)
    calibration = metadata.pop("calibration", None)
    out = QA_FORMAT.save(model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata)
    if calibration:
        save_calibration(out, calibration)
    return Path(out)


def load_qa_model(model_dir: str | Path, *, device: str | None = None) -> LoadedQA:
    """Load a directory written by ``save_qa_model`` (safetensors only).

    Args:
        model_dir: The directory.
        device: Where to put the model (default: CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected, a
            graph that does not match the weights, or a malformed ``calibration.json``.
    """
    loaded = QA_FORMAT.load(model_dir, device=device)
    loaded.metadata["calibration"] = load_calibration(model_dir)
    if loaded.model.config.num_entities != loaded.kg.num_entities:
        raise ModelError(
            f"{model_dir}: the model was built for {loaded.model.config.num_entities} entities "
            f"but the saved graph has {loaded.kg.num_entities}; re-save or retrain"
        )
    return loaded
