"""``kgfuse classify train|train-fusion|evaluate|predict`` end to end on a real graph built
from the sample articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.cli.main import run

TRAIN = [
    ("Marie Curie studied physics in Paris.", "science"),
    ("Albert Einstein developed the theory of relativity.", "science"),
    ("Marie Curie won the Nobel Prize in physics.", "science"),
    ("Albert Einstein worked in Berlin on physics.", "science"),
    ("Apple acquired Beats Electronics.", "business"),
    ("Steve Jobs founded Apple in Cupertino.", "business"),
    ("Apple sold more phones in California.", "business"),
    ("Steve Jobs announced the deal for Apple.", "business"),
]
EVAL = [("Einstein lectured on physics in Paris.", "science"), ("Apple hired Jobs.", "business")]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in rows))
    return path


def _last_json(text: str) -> dict:
    """The JSON object printed last (the Trainer also logs dicts on stdout)."""
    return json.loads(text[text.rindex("\n{\n") + 1 :] if "\n{\n" in text else text)


def _docgraph_args(tmp_path: Path, store: Path, encoder: Path) -> tuple[list[str], Path, Path]:
    """``(classify train arguments, eval file, model directory)`` on the TRAIN/EVAL rows."""
    train = _write(tmp_path / "train.jsonl", TRAIN)
    test = _write(tmp_path / "test.jsonl", EVAL)
    out = tmp_path / "model"
    args = ["classify", "train", "--train", str(train), "--eval", str(test)]
    args += ["--store", str(store), "--out", str(out), "--text-encoder", str(encoder)]
    return args, test, out


def test_docgraph_train_evaluate_predict(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    args, test, out = _docgraph_args(tmp_path, sample_graph, tiny_bert_dir)
    args += ["--epochs", "20", "--set", "disable_tqdm=true", "--set", "dev_fraction=0", "--json"]
    assert run(args) == 0
    captured = capsys.readouterr()
    metrics = _last_json(captured.out)
    for stage in ("reading and linking the texts", "training", "scoring 2 evaluation texts"):
        assert f"done: {stage}: " in captured.err  # each long stage closes with its time
    assert metrics["graph_documents"] == len(TRAIN) + len(EVAL)  # transductive by default
    assert metrics["graph_terms"] > 0  # entities shared by two texts or more became terms
    assert metrics["linked_fraction"] == 1.0
    assert (out / "model.safetensors").is_file()
    assert (out / "text_encoder" / "model.safetensors").is_file()

    assert run(["classify", "evaluate", str(out), str(test), "--json"]) == 0
    captured = capsys.readouterr()
    scores = json.loads(captured.out)
    assert scores["graph_nodes"] == len(EVAL)
    assert scores["accuracy"] == pytest.approx(metrics["eval_accuracy"])
    assert scores["scoring"] == "transductive"
    assert "this is a transductive score; --inductive" in captured.err
    assert run(["classify", "evaluate", str(out), str(test), "--inductive", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["scoring"] == "inductive"
    assert "transductive" not in captured.err

    text = "Apple hired more people in Cupertino."
    assert run(["classify", "predict", str(out), text, "--json"]) == 0
    (prediction,) = json.loads(capsys.readouterr().out)
    assert prediction["labels"][0] in {"science", "business"}
    assert "apple" in prediction["entities"]
    assert sum(prediction["scores"].values()) == pytest.approx(1.0, abs=1e-4)
    # --store: texts the store holds are linked from the build's extraction; same answer here
    assert run(["classify", "predict", str(out), text, "--store", str(sample_graph), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["entities"] == prediction["entities"]


def test_docgraph_sgc_with_kge_features(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    args, test, out = _docgraph_args(tmp_path, sample_graph, tiny_bert_dir)
    args += ["--graph-model", "sgc", "--entity-features", "transe", "--epochs", "10"]
    args += ["--set", "disable_tqdm=true", "--set", "cv_folds=2", "--set", "kge_epochs=3"]
    assert run([*args, "--json"]) == 0
    captured = capsys.readouterr()
    assert "done: knowledge-graph embeddings (transe): " in captured.err
    config = json.loads((out / "config.json").read_text())
    assert config["graph_model"] == "sgc" and config["term_feature_dim"] == 64
    assert run(["classify", "evaluate", str(out), str(test), "--json"]) == 0
    assert 0.0 <= json.loads(capsys.readouterr().out)["accuracy"] <= 1.0
    bad = [*args[:-6], "--graph-model", "gat"]
    assert run(bad) != 0
    assert "graph_model must be" in capsys.readouterr().err


def test_docgraph_relational_model(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    """``--graph-model rsgc``: the store's facts typed by predicate, saved with the model."""
    args, _, out = _docgraph_args(tmp_path, sample_graph, tiny_bert_dir)
    args += ["--graph-model", "rsgc", "--epochs", "5", "--set", "disable_tqdm=true"]
    assert run([*args, "--set", "cv_folds=0", "--json"]) == 0
    capsys.readouterr()
    config = json.loads((out / "config.json").read_text())
    assert config["graph_model"] == "rsgc"
    assert config["num_relation_edges"] > 0 and config["relations"][-1].endswith("^-1")
    assert run(["classify", "predict", str(out), "Apple hired Jobs.", "--json"]) == 0
    (prediction,) = json.loads(capsys.readouterr().out)
    assert prediction["labels"][0] in {"science", "business"}


