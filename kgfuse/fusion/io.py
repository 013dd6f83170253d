"""Saving and loading a classifier directory, never unpickling.

A model directory holds ``config.json``, ``model.safetensors`` (weights, and the node
features when they come from the text encoder), the tokenizer files, ``entity_vocab.json``,
``relation_vocab.json``, ``graph.safetensors`` (the facts, so that prediction needs no store)
and ``kgfuse_model.json`` (labels, sampling settings, versions).
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

import kgfuse
from kgfuse.errors import ModelError
from kgfuse.fusion.graph_data import ENTITY_VOCAB_FILE, GRAPH_FILE, RELATION_VOCAB_FILE, KGData

logger = logging.getLogger(__name__)

METADATA_FILE = "kgfuse_model.json"
METADATA_FORMAT = "kgfuse-classifier/1"
WEIGHTS_FILE = "model.safetensors"
_PICKLE_MAGIC = (b"\x80", b"PK\x03\x04")  # pickle protocol 2+, torch.save zip archive


def check_safetensors_file(path: Path) -> None:
    """Check that ``path`` is a safetensors file without reading its tensors.

    Raises:
        ModelError: The file is missing, a pickle / ``torch.save`` archive, or not safetensors.
    """
    if not path.is_file():
        raise ModelError(f"{path} is missing: expected safetensors weights saved by kgfuse")
    with path.open("rb") as handle:
        head = handle.read(8)
        if any(head.startswith(magic) for magic in _PICKLE_MAGIC):
            raise ModelError(
                f"{path} is a pickle (torch.save) file, not safetensors; kgfuse never unpickles "
                "weights. Convert it with safetensors.torch.save_file or retrain."
            )
        if len(head) < 8:
            raise ModelError(f"{path} is truncated ({len(head)} bytes): not a safetensors file")
        (size,) = struct.unpack("<Q", head)
        header = handle.read(min(size, 100_000_000))
    try:
        if size > path.stat().st_size or not isinstance(json.loads(header), dict):
            raise ValueError("bad header")
    except ValueError as exc:
        raise ModelError(f"{path} is corrupt: its safetensors header cannot be read") from exc


#: The kgfuse files of a classifier or QA directory, next to the Hugging Face ones.
KGFUSE_FILES = (ENTITY_VOCAB_FILE, RELATION_VOCAB_FILE, GRAPH_FILE, METADATA_FILE)


def read_model_type(model_dir: str | Path) -> str | None:
    """Return the ``model_type`` in a directory's ``config.json`` (None if unreadable)."""
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config.get("model_type") if isinstance(config, dict) else None


def check_model_dir(
    model_dir: str | Path,
    *,
    model_type: str = "kgfusion",
    kind: str = "classifier",
    required: Sequence[str] = KGFUSE_FILES,
    hint: str = "train one with `kgfuse train`",
) -> Path:
    """Check a kgfuse model directory before loading anything from it.

    Args:
        model_dir: The directory.
        model_type: The ``model_type`` its ``config.json`` must name.
        kind: What the model is, for messages (``classifier``, ``QA``...).
        required: Files that must be there besides ``config.json`` and ``model.safetensors``
            (empty: only the Hugging Face ones, as ``from_pretrained`` needs).
        hint: What to do when the directory is missing or holds another model.

    Returns:
        The directory as a ``Path``.

    Raises:
        ModelError: What is missing or corrupt, and what to do.
    """
    path = Path(model_dir)
    if not path.is_dir():
        raise ModelError(f"{kind} model directory {path} does not exist: {hint}")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path}/config.json is missing or not valid JSON ({exc}): expected a kgfuse "
            f"{kind} model ({model_type!r})"
        ) from exc
    found = config.get("model_type") if isinstance(config, dict) else None
    if found != model_type:
        raise ModelError(
            f"{path} holds a {found!r} model, expected a kgfuse {kind} model ({model_type!r}); "
            f"{hint}"
        )
    check_safetensors_file(path / WEIGHTS_FILE)
    for name in required:
        if not (path / name).is_file():
            raise ModelError(f"{path} lacks {name}: it was not saved by kgfuse")
    return path


@dataclass
class LoadedClassifier:
    """Everything needed to predict: model, tokenizer, graph and metadata."""

    model: Any  # KGFusionForSequenceClassification
    tokenizer: PreTrainedTokenizerBase
    kg: KGData
    metadata: dict[str, Any]


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
    out = write_model_dir(
        model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata, fmt=METADATA_FORMAT
    )
    logger.info("saved classifier to %s", out)
    return out


def write_model_dir(
    model: PreTrainedModel,
    out_dir: str | Path,
    *,
    tokenizer: PreTrainedTokenizerBase,
    kg: KGData,
    metadata: dict[str, Any],
    fmt: str,
) -> Path:
    """Write weights (safetensors), tokenizer, graph and a metadata file of format ``fmt``."""
    out = Path(out_dir)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    kg.save(out)
    doc = {"format": fmt, "kgfuse_version": kgfuse.__version__, "vocab_hash": kg.vocab_hash()}
    doc.update(metadata)
    (out / METADATA_FILE).write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    return out


def read_metadata(path: Path, fmt: str) -> dict[str, Any]:
    """Read a model directory's metadata file and check its format.

    Raises:
        ModelError: Invalid JSON, or another format than ``fmt``.
    """
    try:
        metadata = json.loads((path / METADATA_FILE).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelError(f"{path / METADATA_FILE} is not valid JSON ({exc})") from exc
    found = metadata.get("format") if isinstance(metadata, dict) else None
    if found != fmt:
        raise ModelError(f"{path} has metadata format {found!r}, expected {fmt!r}")
    return metadata


def load_model_dir(
    path: Path, model_class: Any, *, fmt: str, device: str | None
) -> tuple[Any, PreTrainedTokenizerBase, KGData, dict[str, Any]]:
    """Load metadata, graph, weights and tokenizer of a checked model directory.

    Raises:
        ModelError: Wrong metadata format, vocabularies that do not match the weights, or a
            tokenizer that cannot be loaded.
    """
    metadata = read_metadata(path, fmt)
    kg = KGData.load(path)
    if metadata.get("vocab_hash") not in (None, kg.vocab_hash()):
        raise ModelError(f"{path}: the vocabularies do not match the ones the model was saved with")
    model = model_class.from_pretrained(path)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the tokenizer saved in {path} ({exc})") from exc
    model.to(device or "cpu").eval()
    return model, tokenizer, kg, metadata


def load_classifier(model_dir: str | Path, *, device: str | None = None) -> LoadedClassifier:
    """Load a directory written by ``save_classifier`` (safetensors only).

    Args:
        model_dir: The directory.
        device: Where to put the model (default: CPU).

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected.
    """
    from kgfuse.fusion.modeling import KGFusionForSequenceClassification

    path = check_model_dir(model_dir)
    model, tokenizer, kg, metadata = load_model_dir(
        path, KGFusionForSequenceClassification, fmt=METADATA_FORMAT, device=device
    )
    return LoadedClassifier(model, tokenizer, kg, metadata)
