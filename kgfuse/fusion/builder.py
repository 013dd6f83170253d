"""Assembling a run: the graph, linked examples, the model with pretrained text weights,
node features and cached text vectors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedTokenizerBase

from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.config import KGFusionConfig
from kgfuse.fusion.data import Example, LabelSpace, read_examples
from kgfuse.fusion.embeddings import cache_key, cached_vectors, encode_texts
from kgfuse.fusion.graph_data import KGData
from kgfuse.fusion.linking import DictionaryLinker, Linker
from kgfuse.fusion.modeling import KGFusionForSequenceClassification
from kgfuse.fusion.options import TrainOptions, default_text_encoder

logger = logging.getLogger(__name__)


def as_kgdata(graph: Any) -> KGData:
    """Return ``KGData`` for a ``KGData``, a ``GraphStore``, or None (an empty graph)."""
    if graph is None:
        return KGData.empty()
    if isinstance(graph, KGData):
        return graph
    from kgfuse.kg.store import GraphStore
    from kgfuse.kg.to_pyg import to_pyg

    if isinstance(graph, GraphStore):
        return to_pyg(graph)
    raise ConfigError(f"graph must be KGData, a GraphStore or None, got {type(graph).__name__}")


def link_examples(examples: Sequence[Example], kg: KGData, linker: Linker | None) -> list[Example]:
    """Fill in ``entities`` of examples that have none, with ``linker`` (default: by name)."""
    missing = [i for i, ex in enumerate(examples) if ex.entities is None]
    if not missing:
        return list(examples)
    if linker is None:
        logger.info("%d texts have no linked entities: linking them by entity name", len(missing))
        linker = DictionaryLinker(kg)
    links = linker([examples[i].text for i in missing])
    out = list(examples)
    for i, keys in zip(missing, links, strict=True):
        out[i] = replace(examples[i], entities=tuple(keys))
    return out


def read_labelled(
    train_path: str | Path,
    eval_path: str | Path | None,
    *,
    kg: KGData,
    linker: Linker | None,
    text_column: str,
    label_column: str,
    entities_column: str,
    multi_label: bool | None,
) -> tuple[list[Example], list[Example], LabelSpace]:
    """Read and link training and evaluation data and fix the label space on training.

    Returns:
        ``(train, evaluation, labels)``; ``evaluation`` is empty without ``eval_path``.

    Raises:
        DataError: Unknown columns, empty training data, eval labels unseen in training.
    """
    columns = {
        "text_column": text_column,
        "label_column": label_column,
        "entities_column": entities_column,
    }
    train = link_examples(read_examples(train_path, **columns), kg, linker)
    labels = LabelSpace.from_examples(train, multi_label=multi_label)
    evaluation: list[Example] = []
    if eval_path is not None:
        evaluation = link_examples(read_examples(eval_path, **columns), kg, linker)
        labels.check(evaluation, where="evaluation")
    return train, evaluation, labels


def encoder_id(text_path: str, config: KGFusionConfig, max_length: int) -> str:
    """Describe a text encoder for cache keys (path, weights file stamp, config, pooling)."""
    weights = Path(text_path) / "model.safetensors"
    stamp = f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.is_file() else ""
    return (
        f"{text_path}|{stamp}|{config.text_config.to_json_string()}|{config.pooling}|{max_length}"
    )


def build_model(
    options: TrainOptions, kg: KGData, labels: LabelSpace, *, cache_dir: Path
) -> tuple[KGFusionForSequenceClassification, PreTrainedTokenizerBase, str]:
    """Build the classifier with pretrained text weights and, if asked, text node features.

    Returns:
        ``(model, tokenizer, text_path)``.

    Raises:
        ModelError: The text encoder cannot be loaded.
        ConfigError: A graph fusion without a graph.
    """
    text_path = options.text_encoder or default_text_encoder()
    if options.fusion != "none" and kg.num_entities == 0:
        raise ConfigError(
            f"fusion={options.fusion!r} needs a graph with entities; use fusion='none'"
        )
    try:
        text_config = AutoConfig.from_pretrained(text_path)
        tokenizer = AutoTokenizer.from_pretrained(text_path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load text encoder {text_path!r} ({exc})") from exc
    config = KGFusionConfig(
        text_config=text_config,
        text_model_name_or_path=text_path,
        **labels.config_fields(),
        num_entities=kg.num_entities,
        num_relations=kg.num_relations,
        node_feature_dim=text_config.hidden_size if options.node_features == "text" else 0,
        **{k: getattr(options, k) for k in _MODEL_FIELDS},
    )
    model = KGFusionForSequenceClassification(config)
    pretrained = AutoModel.from_pretrained(text_path)
    result = model.text_encoder.load_state_dict(pretrained.state_dict(), strict=False)
    unexpected = [k for k in result.unexpected_keys if not k.startswith("pooler.")]
    if result.missing_keys or unexpected:
        raise ModelError(
            f"the weights of {text_path!r} do not fit its config: "
            f"missing {result.missing_keys[:5]}, unexpected {unexpected[:5]}"
        )
    if config.uses_graph and config.node_features == "text":
        names = kg.entity_names
        vectors = cached_vectors(
            cache_dir,
            "nodes",
            cache_key(encoder_id(text_path, config, 32), names),
            lambda: embed_texts(model, tokenizer, names, max_length=32),
        )
        model.node_input.features.copy_(vectors)
    return model, tokenizer, text_path


_MODEL_FIELDS = (
    "fusion", "graph_encoder", "graph_hidden_size", "graph_num_layers", "graph_act",
    "graph_dropout", "graph_heads", "num_bases", "node_features", "pooling",
    "freeze_text_encoder", "interpolation_lambda", "fusion_heads", "classifier_dropout",
)  # fmt: skip


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


def frozen_text_embeds(
    model: KGFusionForSequenceClassification,
    tokenizer: PreTrainedTokenizerBase,
    examples: Sequence[Example],
    *,
    text_path: str,
    max_length: int,
    cache_dir: Path,
) -> torch.Tensor:
    """Text vectors for the frozen-encoder mode, computed once and cached on disk."""
    texts = [ex.text for ex in examples]
    key = cache_key(encoder_id(text_path, model.config, max_length), texts)
    return cached_vectors(
        cache_dir, "texts", key, lambda: embed_texts(model, tokenizer, texts, max_length=max_length)
    )
