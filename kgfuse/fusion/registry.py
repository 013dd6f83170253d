"""The one place where model families are registered.

A family is a task (``classify``, ``qa``) and a method (``docgraph``, ``fusion``, ...) with
its own package. The registry maps the ``model_type`` a saved model's ``config.json`` names
to the family's entry points, given as ``"module:attribute"`` strings and imported only
when used (like Hugging Face's lazy ``AutoModel`` mappings), so that ``kgfuse classify
predict MODEL`` finds the right loader without importing every family.

Adding a method means adding its package and one ``register_family(...)`` call here (or in a
plugin, before the CLI runs). Every classification family's entry points share one shape:

- ``options``: its frozen settings dataclass;
- ``train(train_path, eval_path, *, graph, out_dir, options, linker, ...) -> metrics``;
- ``load(model_dir) -> loaded`` (with ``entity_graph`` and ``max_entities``);
- ``evaluate(loaded, data_path, *, linker, label_column) -> metrics``;
- ``predict(loaded, texts, *, linker) -> [Prediction]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from kgfuse.errors import ConfigError, ModelError
from kgfuse.fusion.model_dir import read_model_type


@dataclass(frozen=True)
class ModelFamily:
    """One registered model family.

    Attributes:
        task: ``classify`` or ``qa``.
        method: The method's name (``docgraph``, ``fusion``, ``ranker``).
        model_type: What its saved ``config.json`` names.
        summary: One line for help texts.
        entry_points: Role (``train``, ``load``, ``evaluate``, ``predict``...) to
            ``"module:attribute"``.
    """

    task: str
    method: str
    model_type: str
    summary: str
    entry_points: dict[str, str]

    def entry_point(self, role: str) -> Callable[..., Any]:
        """Import and return the function that plays ``role`` for this family.

        Raises:
            ModelError: The family has no such entry point.
        """
        target = self.entry_points.get(role)
        if target is None:
            raise ModelError(f"{self.task}/{self.method} models have no {role!r} entry point")
        module, _, attribute = target.partition(":")
        return getattr(import_module(module), attribute)


_FAMILIES: dict[str, ModelFamily] = {}


def register_family(family: ModelFamily) -> None:
    """Register a model family (a later registration of the same model type replaces it)."""
    _FAMILIES[family.model_type] = family


def family(task: str, method: str) -> ModelFamily:
    """The registered family of ``task`` named ``method``.

    Raises:
        ConfigError: No such method for the task (the known ones are listed).
    """
    for found in families(task):
        if found.method == method:
            return found
    known = " or ".join(f.method for f in families(task))
    raise ConfigError(f"--method must be {known}, got {method!r}")


def families(task: str | None = None) -> list[ModelFamily]:
    """The registered families, of one task or all, in registration order."""
    return [f for f in _FAMILIES.values() if task is None or f.task == task]


def family_of(model_dir: str | Path, *, task: str | None = None) -> ModelFamily:
    """The family of a saved model, by the ``model_type`` in its ``config.json``.

    Args:
        model_dir: The model directory.
        task: The task the caller expects (its families are listed in the error).

    Raises:
        ModelError: No directory, no readable ``config.json``, or a model type that is not
            registered (for ``task``).
    """
    path = Path(model_dir)
    if not path.is_dir():
        raise ModelError(f"model directory {path} does not exist: train one first")
    model_type = read_model_type(path)
    family = _FAMILIES.get(model_type or "")
    if family is None or (task is not None and family.task != task):
        known = ", ".join(f"{f.model_type} ({f.task} {f.method})" for f in families(task))
        raise ModelError(
            f"{path} holds a {model_type!r} model, not a kgfuse {task or ''} model; "
            f"expected one of: {known}"
        )
    return family


_DOCGRAPH = "kgfuse.fusion.classify.docgraph"
_SUBGRAPH = "kgfuse.fusion.classify.subgraph"
register_family(
    ModelFamily(
        task="classify",
        method="docgraph",
        model_type="kgfuse-docgraph",
        summary="documents and graph terms in one GCN over frozen text vectors, mixed with "
        "a text head (TextGCN/BertGCN shape)",
        entry_points={
            "options": f"{_DOCGRAPH}.options:DocGraphOptions",
            "train": f"{_DOCGRAPH}.trainer:train_document_graph",
            "load": f"{_DOCGRAPH}.io:load_document_graph",
            "evaluate": f"{_DOCGRAPH}.inference:evaluate_document_graph",
            "predict": f"{_DOCGRAPH}.inference:predict_document_graph",
        },
    )
)
register_family(
    ModelFamily(
        task="classify",
        method="fusion",
        model_type="kgfusion",
        summary="each text's subgraph encoded by a GNN and fused with a fine-tuned text "
        "encoder (HF Trainer)",
        entry_points={
            "options": f"{_SUBGRAPH}.options:TrainOptions",
            "train": f"{_SUBGRAPH}.trainer:train_classifier",
            "load": f"{_SUBGRAPH}.io:load_classifier",
            "evaluate": f"{_SUBGRAPH}.inference:evaluate_classifier",
            "predict": f"{_SUBGRAPH}.inference:predict",
        },
    )
)
register_family(
    ModelFamily(
        task="qa",
        method="ranker",
        model_type="kgfuse_qa",
        summary="question-conditioned relational reasoner ranking the entities of the "
        "topic's subgraph",
        entry_points={
            "options": "kgfuse.fusion.qa.options:QAOptions",
            "train": "kgfuse.fusion.qa.trainer:train_qa",
            "load": "kgfuse.fusion.qa.inference:load_qa",
            "evaluate": "kgfuse.fusion.qa.inference:evaluate_qa",
            "predict": "kgfuse.fusion.qa.inference:answer",
        },
    )
)
