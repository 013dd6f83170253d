"""What every model shares about the graph: ``KGData`` (PyG tensors with sorted
vocabularies), ``to_pyg`` / ``as_graph`` (a store or tensors as a training argument),
bounded subgraph sampling, and linking texts to entities (``kgfuse.graph.linking``)."""

from __future__ import annotations

from kgfuse.lazy import lazy_exports

_EXPORTS = {
    "KGData": "kgfuse.graph.data",
    "to_pyg": "kgfuse.graph.to_pyg",
    "as_graph": "kgfuse.graph.to_pyg",
    "Subgraph": "kgfuse.graph.sampling",
    "SubgraphSampler": "kgfuse.graph.sampling",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
