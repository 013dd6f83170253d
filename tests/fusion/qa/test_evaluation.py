"""Evaluation carries on past questions no model can answer, counts them, and breaks the
metrics down by hop count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.errors import ConfigError, DataError
from kgfuse.fusion.qa.data import read_qa
from kgfuse.fusion.qa.inference import evaluate_qa

from .toy import questions, write_jsonl

BAD = [
    {"id": "bad-dollar", "question": "who acted in $", "topic_entity": "$", "answers": ["ben"]},
    {"id": "bad-zorro", "question": "who directed [zorro]", "answers": ["anna"]},
    {"id": "bad-answer", "question": "who directed [alpha]", "answers": ["nobody"]},
    {"id": "bad-unlinked", "question": "who directed it", "answers": ["anna"]},
]


def mixed_file(tmp_path: Path) -> tuple[Path, int, int]:
    """Good toy questions (hop counts in ids and fields) followed by the bad ones."""
    good = []
    for i, row in enumerate(questions()):
        hops = 2 if "films" in row["question"] and "[" in row["question"] else 1
        if row["question"].startswith("what films did"):
            hops = 1
        good.append({**row, "id": f"toy-{hops}hop-{i}"} if i % 2 else {**row, "hops": hops})
    ones = sum(1 for r in good if r.get("hops", 1 if "1hop" in r.get("id", "") else 2) == 1)
    return write_jsonl(tmp_path / "mixed.jsonl", good + BAD), len(good), ones


def test_hops_come_from_the_field_or_the_id(tmp_path: Path) -> None:
    rows = [
        {"id": "metaqa-2hop-dev-7", "question": "q [a]", "answers": ["b"]},
        {"id": "x", "question": "q [a]", "answers": ["b"], "hops": 3},
        {"id": "x12", "question": "q [a]", "answers": ["b"]},
    ]
    records = read_qa(write_jsonl(tmp_path / "h.jsonl", rows))
    assert [r.hops for r in records] == [2, 3, None]
    bad = write_jsonl(tmp_path / "b.jsonl", [{"question": "q", "answers": ["b"], "hops": 0}])
    with pytest.raises(DataError, match=r"b.jsonl:1: 'hops' must be a positive integer"):
        read_qa(bad)


def test_evaluation_counts_unknown_topics_as_misses_or_drops_them(
    trained: tuple[Path, Path, dict], tmp_path: Path
) -> None:
    model_dir, _, _ = trained
    data, good, ones = mixed_file(tmp_path)
    scores = evaluate_qa(model_dir, data)
    assert scores["questions"] == good + len(BAD)
    assert (scores["unknown_topics"], scores["unlinked"], scores["unknown_answers"]) == (2, 1, 1)
    assert scores["dropped"] == 0
    assert scores["hits@1"] == pytest.approx(good / (good + len(BAD)))
    assert set(scores["by_hops"]) == {"1", "2"}
    assert scores["by_hops"]["1"]["questions"] == ones
    assert scores["by_hops"]["1"]["questions"] + scores["by_hops"]["2"]["questions"] == good
    assert scores["by_hops"]["2"]["hits@1"] == 1.0
    dropped = evaluate_qa(model_dir, data, unknown_topics="drop")
    assert dropped["hits@1"] == 1.0 and dropped["questions"] == good
    assert dropped["dropped"] == len(BAD)
    with pytest.raises(DataError, match="bad-dollar"):
        evaluate_qa(model_dir, data, unknown_topics="error")
    with pytest.raises(ConfigError, match="unknown_topics must be one of"):
        evaluate_qa(model_dir, data, unknown_topics="ignore")


def test_evaluate_command_says_how_many_and_skips_on_request(
    trained: tuple[Path, Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kgfuse.cli.main import run

    model_dir, _, _ = trained
    data, good, _ = mixed_file(tmp_path)
    capsys.readouterr()
    assert run(["qa", "evaluate", str(model_dir), str(data)]) == 0
    printed = capsys.readouterr().out
    assert "4 questions name a topic or answers that are not in the graph" in printed
    assert "hits@1 [2-hop]" in printed
    assert run(["qa", "evaluate", str(model_dir), str(data), "--skip-unknown", "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["hits@1"] == 1.0 and metrics["dropped"] == len(BAD)
    assert run(["evaluate", "--task", "qa", str(model_dir), str(data), "--json"]) == 0
    legacy = json.loads(capsys.readouterr().out)
    assert legacy["questions"] == good + len(BAD) and legacy["unknown_topics"] == 2
