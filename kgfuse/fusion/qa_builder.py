"""Assembling a QA run: the model with pretrained question-encoder weights, text node
features, and question vectors cached for the frozen-encoder mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedTokenizerBase

from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.builder import embed_texts
from kgfuse.fusion.embeddings import cache_key, cached_vectors
from kgfuse.fusion.graph_data import KGData
from kgfuse.fusion.options import default_text_encoder
from kgfuse.fusion.qa_config import KGQAConfig
from kgfuse.fusion.qa_model import KGQAForAnswerRanking
from kgfuse.fusion.qa_options import QAOptions

logger = logging.getLogger(__name__)


def build_qa_model(
    options: QAOptions, kg: KGData, *, cache_dir: Path | None
) -> tuple[KGQAForAnswerRanking, PreTrainedTokenizerBase, str]:
    """Build the answer ranker with pretrained question-encoder weights.

    Args:
        options: Run settings.
        kg: The graph the model reasons over.
        cache_dir: Where the entity-name vectors of ``node_features="text"`` are cached.

    Returns:
        ``(model, tokenizer, text_path)``.

    Raises:
        ModelError: The text encoder cannot be loaded or its weights do not fit its config.
        ConfigError: An empty graph or invalid settings.
    """
    if kg.num_entities == 0 or kg.num_edges == 0:
        raise ConfigError("question answering needs a graph with facts; the graph is empty")
    text_path = options.text_encoder or default_text_encoder()
    try:
        text_config = AutoConfig.from_pretrained(text_path)
        tokenizer = AutoTokenizer.from_pretrained(text_path)
        pretrained = AutoModel.from_pretrained(text_path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load text encoder {text_path!r} ({exc})") from exc
    config = KGQAConfig(
        text_config=text_config,
        text_model_name_or_path=text_path,
        pooling=options.pooling,
        freeze_text_encoder=options.frozen(),
        num_hops=options.hops,
        hidden_size=options.hidden_size,
        num_entities=kg.num_entities,
        num_relations=kg.num_relations,
        node_features=options.node_features,
        node_states=options.node_states,
        node_feature_dim=text_config.hidden_size if options.node_features == "text" else 0,
        dropout=options.dropout,
        exclude_topic_entities=options.exclude_topic_entities,
    )
    model = KGQAForAnswerRanking(config)
    result = model.text_encoder.load_state_dict(pretrained.state_dict(), strict=False)
    unexpected = [k for k in result.unexpected_keys if not k.startswith("pooler.")]
    if result.missing_keys or unexpected:
        raise ModelError(
            f"the weights of {text_path!r} do not fit its config: "
            f"missing {result.missing_keys[:5]}, unexpected {unexpected[:5]}"
        )
    if config.node_features == "text":
        names = kg.entity_names
        vectors = cached_vectors(
            cache_dir,
            "qa-nodes",
            cache_key(encoder_id(text_path, config, 32), names),
            lambda: embed_texts(model, tokenizer, names, max_length=32),
        )
        model.node_input.features.copy_(vectors)
    return model, tokenizer, text_path


def encoder_id(text_path: str, config: KGQAConfig, max_length: int) -> str:
    """Describe a question encoder for cache keys (path, weights stamp, config, pooling)."""
    weights = Path(text_path) / "model.safetensors"
    stamp = f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.is_file() else ""
    text_config = config.text_config.to_json_string()
    return f"{text_path}|{stamp}|{text_config}|{config.pooling}|{max_length}"


def question_vectors(
    model: KGQAForAnswerRanking,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    text_path: str,
    max_length: int,
    cache_dir: Path | None,
) -> torch.Tensor:
    """Question vectors for the frozen-encoder mode, computed once and cached on disk.

    Each distinct text is embedded once (masked MetaQA questions are a few hundred
    templates: 20k questions cost seconds instead of minutes on a CPU).

    Raises:
        ConfigError: The model's text encoder is not frozen (vectors would go stale).
    """
    if not model.config.freeze_text_encoder:
        raise ConfigError("cached question vectors need a frozen text encoder")
    unique = list(dict.fromkeys(texts))
    key = cache_key(encoder_id(text_path, model.config, max_length), unique)
    vectors = cached_vectors(
        cache_dir,
        "qa-questions",
        key,
        lambda: embed_texts(model, tokenizer, unique, max_length=max_length),
    )
    return vectors[torch.tensor(positions(unique, texts), dtype=torch.long)]  # [texts, hidden]


def positions(unique: Sequence[str], texts: Sequence[str]) -> list[int]:
    """Return the index in ``unique`` of every text of ``texts``."""
    where = {t: i for i, t in enumerate(unique)}
    return [where[t] for t in texts]
