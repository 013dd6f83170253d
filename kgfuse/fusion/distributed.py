"""Running the Hugging Face ``Trainer`` runs of kgfuse under ``torchrun`` (DDP).

``torchrun --nproc_per_node N`` starts N copies of the same command; each reads
``WORLD_SIZE``/``RANK``/``LOCAL_RANK`` from its environment, and the ``Trainer`` joins them
into one process group, shards every batch (``batch_size`` is per process, so the effective
batch is ``N * batch_size``) and all-reduces the gradients. On CPU the group uses the gloo
backend (NCCL needs GPUs). Every process builds the same model from the same seed; only the
main process writes the model directory.

Comparing with one process: with ``N * b`` examples per step in one process and ``b`` per
process under ``torchrun``, each optimizer step sees the same examples (the seeded sampler
hands consecutive per-process batches to consecutive ranks) and the same mean gradient, so
the losses agree up to the order of floating-point sums, as long as nothing random differs
between processes (dropout draws its own masks in every process: set it to 0 to compare).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch
from transformers import TrainerCallback


def world_size() -> int:
    """Processes in this run (``WORLD_SIZE`` set by ``torchrun``; 1 otherwise)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def rank() -> int:
    """This process's rank (0 without ``torchrun``)."""
    return int(os.environ.get("RANK", "0"))


def ddp_arguments() -> dict[str, Any]:
    """``TrainingArguments`` fields of a multi-process run without CUDA: the gloo backend and
    ``use_cpu`` (Accelerate only sets up a multi-CPU group, with a distributed sampler and
    gradient all-reduce, when told the run is on CPU); nothing otherwise (the ``Trainer``'s
    own choice, NCCL on GPUs)."""
    if world_size() > 1 and not torch.cuda.is_available():
        return {"ddp_backend": "gloo", "use_cpu": True}
    return {}


@contextmanager
def in_turn(name: str) -> Iterator[None]:
    """Under ``torchrun``, run the block in one process of this machine at a time (an
    exclusive ``flock`` on a file in the temp folder, keyed by ``name``); otherwise just run
    it. The embedded store opens in one process at a time: the processes read it in turn.

    Args:
        name: What is taken in turn (a store URL).
    """
    if world_size() == 1:
        yield
        return
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"kgfuse-turn-{key}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def mean_over_processes(value: float) -> float:
    """``value`` averaged over the processes of a running DDP group (itself otherwise): the
    ``Trainer`` reports the training loss of each process's own shards."""
    if not torch.distributed.is_available() or not torch.distributed.is_initialized():
        return value
    tensor = torch.tensor([value], dtype=torch.float64)
    torch.distributed.all_reduce(tensor)
    return float(tensor.item()) / torch.distributed.get_world_size()


class LossLog(TrainerCallback):
    """Keeps the loss and wall time of every logged step; writes them as JSON on rank 0.

    Args:
        path: Where to write ``{"world_size", "losses": [[step, loss], ...],
            "seconds_per_step"}`` when training ends (None: only kept in ``losses``).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.losses: list[tuple[int, float]] = []
        self.step_seconds: list[float] = []
        self._started: float | None = None

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Start the step's clock."""
        import time

        self._started = time.perf_counter()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Stop the step's clock."""
        import time

        if self._started is not None:
            self.step_seconds.append(time.perf_counter() - self._started)

    def on_log(
        self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any
    ) -> None:
        """Keep a logged training loss (already averaged over the processes)."""
        if logs and "loss" in logs:
            self.losses.append((state.global_step, float(logs["loss"])))

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Write the log on the main process."""
        if self.path is None or not state.is_world_process_zero:
            return
        # the first step pays for warm-up (process-group setup, lazy allocations)
        timed = self.step_seconds[1:] or self.step_seconds
        self.path.write_text(
            json.dumps(
                {
                    "world_size": world_size(),
                    "losses": self.losses,
                    "seconds_per_step": sum(timed) / max(len(timed), 1),
                }
            )
        )


def refuse_embedded_store_under_torchrun(store: str) -> None:
    """QA training holds its store open (topic linking reads it); the embedded store opens in
    one process at a time, so several ``torchrun`` processes cannot share it.

    Raises:
        ConfigError: An embedded store under ``torchrun`` with more than one process.
    """
    from kgfuse.errors import ConfigError
    from kgfuse.kg.stores.rdf.folder import store_folder

    if world_size() > 1 and store_folder(store) is not None:
        raise ConfigError(
            "kgfuse qa train under torchrun needs a server store (falkordb://, neo4j://): the "
            "embedded store opens in one process at a time; or call kgfuse.train_qa with a "
            "KGData (kgfuse.graph.to_pyg) from a script"
        )
