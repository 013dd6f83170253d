"""Export any ``GraphStore`` to Turtle, N-Quads, JSON-LD, GraphML or neo4j-admin CSV files.

Only the store's public API is used (``iter_edges``, ``iter_triples``, ``entities``), so
every backend exports the same files for the same graph. Every format is streamed: the
store's facts are read once and spooled to a temporary file while the entity keys they
use are collected; then the entities are written (fetched in sorted batches) and the
facts replayed from the spool. Memory holds the entity keys, not the graph.

What each format holds:
    ``turtle``, ``jsonld``  entities (``rdfs:label`` name, ``kg:type`` label,
        ``skos:altLabel`` aliases) and the plain facts ``ent:s rel:p ent:o``.
    ``nquads``  the entities in the default graph, and one named graph per document (the
        shape of ``kgfuse.kg.rdf_schema``): the document, its facts, and one provenance
        record per supporting sentence (``kg:subject/predicate/object/sentence/charStart/
        charEnd/extractor``).
    ``graphml``  entity nodes (name, label, aliases as a JSON list) and one edge per
        distinct fact (predicate, support).
    ``neo4j-csv``  a folder with ``entities.csv`` and ``relationships.csv`` for
        ``neo4j-admin database import full`` (see ``export_neo4j_csv``).

One module per format; ``common`` holds what they share and ``export`` picks one by name.

Entities that are in no fact (mentioned but never related) are not exported: the store
API lists entities only through edges.
"""

from __future__ import annotations

from kgfuse.kg.exporters.common import ExportResult, clean, iter_entities
from kgfuse.kg.exporters.export import EXPORT_FORMATS, export_graph
from kgfuse.kg.exporters.graphml import export_graphml
from kgfuse.kg.exporters.jsonld import export_jsonld
from kgfuse.kg.exporters.neo4j_csv import NEO4J_NODE_HEADER, NEO4J_REL_HEADER, export_neo4j_csv
from kgfuse.kg.exporters.nquads import export_nquads
from kgfuse.kg.exporters.turtle import export_turtle

__all__ = [
    "EXPORT_FORMATS",
    "NEO4J_NODE_HEADER",
    "NEO4J_REL_HEADER",
    "ExportResult",
    "clean",
    "export_graph",
    "export_graphml",
    "export_jsonld",
    "export_neo4j_csv",
    "export_nquads",
    "export_turtle",
    "iter_entities",
]
