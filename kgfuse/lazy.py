"""Lazy public names for package ``__init__`` modules: ``import kgfuse`` stays light (no
torch, spaCy or database driver) until a name that needs one is used."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """Return a module ``__getattr__`` that imports each public name from its module on use.

    Args:
        package: The package's ``__name__`` (for the error message).
        exports: Public name to the module that defines it.
    """

    def __getattr__(name: str) -> Any:
        if name in exports:
            return getattr(import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
