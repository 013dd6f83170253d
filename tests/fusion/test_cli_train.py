"""``kgfuse train/evaluate/predict`` end to end on a real graph built from the sample articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.cli.main import run

ROWS = [
    ("Marie Curie studied physics in Paris.", "science"),
    ("Albert Einstein developed the theory of relativity.", "science"),
    ("NASA launched the Hubble Space Telescope.", "science"),
    ("Apple acquired Beats Electronics.", "business"),
    ("Tim Cook announced the deal in California.", "business"),
    ("Steve Jobs founded Apple in Cupertino.", "business"),
]


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory: pytest.TempPathFactory, sample_articles: Path) -> Path:
    store = tmp_path_factory.mktemp("train") / "graph"
    assert run(["build", str(sample_articles), "--store", str(store), "--no-progress"]) == 0
    return store


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in rows))
    return path


def test_train_evaluate_predict_commands(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    train = _write(tmp_path / "train.jsonl", ROWS)
    out = tmp_path / "model"
    args = ["train", "--method", "fusion", "--train", str(train), "--eval", str(train)]
    args += ["--store", str(sample_graph)]
    args += ["--out", str(out), "--text-encoder", str(tiny_bert_dir), "--max-steps", "3"]
    args += ["--fusion", "gated", "--set", "disable_tqdm=true", "--json"]
    assert run(args) == 0
    out_text = capsys.readouterr().out  # the Trainer also logs dicts on stdout; JSON comes last
    metrics = json.loads(out_text[out_text.rindex("\n{\n") + 1 :])
    assert metrics["global_step"] == 3
    assert metrics["linked_fraction"] > 0.5  # the texts name entities of the graph
    assert (out / "model.safetensors").is_file()
    assert (out / "entity_vocab.json").is_file()

    assert run(["evaluate", str(out), str(train), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert 0.0 <= scores["accuracy"] <= 1.0

    assert run(["predict", str(out), "Apple bought a company.", "--json"]) == 0
    (prediction,) = json.loads(capsys.readouterr().out)
    assert prediction["labels"][0] in {"science", "business"}
    assert "apple" in prediction["entities"]


def test_train_rejects_bad_settings(tmp_path: Path, sample_graph: Path, capsys) -> None:
    train = _write(tmp_path / "train.jsonl", ROWS)
    base = ["train", "--method", "fusion", "--train", str(train), "--out", str(tmp_path / "m")]
    assert run([*base, "--store", str(sample_graph), "--set", "nope=1"]) == 1
    assert "unknown setting" in capsys.readouterr().err
    assert run([*base, "--task", "tagging", "--store", str(sample_graph)]) == 1
    assert "classify or qa" in capsys.readouterr().err
    assert run([*base, "--fusion", "concat"]) == 1
    assert "--store is needed" in capsys.readouterr().err
