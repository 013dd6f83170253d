"""neo4j-admin CSV export: ``entities.csv`` and ``relationships.csv`` in a folder."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from kgfuse.kg.exporters.common import (
    ExportResult,
    OnePass,
    clean,
    iter_entities,
)
from kgfuse.kg.stores.base import GraphStore
from kgfuse.types import Edge

NEO4J_NODE_HEADER = ("key:ID(Entity)", "name", "label:LABEL", "aliases:string[]")
NEO4J_REL_HEADER = (":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "support:int")


def export_neo4j_csv(
    store: GraphStore, folder: str | Path, *, batch_size: int = 1000, array_delimiter: str = ";"
) -> ExportResult:
    """Write ``entities.csv`` and ``relationships.csv`` for ``neo4j-admin`` into a folder.

    Load them into an empty database with::

        neo4j-admin database import full --nodes=Entity=entities.csv \\
            --relationships=relationships.csv --multiline-fields=true neo4j

    Fields are quoted the CSV way (``"`` around, ``""`` inside), which neo4j-admin reads
    by default; names holding newlines need ``--multiline-fields=true``. Aliases are one
    array field split on ``array_delimiter`` (neo4j-admin's default ``;``): a delimiter
    inside an alias is replaced by ``,``. The relationship type is the predicate as stored.

    Returns:
        Counts and the two paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, rels_path = folder / "entities.csv", folder / "relationships.csv"
    with OnePass(store.iter_edges()) as edges:
        _write_neo4j_nodes(store, nodes_path, edges.keys, batch_size, array_delimiter)
        _write_neo4j_relationships(rels_path, edges.replay())
    return ExportResult(len(edges.keys), edges.count, 0, (nodes_path, rels_path))


def _write_neo4j_nodes(
    store: GraphStore, nodes_path: Path, keys: list[str], batch_size: int, array_delimiter: str
) -> None:
    with nodes_path.open("w", encoding="utf-8", newline="") as out:
        writer = _csv_writer(out)
        writer.writerow(NEO4J_NODE_HEADER)
        for entity in iter_entities(store, keys, batch_size=batch_size):
            aliases = (clean(a).replace(array_delimiter, ",") for a in entity.aliases)
            labels = clean(entity.label).replace(array_delimiter, ",")
            writer.writerow(
                (clean(entity.key), clean(entity.name), labels, array_delimiter.join(aliases))
            )


def _write_neo4j_relationships(rels_path: Path, edges: Iterable[Edge]) -> None:
    with rels_path.open("w", encoding="utf-8", newline="") as out:
        writer = _csv_writer(out)
        writer.writerow(NEO4J_REL_HEADER)
        for edge in edges:
            writer.writerow(
                (
                    clean(edge.subject_key),
                    clean(edge.object_key),
                    clean(edge.predicate),
                    edge.support,
                )
            )


def _csv_writer(out: IO[str]) -> Any:
    return csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
