"""``train_document_graph`` end to end on tiny data with the tiny BERT."""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from kgfuse.errors import ConfigError, DataError
from kgfuse.fusion.classify.data import read_examples
from kgfuse.fusion.classify.docgraph import (
    DocGraphForSequenceClassification,
    DocGraphPredictor,
    load_document_graph,
    train_document_graph,
)
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.graph.data import KGData
from kgfuse.types import content_hash

from ....conftest import write_jsonl
from .conftest import group_rows, options, unique_texts


def nll(predictor: DocGraphPredictor, path: Path) -> float:
    """Mean negative log-likelihood of a data file's labels under a predictor."""
    examples = read_examples(path)
    label2id = predictor.model.config.label2id
    logits = torch.from_numpy(predictor.logits(examples))
    target = torch.tensor([label2id[ex.labels[0]] for ex in examples])
    return float(torch.nn.functional.cross_entropy(logits, target))


def test_metrics_and_files(trained: tuple[Path, dict, object], group_files) -> None:
    out, metrics, opts = trained
    train, evaluation = group_files
    for key in ("eval_accuracy", "eval_macro_f1", "best_epoch", "epochs_run"):
        assert key in metrics
    assert 0.0 <= metrics["eval_accuracy"] <= 1.0
    assert metrics["epochs_run"] == opts.epochs  # no dev slice: no early stopping
    assert metrics["best_epoch"] == opts.epochs
    assert "dev_accuracy" not in metrics
    assert metrics["train_examples"] == 40
    assert metrics["graph_documents"] == len(unique_texts(train, evaluation))
    assert metrics["graph_terms"] > 0 and metrics["term_edges"] > 0
    assert 0.0 < metrics["linked_fraction"] <= 1.0
    assert json.loads((out / "metrics.json").read_text()) == metrics
    saved = json.loads((out / "kgfuse_model.json").read_text())
    assert saved["format"] == "kgfuse-docgraph/1"
    assert saved["labels"] == ["music", "sport"]
    assert saved["multi_label"] is False
    assert saved["options"]["epochs"] == opts.epochs
    assert saved["metrics"] == metrics
    for name in ("config.json", "model.safetensors", "training_curves.png"):
        assert (out / name).is_file()
    assert (out / "text_encoder" / "model.safetensors").is_file()
    # text vectors are cached outside the model directory (KGFUSE_CACHE in the tests)
    assert not (out / "cache").exists()
    assert list((Path(os.environ["KGFUSE_CACHE"]) / "vectors").iterdir())


def test_training_lowers_the_loss(trained: tuple[Path, dict, object], group_files) -> None:
    """The trained model fits its training labels better than the model it started from
    (the trainer seeds ``options.seed`` right before building the model)."""
    out, _, opts = trained
    predictor = load_document_graph(out)
    torch.manual_seed(opts.seed)
    initial = DocGraphForSequenceClassification(predictor.model.config).eval()
    start = DocGraphPredictor(initial, predictor.state, predictor.encoder)
    before, after = nll(start, group_files[0]), nll(predictor, group_files[0])
    assert after < 0.8 * before, (before, after)


def test_graph_lambda_zero_baseline_runs_through_the_same_code(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, graph_lambda=0.0, epochs=10)
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=tmp_path, options=opts)
    assert "eval_accuracy" in metrics
    assert metrics["graph_documents"] == len(unique_texts(train, evaluation))
    predictor = load_document_graph(tmp_path)
    assert predictor.model.config.graph_lambda == 0.0
    examples = read_examples(evaluation)
    logits = torch.from_numpy(predictor.logits(examples))
    vectors = predictor.state.text_vectors[
        [predictor.state.node_of[content_hash(ex.text)] for ex in examples]
    ]
    with torch.no_grad():
        text = predictor.model.text_head(vectors)
    torch.testing.assert_close(logits.softmax(-1), text.softmax(-1), atol=1e-5, rtol=1e-5)


