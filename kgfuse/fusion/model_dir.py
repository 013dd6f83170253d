"""Model directories, the contract every kgfuse model family shares: saving and checked
loading, never unpickling.

A model directory holds ``config.json`` (whose ``model_type`` names the family),
``model.safetensors`` (weights, and node features when they come from the text encoder), the
tokenizer files, ``entity_vocab.json``, ``relation_vocab.json``, ``graph.safetensors`` (the
facts, so that prediction needs no store) and ``kgfuse_model.json`` (format, settings,
versions, metrics). Families with more files (the document graph) add them next to these.
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
from kgfuse.graph.data import ENTITY_VOCAB_FILE, GRAPH_FILE, RELATION_VOCAB_FILE, KGData

logger = logging.getLogger(__name__)

METADATA_FILE = "kgfuse_model.json"
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
        # a valid safetensors header first: its 8-byte length can start with 0x80 too
        size = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        header = handle.read(size) if 0 < size <= path.stat().st_size - 8 else b""
    try:
        if isinstance(json.loads(header), dict):
            return
    except ValueError:
        pass
    if any(head.startswith(magic) for magic in _PICKLE_MAGIC):
        raise ModelError(
            f"{path} is a pickle (torch.save) file, not safetensors; kgfuse never unpickles "
            "weights. Convert it with safetensors.torch.save_file or retrain."
        )
    if len(head) < 8:
        raise ModelError(f"{path} is truncated ({len(head)} bytes): not a safetensors file")
    raise ModelError(f"{path} is corrupt: its safetensors header cannot be read")


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
    model_type: str,
    kind: str,
    required: Sequence[str] = KGFUSE_FILES,
    hint: str = "train one with `kgfuse classify train`",
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
class LoadedModel:
    """Everything needed to use a saved model: model, tokenizer, graph and metadata."""

    model: Any
    tokenizer: PreTrainedTokenizerBase
    kg: KGData
    metadata: dict[str, Any]

    @property
    def entity_graph(self) -> KGData:
        """The graph whose entities texts are linked to."""
        return self.kg

    @property
    def max_entities(self) -> int:
        """Most entities linked per text when the model was trained."""
        return int(self.metadata.get("sampling", {}).get("max_entities", 32))


def write_model_dir(
    model: PreTrainedModel,
    out_dir: str | Path,
    *,
    tokenizer: PreTrainedTokenizerBase,
    kg: KGData,
    metadata: dict[str, Any],
    fmt: str,
) -> Path:
    """Write a self-contained model directory.

    Args:
        model: The model (saved as ``config.json`` + ``model.safetensors``).
        out_dir: Target directory (created).
        tokenizer: Its tokenizer.
        kg: The graph it was trained with.
        metadata: Labels, settings, metrics... (JSON-serialisable).
        fmt: The metadata format (``kgfuse-classifier/1``, ``kgfuse-qa/1``...).

    Returns:
        The directory.
    """
    out = Path(out_dir)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    kg.save(out)
    doc = {"format": fmt, "kgfuse_version": kgfuse.__version__, "vocab_hash": kg.vocab_hash()}
    doc.update(metadata)
    (out / METADATA_FILE).write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    logger.info("saved %s model to %s", fmt, out)
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
    model_dir: str | Path,
    model_class: Any,
    *,
    fmt: str,
    device: str | None = None,
    hint: str = "train one with `kgfuse classify train`",
) -> LoadedModel:
    """Check a model directory, then load its metadata, graph, weights and tokenizer.

    Args:
        model_dir: The directory.
        model_class: The model's class (its ``config_class.model_type`` must match).
        fmt: The metadata format the directory must have.
        device: Where to put the model (default: CPU).
        hint: What to do when the directory is missing or holds another model.

    Raises:
        ModelError: Missing or corrupt files, a pickle where safetensors is expected, another
            model type or metadata format, vocabularies that do not match the weights, or a
            tokenizer that cannot be loaded.
    """
    path = check_model_dir(
        model_dir, model_type=model_class.config_class.model_type, kind=model_class.kind, hint=hint
    )
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
    return LoadedModel(model, tokenizer, kg, metadata)


@dataclass(frozen=True)
class ModelFormat:
    """How one model family is saved and loaded: its model class and metadata format.

    Args:
        model_class: The model's class (``config_class.model_type`` and ``kind`` are read).
        fmt: The metadata format (``kgfuse-classifier/1``...).
        hint: What to do when a directory is missing or holds another model.
    """

    model_class: Any
    fmt: str
    hint: str

    def save(
        self,
        model: PreTrainedModel,
        out_dir: str | Path,
        *,
        tokenizer: PreTrainedTokenizerBase,
        kg: KGData,
        metadata: dict[str, Any],
    ) -> Path:
        """Write a self-contained model directory (``write_model_dir``) and return it."""
        return write_model_dir(
            model, out_dir, tokenizer=tokenizer, kg=kg, metadata=metadata, fmt=self.fmt
        )

    def load(self, model_dir: str | Path, *, device: str | None = None) -> LoadedModel:
        """Load a directory written by ``save`` (safetensors only; ``load_model_dir``).

        Raises:
            ModelError: Missing or corrupt files, a pickle where safetensors is expected.
        """
        return load_model_dir(
            model_dir, self.model_class, fmt=self.fmt, device=device, hint=self.hint
        )
