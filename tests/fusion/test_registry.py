"""The model-family registry: one place maps a saved model's type to its entry points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.classify.docgraph.io import load_document_graph
from kgfuse.fusion.qa.trainer import train_qa
from kgfuse.fusion.registry import ModelFamily, families, family, family_of, register_family


def test_built_in_families_and_their_entry_points_import() -> None:
    assert [(f.task, f.method) for f in families()] == [
        ("classify", "docgraph"),
        ("classify", "fusion"),
        ("qa", "ranker"),
    ]
    for registered in families():
        for role in registered.entry_points:
            assert callable(registered.entry_point(role))
    assert family("classify", "docgraph").entry_point("load") is load_document_graph
    assert family("qa", "ranker").entry_point("train") is train_qa
    with pytest.raises(ConfigError, match="docgraph or fusion, got 'magic'"):
        family("classify", "magic")
    with pytest.raises(ModelError, match="no 'ask' entry point"):
        family("classify", "fusion").entry_point("ask")


def test_family_of_reads_the_model_type(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "kgfuse_qa"}))
    assert family_of(tmp_path).method == "ranker"
    with pytest.raises(ModelError, match="not a kgfuse classify model"):
        family_of(tmp_path, task="classify")
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ModelError, match="'bert' model"):
        family_of(tmp_path)
    with pytest.raises(ModelError, match="does not exist"):
        family_of(tmp_path / "nowhere")


def test_a_new_family_registers_in_one_call(tmp_path: Path) -> None:
    extra = ModelFamily(
        task="classify",
        method="plugin",
        model_type="kgfuse-test-plugin",
        summary="a test family",
        entry_points={"load": "json:loads"},
    )
    register_family(extra)
    try:
        (tmp_path / "config.json").write_text(json.dumps({"model_type": "kgfuse-test-plugin"}))
        assert family_of(tmp_path, task="classify").entry_point("load") is json.loads
    finally:
        from kgfuse.fusion import registry

        registry._FAMILIES.pop("kgfuse-test-plugin")