def test_inductive_graph_holds_only_training_texts(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    unlabeled = write_jsonl(tmp_path / "unlabeled.jsonl", group_rows(12, 13, prefix="u"))
    opts = options(tiny_bert_dir, transductive=False)
    metrics = train_document_graph(
        train,
        evaluation,
        graph=tiny_kg,
        out_dir=tmp_path / "m",
        options=opts,
        unlabeled_path=unlabeled,
    )
    assert metrics["graph_documents"] == len(unique_texts(train))
    assert "eval_accuracy" in metrics  # the evaluation texts are attached, not nodes
    state = load_document_graph(tmp_path / "m").state
    train_keys = {content_hash(t) for t in unique_texts(train)}
    assert set(state.doc_keys) == train_keys
    only_eval = [t for t in unique_texts(evaluation) if content_hash(t) not in train_keys]
    assert only_eval
    assert not any(content_hash(t) in state.node_of for t in only_eval)


def test_transductive_graph_holds_eval_and_unlabeled_texts(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    rows = group_rows(12, 13, prefix="u")
    for row in rows[::2]:
        del row["label"]  # unlabelled data need no label column
    unlabeled = write_jsonl(tmp_path / "unlabeled.jsonl", rows)
    metrics = train_document_graph(
        train,
        evaluation,
        graph=tiny_kg,
        out_dir=tmp_path / "m",
        options=options(tiny_bert_dir, transductive=True),
        unlabeled_path=unlabeled,
    )
    texts = unique_texts(train, evaluation, unlabeled)
    assert len(texts) > len(unique_texts(train, evaluation))
    assert metrics["graph_documents"] == len(texts)
    assert metrics["train_examples"] == 40
    state = load_document_graph(tmp_path / "m").state
    assert state.doc_keys == tuple(content_hash(t) for t in texts)  # nodes in data order
    assert state.text_vectors.shape == (len(texts), 32)
    assert state.doc_term.shape == (len(texts), metrics["graph_terms"])


def test_eval_label_unseen_in_training_raises_data_error(
    tmp_path: Path, tiny_bert_dir: Path, group_files
) -> None:
    rows = group_rows(6, 14)
    rows[2]["label"] = "politics"
    evaluation = write_jsonl(tmp_path / "eval.jsonl", rows)
    with pytest.raises(DataError, match="politics"):
        train_document_graph(
            group_files[0],
            evaluation,
            graph=None,
            out_dir=tmp_path / "m",
            options=options(tiny_bert_dir),
        )


def test_empty_train_file_raises_data_error(tmp_path: Path, tiny_bert_dir: Path) -> None:
    empty = tmp_path / "train.jsonl"
    empty.write_text("")
    with pytest.raises(DataError, match="no examples"):
        train_document_graph(
            empty, None, graph=None, out_dir=tmp_path / "m", options=options(tiny_bert_dir)
        )


def test_single_label_training_needs_two_labels(tmp_path: Path, tiny_bert_dir: Path) -> None:
    rows = [dict(row, label="sport") for row in group_rows(8, 15)]
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    with pytest.raises(DataError, match="two labels"):
        train_document_graph(
            train, train, graph=None, out_dir=tmp_path / "m", options=options(tiny_bert_dir)
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"graph_lambda": 1.5},
        {"graph_lambda": -0.1},
        {"dev_fraction": 1.0},
        {"dev_fraction": -0.2},
        {"metric_for_best_model": "loss"},
        {"epochs": 0},
    ],
)
def test_bad_options_raise_config_error(
    tmp_path: Path, tiny_bert_dir: Path, group_files, bad: dict
) -> None:
    with pytest.raises(ConfigError):
        train_document_graph(
            group_files[0],
            group_files[1],
            graph=None,
            out_dir=tmp_path / "m",
            options=options(tiny_bert_dir, **bad),
        )
    assert not (tmp_path / "m").exists()  # checked before anything is written


def test_bad_graph_raises_config_error(tmp_path: Path, tiny_bert_dir: Path, group_files) -> None:
    with pytest.raises(ConfigError, match="graph"):
        train_document_graph(
            group_files[0],
            group_files[1],
            graph="not a graph",
            out_dir=tmp_path / "m",
            options=options(tiny_bert_dir),
        )


