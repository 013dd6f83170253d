"""Saving and loading a document-graph directory: identical logits, safetensors only, and
``ModelError`` for anything missing, corrupt or of another kind."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.data import Example, LabelSpace, read_examples
from kgfuse.fusion.classify.docgraph import (
    DocGraphConfig,
    DocGraphForSequenceClassification,
    DocGraphPredictor,
    is_document_graph_dir,
    load_document_graph,
)
from kgfuse.fusion.classify.docgraph.adjacency import doc_term_matrix
from kgfuse.fusion.classify.docgraph.io import save_document_graph
from kgfuse.fusion.classify.docgraph.state import DOC_KEYS_FILE, DOCS_FILE, GraphState
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.fusion.classify.docgraph.terms import document_terms
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.graph.data import KGData
from kgfuse.types import content_hash

from .conftest import bag, options

NEW = [
    Example("alice plays in club today", entities=("alice", "club")),
    Example("news about nobody", entities=()),
    Example("erin and dave in the band", entities=("erin", "dave", "band")),
]
GRAPH_TEXTS = [
    ("alice plays in club", ("alice", "club")),
    ("bob plays in club", ("bob", "club")),
    ("carol news club", ("carol", "club")),
    ("dave plays in band", ("dave", "band")),
    ("erin news band", ("erin", "band")),
    ("alice and bob", ("alice", "bob")),
    ("the old story", ()),
]


def hand_made_predictor(tiny_bert_dir: Path, tiny_kg: KGData) -> DocGraphPredictor:
    """A predictor built without the trainer: random weights over a small graph."""
    encoder = FrozenTextEncoder.load(tiny_bert_dir)
    bags = [document_terms(text, entities) for text, entities in GRAPH_TEXTS]
    terms = TermGraph.fit(bags, kg=tiny_kg, min_df=1, max_df=0.5)
    state = GraphState(
        terms,
        tuple(content_hash(text) for text, _ in GRAPH_TEXTS),
        encoder.encode([text for text, _ in GRAPH_TEXTS]),
        doc_term_matrix(bags, terms),
    )
    torch.manual_seed(3)
    config = DocGraphConfig(
        text_dim=encoder.dim,
        num_terms=terms.num_terms,
        hidden_size=8,
        graph_lambda=0.6,
        text_model_name_or_path=str(tiny_bert_dir),
        num_labels=3,
        id2label={0: "a", 1: "b", 2: "c"},
        label2id={"a": 0, "b": 1, "c": 2},
    )
    model = DocGraphForSequenceClassification(config).eval()
    with torch.no_grad():
        model.term_embeddings.normal_()
    return DocGraphPredictor(model, state, encoder)


def graph_examples() -> list[Example]:
    return [Example(text, entities=entities) for text, entities in GRAPH_TEXTS]


def save(predictor: DocGraphPredictor, out: Path, **option_overrides: object) -> Path:
    return save_document_graph(
        predictor,
        out,
        labels=LabelSpace(("a", "b", "c"), False),
        options=options(Path("unused"), **option_overrides),
        metrics={"eval_accuracy": 0.5},
        history=[{"step": 1, "epoch": 1, "loss": 1.0}, {"step": 2, "epoch": 2, "loss": 0.5}],
    )


@pytest.fixture
def saved(tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData) -> tuple[Path, np.ndarray]:
    """A saved hand-made predictor and its logits for the graph texts then ``NEW``."""
    predictor = hand_made_predictor(tiny_bert_dir, tiny_kg)
    logits = predictor.logits([*graph_examples(), *NEW])
    return save(predictor, tmp_path / "m"), logits


def test_save_load_gives_identical_logits(saved: tuple[Path, np.ndarray]) -> None:
    path, logits = saved
    assert is_document_graph_dir(path)
    loaded = load_document_graph(path)
    assert not loaded.model.training
    np.testing.assert_array_equal(loaded.logits([*graph_examples(), *NEW]), logits)
    assert loaded.metadata["labels"] == ["a", "b", "c"]
    assert loaded.metadata["metrics"] == {"eval_accuracy": 0.5}
    assert json.loads((path / "metrics.json").read_text()) == {"eval_accuracy": 0.5}
    assert (path / "training_curves.png").is_file()
    assert loaded.words is False


def test_save_load_keeps_the_graph(
    saved: tuple[Path, np.ndarray], tiny_bert_dir: Path, tiny_kg: KGData
) -> None:
    path, _ = saved
    original = hand_made_predictor(tiny_bert_dir, tiny_kg).state
    state = load_document_graph(path).state
    assert state.doc_keys == original.doc_keys
    assert state.terms.terms == original.terms.terms
    assert torch.equal(state.text_vectors, original.text_vectors)
    assert (state.doc_term != original.doc_term).nnz == 0
    np.testing.assert_array_equal(state.terms.edge_weight, original.terms.edge_weight)
    np.testing.assert_array_equal(
        state.adjacency.full.to_dense().numpy(), original.adjacency.full.to_dense().numpy()
    )


def test_saved_words_setting_is_loaded(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData
) -> None:
    predictor = hand_made_predictor(tiny_bert_dir, tiny_kg)
    assert load_document_graph(save(predictor, tmp_path / "w", words=True)).words is True


def test_trained_model_reloads_with_its_eval_metrics(
    trained: tuple[Path, dict, object], group_files: tuple[Path, Path], tmp_path: Path
) -> None:
    """The eval metrics computed in memory at the end of training are those of the saved
    model; saving the loaded model again changes no logit."""
    path, metrics, opts = trained
    predictor = load_document_graph(path)
    examples = read_examples(group_files[1])
    label2id = predictor.model.config.label2id
    target = np.array([label2id[ex.labels[0]] for ex in examples])
    logits = predictor.logits(examples)
    scores = classification_metrics(logits, target, multi_label=False)
    assert scores["accuracy"] == pytest.approx(metrics["eval_accuracy"])
    assert scores["macro_f1"] == pytest.approx(metrics["eval_macro_f1"])
    again = save_document_graph(
        predictor,
        tmp_path / "again",
        labels=LabelSpace(tuple(predictor.metadata["labels"]), False),
        options=opts,
        metrics=metrics,
        history=[],
    )
    reloaded = load_document_graph(again)
    np.testing.assert_array_equal(
        reloaded.logits([*examples, *NEW]), predictor.logits([*examples, *NEW])
    )


def test_loading_never_unpickles(
    saved: tuple[Path, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, logits = saved

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("something was unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(torch, "load", refuse)
    loaded = load_document_graph(path)
    np.testing.assert_array_equal(loaded.logits([*graph_examples(), *NEW]), logits)


def test_pickle_weights_are_refused(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    torch.save({"term_embeddings": torch.zeros(2)}, path / "model.safetensors")
    with pytest.raises(ModelError, match="pickle"):
        load_document_graph(path)
    (path / "model.safetensors").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ModelError, match="pickle"):
        load_document_graph(path)


def test_pickle_text_encoder_is_refused(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    torch.save({"weight": torch.zeros(2)}, path / "text_encoder" / "model.safetensors")
    with pytest.raises(ModelError, match="pickle"):
        load_document_graph(path)


def test_missing_directory_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_document_graph(tmp_path / "nowhere")
    assert not is_document_graph_dir(tmp_path / "nowhere")


def test_other_model_type_raises_model_error(tiny_bert_dir: Path, tmp_path: Path) -> None:
    assert not is_document_graph_dir(tiny_bert_dir)
    with pytest.raises(ModelError, match="kgfuse-docgraph"):
        load_document_graph(tiny_bert_dir)
    with pytest.raises(ModelError, match="kgfuse-docgraph"):
        load_document_graph(tmp_path)  # no config.json at all
    (tmp_path / "config.json").write_text("[1, 2]")
    with pytest.raises(ModelError, match="kgfuse-docgraph"):
        load_document_graph(tmp_path)


def test_wrong_metadata_format_raises_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    metadata = json.loads((path / "kgfuse_model.json").read_text())
    (path / "kgfuse_model.json").write_text(json.dumps({**metadata, "format": "other/1"}))
    with pytest.raises(ModelError, match="format"):
        load_document_graph(path)
    (path / "kgfuse_model.json").write_text("{broken")
    with pytest.raises(ModelError):
        load_document_graph(path)


def test_missing_metadata_raises_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    (path / "kgfuse_model.json").unlink()
    with pytest.raises(ModelError):
        load_document_graph(path)


def test_missing_graph_files_raise_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    for name in ("docgraph_terms.json", "docgraph_terms.safetensors", DOCS_FILE, DOC_KEYS_FILE):
        broken = path.parent / f"without_{name}"
        shutil.copytree(path, broken)
        (broken / name).unlink()
        with pytest.raises(ModelError):
            load_document_graph(broken)


def test_inconsistent_graph_raises_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    keys = json.loads((path / DOC_KEYS_FILE).read_text())
    (path / DOC_KEYS_FILE).write_text(json.dumps(keys[:-1]))
    with pytest.raises(ModelError):
        load_document_graph(path)
    (path / DOC_KEYS_FILE).write_text(json.dumps(keys))
    load_document_graph(path)  # restored
    TermGraph.fit([bag("e:x", "e:y")] * 2, min_df=1, max_df=1.0).save(path)
    with pytest.raises(ModelError):
        load_document_graph(path)


def test_truncated_weights_raise_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    weights = path / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-16])
    with pytest.raises(ModelError):
        load_document_graph(path)


def test_truncated_text_encoder_raises_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    weights = path / "text_encoder" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-16])  # header intact, tensors cut short
    with pytest.raises(ModelError, match="cannot load text encoder"):
        load_document_graph(path)


def test_corrupt_document_file_raises_model_error(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    documents = path / DOCS_FILE
    documents.write_bytes(documents.read_bytes()[:-16])
    with pytest.raises(ModelError):
        load_document_graph(path)
    torch.save({"text_vectors": torch.zeros(2)}, documents)  # a pickle is not read either
    with pytest.raises(ModelError):
        load_document_graph(path)
