"""Saving and loading a document-graph model directory (safetensors only, never pickle).

The directory holds ``config.json`` and ``model.safetensors`` (the classifier), the graph
(``docgraph_*`` files: terms, term edges, document vectors and TF-IDF rows), the frozen text
encoder and its tokenizer under ``text_encoder/`` (or ``text_encoder.json``, naming the
installed package and version, when it is a packaged encoder), ``kgfuse_model.json``
(labels, settings, metrics), ``metrics.json``, ``training_history.json`` (loss and dev or
cross-validation scores per epoch), ``timings.json`` and ``training_curves.png``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetensors import SafetensorError

import kgfuse
from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.classify.data import LabelSpace
from kgfuse.fusion.classify.docgraph.model import MODEL_TYPE
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.model_dir import (
    METADATA_FILE,
    WEIGHTS_FILE,
    check_model_dir,
    check_safetensors_file,
    read_metadata,
    read_model_type,
)
from kgfuse.fusion.packaged import packaged_reference, resolve_reference
from kgfuse.fusion.plotting import plot_training_curves

if TYPE_CHECKING:
    from kgfuse.fusion.classify.docgraph.predictor import DocGraphPredictor

METADATA_FORMAT = "kgfuse-docgraph/1"
TEXT_ENCODER_DIR = "text_encoder"
#: Written instead of ``text_encoder/`` when the encoder is an installed package.
TEXT_ENCODER_REFERENCE = "text_encoder.json"
HISTORY_FILE = "training_history.json"


def is_document_graph_dir(model_dir: str | Path) -> bool:
    """Whether ``model_dir`` holds a document-graph model."""
    return read_model_type(model_dir) == MODEL_TYPE


def save_document_graph(
    predictor: DocGraphPredictor,
    out_dir: str | Path,
    *,
    labels: LabelSpace,
    options: DocGraphOptions,
    metrics: dict[str, Any],
    history: list[dict[str, float]],
) -> Path:
    """Write a self-contained document-graph model directory.

    Returns:
        The directory.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    predictor.model.save_pretrained(out, safe_serialization=True)
    predictor.state.save(out)
    reference = packaged_reference(predictor.encoder.path)
    if reference is not None:  # installed with kgfuse[models]: referenced, not copied
        (out / TEXT_ENCODER_REFERENCE).write_text(json.dumps(reference, indent=2))
    else:
        encoder_dir = out / TEXT_ENCODER_DIR
        predictor.encoder.model.save_pretrained(encoder_dir, safe_serialization=True)
        predictor.encoder.tokenizer.save_pretrained(encoder_dir)
    metadata = {
        "format": METADATA_FORMAT,
        "kgfuse_version": kgfuse.__version__,
        "labels": list(labels.labels),
        "multi_label": labels.multi_label,
        "text_column": options.text_column,
        "options": asdict(options),
        "metrics": metrics,
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, indent=2, ensure_ascii=False))
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    (out / HISTORY_FILE).write_text(json.dumps(history))
    plot_training_curves(history, out / "training_curves.png")
    return out


def load_document_graph(model_dir: str | Path, *, device: str | None = None) -> DocGraphPredictor:
    """Load a directory written by ``save_document_graph``.

    Args:
        model_dir: The directory.
        device: Where to run (default CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected, or
            another kind of model.
    """
    from kgfuse.fusion.classify.docgraph.architectures import load_model
    from kgfuse.fusion.classify.docgraph.predictor import DocGraphPredictor
    from kgfuse.fusion.classify.docgraph.state import GraphState
    from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder

    path = check_model_dir(
        model_dir,
        model_type=MODEL_TYPE,
        kind="document-graph",
        required=(METADATA_FILE,),
        hint="train one with `kgfuse classify train`",
    )
    encoder_path = _encoder_path(path)
    metadata = read_metadata(path, METADATA_FORMAT)
    state = GraphState.load(path)
    try:
        model = load_model(path)
    except (OSError, ValueError, RuntimeError, SafetensorError, ConfigError) as exc:
        raise ModelError(f"cannot load the model in {path}: {exc}") from exc
    if model.config.num_terms != state.terms.num_terms:
        raise ModelError(f"{path}: the weights do not match the saved document graph")
    encoder = FrozenTextEncoder.load(
        encoder_path,
        pooling=model.config.pooling,
        max_length=model.config.text_max_length,
    )
    model.to(device or "cpu").eval()
    encoder.model.to(device or "cpu")
    settings = metadata.get("options", {})
    return DocGraphPredictor(
        model,
        state,
        encoder,
        words=bool(settings.get("words", False)),
        max_entities=int(settings.get("max_entities", 256)),
        metadata=metadata,
    )


def _encoder_path(path: Path) -> Path:
    """The saved encoder's directory: the referenced installed package, or ``text_encoder/``.

    Raises:
        ModelError: A bad reference, or missing or pickled weights.
    """
    reference_file = path / TEXT_ENCODER_REFERENCE
    if reference_file.is_file():
        try:
            reference = json.loads(reference_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ModelError(f"{reference_file} is not valid JSON ({exc})") from exc
        return resolve_reference(reference if isinstance(reference, dict) else {})
    check_safetensors_file(path / TEXT_ENCODER_DIR / WEIGHTS_FILE)
    return path / TEXT_ENCODER_DIR
