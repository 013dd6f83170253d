"""Mini-batch training of the document graph: a batch's logits equal the full graph's, the
batch reads only its neighbourhood, the size threshold and the flag choose the mode, and
cross-validated selection, saving and loading work in mini-batch mode."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.minibatch import (
    FullGraph,
    MiniBatches,
    graph_batches,
    mini_batch_mode,
)
from kgfuse.graph.data import KGData

from .conftest import options


@pytest.fixture(scope="module", params=["gcn", "sgc"])
def mini_trained(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    tiny_bert_dir: Path,
    tiny_kg: KGData,
    group_files: tuple[Path, Path],
) -> tuple[Path, dict]:
    """A model trained in mini-batches of 8 documents with 2-fold cross-validation."""
    out = tmp_path_factory.mktemp(f"mini_{request.param}") / "model"
    opts = options(
        tiny_bert_dir,
        graph_model=request.param,
        words=True,
        epochs=6,
        cv_folds=2,
        mini_batch=True,
        batch_size=8,
    )
    metrics = train_document_graph(
        group_files[0], group_files[1], graph=tiny_kg, out_dir=out, options=opts
    )
    return out, metrics


def test_mini_batch_logits_equal_the_full_graph(mini_trained: tuple[Path, dict]) -> None:
    out, metrics = mini_trained
    assert metrics["mini_batch"] is True and metrics["cv_folds"] == 2
    loaded = load_document_graph(out)
    model, state = loaded.model, loaded.state
    model.config.graph_lambda = 0.5  # cross-validation may have dropped the graph: compare it
    docs = torch.arange(len(state.doc_keys))
    device = torch.device("cpu")
    full_graph, full_text = FullGraph(model, state, device).parts(model, docs)
    mini = MiniBatches(model, state, device, batch_size=8, seed=0)
    mini_graph, mini_text = mini.parts(model, docs)
    assert full_graph is not None and mini_graph is not None
    torch.testing.assert_close(mini_text, full_text)
    torch.testing.assert_close(mini_graph, full_graph, atol=1e-5, rtol=1e-4)
    assert full_graph.std() > 0  # not a constant that would match anyway


def test_a_batch_reads_only_its_neighbourhood(mini_trained: tuple[Path, dict]) -> None:
    loaded = load_document_graph(mini_trained[0])
    state = loaded.state
    mini = MiniBatches(loaded.model, state, torch.device("cpu"), batch_size=4, seed=0)
    first, *_, position = mini.batch(torch.tensor([0, 1]))
    nodes = len(state.doc_keys) + state.terms.num_terms
    assert position.tolist() == [0, 1]
    assert first.shape[0] < nodes  # GCN: the nodes it reads; SGC: its two rows
    if loaded.model.config.graph_model == "sgc":
        assert first.shape[0] == 2


def test_mini_batch_run_saves_and_reloads_to_its_scores(
    mini_trained: tuple[Path, dict], group_files: tuple[Path, Path]
) -> None:
    out, metrics = mini_trained
    evaluation = read_examples(group_files[1])
    first = load_document_graph(out).logits(evaluation)
    np.testing.assert_array_equal(load_document_graph(out).logits(evaluation), first)
    labels = load_document_graph(out).metadata["labels"]
    truth = [labels.index(ex.labels[0]) for ex in evaluation]
    assert np.mean(first.argmax(1) == np.array(truth)) == pytest.approx(metrics["eval_accuracy"])
    history = json.loads((out / "training_history.json").read_text())
    losses = [h["loss"] for h in history if "loss" in h]
    assert len(losses) == metrics["best_epoch"]  # the refit, for the epochs chosen by CV
    assert len(losses) == 1 or losses[-1] < losses[0]


def test_the_size_threshold_and_the_flag_choose_the_mode(
    mini_trained: tuple[Path, dict], tiny_bert_dir: Path
) -> None:
    loaded = load_document_graph(mini_trained[0])
    state = loaded.state
    nodes = len(state.doc_keys) + state.terms.num_terms
    graph_model = loaded.model.config.graph_model
    auto = options(tiny_bert_dir, graph_model=graph_model)
    assert not mini_batch_mode(auto, state)  # default threshold: far above this tiny graph
    assert mini_batch_mode(replace(auto, mini_batch_threshold=nodes - 1), state)
    assert not mini_batch_mode(replace(auto, mini_batch_threshold=nodes), state)
    assert not mini_batch_mode(replace(auto, mini_batch_threshold=0, mini_batch=False), state)
    assert mini_batch_mode(replace(auto, mini_batch=True), state)
    device = torch.device("cpu")
    small = graph_batches(loaded.model, state, replace(auto, mini_batch_threshold=0), device)
    assert isinstance(small, MiniBatches)
    assert isinstance(graph_batches(loaded.model, state, auto, device), FullGraph)
    # a model without mini-batch support stays on the full graph when chosen by size
    rsgc = replace(auto, graph_model="rsgc", mini_batch_threshold=0)
    assert not mini_batch_mode(rsgc, state)


def test_mini_batch_settings_are_checked(tiny_bert_dir: Path) -> None:
    with pytest.raises(ConfigError, match="supports graph_model gcn and sgc, not 'rsgc'"):
        options(tiny_bert_dir, graph_model="rsgc", mini_batch=True).check()
    with pytest.raises(ConfigError, match="batch_size must be at least 1"):
        options(tiny_bert_dir, batch_size=0).check()
