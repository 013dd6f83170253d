"""``kgfuse train --method docgraph`` and ``evaluate``/``predict`` on its model, end to end on a
real graph built from the sample articles."""

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


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory: pytest.TempPathFactory, sample_articles: Path) -> Path:
    store = tmp_path_factory.mktemp("docgraph") / "graph"
    assert run(["build", str(sample_articles), "--store", str(store), "--no-progress"]) == 0
    return store


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in rows))
    return path


def _last_json(text: str) -> dict:
    return json.loads(text[text.rindex("\n{\n") + 1 :] if "\n{\n" in text else text)


def test_docgraph_train_evaluate_predict(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    train = _write(tmp_path / "train.jsonl", TRAIN)
    test = _write(tmp_path / "test.jsonl", EVAL)
    out = tmp_path / "model"
    args = ["train", "--train", str(train), "--eval", str(test)]  # docgraph is the default
    args += ["--store", str(sample_graph), "--out", str(out), "--text-encoder", str(tiny_bert_dir)]
    args += ["--epochs", "20", "--set", "disable_tqdm=true", "--set", "dev_fraction=0", "--json"]
    assert run(args) == 0
    metrics = _last_json(capsys.readouterr().out)
    assert metrics["graph_documents"] == len(TRAIN) + len(EVAL)  # transductive by default
    assert metrics["graph_terms"] > 0  # entities shared by two texts or more became terms
    assert metrics["linked_fraction"] == 1.0
    assert (out / "model.safetensors").is_file()
    assert (out / "text_encoder" / "model.safetensors").is_file()

    assert run(["evaluate", str(out), str(test), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["graph_nodes"] == len(EVAL)
    assert scores["accuracy"] == pytest.approx(metrics["eval_accuracy"])

    assert run(["predict", str(out), "Apple hired more people in Cupertino.", "--json"]) == 0
    (prediction,) = json.loads(capsys.readouterr().out)
    assert prediction["labels"][0] in {"science", "business"}
    assert "apple" in prediction["entities"]
    assert sum(prediction["scores"].values()) == pytest.approx(1.0, abs=1e-4)


def test_docgraph_needs_a_store_and_a_known_method(tmp_path: Path, capsys) -> None:
    train = _write(tmp_path / "train.jsonl", TRAIN)
    base = ["train", "--train", str(train), "--out", str(tmp_path / "m")]
    assert run([*base, "--method", "docgraph"]) == 1
    assert "--store" in capsys.readouterr().err
    assert run([*base, "--method", "magic"]) == 1
    assert "fusion or docgraph" in capsys.readouterr().err
    assert run([*base, "--store", "somewhere", "--fusion", "gated", "--max-steps", "3"]) == 1
    assert "--fusion, --max-steps only apply to --method fusion" in capsys.readouterr().err
