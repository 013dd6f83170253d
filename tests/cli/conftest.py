"""Fixtures for the command tests: one real graph built from the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgfuse.cli.main import run


@pytest.fixture(scope="session")
def sample_graph(tmp_path_factory: pytest.TempPathFactory, sample_articles: Path) -> Path:
    """An embedded store built by ``kgfuse build`` from the bundled sample articles."""
    store = tmp_path_factory.mktemp("cli-graph") / "graph"
    assert run(["build", str(sample_articles), "--store", str(store), "--no-progress"]) == 0
    return store
