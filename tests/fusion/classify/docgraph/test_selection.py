"""Cross-validated choice of the graph weight: folds, the paired test, and the two cases
that matter (a graph that only adds noise gets weight 0; a graph that carries the label is
kept), on real small data with the tiny random BERT."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from kgfuse.errors import ConfigError, DataError
from kgfuse.fusion.classify.data import Example
from kgfuse.fusion.classify.docgraph import load_document_graph, train_document_graph
from kgfuse.fusion.classify.docgraph.paired import paired_bootstrap
from kgfuse.fusion.classify.docgraph.selection import stratified_folds

from ....conftest import FILLER, write_jsonl
from .conftest import options

NOISE = [f"noise{i}" for i in range(12)]


def labelled_pairs(counts: dict[str, int]) -> list[tuple[int, Example]]:
    labels = [label for label, n in counts.items() for _ in range(n)]
    return [(i, Example(f"text {i}", (label,))) for i, label in enumerate(labels)]


def test_folds_are_seeded_disjoint_and_stratified() -> None:
    pairs = labelled_pairs({"sport": 30, "music": 10})
    folds = stratified_folds(pairs, 5, seed=3)
    assert sorted(i for fold in folds for i in fold) == list(range(40))
    for fold in folds:
        counts = Counter(pairs[i][1].labels[0] for i in fold)
        assert counts == {"sport": 6, "music": 2}
    assert stratified_folds(pairs, 5, seed=3) == folds
    assert stratified_folds(pairs, 5, seed=4) != folds
    with pytest.raises(DataError, match="too few for 5 folds"):
        stratified_folds(pairs[:4], 5, seed=3)


def test_paired_bootstrap() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 200)
    right = np.eye(2)[truth] * 4.0  # [200, 2] logits that are always right
    coin = rng.normal(size=(200, 2))  # logits right about half the time
    assert paired_bootstrap(right, coin, truth, metric="accuracy", multi_label=False, seed=1) == 0
    same = paired_bootstrap(coin, coin, truth, metric="macro_f1", multi_label=False, seed=1)
    assert same == 1.0  # never better than itself


def rows(n: int, seed: int, *, label_in_text: bool, entity_is_label: bool) -> list[dict]:
    """Texts of random filler; the label is in three of four texts' words, or in the linked
    entity (``club`` for sport, ``band`` for music); otherwise the entity is random noise."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        label = "sport" if i % 2 else "music"
        words = [*rng.sample(FILLER, 5), f"{i}"]
        if label_in_text and rng.random() < 0.75:
            words.insert(rng.randrange(len(words)), label)
        entity = ("club" if label == "sport" else "band") if entity_is_label else rng.choice(NOISE)
        out.append({"id": f"r{i}", "text": " ".join(words), "label": label, "entities": [entity]})
    return out


def train(tmp_path: Path, tiny_bert_dir: Path, data: list[dict], **overrides: object) -> dict:
    path = write_jsonl(tmp_path / "train.jsonl", data)
    settings = {"cv_folds": 4, "epochs": 40, "patience": None, "graph_lambda": None}
    settings.update(overrides)
    opts = options(tiny_bert_dir, min_df=1, use_facts=False, **settings)
    return train_document_graph(path, None, graph=None, out_dir=tmp_path / "m", options=opts)


def test_a_graph_that_only_adds_noise_gets_weight_zero(tmp_path: Path, tiny_bert_dir) -> None:
    data = rows(48, 5, label_in_text=True, entity_is_label=False)
    metrics = train(tmp_path, tiny_bert_dir, data)
    assert metrics["graph_lambda"] == 0.0
    assert metrics["cv_graph_kept"] is False
    assert metrics["cv_folds"] == 4
    assert load_document_graph(tmp_path / "m").model.config.graph_lambda == 0.0


def test_a_graph_that_carries_the_label_is_kept(tmp_path: Path, tiny_bert_dir) -> None:
    data = rows(48, 6, label_in_text=False, entity_is_label=True)
    metrics = train(tmp_path, tiny_bert_dir, data)
    assert metrics["cv_graph_kept"] is True
    assert metrics["graph_lambda"] == metrics["cv_best_lambda"] > 0
    assert metrics["cv_graph_accuracy"] > metrics["cv_text_accuracy"]
    assert metrics["cv_p_value"] < 0.05
    # refit on all labelled texts for the chosen number of epochs, saved with the weight
    assert metrics["epochs_run"] == metrics["best_epoch"]
    predictor = load_document_graph(tmp_path / "m")
    assert predictor.model.config.graph_lambda == metrics["graph_lambda"]
    history = json.loads((tmp_path / "m" / "training_history.json").read_text())
    assert max(h["cv_accuracy"] for h in history if "cv_accuracy" in h) == pytest.approx(
        metrics["cv_graph_accuracy"]
    )
    assert not any("eval_accuracy" in h for h in history)  # dev/cv scores are named apart


def test_a_fixed_weight_is_still_tested_against_text_only(tmp_path: Path, tiny_bert_dir) -> None:
    data = rows(48, 5, label_in_text=True, entity_is_label=False)
    metrics = train(tmp_path, tiny_bert_dir, data, graph_lambda=0.5, significance=1.0)
    assert metrics["cv_best_lambda"] == 0.5
    assert metrics["graph_lambda"] in (0.0, 0.5)  # kept only if it scored above text only


def test_bad_selection_settings(tmp_path: Path, tiny_bert_dir) -> None:
    data = rows(8, 1, label_in_text=True, entity_is_label=True)
    with pytest.raises(ConfigError, match="cv_folds"):
        train(tmp_path, tiny_bert_dir, data, cv_folds=1)
    with pytest.raises(ConfigError, match="significance"):
        train(tmp_path, tiny_bert_dir, data, significance=0.0)
    with pytest.raises(DataError, match="too few for 10 folds"):
        train(tmp_path, tiny_bert_dir, data, cv_folds=10)


def test_every_fold_rule_is_stricter(tmp_path: Path, tiny_bert_dir) -> None:
    """The same folds and training under both rules: the pooled test keeps the graph that
    carries the label; ``every_fold`` keeps it only if it is also ahead on each fold."""
    for sub in "abc":
        (tmp_path / sub).mkdir()
    data = rows(48, 6, label_in_text=False, entity_is_label=True)
    pooled = train(tmp_path / "a", tiny_bert_dir, data)
    strict = train(tmp_path / "b", tiny_bert_dir, data, cv_rule="every_fold")
    assert pooled["cv_graph_kept"] is True
    assert strict["cv_fold_wins"] == pooled["cv_fold_wins"]
    assert 1 <= strict["cv_fold_wins"] <= 4
    assert strict["cv_graph_kept"] is (strict["cv_fold_wins"] == 4)
    if not strict["cv_graph_kept"]:
        assert strict["graph_lambda"] == 0.0
    with pytest.raises(ConfigError, match="cv_rule"):
        train(tmp_path / "c", tiny_bert_dir, data, cv_rule="strict")
