"""QA examples ready for the model: dataset and collator.

``QADataset`` holds tokenised questions (or precomputed question vectors in the
frozen-encoder mode); ``QACollator`` pads a batch and adds the disjoint union of its
questions' subgraphs (``QASubgraphSampler``) with the gold answers as ``labels`` [N].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.data import Dataset
from transformers import PreTrainedTokenizerBase

from kgfuse.errors import DataError
from kgfuse.fusion.qa.examples import QAExample
from kgfuse.fusion.qa.subgraph import QASubgraphSampler
from kgfuse.fusion.text_batch import collate_text, text_item, tokenize


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
        self.encodings = {}
        if text_embeds is None:
            texts = [ex.text for ex in self.examples]
            self.encodings = tokenize(tokenizer, texts, max_length=max_length)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> dict[str, Any]:
        ex = self.examples[i]
        item: dict[str, Any] = {"topics": ex.topics, "answers": ex.answers}
        item["hops"] = ex.record.hops or 0  # 0: the data does not say
        item.update(text_item(self.encodings, self.text_embeds, i))
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
        batch = collate_text(features, self.pad_token_id)
        graph = self.sampler.sample([f["topics"] for f in features])
        batch.update(graph.as_dict())
        gold = torch.zeros(graph.node_ids.shape[0])
        for b, f in enumerate(features):
            if f["answers"]:
                nodes = graph.batch == b
                hit = torch.isin(graph.node_ids, torch.tensor(f["answers"], dtype=torch.long))
                gold[nodes & hit] = 1.0
        batch["labels"] = gold  # [N]
        # Hop counts the data states (synthesised questions always do): they supervise the
        # model's hop attention during training; 0 = unknown.
        batch["hop_labels"] = torch.tensor([int(f.get("hops") or 0) for f in features])  # [B]
        return batch
