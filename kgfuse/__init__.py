"""kgfuse: knowledge graphs from text, entity queries, and graph-aware fine-tuning.

The public Python API (imported lazily, so ``import kgfuse`` is light)::

    from kgfuse import Extractor, build_graph, open_store
    with open_store("graph") as store:                        # or neo4j://…, falkordb://…
        build_graph("corpus/", store, extractor=Extractor())
        card = store.entity_card(store.resolve("Curie").key)
        kg = to_pyg(store)                                    # KGData for the models
    train_document_graph("train.jsonl", "test.jsonl", graph=kg, out_dir="runs/dg")
    predictor = load_document_graph("runs/dg")
    predict_document_graph(predictor, ["a new text"])
    train_qa("questions.jsonl", graph=store, out_dir="runs/qa")
    answer(load_qa("runs/qa"), "who directed [Big]")
"""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # build and query a graph
    "Extractor": "kgfuse.nlp.extractor",
    "build_graph": "kgfuse.build",
    "GraphStore": "kgfuse.kg.stores",
    "open_store": "kgfuse.kg.stores",
    # the graph as tensors, and linking texts to it
    "KGData": "kgfuse.graph.data",
    "to_pyg": "kgfuse.graph.to_pyg",
    "DictionaryLinker": "kgfuse.graph.linking",
    "ExtractionLinker": "kgfuse.graph.linking.extraction",
    # classification: the document graph (default) and the subgraph fusion
    "DocGraphOptions": "kgfuse.fusion.classify.docgraph",
    "train_document_graph": "kgfuse.fusion.classify.docgraph",
    "load_document_graph": "kgfuse.fusion.classify.docgraph",
    "predict_document_graph": "kgfuse.fusion.classify.docgraph.inference",
    "evaluate_document_graph": "kgfuse.fusion.classify.docgraph.inference",
    "TrainOptions": "kgfuse.fusion.classify.subgraph.options",
    "train_classifier": "kgfuse.fusion.classify.subgraph.trainer",
    "load_classifier": "kgfuse.fusion.classify.subgraph.io",
    "predict": "kgfuse.fusion.classify.subgraph.inference",
    "evaluate_classifier": "kgfuse.fusion.classify.subgraph.inference",
    "Prediction": "kgfuse.fusion.classify.prediction",
    # question answering
    "QAOptions": "kgfuse.fusion.qa.options",
    "train_qa": "kgfuse.fusion.qa.trainer",
    "load_qa": "kgfuse.fusion.qa.inference",
    "answer": "kgfuse.fusion.qa.inference",
    "evaluate_qa": "kgfuse.fusion.qa.inference",
}

__all__ = ["__version__", *sorted(_EXPORTS)]
__getattr__ = lazy_exports(__name__, _EXPORTS)
