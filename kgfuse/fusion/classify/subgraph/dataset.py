"""Dataset and collator: tokenised texts, linked entity ids, labels -> model inputs.

Texts are tokenised once; each batch is padded to its longest text, and the collator samples
the batch's bounded subgraph around the texts' linked entities (``SubgraphSampler``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.data import Dataset
from transformers import PreTrainedTokenizerBase

from kgfuse.fusion.classify.data import Example, LabelSpace
from kgfuse.fusion.text_batch import collate_text, text_item, tokenize
from kgfuse.graph.data import KGData
from kgfuse.graph.sampling import SubgraphSampler


class ClassificationDataset(Dataset):
    """Examples ready for the model.

    Args:
        examples: The examples (their ``entities`` already linked).
        tokenizer: The text encoder's tokenizer.
        kg: The graph; linked keys outside it are dropped.
        label_space: Labels to encode; None for unlabelled (prediction) data.
        max_length: Truncation length in tokens.
        max_entities: Linked entities kept per text (first mentioned first).
        text_embeds: [len(examples), hidden] precomputed text vectors (frozen-encoder mode);
            when given, texts are not tokenised.
    """

    def __init__(
        self,
        examples: Sequence[Example],
        *,
        tokenizer: PreTrainedTokenizerBase,
        kg: KGData,
        label_space: LabelSpace | None = None,
        max_length: int = 128,
        max_entities: int = 32,
        text_embeds: torch.Tensor | None = None,
    ) -> None:
        self.text_embeds = text_embeds
        self.encodings = {}
        if text_embeds is None:
            self.encodings = tokenize(
                tokenizer, [ex.text for ex in examples], max_length=max_length
            )
        self.entity_ids = [kg.index(ex.entities or ())[:max_entities] for ex in examples]
        self.labels = [label_space.encode(ex) for ex in examples] if label_space else None

    def __len__(self) -> int:
        return len(self.entity_ids)

    def __getitem__(self, i: int) -> dict[str, Any]:
        item: dict[str, Any] = {"entity_ids": self.entity_ids[i]}
        item.update(text_item(self.encodings, self.text_embeds, i))
        if self.labels is not None:
            item["labels"] = self.labels[i]
        return item

    def linked_fraction(self) -> float:
        """Fraction of examples with at least one linked entity in the graph."""
        return sum(1 for ids in self.entity_ids if ids) / max(len(self), 1)


class FusionCollator:
    """Pads a batch and adds its subgraph.

    Args:
        pad_token_id: Id used to pad ``input_ids``.
        sampler: Subgraph sampler; None for the text-only model (no graph inputs).
        multi_label: Labels are multi-hot float vectors.
    """

    def __init__(
        self, pad_token_id: int, sampler: SubgraphSampler | None, *, multi_label: bool = False
    ) -> None:
        self.pad_token_id, self.sampler, self.multi_label = pad_token_id, sampler, multi_label

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        """Return the model's keyword arguments for a list of dataset items."""
        batch = collate_text(features, self.pad_token_id)
        if self.sampler is not None:
            batch.update(self.sampler.sample([f["entity_ids"] for f in features]).as_dict())
        if "labels" in features[0]:
            dtype = torch.float if self.multi_label else torch.long
            batch["labels"] = torch.tensor([f["labels"] for f in features], dtype=dtype)
        return batch
