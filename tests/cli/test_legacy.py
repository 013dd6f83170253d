"""The deprecated round-1 spellings (``kgfuse train|evaluate|predict``) still work, print a
one-line notice naming the new command, and keep their old checks."""

from __future__ import annotations

import json
from pathlib import Path

from kgfuse.cli.main import run

ROWS = [
    ("Marie Curie studied physics in Paris.", "science"),
    ("Albert Einstein developed the theory of relativity.", "science"),
    ("NASA launched the Hubble Space Telescope.", "science"),
    ("Apple acquired Beats Electronics.", "business"),
    ("Tim Cook announced the deal in California.", "business"),
    ("Steve Jobs founded Apple in Cupertino.", "business"),
]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in rows))
    return path


def test_train_evaluate_predict_aliases(
    tmp_path: Path, sample_graph: Path, tiny_bert_dir: Path, capsys
) -> None:
    train = _write(tmp_path / "train.jsonl", ROWS)
    out = tmp_path / "model"
    args = ["train", "--method", "fusion", "--train", str(train), "--eval", str(train)]
    args += ["--store", str(sample_graph)]
    args += ["--out", str(out), "--text-encoder", str(tiny_bert_dir), "--max-steps", "3"]
    args += ["--fusion", "gated", "--set", "disable_tqdm=true", "--json"]
    assert run(args) == 0
    captured = capsys.readouterr()
    out_text = captured.out  # the Trainer also logs dicts on stdout; JSON comes last
    metrics = json.loads(out_text[out_text.rindex("\n{\n") + 1 :])
    assert metrics["global_step"] == 3
    assert "use `kgfuse classify train-fusion`" in captured.err
    assert (out / "model.safetensors").is_file()

    assert run(["evaluate", str(out), str(train), "--json"]) == 0
    captured = capsys.readouterr()
    assert 0.0 <= json.loads(captured.out)["accuracy"] <= 1.0
    assert "use `kgfuse classify evaluate`" in captured.err

    assert run(["predict", str(out), "Apple bought a company.", "--json"]) == 0
    captured = capsys.readouterr()
    (prediction,) = json.loads(captured.out)
    assert "apple" in prediction["entities"]
    notes = [line for line in captured.err.splitlines() if "deprecated" in line]
    assert notes == ["note: `kgfuse predict` is deprecated; use `kgfuse classify predict`"]


def test_train_rejects_bad_settings(tmp_path: Path, sample_graph: Path, capsys) -> None:
    train = _write(tmp_path / "train.jsonl", ROWS)
    base = ["train", "--method", "fusion", "--train", str(train), "--out", str(tmp_path / "m")]
    assert run([*base, "--store", str(sample_graph), "--set", "nope=1"]) == 1
    assert "unknown setting" in capsys.readouterr().err
    assert run([*base, "--task", "tagging", "--store", str(sample_graph)]) == 1
    assert "classify or qa" in capsys.readouterr().err
    assert run([*base, "--fusion", "concat"]) == 1
    assert "--store is needed" in capsys.readouterr().err


def test_docgraph_needs_a_store_and_a_known_method(tmp_path: Path, capsys) -> None:
    train = _write(tmp_path / "train.jsonl", ROWS)
    base = ["train", "--train", str(train), "--out", str(tmp_path / "m")]
    assert run([*base, "--method", "docgraph"]) == 1
    assert "--store" in capsys.readouterr().err
    assert run([*base, "--method", "magic"]) == 1
    assert "fusion or docgraph" in capsys.readouterr().err
    assert run([*base, "--store", "somewhere", "--fusion", "gated", "--max-steps", "3"]) == 1
    assert "--fusion, --max-steps only apply to --method fusion" in capsys.readouterr().err
