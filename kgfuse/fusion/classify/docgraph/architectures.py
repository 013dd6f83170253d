"""The document-graph model classes by ``graph_model`` name (``gcn``, ``sgc``, ``rsgc``)."""

from __future__ import annotations

from pathlib import Path

from kgfuse.errors import ConfigError
from kgfuse.fusion.classify.docgraph.model import (
    DocGraphConfig,
    DocGraphForSequenceClassification,
    DocGraphModel,
)
from kgfuse.fusion.classify.docgraph.relational import (
    RelationalDocGraphForSequenceClassification,
)
from kgfuse.fusion.classify.docgraph.sgc import PropagatedDocGraphForSequenceClassification

GRAPH_MODELS: dict[str, type[DocGraphModel]] = {
    "gcn": DocGraphForSequenceClassification,
    "sgc": PropagatedDocGraphForSequenceClassification,
    "rsgc": RelationalDocGraphForSequenceClassification,
}


def model_class(graph_model: str) -> type[DocGraphModel]:
    """The class of a ``graph_model`` name.

    Raises:
        ConfigError: An unknown name.
    """
    try:
        return GRAPH_MODELS[graph_model]
    except KeyError:
        raise ConfigError(
            f"graph_model must be one of {', '.join(GRAPH_MODELS)}, got {graph_model!r}"
        ) from None


def new_model(config: DocGraphConfig) -> DocGraphModel:
    """A freshly initialised model of ``config.graph_model``."""
    return model_class(config.graph_model)(config)


def load_model(path: str | Path) -> DocGraphModel:
    """The model saved in ``path`` (``config.json`` names its ``graph_model``)."""
    config = DocGraphConfig.from_pretrained(path)
    return model_class(getattr(config, "graph_model", "gcn")).from_pretrained(path)
