"""Text vectors computed once without gradients, cached in safetensors files.

Used for node features (the text encoder's embedding of each entity name) and for the
frozen-encoder mode (each training text embedded once). A cache file is keyed by the encoder
(name or path, config, pooling, length) and the exact texts, so a changed vocabulary or
encoder never reuses stale vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from transformers import PreTrainedTokenizerBase

from kgfuse.progress import progress

logger = logging.getLogger(__name__)

#: ``encode(input_ids, attention_mask, token_type_ids) -> [batch, hidden]``
TextEncodeFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor]


@torch.no_grad()
def encode_texts(
    encode: TextEncodeFn,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int = 128,
    batch_size: int = 64,
    device: torch.device | str = "cpu",
) -> torch.Tensor:
    """Embed texts in batches (shortest first, to pad little).

    Args:
        encode: Pooled text encoder, e.g. ``model.encode_text`` (in eval mode).
        tokenizer: Its tokenizer.
        texts: Texts to embed.
        max_length: Truncation length in tokens.
        batch_size: Texts per forward pass.
        device: Where the encoder lives.

    Returns:
        [len(texts), hidden] float32 vectors on the CPU, in input order.
    """
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    chunks: list[torch.Tensor] = []
    for start in progress(range(0, len(order), batch_size), desc="encoding"):
        batch = [texts[i] for i in order[start : start + batch_size]]
        enc = tokenizer(
            batch, truncation=True, max_length=max_length, padding=True, return_tensors="pt"
        )
        enc = {k: v.to(device) for k, v in enc.items()}
        chunks.append(
            encode(enc["input_ids"], enc["attention_mask"], enc.get("token_type_ids")).float().cpu()
        )
    if not chunks:
        return torch.zeros(0, 0)
    vectors = torch.cat(chunks)  # [texts, hidden], sorted by length
    out = torch.empty_like(vectors)
    out[torch.tensor(order)] = vectors
    return out


def cache_key(encoder_id: str, texts: Sequence[str]) -> str:
    """Return the cache key of ``texts`` embedded by the encoder described by ``encoder_id``."""
    digest = hashlib.sha256(encoder_id.encode("utf-8"))
    digest.update(json.dumps(list(texts), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:32]


def cached_vectors(
    cache_dir: str | Path | None,
    kind: str,
    key: str,
    compute: Callable[[], torch.Tensor],
) -> torch.Tensor:
    """Return vectors from ``cache_dir/{kind}-{key}.safetensors``, computing them when absent.

    Args:
        cache_dir: Cache folder; None computes without caching.
        kind: File name prefix (``nodes``, ``texts``).
        key: Cache key (see ``cache_key``).
        compute: Produces the vectors on a miss.
    """
    if cache_dir is None:
        return compute()
    path = Path(cache_dir) / f"{kind}-{key}.safetensors"
    if path.is_file():
        try:
            logger.info("using cached %s vectors %s", kind, path)
            return load_file(str(path))["vectors"]
        except (SafetensorError, KeyError, OSError) as exc:
            logger.warning("ignoring unreadable cache file %s (%s)", path, exc)
    vectors = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file({"vectors": vectors.contiguous()}, str(tmp))
    tmp.replace(path)
    return vectors
