"""``TrainingSettings``: the settings every Hugging Face ``Trainer`` run of kgfuse shares
(text encoder, batches, optimiser, precision, checkpoints, caches); each task's options
class adds its own and may change these defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TrainingSettings:
    """Settings shared by the classification and QA runs.

    Model: ``text_encoder`` (HF name or path; None = packaged MiniLM), ``pooling``
    (``mean`` or ``cls``), ``max_length`` (tokens per text).

    Training: ``batch_size``, ``eval_batch_size``, ``epochs``, ``max_steps`` (> 0 overrides
    epochs), ``learning_rate`` (text encoder, when fine-tuned), ``graph_learning_rate``
    (everything else), ``weight_decay``, ``warmup_ratio``, ``gradient_accumulation_steps``,
    ``seed``, ``mixed_precision`` (``auto`` = bf16/fp16 on CUDA only, ``no``, ``bf16``,
    ``fp16``), ``logging_steps``, ``save_steps`` (checkpoints), ``resume_from_checkpoint``
    (True = latest checkpoint in ``out_dir/checkpoints``, or a path), ``disable_tqdm``,
    ``cache_dir`` (embedding caches; default ``default_cache_dir()``, never inside the
    model directory).
    """

    text_encoder: str | None = None
    pooling: str = "mean"
    max_length: int = 128
    batch_size: int = 16
    eval_batch_size: int = 64
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 2e-5
    graph_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    gradient_accumulation_steps: int = 1
    seed: int = 42
    mixed_precision: str = "auto"
    logging_steps: int = 10
    save_steps: int | None = None
    resume_from_checkpoint: str | bool | None = None
    disable_tqdm: bool = False
    cache_dir: str | None = None


def default_cache_dir() -> Path:
    """Where text vectors are cached unless a run says otherwise: ``$KGFUSE_CACHE``, else
    ``$XDG_CACHE_HOME/kgfuse`` (``~/.cache/kgfuse``). Caches never go into a model directory,
    which stays small enough to copy."""
    if os.environ.get("KGFUSE_CACHE"):
        return Path(os.environ["KGFUSE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kgfuse"


def output_dirs(out_dir: str | Path, cache_dir: str | None) -> tuple[Path, Path]:
    """Create a run's model directory and return it with its embedding cache folder.

    Args:
        out_dir: The model directory.
        cache_dir: The ``cache_dir`` setting (None = ``default_cache_dir() / "vectors"``).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out, Path(cache_dir) if cache_dir else default_cache_dir() / "vectors"
