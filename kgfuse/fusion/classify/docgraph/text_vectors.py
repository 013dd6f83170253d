"""Frozen text vectors for document nodes: a Hugging Face encoder, pooled, cached on disk."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from kgfuse.fusion.classify.subgraph.config import KGFusionConfig
from kgfuse.fusion.embeddings import cache_key, cached_vectors, encode_texts
from kgfuse.fusion.model_dir import WEIGHTS_FILE, read_model_type
from kgfuse.fusion.text_encoder import PretrainedText, pool_text

logger = logging.getLogger(__name__)

FUSION_MODEL_TYPE = KGFusionConfig.model_type


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

        A ``kgfuse classify train-fusion`` directory works too: its fine-tuned text encoder is
        used (BertGCN's recipe: fine-tune the encoder first, then build the graph over its
        vectors), and the cache key then names its weights' size and time.

        Raises:
            ModelError: It cannot be loaded.
        """
        if read_model_type(path) == FUSION_MODEL_TYPE:
            return cls._from_fusion_classifier(Path(path), pooling, max_length)
        text = PretrainedText.load(str(path))
        return cls(text.path, text.model.eval(), text.tokenizer, pooling, max_length)

    @classmethod
    def _from_fusion_classifier(
        cls, path: Path, pooling: str, max_length: int
    ) -> FrozenTextEncoder:
        """The fine-tuned text encoder of a fusion classifier directory."""
        from kgfuse.fusion.classify.subgraph.io import load_classifier

        loaded = load_classifier(path, device="cpu")
        weights = (path / WEIGHTS_FILE).stat()
        identity = f"{path.resolve()}@{weights.st_size}:{weights.st_mtime_ns}"
        encoder = loaded.model.text_encoder.eval()
        return cls(identity, encoder, loaded.tokenizer, pooling, max_length)

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
