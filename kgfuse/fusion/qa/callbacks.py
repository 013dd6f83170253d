"""``BestEpochCallback``: Hits@1 on held-out questions after each epoch, best weights kept."""

from __future__ import annotations

import logging
from typing import Any

import torch
from transformers import TrainerCallback, TrainingArguments

from kgfuse.errors import ConfigError
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.options import QAOptions
from kgfuse.fusion.qa.ranking import Ranking, rank_examples, ranking_metrics
from kgfuse.fusion.qa.subgraph import QASubgraphSampler

logger = logging.getLogger(__name__)


class BestEpochCallback(TrainerCallback):
    """Measures Hits@1 on the eval questions after each epoch and remembers the best weights.

    Args:
        examples: Linked eval examples.
        text_embeds: Their question vectors (frozen encoder) or None.
        tokenizer: The question tokenizer.
        sampler: The subgraph sampler.
        options: Run settings (batch size, question length).
    """

    def __init__(
        self,
        examples: list[QAExample],
        text_embeds: torch.Tensor | None,
        *,
        tokenizer: Any,
        sampler: QASubgraphSampler,
        options: QAOptions,
    ) -> None:
        self.examples, self.text_embeds = examples, text_embeds
        self.tokenizer, self.sampler, self.options = tokenizer, sampler, options
        self.best_score, self.best_epoch = -1.0, 0.0
        self.best_state: dict[str, torch.Tensor] | None = None

    def evaluate(self, model: torch.nn.Module) -> dict[str, float | int]:
        """Return the ranking metrics of ``model`` on the eval questions."""
        return ranking_metrics(self.rank(model), self.examples)

    def rank(self, model: torch.nn.Module) -> list[Ranking]:
        """Rank the eval questions' candidates with ``model``."""
        return rank_examples(
            model,
            self.examples,
            tokenizer=self.tokenizer,
            sampler=self.sampler,
            max_length=self.options.max_length,
            text_embeds=self.text_embeds,
            batch_size=self.options.eval_batch_size,
        )

    def on_epoch_end(
        self, args: TrainingArguments, state: Any, control: Any, model: Any = None, **_: Any
    ) -> None:
        """Evaluate, log ``eval_hits@1`` and keep the weights when they are the best so far."""
        if model is None:
            raise ConfigError("the Trainer passed no model to the epoch callback")
        metrics = self.evaluate(model)
        state.log_history.append(
            {"epoch": state.epoch, "step": state.global_step, "eval_hits@1": metrics["hits@1"]}
        )
        logger.info("epoch %.2f: eval hits@1 %.4f", state.epoch or 0.0, metrics["hits@1"])
        if metrics["hits@1"] > self.best_score:
            self.best_score, self.best_epoch = float(metrics["hits@1"]), float(state.epoch or 0)
            self.best_state = {
                k: v.detach().cpu().clone()
                for k, v in model.state_dict().items()
                if not (model.config.freeze_text_encoder and k.startswith("text_encoder."))
            }

    def restore(self, model: torch.nn.Module) -> None:
        """Load the best epoch's weights back into ``model`` (no-op before any epoch)."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state, strict=False)
