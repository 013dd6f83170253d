"""DDP: the fusion classifier under ``torchrun --nproc_per_node 2`` (gloo, CPU) against one
process: the losses after N steps, and seconds per step of each.

Both arms fine-tune the packaged all-MiniLM-L6-v2 (dropout set to 0 in a copy of it, so the
two processes draw no different masks) with the gated fusion over SMS spam's cached
knowledge graph (``.bench/sms_spam/graph``, copied: the cache is read-only) on the first
``steps * batch`` texts of ``.bench/sms_spam/train-docgraph.jsonl`` (linked entities cached
by ``benchmarks/docgraph_accuracy.py``), one epoch. One process takes ``batch`` texts per
step; under ``torchrun`` each of the 2 processes takes ``batch / 2``, so every step sees the
same texts and the same mean gradient. Prints both loss curves, the largest difference and
seconds per step (the first step, which sets things up, is left out), with the load average.

    nice -n 10 python -m benchmarks.ddp_step --steps 12 --batch 16

Outputs go to ``.bench/issue16-h5/ddp``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
OUT = BENCH / "issue16-h5" / "ddp"


def prepare(steps: int, batch: int) -> Path:
    """Data, graph (``KGData``) and a dropout-free MiniLM under ``OUT/inputs``."""
    from kgfuse.fusion.text_encoder import default_text_encoder
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    inputs = OUT / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    lines = (BENCH / "sms_spam" / "train-docgraph.jsonl").read_text().splitlines()
    (inputs / "train.jsonl").write_text("\n".join(lines[: steps * batch]) + "\n")
    if not (inputs / "kg").exists():
        store_copy = OUT / "store"
        shutil.rmtree(store_copy, ignore_errors=True)
        shutil.copytree(BENCH / "sms_spam" / "graph", store_copy)
        with open_store(str(store_copy), create=False) as store:
            to_pyg(store).save(inputs / "kg")
    encoder = inputs / "minilm"
    if not encoder.exists():
        shutil.copytree(default_text_encoder(), encoder)
        config = json.loads((encoder / "config.json").read_text())
        config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
        (encoder / "config.json").write_text(json.dumps(config, indent=2))
    return inputs


def worker(inputs: Path, out: Path, batch: int) -> None:
    """One arm (run by ``python -m`` or ``torchrun -m``): ``batch`` is per process."""
    import torch

    from kgfuse.fusion.classify.subgraph.options import TrainOptions
    from kgfuse.fusion.classify.subgraph.trainer import train_classifier
    from kgfuse.fusion.distributed import LossLog
    from kgfuse.graph.data import KGData

    torch.set_num_threads(1)
    out.mkdir(parents=True, exist_ok=True)
    options = TrainOptions(
        text_encoder=str(inputs / "minilm"),
        fusion="gated",
        batch_size=batch,
        epochs=1,
        max_length=64,
        logging_steps=1,
        warmup_ratio=0.0,
        classifier_dropout=0.0,
        graph_dropout=0.0,
        disable_tqdm=True,
        cache_dir=str(out / "cache"),
    )
    train_classifier(
        inputs / "train.jsonl",
        graph=KGData.load(inputs / "kg"),
        out_dir=out / "model",
        options=options,
        callbacks=[LossLog(out / "losses.json")],
    )


def run(command: list[str]) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch", type=int, default=16, help="texts per optimizer step")
    parser.add_argument("--worker", nargs=2, metavar=("OUT", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(OUT / "inputs", Path(args.worker[0]), int(args.worker[1]))
        return
    if args.batch % 2:
        sys.exit("--batch must be even (2 processes)")
    prepare(args.steps, args.batch)
    module = ["-m", "benchmarks.ddp_step", "--worker"]
    run([sys.executable, *module, str(OUT / "one"), str(args.batch)])
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node"]
    run([*torchrun, "2", *module, str(OUT / "two"), str(args.batch // 2)])
    one = json.loads((OUT / "one" / "losses.json").read_text())
    two = json.loads((OUT / "two" / "losses.json").read_text())
    print(f"{'step':>4} {'1 process':>10} {'2 (torchrun)':>12}")
    for (step, a), (_, b) in zip(one["losses"], two["losses"], strict=True):
        print(f"{step:>4} {a:>10.5f} {b:>12.5f}")
    diff = max(abs(a - b) for (_, a), (_, b) in zip(one["losses"], two["losses"], strict=True))
    print(f"largest loss difference after {len(one['losses'])} steps: {diff:.2e}")
    print(
        f"seconds per step: 1 process {one['seconds_per_step']:.3f}, "
        f"2 processes {two['seconds_per_step']:.3f} "
        f"(ratio {one['seconds_per_step'] / two['seconds_per_step']:.2f}x)"
    )
    print("load average:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
