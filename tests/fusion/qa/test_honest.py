"""Honest answers: calibrated confidence, the no-answer threshold, the more-hops warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from kgfuse.errors import ModelError
from kgfuse.fusion.qa.asking import _judge, ask
from kgfuse.fusion.qa.calibration import fit_calibration, load_calibration, temper
from kgfuse.fusion.qa.data import QARecord
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.inference import calibrate_qa, load_qa
from kgfuse.fusion.qa.ranking import Ranking


def test_threshold_separates_right_from_wrong_answers() -> None:
    rng = np.random.default_rng(0)
    rankings, examples = [], []
    for i in range(200):
        right = i % 4 != 0  # 75% right; the wrong ones have flat distributions
        top = 0.99 if right else 0.3
        probs = np.asarray([top, *(rng.dirichlet(np.ones(4)) * (1 - top))])
        rankings.append(Ranking(np.arange(5), probs))
        gold = (0,) if right else (3,)
        examples.append(QAExample("q", (9,), gold, QARecord("q")))
    calibration = fit_calibration(rankings, examples)
    assert 0.0 < calibration["threshold"] < 1.0
    assert calibration["answered"] == pytest.approx(0.75)
    assert calibration["hits@1_answered"] == 1.0
    assert calibration["ece_after"] <= calibration["ece_before"]
    flat = temper(np.asarray([0.7, 0.2, 0.1]), 100.0)
    assert flat[0] < 0.4 and flat.sum() == pytest.approx(1.0)


def test_no_answer_below_the_threshold(
    trained: tuple[Path, Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model_dir, data, _ = trained
    model = Path(shutil.copytree(model_dir, tmp_path / "model"))
    fitted = calibrate_qa(model, data)
    assert load_calibration(model) == fitted
    confident = ask(model, "who directed [alpha]")
    assert not confident.no_answer and confident.answers[0].key == "anna"
    assert confident.calibrated and confident.confidence >= fitted["threshold"]
    (model / "calibration.json").write_text(json.dumps({**fitted, "threshold": 1.01}))
    doubtful = ask(model, "who directed [alpha]")
    assert doubtful.no_answer and "no answer in the graph within 2 hops" in doubtful.warnings
    assert doubtful.answers[0].key == "anna"  # kept as the best guess
    from kgfuse.cli.main import run

    capsys.readouterr()
    assert run(["qa", "ask", "who directed [alpha]", "--model", str(model)]) == 0
    assert "no answer in the graph within 2 hops" in capsys.readouterr().out
    (model / "calibration.json").write_text('{"temperature": "warm"}')
    with pytest.raises(ModelError, match="is not a calibration file"):
        load_qa(model)
    (model / "calibration.json").unlink()
    assert run(["qa", "calibrate", str(model), str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["questions"] > 0
    assert load_calibration(model) is not None


def test_more_hops_warning_follows_the_hop_attention() -> None:
    from kgfuse.fusion.qa.asking import Answer

    guess = [Answer("x", "x", 0.2, ())]
    calibration = {"temperature": 1.0, "threshold": 0.5}
    late = _judge("q", guess, [0.2, 0.8], calibration, 2)
    assert late.no_answer and any("more than the 2 hops" in w for w in late.warnings)
    early = _judge("q", guess, [0.9, 0.1], calibration, 2)
    assert early.no_answer and not any("more than" in w for w in early.warnings)
    sure = _judge("q", [Answer("x", "x", 0.9, ())], [0.2, 0.8], calibration, 2)
    assert not sure.no_answer and not sure.warnings
    nothing = _judge("q", [], [0.5, 0.5], None, 2)
    assert nothing.no_answer and any("more than" in w for w in nothing.warnings)
