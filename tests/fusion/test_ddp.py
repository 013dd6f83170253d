"""DDP: the fusion classifier and QA under ``torchrun --nproc_per_node 2`` (gloo on CPU)
take the same steps as one process with twice the batch.

Both runs train a tiny random BERT (dropout 0, built here) over a real small graph through
``train_classifier`` and ``train_qa``; the per-process batch is 4 under ``torchrun`` and 8 in
one process, so each optimizer step sees the same 8 examples and the same mean gradient.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import torch

from kgfuse.errors import ConfigError
from kgfuse.fusion.distributed import in_turn

from ..conftest import CLUB_EDGES, WORDS, make_rows, save_tiny_bert, write_jsonl
from .qa.toy import QUESTION_WORDS, edges, questions

ROOT = Path(__file__).resolve().parents[2]


def _bert_without_dropout(path: Path) -> Path:
    path.mkdir(parents=True)
    return save_tiny_bert(path, [*WORDS, *QUESTION_WORDS], dropout=0.0)


def _run(command: list[str], out: Path) -> dict[str, dict]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {task: json.loads((out / task / "losses.json").read_text()) for task in ("fusion", "qa")}


@pytest.mark.slow
def test_torchrun_two_processes_match_one(tmp_path: Path) -> None:
    bert = _bert_without_dropout(tmp_path / "bert")
    data = tmp_path / "data"
    for task, rows, facts in (
        ("fusion", make_rows(32, 1), CLUB_EDGES),
        ("qa", questions()[:32], edges()),
    ):
        (data / task).mkdir(parents=True)
        write_jsonl(data / task / "train.jsonl", rows)
        (data / task / "edges.json").write_text(json.dumps(facts))
    worker = ["-m", "tests.fusion.ddp_worker", str(data), str(bert)]
    one = _run([sys.executable, *worker, str(tmp_path / "one"), "8"], tmp_path / "one")
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    two = _run(
        [*torchrun, "--nproc_per_node", "2", *worker, str(tmp_path / "two"), "4"],
        tmp_path / "two",
    )
    for task in ("fusion", "qa"):
        assert one[task]["world_size"] == 1 and two[task]["world_size"] == 2
        steps_one = [step for step, _ in one[task]["losses"]]
        steps_two = [step for step, _ in two[task]["losses"]]
        assert steps_one == steps_two == list(range(1, 9)), task  # 32 examples, 8 a step, 2 epochs
        losses_one = torch.tensor([loss for _, loss in one[task]["losses"]])
        losses_two = torch.tensor([loss for _, loss in two[task]["losses"]])
        assert torch.allclose(losses_one, losses_two, atol=1e-4), (task, losses_one, losses_two)
        assert losses_one.std() > 0  # the losses move: the comparison is not of constants
        # the reported training loss is the mean over both processes, not rank 0's shards
        one_loss, two_loss = (
            json.loads((tmp_path / run / task / "model" / "metrics.json").read_text())["train_loss"]
            for run in ("one", "two")
        )
        assert two_loss == pytest.approx(one_loss, abs=1e-4), task


def _hold(name: str, queue: Any) -> None:
    os.environ["WORLD_SIZE"] = "2"  # as torchrun sets it
    with in_turn(name):
        started = time.monotonic()
        time.sleep(0.3)
        queue.put((started, time.monotonic()))


def test_in_turn_lets_one_process_at_a_time_through() -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_hold, args=("store-x", queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    (_, first_end), (second_start, _) = sorted(queue.get() for _ in workers)
    assert second_start >= first_end  # the second waited for the first to leave the block


def test_qa_training_refuses_the_embedded_store_under_torchrun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgfuse.cli.qa import train_qa_command

    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(ConfigError, match="needs a server store"):
        train_qa_command(tmp_path / "q.jsonl", None, store=str(tmp_path / "graph"), out=tmp_path)
