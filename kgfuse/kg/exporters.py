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

Entities that are in no fact (mentioned but never related) are not exported: the store
API lists entities only through edges.
"""

from __future__ import annotations

import csv
import json
import logging
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kgfuse.errors import StoreError
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.store import GraphStore, entity_from_forms
from kgfuse.types import Edge, Entity, Triple

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("turtle", "nquads", "jsonld", "graphml", "neo4j-csv")
SKOS_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
PREFIXES = {**rs.PREFIXES, "skos": "http://www.w3.org/2004/02/skos/core#"}
NEO4J_NODE_HEADER = ("key:ID(Entity)", "name", "label:LABEL", "aliases:string[]")
NEO4J_REL_HEADER = (":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "support:int")

# Lone surrogates cannot be written as UTF-8, and XML 1.0 forbids most control characters.
_UNWRITABLE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: entity and distinct-fact counts, provenance records, files."""

    entities: int
    edges: int
    facts: int
    paths: tuple[Path, ...]


def clean(text: str, *, xml: bool = False) -> str:
    """Replace what a format cannot hold (lone surrogates; for XML, control characters)."""
    text = _UNWRITABLE.sub("\ufffd", text)
    return _NOT_XML.sub("\ufffd", text) if xml else text


class _OnePass:
    """One pass over a store's edges or triples, spooled to a temporary file for a replay.

    The store is read once (iterating the facts can be its slowest query) while the keys
    of the entities they use are collected: entities are written first, then the facts.
    """

    def __init__(self, items: Iterable[Edge | Triple]) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        keys: set[str] = set()
        self.count = 0
        for item in items:
            keys.add(item.subject_key)
            keys.add(item.object_key)
            pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += 1
        self.keys = sorted(keys)

    def replay(self) -> Iterator[Any]:
        """Yield the items again, in the order the store gave them."""
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)  # our own temporary file

    def __enter__(self) -> _OnePass:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def iter_entities(
    store: GraphStore, keys: list[str], *, batch_size: int = 1000
) -> Iterator[Entity]:
    """Yield the entities of ``keys`` in order, fetched in batches (a key without surface
    forms gets the entity ``entity_from_forms`` builds from the key alone)."""
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        found = store.entities(batch)
        for key in batch:
            yield found.get(key) or entity_from_forms(key, [])


def _literal(text: str) -> ox.Literal:
    return ox.Literal(clean(text))


def _entity_triples(entity: Entity) -> Iterator[ox.Triple]:
    e = rs.entity_iri(entity.key)
    yield ox.Triple(e, rs.RDF_TYPE, rs.T_ENTITY)
    yield ox.Triple(e, rs.RDFS_LABEL, _literal(entity.name))
    yield ox.Triple(e, rs.TYPE, _literal(entity.label))
    for alias in entity.aliases:
        yield ox.Triple(e, SKOS_ALT_LABEL, _literal(alias))


