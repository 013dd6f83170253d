"""Saving and loading a subgraph-fusion classifier directory (the shared model-directory
contract of ``kgfuse.fusion.model_dir``, format ``kgfuse-classifier/1``).

``save_classifier(model, out_dir, *, tokenizer, kg, metadata) -> Path`` and
``load_classifier(model_dir, *, device=None) -> LoadedClassifier`` (safetensors only; a
missing or corrupt directory, or a pickle, raises ``ModelError``).
"""

from __future__ import annotations

from kgfuse.fusion.classify.subgraph.model import KGFusionForSequenceClassification
from kgfuse.fusion.model_dir import LoadedModel, ModelFormat

CLASSIFIER_FORMAT = ModelFormat(
    KGFusionForSequenceClassification,
    fmt="kgfuse-classifier/1",
    hint="train one with `kgfuse classify train-fusion`",
)

#: A loaded classifier: ``model``, ``tokenizer``, ``kg`` and ``metadata``.
LoadedClassifier = LoadedModel
save_classifier = CLASSIFIER_FORMAT.save
load_classifier = CLASSIFIER_FORMAT.load
