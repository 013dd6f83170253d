"""QA examples ready for the model: dataset and collator.

``QADataset`` holds tokenised questions (or precomputed question vectors in the
frozen-encoder mode); ``QACollator`` pads a batch and adds the disjoint union of its
questions' subgraphs (``QASubgraphSampler``) with the gold answers as ``labels`` [N].
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.data import Dataset
from transformers import PreTrainedTokenizerBase

from kgfuse.errors import DataError
from kgfuse.fusion.qa_examples import QAExample
from kgfuse.fusion.qa_subgraph import QASubgraphSampler

logger = logging.getLogger(__name__)


class QADataset(Dataset):
    """Linked questions for the model.

    Args:
        examples: Examples with at least one topic entity.
        tokenizer: The question encoder's tokenizer.
        max_length: Truncation length in tokens.
        text_embeds: [len(examples), hidden] precomputed question vectors (frozen encoder);
            when given, questions are not tokenised.
    """

    def __init__(
        self,
        examples: Sequence[QAExample],
        *,
        tokenizer: PreTrainedTokenizerBase,
        max_length: int = 64,
        text_embeds: torch.Tensor | None = None,
    ) -> None:
        if any(not ex.topics for ex in examples):
            raise DataError("every QA example needs a topic entity; drop unlinked questions")
        self.examples, self.text_embeds = list(examples), text_embeds
        self.encodings: dict[str, list[list[int]]] = {}
        if text_embeds is None and self.examples:
            enc = tokenizer(
                [ex.text for ex in self.examples], truncation=True, max_length=max_length
            )
            keep = ("input_ids", "attention_mask", "token_type_ids")
            self.encodings = {k: list(v) for k, v in enc.items() if k in keep}

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> dict[str, Any]:
        ex = self.examples[i]
        item: dict[str, Any] = {"topics": ex.topics, "answers": ex.answers}
        if self.text_embeds is not None:
            item["text_embeds"] = self.text_embeds[i]
        else:
            item.update({k: v[i] for k, v in self.encodings.items()})
        return item


class QACollator:
    """Pads a batch of questions and adds their subgraphs and gold-answer labels.

    Args:
        pad_token_id: Id used to pad ``input_ids``.
        sampler: The subgraph sampler.
    """

    def __init__(self, pad_token_id: int, sampler: QASubgraphSampler) -> None:
        self.pad_token_id, self.sampler = pad_token_id, sampler

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        """Return the model's keyword arguments for a list of dataset items."""
        batch: dict[str, torch.Tensor] = {}
        if "text_embeds" in features[0]:
            batch["text_embeds"] = torch.stack([f["text_embeds"] for f in features])  # [B, H]
        else:
            width = max(len(f["input_ids"]) for f in features)
            for name, pad in (
                ("input_ids", self.pad_token_id),
                ("attention_mask", 0),
                ("token_type_ids", 0),
            ):
                if name in features[0]:
                    rows = [list(f[name]) + [pad] * (width - len(f[name])) for f in features]
                    batch[name] = torch.tensor(rows, dtype=torch.long)  # [B, tokens]
        graph = self.sampler.sample([f["topics"] for f in features])
        batch.update(graph.as_dict())
        gold = torch.zeros(graph.node_ids.shape[0])
        for b, f in enumerate(features):
            if f["answers"]:
                nodes = graph.batch == b
                hit = torch.isin(graph.node_ids, torch.tensor(f["answers"], dtype=torch.long))
                gold[nodes & hit] = 1.0
        batch["labels"] = gold  # [N]
        return batch
