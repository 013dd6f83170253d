"""Text inputs of a batch, shared by every dataset and collator: texts tokenised once, and
a batch padded to its longest text (or the precomputed vectors of the frozen-encoder mode)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from transformers import PreTrainedTokenizerBase

_TOKEN_FIELDS = ("input_ids", "attention_mask", "token_type_ids")


def tokenize(
    tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], *, max_length: int
) -> dict[str, list[list[int]]]:
    """Tokenise texts once, unpadded: ``{field: [ids of text 0, ids of text 1, ...]}``."""
    if not texts:
        return {}
    enc = tokenizer(list(texts), truncation=True, max_length=max_length)
    return {k: list(v) for k, v in enc.items() if k in _TOKEN_FIELDS}


def text_item(
    encodings: dict[str, list[list[int]]], text_embeds: torch.Tensor | None, i: int
) -> dict[str, Any]:
    """The text part of dataset item ``i``: its vector, or its token fields."""
    if text_embeds is not None:
        return {"text_embeds": text_embeds[i]}
    return {k: v[i] for k, v in encodings.items()}


def collate_text(features: Sequence[dict[str, Any]], pad_token_id: int) -> dict[str, torch.Tensor]:
    """Stack ``text_embeds`` [B, H], or pad the token fields to the longest text [B, tokens]."""
    if "text_embeds" in features[0]:
        return {"text_embeds": torch.stack([f["text_embeds"] for f in features])}  # [B, H]
    batch: dict[str, torch.Tensor] = {}
    width = max(len(f["input_ids"]) for f in features)
    for name, pad in zip(_TOKEN_FIELDS, (pad_token_id, 0, 0), strict=True):
        if name in features[0]:
            rows = [list(f[name]) + [pad] * (width - len(f[name])) for f in features]
            batch[name] = torch.tensor(rows, dtype=torch.long)  # [B, tokens]
    return batch
