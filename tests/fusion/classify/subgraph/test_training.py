"""Training: every fusion learns; train_classifier end to end; checkpoint resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from kgfuse.errors import DataError
from kgfuse.fusion.classify.subgraph.inference import evaluate_classifier, predict
from kgfuse.fusion.classify.subgraph.options import TrainOptions
from kgfuse.fusion.classify.subgraph.trainer import train_classifier
from kgfuse.fusion.fusers import FUSIONS
from kgfuse.graph.data import KGData

from ....conftest import make_rows, write_jsonl
from .test_model import batch, make_model


@pytest.mark.parametrize("fusion", FUSIONS)
def test_each_fusion_loss_falls(tiny_kg: KGData, fusion: str) -> None:
    model = make_model(tiny_kg, fusion=fusion, classifier_dropout=0.0, graph_dropout=0.0)
    inputs = batch(tiny_kg, [["alice"], ["dave"], ["bob"], [], ["erin"], ["club"]])
    labels = torch.tensor([0, 1, 0, 2, 1, 0])
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(12):
        loss = model(**inputs, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0], losses


def options(bert: Path, **overrides: object) -> TrainOptions:
    settings = {
        "text_encoder": str(bert),
        "graph_hidden_size": 16,
        "batch_size": 8,
        "epochs": 2,
        "learning_rate": 1e-3,
        "logging_steps": 1,
        "disable_tqdm": True,
        **overrides,
    }
    return TrainOptions(**settings)  # type: ignore[arg-type]


def test_train_evaluate_predict_round_trip(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, data_files: tuple[Path, Path]
) -> None:
    train, evaluation = data_files
    out = tmp_path / "model"
    metrics = train_classifier(
        train,
        evaluation,
        graph=tiny_kg,
        out_dir=out,
        options=options(tiny_bert_dir, fusion="gated"),
    )
    assert metrics["global_step"] == 8 and 0.0 <= metrics["eval_accuracy"] <= 1.0
    assert metrics["linked_fraction"] > 0.5
    expected = [
        "config.json",
        "model.safetensors",
        "entity_vocab.json",
        "relation_vocab.json",
        "graph.safetensors",
        "kgfuse_model.json",
        "tokenizer_config.json",
        "training_curves.png",
    ]
    for name in expected:
        assert (out / name).is_file(), name
    assert json.loads((out / "metrics.json").read_text())["global_step"] == 8
    scores = evaluate_classifier(out, evaluation)
    assert scores["accuracy"] == pytest.approx(metrics["eval_accuracy"])
    [pred] = predict(out, ["news about alice"], entities=[["alice", "not_in_graph"]])
    assert pred.entities == ("alice",) and pred.labels[0] in {"music", "sport"}
    assert sum(pred.scores.values()) == pytest.approx(1.0)


def test_frozen_encoder_mode_trains_only_graph_side_and_caches(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, data_files: tuple[Path, Path]
) -> None:
    train, _ = data_files
    opts = options(
        tiny_bert_dir, fusion="concat", freeze_text_encoder=True, cache_dir=str(tmp_path / "c")
    )
    train_classifier(train, graph=tiny_kg, out_dir=tmp_path / "m", options=opts)
    assert len(list((tmp_path / "c").glob("texts-*.safetensors"))) == 1
    assert len(list((tmp_path / "c").glob("nodes-*.safetensors"))) == 1
    before = load_file(str(tiny_bert_dir / "model.safetensors"))
    after = load_file(str(tmp_path / "m" / "model.safetensors"))
    key = "embeddings.word_embeddings.weight"
    assert torch.equal(before[key], after[f"text_encoder.{key}"])


def test_none_baseline_trains_without_a_graph(
    tmp_path: Path, tiny_bert_dir: Path, data_files: tuple[Path, Path]
) -> None:
    train, evaluation = data_files
    metrics = train_classifier(
        train,
        evaluation,
        graph=None,
        out_dir=tmp_path / "m",
        options=options(tiny_bert_dir, fusion="none"),
    )
    assert metrics["global_step"] == 8
    assert predict(tmp_path / "m", ["alice"])[0].entities == ()


def test_resume_from_checkpoint_continues_the_same_run(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData, data_files: tuple[Path, Path]
) -> None:
    train, _ = data_files
    run = {"fusion": "cross_attention", "max_steps": 6, "save_steps": 3, "save_total_limit": None}
    full = train_classifier(
        train, graph=tiny_kg, out_dir=tmp_path / "a", options=options(tiny_bert_dir, **run)
    )
    checkpoint = tmp_path / "a" / "checkpoints" / "checkpoint-3"
    assert checkpoint.is_dir()
    resumed = train_classifier(
        train,
        graph=tiny_kg,
        out_dir=tmp_path / "b",
        options=options(tiny_bert_dir, resume_from_checkpoint=str(checkpoint), **run),
    )
    assert resumed["global_step"] == full["global_step"] == 6
    losses = [_logged_losses(tmp_path / d / "checkpoints" / "checkpoint-6") for d in ("a", "b")]
    assert losses[0] == pytest.approx(losses[1], rel=1e-5)
    weights_a = load_file(str(tmp_path / "a" / "model.safetensors"))
    weights_b = load_file(str(tmp_path / "b" / "model.safetensors"))
    assert weights_a.keys() == weights_b.keys()
    for name, tensor in weights_a.items():
        torch.testing.assert_close(tensor, weights_b[name], rtol=1e-5, atol=1e-6, msg=name)


def _logged_losses(checkpoint: Path) -> list[float]:
    state = json.loads((checkpoint / "trainer_state.json").read_text())
    return [row["loss"] for row in state["log_history"] if "loss" in row]


def test_multi_label_training_and_unseen_eval_labels(
    tmp_path: Path, tiny_bert_dir: Path, tiny_kg: KGData
) -> None:
    rows = make_rows(24, 3)
    for row in rows[::2]:
        row["label"] = [row["label"], "news"]
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    opts = options(tiny_bert_dir, fusion="interpolate", freeze_text_encoder=True, epochs=1)
    metrics = train_classifier(train, train, graph=tiny_kg, out_dir=tmp_path / "m", options=opts)
    assert {"eval_micro_f1", "eval_macro_f1"} <= metrics.keys()
    [pred] = predict(tmp_path / "m", ["alice"], entities=[["alice"]])
    assert set(pred.scores) == {"music", "news", "sport"}
    unseen = write_jsonl(tmp_path / "eval.jsonl", [{"text": "x", "label": "weather"}])
    with pytest.raises(DataError, match="never seen in training"):
        train_classifier(train, unseen, graph=tiny_kg, out_dir=tmp_path / "n", options=opts)
