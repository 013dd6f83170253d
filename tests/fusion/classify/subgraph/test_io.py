"""Save -> load gives identical logits; broken directories raise ModelError, never unpickle."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
import torch
from transformers import BertTokenizer

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.subgraph.io import load_classifier, save_classifier
from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.graph.data import KGData

from .test_model import batch, make_model


@pytest.fixture
def saved(tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData) -> tuple[Path, torch.Tensor, dict]:
    model = make_model(tiny_kg, fusion="cross_attention", graph_encoder="rgcn").eval()
    inputs = batch(tiny_kg, [["alice"], [], ["dave", "band"]])
    with torch.no_grad():
        logits = model(**inputs).logits
    tokenizer = BertTokenizer.from_pretrained(str(tiny_bert_dir))
    metadata = {"labels": ["a", "b", "c"], "multi_label": False}
    out = save_classifier(model, tmp_path / "m", tokenizer=tokenizer, kg=tiny_kg, metadata=metadata)
    return out, logits, inputs


def test_save_load_identical_logits(
    saved: tuple[Path, torch.Tensor, dict], tiny_kg: KGData
) -> None:
    path, logits, inputs = saved
    loaded = load_classifier(path)
    assert loaded.kg.entity_vocab == tiny_kg.entity_vocab
    assert loaded.metadata["labels"] == ["a", "b", "c"]
    with torch.no_grad():
        assert torch.equal(loaded.model(**inputs).logits, logits)
    again = KGFusionForSequenceClassification.from_pretrained(path).eval()
    with torch.no_grad():
        assert torch.equal(again(**inputs).logits, logits)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_classifier(tmp_path / "nowhere")


def test_pickle_instead_of_safetensors_is_refused(saved: tuple[Path, torch.Tensor, dict]) -> None:
    path, _, _ = saved
    torch.save({"weight": torch.zeros(2)}, path / "model.safetensors")
    with pytest.raises(ModelError, match="pickle"):
        load_classifier(path)
    (path / "model.safetensors").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ModelError, match="never unpickles"):
        KGFusionForSequenceClassification.from_pretrained(path)


def test_corrupt_weights_config_and_missing_files(
    saved: tuple[Path, torch.Tensor, dict], tmp_path: Path
) -> None:
    path, _, _ = saved
    broken = tmp_path / "broken"
    shutil.copytree(path, broken)
    data = (broken / "model.safetensors").read_bytes()
    (broken / "model.safetensors").write_bytes(data[:8] + b"{not json" + data[17:100])
    with pytest.raises(ModelError, match="corrupt"):
        load_classifier(broken)
    shutil.copy(path / "model.safetensors", broken / "model.safetensors")
    (broken / "model.safetensors").write_bytes((path / "model.safetensors").read_bytes()[:-64])
    with pytest.raises(ModelError):
        load_classifier(broken)
    shutil.copy(path / "model.safetensors", broken / "model.safetensors")
    (broken / "config.json").write_text("{")
    with pytest.raises(ModelError, match=r"config\.json"):
        load_classifier(broken)
    (broken / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ModelError, match="kgfusion"):
        load_classifier(broken)
    shutil.copy(path / "config.json", broken / "config.json")
    (broken / "entity_vocab.json").unlink()
    with pytest.raises(ModelError, match=r"entity_vocab\.json"):
        load_classifier(broken)
