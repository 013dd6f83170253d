"""The HF ``Trainer`` pieces: separate learning rates, and ``TrainingArguments`` from options.

DDP: launch the script that calls ``train_classifier`` or ``train_qa`` (or the
``kgfuse`` command) with ``torchrun --nproc_per_node N``; the ``Trainer`` wraps the model,
shards batches (``batch_size`` is per device) and all-reduces gradients, over gloo on CPU
(``kgfuse.fusion.distributed``). Every parameter takes part in every step (``fusion="none"``
builds no graph side, the text encoder has no unused pooler), so ``find_unused_parameters``
is not needed, except for batches in which no text links any entity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from transformers import Trainer, TrainingArguments

from kgfuse.errors import ConfigError
from kgfuse.fusion.distributed import ddp_arguments, mean_over_processes
from kgfuse.fusion.options import TrainingSettings


class FusionTrainer(Trainer):
    """``Trainer`` with one learning rate for the text encoder and another for the rest."""

    def __init__(self, *args: Any, graph_learning_rate: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.graph_learning_rate = graph_learning_rate

    def create_optimizer(self, model: torch.nn.Module | None = None) -> torch.optim.Optimizer:
        """AdamW with groups (text / graph) x (decay / no decay)."""
        if self.optimizer is None:
            opt_model = self.model if model is None else model
            decay = set(self.get_decay_parameter_names(opt_model))
            groups: dict[tuple[bool, bool], list[torch.nn.Parameter]] = {}
            for name, param in opt_model.named_parameters():
                if param.requires_grad:
                    is_text = f".{name}".find(".text_encoder.") >= 0
                    groups.setdefault((is_text, name in decay), []).append(param)
            param_groups = [
                {
                    "params": params,
                    "lr": self.args.learning_rate if is_text else self.graph_learning_rate,
                    "weight_decay": self.args.weight_decay if decays else 0.0,
                }
                for (is_text, decays), params in sorted(groups.items())
            ]
            self.optimizer = torch.optim.AdamW(param_groups, lr=self.args.learning_rate)
        return self.optimizer


def mixed_precision(option: str) -> str:
    """Resolve a ``mixed_precision`` setting to ``no``, ``bf16`` or ``fp16``.

    Raises:
        ConfigError: Mixed precision asked for without CUDA, or an unknown precision.
    """
    cuda = torch.cuda.is_available()
    precision = option
    if precision == "auto":
        precision = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if cuda else "no"
    if precision not in {"no", "bf16", "fp16"} or (precision != "no" and not cuda):
        raise ConfigError(f"mixed_precision={option!r}: use auto, no, or bf16/fp16 on CUDA")
    return precision


def training_arguments(
    options: TrainingSettings, out_dir: Path, **task_arguments: Any
) -> TrainingArguments:
    """Map the shared settings to ``TrainingArguments`` (checkpoints in ``out_dir/checkpoints``).

    Args:
        options: The run's settings.
        out_dir: The model directory.
        **task_arguments: What the task sets itself (evaluation and saving strategy...).

    Raises:
        ConfigError: Mixed precision asked for without CUDA, or an unknown precision.
    """
    precision = mixed_precision(options.mixed_precision)
    arguments: dict[str, Any] = {
        "output_dir": str(out_dir / "checkpoints"),
        "per_device_train_batch_size": options.batch_size,
        "per_device_eval_batch_size": options.eval_batch_size,
        "gradient_accumulation_steps": options.gradient_accumulation_steps,
        "num_train_epochs": options.epochs,
        "max_steps": options.max_steps,
        "learning_rate": options.learning_rate,
        "weight_decay": options.weight_decay,
        "warmup_steps": options.warmup_ratio,
        "logging_steps": options.logging_steps,
        "seed": options.seed,
        "data_seed": options.seed,
        "bf16": precision == "bf16",
        "fp16": precision == "fp16",
        "report_to": "none",
        "remove_unused_columns": False,
        "disable_tqdm": options.disable_tqdm,
        "dataloader_num_workers": 0,
        "dataloader_pin_memory": torch.cuda.is_available(),
        **ddp_arguments(),  # gloo on CPU under torchrun
    }
    arguments.update(task_arguments)
    return TrainingArguments(**arguments)


def fit(
    model: torch.nn.Module,
    args: TrainingArguments,
    *,
    options: TrainingSettings,
    collator: Any,
    train_set: Any,
    tokenizer: Any,
    callbacks: list[Any],
    eval_set: Any = None,
    compute_metrics: Any = None,
) -> tuple[FusionTrainer, dict[str, Any]]:
    """Run the Hugging Face ``Trainer`` loop (two learning rates, resume when asked).

    Returns:
        The trainer (its state holds the log history) and ``train_loss``/``global_step``.
    """
    trainer = FusionTrainer(
        model=model,
        args=args,
        data_collator=collator,
        train_dataset=train_set,
        eval_dataset=eval_set,
        processing_class=tokenizer,
        compute_metrics=compute_metrics,
        callbacks=callbacks,
        graph_learning_rate=options.graph_learning_rate,
    )
    result = trainer.train(resume_from_checkpoint=options.resume_from_checkpoint)
    loss = mean_over_processes(result.training_loss)
    return trainer, {"train_loss": loss, "global_step": result.global_step}
