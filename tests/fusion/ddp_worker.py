"""One training run for the DDP tests, started with ``python -m`` or ``torchrun -m``.

Usage: ``python -m tests.fusion.ddp_worker DATA_DIR BERT OUT BATCH_SIZE``: trains
``fusion`` (``train_classifier``, text encoder fine-tuned) on ``DATA_DIR/fusion``, then
``qa`` (``train_qa``, frozen question encoder) on ``DATA_DIR/qa``; each folder holds
``train.jsonl`` and ``edges.json`` (the graph's facts). Dropout is 0 everywhere, so one
process and several draw nothing differently; the logged losses go to
``OUT/<task>/losses.json`` (``kgfuse.fusion.distributed.LossLog``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

from kgfuse.fusion.distributed import LossLog
from kgfuse.graph.data import KGData


def main(task: str, data: Path, bert: str, out: Path, batch_size: int) -> None:
    torch.set_num_threads(1)
    edges = [tuple(edge) for edge in json.loads((data / "edges.json").read_text())]
    kg = KGData.from_edges(edges)
    out.mkdir(parents=True, exist_ok=True)
    log = LossLog(out / "losses.json")
    common = {
        "text_encoder": bert,
        "batch_size": batch_size,
        "epochs": 2,
        "logging_steps": 1,
        "warmup_ratio": 0.0,
        "disable_tqdm": True,
        "cache_dir": str(out / "cache"),
        "seed": 7,
    }
    if task == "fusion":
        from kgfuse.fusion.classify.subgraph.options import TrainOptions
        from kgfuse.fusion.classify.subgraph.trainer import train_classifier

        options = TrainOptions(
            fusion="gated",
            graph_hidden_size=16,
            learning_rate=1e-3,
            classifier_dropout=0.0,
            graph_dropout=0.0,
            **common,  # type: ignore[arg-type]
        )
        train_classifier(
            data / "train.jsonl", graph=kg, out_dir=out / "model", options=options, callbacks=[log]
        )
    else:
        from kgfuse.fusion.qa.options import QAOptions
        from kgfuse.fusion.qa.trainer import train_qa

        options = QAOptions(hidden_size=32, dropout=0.0, learning_rate=1e-3, **common)  # type: ignore[arg-type]
        train_qa(
            data / "train.jsonl", graph=kg, out_dir=out / "model", options=options, callbacks=[log]
        )


if __name__ == "__main__":
    data, bert, out, batch_size = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    for task in ("fusion", "qa"):
        main(task, data / task, bert, out / task, int(batch_size))
