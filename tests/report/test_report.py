"""``kgfuse report`` renders one self-contained page whose numbers match the run's files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kgfuse.cli.main import run
from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.classify.docgraph import DocGraphOptions, train_document_graph
from kgfuse.report import build_report
from kgfuse.report.benchmark import read_benchmark

from ..conftest import make_rows, write_jsonl


@pytest.fixture(scope="module")
def model_run(tmp_path_factory: pytest.TempPathFactory, tiny_bert_dir: Path, tiny_kg):
    """A cross-validated document-graph run and its labelled eval data."""
    path = tmp_path_factory.mktemp("report")
    train = write_jsonl(path / "train.jsonl", make_rows(32, 1))
    test = write_jsonl(path / "test.jsonl", make_rows(12, 2))
    options = DocGraphOptions(
        text_encoder=str(tiny_bert_dir), hidden_size=16, epochs=8, cv_folds=2, min_df=1,
        words=False, disable_tqdm=True, device="cpu",
    )  # fmt: skip
    train_document_graph(train, test, graph=tiny_kg, out_dir=path / "model", options=options)
    return path / "model", test


def test_the_page_matches_the_metrics_files(model_run: tuple[Path, Path]) -> None:
    model, test = model_run
    metrics = json.loads((model / "metrics.json").read_text())
    page = build_report([model], data=test)
    assert page.startswith("<!doctype html>") and "<script" not in page
    for key in ("eval_accuracy", "eval_macro_f1", "cv_p_value", "graph_terms"):
        value = metrics[key]
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        assert re.search(rf"<td>{key}</td><td class='n'>{re.escape(shown)}</td>", page), key
    assert "data:image/png;base64," in page  # the learning curves, embedded
    assert "The graph" in page  # the plain sentence about the graph
    cells = re.findall(r"<td class='n' style='background:[^']*'>(\d+)</td>", page)
    assert sum(map(int, cells)) == 12  # one confusion-matrix count per eval text
    for stage in json.loads((model / "timings.json").read_text()):
        assert f"<td>{stage}</td>" in page


def test_benchmark_results_become_an_ablation_table(tmp_path: Path) -> None:
    cell = {"mean": 0.9, "std": 0.01}
    results = {
        "dataset": "toy",
        "args": {"metric": "accuracy"},
        "code": {"commit": "abc1234"},
        "tfidf_svm": {"accuracy": 0.8, "macro_f1": 0.7},
        "table": {
            "text": {"seeds": [1, 2, 3], "eval_accuracy": cell, "eval_macro_f1": cell},
            "kg+words": {
                "seeds": [1, 2, 3],
                "eval_accuracy": {"mean": 0.93, "std": 0.01},
                "eval_macro_f1": cell,
                "diff_eval_accuracy": {"mean": 0.03, "std": 0.005},
            },
            "kg": {
                "seeds": [1, 2, 3],
                "eval_accuracy": cell,
                "eval_macro_f1": cell,
                "diff_eval_accuracy": {"mean": 0.001, "std": 0.01},
            },
            "words-only": {
                "seeds": [1, 2, 3],
                "eval_accuracy": {"mean": 0.92, "std": 0.01},
                "eval_macro_f1": cell,
                "diff_eval_accuracy": {"mean": 0.02, "std": 0.01},
            },
        },
    }
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    verdicts = {row.arm: row.verdict("accuracy") for row in read_benchmark(path).rows}
    assert verdicts["kg+words"].startswith("helped: +3.0 accuracy points")
    assert verdicts["kg"].startswith("within the seed noise")
    assert read_benchmark(path).summary() == (
        "Best arm on toy: kg+words (accuracy 0.9300). The knowledge graph without words did "
        "not beat the words-only graph (0.9000 against 0.9200)."
    )
    page = build_report([], benchmarks=[path])
    assert "Ablation: toy" in page and "abc1234" in page and "TF-IDF + linear SVM" in page
    assert "0.9300 ± 0.0100" in page
    (tmp_path / "bad.json").write_text("[]")
    with pytest.raises(ConfigError, match="not a docgraph benchmark results file"):
        read_benchmark(tmp_path / "bad.json")


def test_report_command(model_run: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    model, test = model_run
    out = tmp_path / "r" / "report.html"
    assert run(["report", str(model), "--data", str(test), "--out", str(out)]) == 0
    assert out.read_text().count("<h2>") == 1
    assert run(["report", "--out", str(out)]) == 1
    assert "nothing to report" in capsys.readouterr().err
    assert run(["report", str(tmp_path / "missing")]) == 1
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(ModelError):
        build_report([tmp_path])  # a folder that is no model
