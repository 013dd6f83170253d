"""Frozen text vectors for document nodes: a Hugging Face encoder, pooled, cached on disk."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from kgfuse.fusion.embeddings import cache_key, cached_vectors, encode_texts
from kgfuse.fusion.text_encoder import PretrainedText, pool_text

logger = logging.getLogger(__name__)


@dataclass
class FrozenTextEncoder:
    """A pretrained encoder used without gradients.

    Attributes:
        path: Its name or local path (recorded in cache keys).
        model: The encoder, in eval mode.
        tokenizer: Its tokenizer.
        pooling: ``mean`` or ``cls``.
        max_length: Token limit per text.
    """

    path: str
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    pooling: str = "mean"
    max_length: int = 128

    @classmethod
    def load(
        cls, path: str | Path, *, pooling: str = "mean", max_length: int = 128
    ) -> FrozenTextEncoder:
        """Load an encoder and its tokenizer from a local path or an installed name.

        Raises:
            ModelError: It cannot be loaded.
        """
        text = PretrainedText.load(str(path))
        return cls(text.path, text.model.eval(), text.tokenizer, pooling, max_length)

    @property
    def dim(self) -> int:
        """Size of the pooled vectors."""
        return int(self.model.config.hidden_size)

    def identity(self) -> str:
        """Describe the encoder for cache keys (path, config, pooling, length)."""
        return f"{self.path}|{self.model.config.to_json_string()}|{self.pooling}|{self.max_length}"

    def encode(self, texts: Sequence[str], *, cache_dir: str | Path | None = None) -> torch.Tensor:
        """Embed texts (cached under ``cache_dir`` when given).

        Returns:
            [len(texts), dim] float32 vectors on the CPU.
        """
        if not texts:
            return torch.zeros(0, self.dim)
        encode = partial(pool_text, self.model, pooling=self.pooling, frozen=True)
        device = next(self.model.parameters()).device

        def compute() -> torch.Tensor:
            logger.info("embedding %d texts with %s", len(texts), self.path)
            return encode_texts(
                encode, self.tokenizer, texts, max_length=self.max_length, device=device
            )

        return cached_vectors(cache_dir, "texts", cache_key(self.identity(), texts), compute)
