"""The subgraph-fusion classifier: a Hugging Face text encoder fused with a PyG GNN over
each text's bounded subgraph (``config``, ``model``, ``options``, ``dataset``, ``builder``,
``trainer``, ``inference``, ``io``)."""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

_EXPORTS = {
    "KGFusionConfig": "kgfuse.fusion.classify.subgraph.config",
    "KGFusionForSequenceClassification": "kgfuse.fusion.classify.subgraph.model",
    "TrainOptions": "kgfuse.fusion.classify.subgraph.options",
    "train_classifier": "kgfuse.fusion.classify.subgraph.trainer",
    "load_classifier": "kgfuse.fusion.classify.subgraph.io",
    "save_classifier": "kgfuse.fusion.classify.subgraph.io",
    "predict": "kgfuse.fusion.classify.subgraph.inference",
    "evaluate_classifier": "kgfuse.fusion.classify.subgraph.inference",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