def test_too_few_texts_for_the_dev_slice_raises_data_error(
    tmp_path: Path, tiny_bert_dir: Path
) -> None:
    rows = [
        {"text": "alice plays in club", "label": "sport", "entities": ["alice"]},
        {"text": "dave plays in band", "label": "music", "entities": ["dave"]},
    ]
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    with pytest.raises(DataError, match="dev slice"):
        train_document_graph(
            train,
            train,
            graph=None,
            out_dir=tmp_path / "m",
            options=options(tiny_bert_dir, dev_fraction=0.9),
        )


def test_dev_slice_early_stopping_keeps_the_best_weights(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files
) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, dev_fraction=0.25, patience=2, epochs=60)
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=tmp_path, options=opts)
    assert 1 <= metrics["best_epoch"] <= metrics["epochs_run"]
    assert metrics["epochs_run"] <= metrics["best_epoch"] + opts.patience
    assert metrics["epochs_run"] < opts.epochs  # dev accuracy cannot rise 60 epochs in a row
    # the dev slice: a seeded shuffle of the training examples (dev texts are graph nodes)
    examples = read_examples(train)
    random.Random(opts.seed).shuffle(examples)
    dev = examples[: round(len(examples) * opts.dev_fraction)]
    predictor = load_document_graph(tmp_path)
    assert all(content_hash(ex.text) in predictor.state.node_of for ex in dev)
    label2id = predictor.model.config.label2id
    scores = classification_metrics(
        predictor.logits(dev), np.array([label2id[ex.labels[0]] for ex in dev]), multi_label=False
    )
    assert scores["accuracy"] == pytest.approx(metrics["dev_accuracy"])
    assert scores["macro_f1"] == pytest.approx(metrics["dev_macro_f1"])


def test_same_seed_same_model(tmp_path: Path, tiny_bert_dir: Path, group_files) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, epochs=3, cache_dir=str(tmp_path / "cache"))
    runs = [
        train_document_graph(train, evaluation, graph=None, out_dir=tmp_path / d, options=opts)
        for d in ("a", "b")
    ]
    assert runs[0] == runs[1]
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (
        tmp_path / "b" / "model.safetensors"
    ).read_bytes()
    other = train_document_graph(
        train, evaluation, graph=None, out_dir=tmp_path / "c", options=replace(opts, seed=7)
    )
    assert (tmp_path / "c" / "model.safetensors").read_bytes() != (
        tmp_path / "a" / "model.safetensors"
    ).read_bytes()
    assert other["graph_documents"] == runs[0]["graph_documents"]


def test_texts_without_entities_are_linked_to_the_graph(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData
) -> None:
    rows = group_rows(30, 18)
    for row in rows:
        del row["entities"]
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    metrics = train_document_graph(
        train, train, graph=tiny_kg, out_dir=tmp_path / "m", options=options(tiny_bert_dir)
    )
    assert metrics["linked_fraction"] == 1.0  # every text names a person of the graph
    terms = load_document_graph(tmp_path / "m").state.terms.terms
    assert "e:club" in terms and "e:band" in terms
    assert all(term.startswith("e:") for term in terms)


def test_word_terms(tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, group_files) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, words=True)
    metrics = train_document_graph(train, evaluation, graph=tiny_kg, out_dir=tmp_path, options=opts)
    predictor = load_document_graph(tmp_path)
    assert predictor.words is True
    terms = predictor.state.terms.terms
    assert "w:plays" not in terms  # in every text: above max_df
    assert any(term.startswith("w:") for term in terms)
    assert any(term.startswith("e:") for term in terms)
    assert metrics["graph_terms"] == len(terms)


def test_multi_label_training(tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData) -> None:
    rows = group_rows(30, 19)
    for i, row in enumerate(rows):
        row["label"] = [row["label"], "people"] if i % 3 else [row["label"]]
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    evaluation = write_jsonl(tmp_path / "eval.jsonl", rows[:10])
    metrics = train_document_graph(
        train,
        evaluation,
        graph=tiny_kg,
        out_dir=tmp_path / "m",
        options=options(tiny_bert_dir, dev_fraction=0.2, epochs=4),
    )
    for key in ("eval_accuracy", "eval_macro_f1", "eval_micro_f1", "dev_micro_f1"):
        assert key in metrics
    predictor = load_document_graph(tmp_path / "m")
    assert predictor.model.config.multi_label
    assert predictor.metadata["labels"] == ["music", "people", "sport"]
    logits = predictor.logits(read_examples(evaluation))
    assert logits.shape == (10, 3)
    assert np.isfinite(logits).all()


