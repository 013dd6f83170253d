"""``export_graph``: export a store in one of the formats, picked by name."""

from __future__ import annotations

import logging
from pathlib import Path

from kgfuse.errors import StoreError
from kgfuse.kg.exporters.common import ExportResult
from kgfuse.kg.exporters.graphml import export_graphml
from kgfuse.kg.exporters.jsonld import export_jsonld
from kgfuse.kg.exporters.neo4j_csv import export_neo4j_csv
from kgfuse.kg.exporters.nquads import export_nquads
from kgfuse.kg.exporters.turtle import export_turtle
from kgfuse.kg.stores.base import GraphStore

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("turtle", "nquads", "jsonld", "graphml", "neo4j-csv")

_EXPORTERS = {
    "turtle": export_turtle,
    "nquads": export_nquads,
    "jsonld": export_jsonld,
    "graphml": export_graphml,
    "neo4j-csv": export_neo4j_csv,
}


def export_graph(
    store: GraphStore, path: str | Path, fmt: str, *, batch_size: int = 1000
) -> ExportResult:
    """Export a store to a file (or, for ``neo4j-csv``, a folder) in one of ``EXPORT_FORMATS``.

    Args:
        store: Any open ``GraphStore``.
        path: Output file, or output folder for ``neo4j-csv``; parent folders are created.
        fmt: ``"turtle"``, ``"nquads"``, ``"jsonld"``, ``"graphml"`` or ``"neo4j-csv"``.
        batch_size: Entities fetched per ``store.entities`` call.

    Returns:
        Entity, fact and provenance-record counts and the paths written.

    Raises:
        StoreError: Unknown format, or the output path is unusable.
    """
    exporter = _EXPORTERS.get(fmt.lower())
    if exporter is None:
        raise StoreError(f"unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    path = Path(path)
    if fmt.lower() != "neo4j-csv" and path.is_dir():
        raise StoreError(f"{path} is a folder; {fmt} export needs a file path")
    if fmt.lower() == "neo4j-csv" and path.is_file():
        raise StoreError(f"{path} is a file; neo4j-csv export needs a folder path")
    path.parent.mkdir(parents=True, exist_ok=True)
    result = exporter(store, path, batch_size=batch_size)
    logger.info("exported %d entities and %d facts to %s", result.entities, result.edges, path)
    return result