def export_turtle(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write the entities and plain facts of a store as Turtle.

    Returns:
        Counts and the path written.
    """
    path = Path(path)

    def triples(edges: _OnePass) -> Iterator[ox.Triple]:
        for entity in iter_entities(store, edges.keys, batch_size=batch_size):
            yield from _entity_triples(entity)
        for edge in edges.replay():
            yield ox.Triple(
                rs.entity_iri(edge.subject_key),
                rs.relation_iri(edge.predicate),
                rs.entity_iri(edge.object_key),
            )

    with _OnePass(store.iter_edges()) as edges:
        ox.serialize(
            triples(edges), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
        )
    return ExportResult(len(edges.keys), edges.count, 0, (path,))


def export_nquads(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write entities (default graph) and facts with provenance (one graph per document).

    Returns:
        Counts (``facts`` = provenance records) and the path written.
    """
    path = Path(path)
    counts = {"edges": 0}

    def quads(triples: _OnePass) -> Iterator[ox.Quad]:
        for entity in iter_entities(store, triples.keys, batch_size=batch_size):
            for t in _entity_triples(entity):
                yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        facts_in: dict[str, int] = {}  # document id -> provenance records written so far
        sentences: set[tuple[str, int]] = set()
        previous: tuple[str, str, str, str] | None = None
        last_spo: tuple[str, str, str] | None = None
        for triple in triples.replay():
            prov = triple.provenance
            g = rs.document_iri(prov.doc_id)
            if prov.doc_id not in facts_in:
                facts_in[prov.doc_id] = 0
                yield ox.Quad(g, rs.RDF_TYPE, rs.T_DOCUMENT, g)
                yield ox.Quad(g, rs.DOC_ID, _literal(prov.doc_id), g)
            s, p, o = (
                rs.entity_iri(triple.subject_key),
                rs.relation_iri(triple.predicate),
                rs.entity_iri(triple.object_key),
            )
            spo = (triple.subject_key, triple.predicate, triple.object_key)
            if spo != last_spo:  # iter_triples is sorted: the records of a fact are adjacent
                last_spo = spo
                counts["edges"] += 1
            if (*spo, prov.doc_id) != previous:
                previous = (*spo, prov.doc_id)
                yield ox.Quad(s, p, o, g)
            sent = ox.NamedNode(f"{g.value}#s{prov.sentence_index}")
            if (prov.doc_id, prov.sentence_index) not in sentences:
                sentences.add((prov.doc_id, prov.sentence_index))
                yield ox.Quad(sent, rs.RDF_TYPE, rs.T_SENTENCE, g)
                yield ox.Quad(sent, rs.INDEX, ox.Literal(prov.sentence_index), g)
            f = ox.NamedNode(f"{g.value}#f{facts_in[prov.doc_id]}")
            facts_in[prov.doc_id] += 1
            yield ox.Quad(f, rs.SUBJECT, s, g)
            yield ox.Quad(f, rs.PREDICATE, p, g)
            yield ox.Quad(f, rs.OBJECT, o, g)
            yield ox.Quad(f, rs.SENTENCE, sent, g)
            yield ox.Quad(f, rs.CHAR_START, ox.Literal(prov.char_start), g)
            yield ox.Quad(f, rs.CHAR_END, ox.Literal(prov.char_end), g)
            yield ox.Quad(f, rs.EXTRACTOR, _literal(prov.extractor), g)

    with _OnePass(store.iter_triples()) as triples:
        ox.serialize(quads(triples), output=str(path), format=ox.RdfFormat.N_QUADS)
    return ExportResult(len(triples.keys), counts["edges"], triples.count, (path,))


def _entity_id(key: str) -> str:
    return "ent:" + rs.entity_iri(key).value[len(rs.ENTITY) :]


def export_jsonld(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write the entities and plain facts of a store as JSON-LD (compact, with a context).

    Written by hand as a stream of node objects: one per entity (name, label, aliases),
    then one per run of facts with the same subject (JSON-LD merges node objects that
    share an ``@id``).

    Returns:
        Counts and the path written.
    """
    path = Path(path)
    context = {
        **PREFIXES,
        "name": "rdfs:label",
        "label": "kg:type",
        "aliases": {"@id": "skos:altLabel", "@container": "@set"},
    }
    with _OnePass(store.iter_edges()) as edges, path.open("w", encoding="utf-8") as out:
        out.write('{"@context": ' + json.dumps(context, indent=1) + ',\n"@graph": [')
        sep = "\n"

        def emit(node: dict[str, object]) -> None:
            nonlocal sep
            out.write(sep + json.dumps(node, ensure_ascii=False))
            sep = ",\n"

        for entity in iter_entities(store, edges.keys, batch_size=batch_size):
            node: dict[str, object] = {
                "@id": _entity_id(entity.key),
                "@type": "kg:Entity",
                "name": clean(entity.name),
                "label": clean(entity.label),
            }
            if entity.aliases:
                node["aliases"] = [clean(a) for a in entity.aliases]
            emit(node)
        facts: dict[str, object] = {}
        for edge in edges.replay():
            subject = _entity_id(edge.subject_key)
            if facts.get("@id") != subject:
                if facts:
                    emit(facts)
                facts = {"@id": subject}
            predicate = "rel:" + rs.relation_iri(edge.predicate).value[len(rs.RELATION) :]
            targets = facts.setdefault(predicate, [])
            targets.append({"@id": _entity_id(edge.object_key)})  # type: ignore[attr-defined]
        if facts:
            emit(facts)
        out.write("\n]}\n")
    return ExportResult(len(edges.keys), edges.count, 0, (path,))


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    # \r would be normalised to \n by any XML parser: keep it as a character reference.
    return escape(clean(text, xml=True), {"\r": "&#13;"})


def _xml_attr(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(clean(text, xml=True), {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


_GRAPHML_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns
    http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="aliases" for="node" attr.name="aliases" attr.type="string"/>
  <key id="predicate" for="edge" attr.name="predicate" attr.type="string"/>
  <key id="support" for="edge" attr.name="support" attr.type="int"/>
  <graph id="kgfuse" edgedefault="directed">
"""


def export_graphml(store: GraphStore, path: str | Path, *, batch_size: int = 1000) -> ExportResult:
    """Write the graph as GraphML: entity nodes (id = key) and one edge per distinct fact.

    Node data: ``name``, ``label`` and ``aliases`` (a JSON list, as GraphML has no list
    type); edge data: ``predicate`` and ``support``. Readable by networkx, Gephi, yEd.

    Returns:
        Counts and the path written.
    """
    path = Path(path)
    with _OnePass(store.iter_edges()) as edges, path.open("w", encoding="utf-8") as out:
        out.write(_GRAPHML_HEAD)
        for entity in iter_entities(store, edges.keys, batch_size=batch_size):
            aliases = json.dumps([clean(a, xml=True) for a in entity.aliases], ensure_ascii=False)
            out.write(
                f"    <node id={_xml_attr(entity.key)}>"
                f'<data key="name">{_xml(entity.name)}</data>'
                f'<data key="label">{_xml(entity.label)}</data>'
                f'<data key="aliases">{_xml(aliases)}</data></node>\n'
            )
        for number, edge in enumerate(edges.replay()):
            out.write(
                f'    <edge id="e{number}" source={_xml_attr(edge.subject_key)} '
                f"target={_xml_attr(edge.object_key)}>"
                f'<data key="predicate">{_xml(edge.predicate)}</data>'
                f'<data key="support">{edge.support}</data></edge>\n'
            )
        out.write("  </graph>\n</graphml>\n")
    return ExportResult(len(edges.keys), edges.count, 0, (path,))


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
    with _OnePass(store.iter_edges()) as edges:
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
