"""``train_document_graph``: train a document-graph classifier (TextGCN / BertGCN style).

The graph holds one node per document and one per term (the knowledge-graph entities the
document links, optionally its words). In the transductive mode the evaluation texts and
any unlabelled texts are nodes too, without their labels, which is how TextGCN and BertGCN
are trained and where their gain over the text model comes from. Training is full-graph
(one step per epoch) over frozen text vectors, so it runs on a CPU in seconds to minutes;
``graph_lambda = 0`` trains the text head alone, the baseline through the same code. A
slice of the training texts (``dev_fraction``) stays unlabelled in the graph and picks the
best epoch; the evaluation labels are only read for the final metrics.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from kgfuse.fusion.classify.data import Example, LabelSpace, read_examples
from kgfuse.fusion.classify.docgraph.architectures import new_model as build_model
from kgfuse.fusion.classify.docgraph.building import (
    build_state,
    entity_term_features,
    unique_texts,
)
from kgfuse.fusion.classify.docgraph.fit import (
    TRAINING_LAMBDA,
    fit_full_graph,
    node_pairs,
    split_dev,
)
from kgfuse.fusion.classify.docgraph.io import save_document_graph
from kgfuse.fusion.classify.docgraph.minibatch import mini_batch_mode
from kgfuse.fusion.classify.docgraph.model import DocGraphConfig, DocGraphModel
from kgfuse.fusion.classify.docgraph.options import DocGraphOptions
from kgfuse.fusion.classify.docgraph.predictor import DocGraphPredictor
from kgfuse.fusion.classify.docgraph.relational import configure_relations
from kgfuse.fusion.classify.docgraph.relations import relation_edges
from kgfuse.fusion.classify.docgraph.selection import cross_validate
from kgfuse.fusion.classify.docgraph.state import GraphState
from kgfuse.fusion.classify.docgraph.term_graph import TermGraph
from kgfuse.fusion.classify.docgraph.text_vectors import FrozenTextEncoder
from kgfuse.fusion.classify.labelled import link_examples, read_labelled
from kgfuse.fusion.classify.metrics import classification_metrics
from kgfuse.fusion.options import output_dirs
from kgfuse.fusion.text_encoder import default_text_encoder
from kgfuse.graph.linking import DictionaryLinker, Linker
from kgfuse.graph.to_pyg import as_graph
from kgfuse.progress import stage
from kgfuse.types import content_hash

logger = logging.getLogger(__name__)

#: Wall seconds of each stage of the run (link, graph, train, eval), next to the model.
TIMINGS_FILE = "timings.json"


def train_document_graph(
    train_path: str | Path,
    eval_path: str | Path | None = None,
    *,
    graph: Any,
    out_dir: str | Path,
    options: DocGraphOptions | None = None,
    linker: Linker | None = None,
    unlabeled_path: str | Path | None = None,
) -> dict[str, Any]:
    """Train a document-graph classifier and save it to ``out_dir``.

    Args:
        train_path: Training data (JSONL/CSV: text, label, optional entities column).
        eval_path: Evaluation data: graph nodes when transductive; scored at the end.
        graph: ``KGData``, an open ``GraphStore`` or None: its facts link entity terms, and
            texts without an entities column are linked to its entities.
        out_dir: Where the model directory, ``metrics.json`` and the curves go.
        options: Run settings (default ``DocGraphOptions()``).
        linker: Links texts without an entities column (default: entity names found as
            word n-grams, up to ``options.max_entities`` per text).
        unlabeled_path: More texts (labels ignored) that join the graph when transductive.

    Returns:
        Metrics: ``best_epoch``, ``dev_accuracy``/``dev_macro_f1`` (with a dev slice),
        ``eval_accuracy``/``eval_macro_f1`` (with eval data), graph sizes.

    Raises:
        DataError: Unknown columns, unseen eval labels, empty data, too few texts.
        ConfigError, ModelError: Invalid settings or an unloadable text encoder.
    """
    options = options or DocGraphOptions()
    options.check()
    out, cache_dir = output_dirs(out_dir, options.cache_dir)
    kg, _ = as_graph(graph)
    linker = linker or DictionaryLinker(kg, max_entities=options.max_entities)
    timings: dict[str, float] = {}
    with stage("reading and linking the texts", timings, "link"):
        train, evaluation, labels = read_labelled(
            train_path, eval_path, kg=kg, linker=linker, columns=options
        )
        extra = []
        if unlabeled_path is not None:
            unlabeled = read_examples(
                unlabeled_path,
                text_column=options.text_column,
                label_column=None,
                entities_column=options.entities_column,
            )
            extra = link_examples(unlabeled, kg, linker)
    nodes = unique_texts([*train, *evaluation, *extra] if options.transductive else train)
    device = torch.device(options.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    encoder = FrozenTextEncoder.load(
        options.text_encoder or default_text_encoder(),
        pooling=options.pooling,
        max_length=options.max_length,
    )
    encoder.model.to(device)
    with stage(f"encoding {len(nodes)} texts and building the graph", timings, "graph"):
        state = build_state(nodes, encoder, kg, options, cache_dir=cache_dir)
    terms = state.terms
    logger.info(
        "document graph: %d documents, %d terms, %d term-term edges",
        len(nodes),
        terms.num_terms,
        terms.edge_index.shape[1],
    )
    options = _fall_back_to_text(options, train, terms)
    features = None
    if options.entity_features != "none":
        with stage(f"knowledge-graph embeddings ({options.entity_features})", timings, "kge"):
            features = entity_term_features(terms, kg, options)

    relations = None
    if options.graph_model == "rsgc":  # the facts between entity terms, typed by predicate
        facts = kg if options.use_facts else None
        relations = relation_edges(facts, terms, max_relations=options.max_relations)

    def new_model() -> DocGraphModel:
        torch.manual_seed(options.seed)
        config = _config(options, encoder, terms, labels)
        if features is not None:
            config.term_feature_dim = features.shape[1]
        if relations is not None:
            configure_relations(config, relations)
        model = build_model(config)
        if features is not None:
            model.term_features.copy_(features)
        if relations is not None:
            model.set_relations(relations)
        return model.to(device)

    with stage("training", timings, "train"):
        if options.cv_folds:
            model, history, best = _cross_validated_fit(
                new_model, state, labels, train, options, device
            )
        else:
            model = new_model()
            fit, dev = split_dev(train, state, options)
            history, best = fit_full_graph(model, state, labels, fit, dev, options, device)
    predictor = DocGraphPredictor(
        model, state, encoder, words=options.words, max_entities=options.max_entities
    )
    metrics: dict[str, Any] = {**best, "epochs_run": len([h for h in history if "loss" in h])}
    if evaluation:
        with stage(f"scoring {len(evaluation)} evaluation texts", timings, "eval"):
            scores = _score(predictor, evaluation, labels, cache_dir=cache_dir)
        metrics.update({f"eval_{k}": v for k, v in scores.items()})
    metrics.update(
        train_examples=len(train),
        graph_documents=len(nodes),
        graph_terms=terms.num_terms,
        term_edges=int(terms.edge_index.shape[1]),
        linked_fraction=float(np.mean([bool(ex.entities) for ex in train])),
        mini_batch=mini_batch_mode(options, state),
    )
    save_document_graph(
        predictor,
        out,
        labels=labels,
        options=options,
        metrics=metrics,
        history=history,
    )
    (out / TIMINGS_FILE).write_text(json.dumps(timings, indent=2))
    logger.info("document graph training done: %s", metrics)
    return metrics


def _cross_validated_fit(
    new_model: Callable[[], DocGraphModel],
    state: GraphState,
    labels: LabelSpace,
    train: Sequence[Example],
    options: DocGraphOptions,
    device: torch.device,
) -> tuple[DocGraphModel, list[dict[str, float]], dict[str, Any]]:
    """Choose the graph weight and the epochs by cross-validation, then refit on all
    labelled texts: ``(model, history, selection metrics)``."""
    pairs = node_pairs(train, state)
    selection, cv_history = cross_validate(state, labels, pairs, options, device, new_model)
    model = new_model()
    if not selection.kept:  # text only: the graph side is skipped while refitting
        model.config.graph_lambda = 0.0
    refit = replace(options, epochs=selection.epochs, graph_lambda=model.config.graph_lambda)
    history, _ = fit_full_graph(model, state, labels, pairs, [], refit, device)
    model.config.graph_lambda = selection.graph_lambda
    return model, history + cv_history, selection.metrics()


def _fall_back_to_text(
    options: DocGraphOptions, train: Sequence[Example], terms: TermGraph
) -> DocGraphOptions:
    """Text only, with a warning, when no document has a graph term; a warning when no
    training text links a graph entity (the graph then holds words only)."""
    if terms.num_terms == 0:
        logger.warning(
            "no graph term is shared by %d or more documents (no linked entities%s): "
            "training the text head only (graph_lambda 0)",
            options.min_df,
            "" if options.words else " and words=false",
        )
        return replace(options, graph_lambda=0.0)
    if not any(ex.entities for ex in train):
        logger.warning(
            "no training text links a graph entity (an empty store, or texts that name none "
            "of its entities): the graph holds words only"
        )
    return options


def _config(
    options: DocGraphOptions, encoder: FrozenTextEncoder, terms: TermGraph, labels: LabelSpace
) -> DocGraphConfig:
    return DocGraphConfig(
        text_dim=encoder.dim,
        num_terms=terms.num_terms,
        hidden_size=options.hidden_size,
        dropout=options.dropout,
        text_dropout=options.text_dropout,
        # None: chosen on dev after training; until then a weight > 0 keeps the graph in
        graph_lambda=TRAINING_LAMBDA if options.graph_lambda is None else options.graph_lambda,
        objective=options.objective,
        graph_model=options.graph_model,
        text_model_name_or_path=encoder.path,
        text_max_length=options.max_length,
        pooling=options.pooling,
        **labels.config_fields(),
    )


def _score(
    predictor: DocGraphPredictor,
    examples: Sequence[Example],
    labels: LabelSpace,
    *,
    cache_dir: Path | None,
) -> dict[str, float]:
    """Final metrics; texts outside the graph are embedded through the run's vector cache."""
    outside = [
        i for i, ex in enumerate(examples) if content_hash(ex.text) not in predictor.state.node_of
    ]
    vectors = None
    if outside:
        encoded = predictor.encoder.encode([examples[i].text for i in outside], cache_dir=cache_dir)
        vectors = encoded.new_zeros(len(examples), encoded.shape[1])  # [examples, text_dim]
        vectors[outside] = encoded
    logits = predictor.logits(examples, text_vectors=vectors)
    target = np.array([labels.encode(ex) for ex in examples])
    return classification_metrics(logits, target, multi_label=labels.multi_label)