def test_docgraph_mini_batch_flags(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    """``--mini-batch`` trains in batches (``--batch-size``); ``--full-batch`` overrides a
    size threshold that would switch to mini-batches; rsgc refuses ``--mini-batch``."""
    args, _, out = _docgraph_args(tmp_path, sample_graph, tiny_bert_dir)
    args += ["--epochs", "3", "--set", "disable_tqdm=true", "--set", "cv_folds=0"]
    assert run([*args, "--mini-batch", "--batch-size", "3", "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["mini_batch"] is True
    low = ["--set", "mini_batch_threshold=0"]
    assert run([*args, *low, "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["mini_batch"] is True
    assert run([*args, *low, "--full-batch", "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["mini_batch"] is False
    assert (out / "config.json").is_file()
    assert run([*args, "--graph-model", "rsgc", "--mini-batch"]) != 0
    assert "supports graph_model gcn and sgc" in capsys.readouterr().err


def test_fusion_train_evaluate_predict(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    train = _write(tmp_path / "train.jsonl", TRAIN)
    out = tmp_path / "model"
    args = ["classify", "train-fusion", "--train", str(train), "--eval", str(train)]
    args += ["--store", str(sample_graph), "--out", str(out)]
    args += ["--text-encoder", str(tiny_bert_dir), "--max-steps", "3", "--fusion", "gated"]
    assert run([*args, "--set", "disable_tqdm=true", "--json"]) == 0
    metrics = _last_json(capsys.readouterr().out)
    assert metrics["global_step"] == 3
    assert metrics["linked_fraction"] > 0.5  # the texts name entities of the graph
    assert (out / "entity_vocab.json").is_file()

    assert run(["classify", "evaluate", str(out), str(train), "--json"]) == 0
    assert 0.0 <= json.loads(capsys.readouterr().out)["accuracy"] <= 1.0
    assert run(["classify", "evaluate", str(out), str(train), "--inductive"]) == 1
    assert "document-graph models only" in capsys.readouterr().err
    assert run(["classify", "predict", str(out), "Apple bought a company.", "--json"]) == 0
    (prediction,) = json.loads(capsys.readouterr().out)
    assert prediction["labels"][0] in {"science", "business"}
    assert "apple" in prediction["entities"]


def test_each_command_takes_only_its_own_options(tmp_path: Path, sample_graph: Path, capsys):
    train = _write(tmp_path / "train.jsonl", TRAIN)
    base = ["--train", str(train), "--out", str(tmp_path / "m")]
    # a fusion-only option is not an option of the document-graph command (usage error)
    assert run(["classify", "train", *base, "--store", str(sample_graph), "--fusion", "x"]) == 2
    assert run(["classify", "train", *base]) == 2  # --store is required there
    assert "--store" in capsys.readouterr().err
    assert run(["classify", "train-fusion", *base, "--fusion", "concat"]) == 1
    assert "--store is needed" in capsys.readouterr().err
    assert run(["classify", "train-fusion", *base, "--store", str(sample_graph), "--set", "x=1"])
    assert "unknown setting" in capsys.readouterr().err


def test_evaluate_and_predict_refuse_what_is_not_a_classifier(tmp_path: Path, capsys) -> None:
    test = _write(tmp_path / "test.jsonl", EVAL)
    assert run(["classify", "evaluate", str(tmp_path / "nowhere"), str(test)]) == 1
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "config.json").write_text('{"model_type": "kgfuse_qa"}')
    assert run(["classify", "predict", str(tmp_path / "qa"), "a text"]) == 1
    assert "expected one of: kgfuse-docgraph" in capsys.readouterr().err
    assert run(["classify", "predict", str(tmp_path / "qa")]) == 1
    assert "nothing to classify" in capsys.readouterr().err


def test_help_lists_only_what_applies(capsys) -> None:
    assert run(["classify", "train", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--fusion" not in text and "--max-steps" not in text
    assert "not fine-tuned" in text and "'train'" in text
    assert run(["classify", "train-fusion", "--help"]) == 0
    assert "--fusion" in capsys.readouterr().out
    assert run(["--help"]) == 0
    top = capsys.readouterr().out
    assert "classify" in top and "qa" in top and "train " not in top  # aliases are hidden
