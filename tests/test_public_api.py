"""The public Python API: every name in ``kgfuse.__all__`` (and the round-1 names of
``kgfuse.fusion``) imports, and ``import kgfuse`` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kgfuse
import kgfuse.fusion


@pytest.mark.parametrize("module", [kgfuse, kgfuse.fusion], ids=["kgfuse", "kgfuse.fusion"])
def test_every_exported_name_imports(module) -> None:
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == []
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        module.nothing_here  # noqa: B018


def test_import_kgfuse_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, kgfuse; print(sorted({'torch', 'spacy', 'transformers'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_readme_names_are_the_api() -> None:
    assert {"build_graph", "open_store", "train_document_graph", "train_qa", "answer"} <= set(
        kgfuse.__all__
    )
    assert kgfuse.open_store is __import__("kgfuse.kg.store", fromlist=["x"]).open_store
