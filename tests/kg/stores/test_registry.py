"""``open_store``: URL schemes resolve to backends; unknown schemes are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgfuse.errors import StoreError
from kgfuse.kg.stores import open_store
from kgfuse.kg.stores.rdf import RdfStore


def test_open_store_routes_paths_to_the_embedded_store(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a")) as a, open_store(f"rdf:{tmp_path / 'b'}") as b:
        assert isinstance(a, RdfStore)
        assert isinstance(b, RdfStore)
    with pytest.raises(StoreError, match="unknown store scheme"):
        open_store("mongodb://localhost/x")