def test_without_eval_data(tmp_path: Path, tiny_bert_dir: Path, group_files) -> None:
    """``eval_path`` is optional (``None`` by default)."""
    metrics = train_document_graph(
        group_files[0], None, graph=None, out_dir=tmp_path, options=options(tiny_bert_dir)
    )
    assert "eval_accuracy" not in metrics
    assert metrics["graph_documents"] == len(unique_texts(group_files[0]))


def test_graph_lambda_is_chosen_on_the_dev_slice(
    tmp_path: Path, tiny_bert_dir, group_files
) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, epochs=15, dev_fraction=0.25, patience=None, graph_lambda=None)
    metrics = train_document_graph(
        train, evaluation, graph=None, out_dir=tmp_path / "m", options=opts
    )
    chosen = metrics["graph_lambda"]
    assert chosen in [i / 10 for i in range(11)]
    predictor = load_document_graph(tmp_path / "m")
    assert predictor.model.config.graph_lambda == chosen  # saved with the model
    # the reported dev score is the best epoch's, at the weight chosen for that epoch
    history = json.loads((tmp_path / "m" / "training_history.json").read_text())
    dev_scores = [h["dev_accuracy"] for h in history if "dev_accuracy" in h]
    assert metrics["dev_accuracy"] == max(dev_scores)


def test_fixed_graph_lambda_is_kept(tmp_path: Path, tiny_bert_dir, group_files) -> None:
    train, evaluation = group_files
    opts = options(tiny_bert_dir, epochs=5, dev_fraction=0.25, graph_lambda=0.4)
    metrics = train_document_graph(
        train, evaluation, graph=None, out_dir=tmp_path / "m", options=opts
    )
    assert metrics["graph_lambda"] == 0.4
    assert load_document_graph(tmp_path / "m").model.config.graph_lambda == 0.4


def test_bad_objective_is_refused(tmp_path: Path, tiny_bert_dir, group_files) -> None:
    train, _ = group_files
    with pytest.raises(ConfigError, match="objective"):
        train_document_graph(
            train,
            graph=None,
            out_dir=tmp_path / "m",
            options=options(tiny_bert_dir, objective="both"),
        )


def _unlinked_rows(n: int) -> list[dict]:
    return [
        {"text": f"the story about news {i} {'sport' if i % 2 else 'music'}", "label": label}
        for i, label in enumerate(["sport" if i % 2 else "music" for i in range(n)])
    ]


def test_texts_without_any_graph_term_fall_back_to_text_only(
    tmp_path: Path, tiny_bert_dir: Path, caplog
) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", _unlinked_rows(20))
    opts = options(tiny_bert_dir, cv_folds=2, graph_lambda=None)
    with caplog.at_level("WARNING", logger="kgfuse"):
        metrics = train_document_graph(
            train, train, graph=None, out_dir=tmp_path / "m", options=opts
        )
    assert metrics["graph_terms"] == 0
    assert metrics["graph_lambda"] == 0.0
    assert "training the text head only" in caplog.text
    predictor = load_document_graph(tmp_path / "m")
    assert predictor.model.config.graph_lambda == 0.0
    assert predictor.logits(read_examples(train)).shape == (20, 2)


def test_a_store_with_no_entities_gives_a_words_only_graph(
    tmp_path: Path, tiny_bert_dir: Path, caplog
) -> None:
    from kgfuse.kg.store import open_store

    train = write_jsonl(tmp_path / "train.jsonl", _unlinked_rows(20))
    opts = options(tiny_bert_dir, words=True, cv_folds=2, graph_lambda=None)
    with open_store(str(tmp_path / "empty-store")) as store, caplog.at_level("WARNING"):
        metrics = train_document_graph(
            train, None, graph=store, out_dir=tmp_path / "m", options=opts
        )
    assert metrics["graph_terms"] > 0  # the words shared by several texts
    assert metrics["linked_fraction"] == 0.0
    assert "no training text links a graph entity" in caplog.text
