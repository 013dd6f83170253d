"""Graph-aware fine-tuning: KGData tensors, graph encoders, fusers, HF models and training.

Public API (imported lazily, so ``import kgfuse.fusion.graph_data`` stays light)::

    train_classifier(train_path, eval_path, *, graph, out_dir, options) -> metrics
    evaluate_classifier(model_dir, data_path) -> metrics
    predict(model_dir, texts, *, entities=None, linker=None) -> [Prediction]
    KGData, to_pyg, TrainOptions, KGFusionConfig, KGFusionForSequenceClassification,
    Linker, DictionaryLinker, load_classifier, save_classifier
    train_qa, evaluate_qa, answer, load_qa, QAOptions, KGQAConfig, KGQAForAnswerRanking
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "KGData": "kgfuse.fusion.graph_data",
    "SubgraphSampler": "kgfuse.fusion.sampling",
    "KGFusionConfig": "kgfuse.fusion.config",
    "KGFusionForSequenceClassification": "kgfuse.fusion.modeling",
    "TrainOptions": "kgfuse.fusion.options",
    "train_classifier": "kgfuse.fusion.trainer",
    "evaluate_classifier": "kgfuse.fusion.inference",
    "predict": "kgfuse.fusion.inference",
    "Prediction": "kgfuse.fusion.inference",
    "Linker": "kgfuse.fusion.linking",
    "DictionaryLinker": "kgfuse.fusion.linking",
    "load_classifier": "kgfuse.fusion.io",
    "save_classifier": "kgfuse.fusion.io",
    "to_pyg": "kgfuse.kg.to_pyg",
    "train_qa": "kgfuse.fusion.qa_trainer",
    "evaluate_qa": "kgfuse.fusion.qa_inference",
    "answer": "kgfuse.fusion.qa_inference",
    "load_qa": "kgfuse.fusion.qa_inference",
    "QAOptions": "kgfuse.fusion.qa_options",
    "KGQAConfig": "kgfuse.fusion.qa_config",
    "KGQAForAnswerRanking": "kgfuse.fusion.qa_model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kgfuse.fusion' has no attribute {name!r}")
