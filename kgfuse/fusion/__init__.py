"""Graph-aware models. The parts every task shares live here (text encoder, graph encoders,
fusers, the HF base model and config, model directories, ``Trainer`` set-up, the model-family
registry); each task is a package: ``classify`` (``docgraph``, ``subgraph``) and ``qa``.

Public API (imported lazily; the names of round 1, kept)::

    train_classifier(train_path, eval_path, *, graph, out_dir, options) -> metrics
    evaluate_classifier(model_dir, data_path) -> metrics
    predict(model_dir, texts, *, entities=None, linker=None) -> [Prediction]
    KGData, to_pyg, TrainOptions, KGFusionConfig, KGFusionForSequenceClassification,
    Linker, DictionaryLinker, load_classifier, save_classifier
    train_qa, evaluate_qa, answer, load_qa, QAOptions, KGQAConfig, KGQAForAnswerRanking
"""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

_EXPORTS = {
    "KGData": "kgfuse.graph.data",
    "SubgraphSampler": "kgfuse.graph.sampling",
    "KGFusionConfig": "kgfuse.fusion.classify.subgraph.config",
    "KGFusionForSequenceClassification": "kgfuse.fusion.classify.subgraph.model",
    "TrainOptions": "kgfuse.fusion.classify.subgraph.options",
    "train_classifier": "kgfuse.fusion.classify.subgraph.trainer",
    "evaluate_classifier": "kgfuse.fusion.classify.subgraph.inference",
    "predict": "kgfuse.fusion.classify.subgraph.inference",
    "Prediction": "kgfuse.fusion.classify.prediction",
    "Linker": "kgfuse.graph.linking",
    "DictionaryLinker": "kgfuse.graph.linking",
    "load_classifier": "kgfuse.fusion.classify.subgraph.io",
    "save_classifier": "kgfuse.fusion.classify.subgraph.io",
    "to_pyg": "kgfuse.graph.to_pyg",
    "train_qa": "kgfuse.fusion.qa.trainer",
    "evaluate_qa": "kgfuse.fusion.qa.inference",
    "answer": "kgfuse.fusion.qa.inference",
    "load_qa": "kgfuse.fusion.qa.inference",
    "QAOptions": "kgfuse.fusion.qa.options",
    "KGQAConfig": "kgfuse.fusion.qa.config",
    "KGQAForAnswerRanking": "kgfuse.fusion.qa.model",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
