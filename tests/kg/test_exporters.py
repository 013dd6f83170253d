"""Exporting a store to Turtle, N-Quads, JSON-LD, GraphML and neo4j-admin CSV."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

from kgfuse.errors import StoreError
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.exporters import (
    EXPORT_FORMATS,
    NEO4J_NODE_HEADER,
    NEO4J_REL_HEADER,
    clean,
    export_graph,
)
from kgfuse.kg.importers import ImportedStatement, import_triples, statements_to_documents
from kgfuse.kg.stores import GraphStore
from kgfuse.kg.stores.rdf import RdfStore

METAQA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "metaqa" / "kb.txt"
TRICKY = 'Smith, "Jr."\nthe <second> & last'


def _fill(store: GraphStore, tmp_path: Path) -> None:
    """Write the first 200 MetaQA triples and one fact about a tricky name into a store."""
    if not METAQA.exists():
        pytest.skip("the shared MetaQA knowledge base is not available")
    with METAQA.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(200)]
    kb = tmp_path / "kb.txt"
    kb.write_text("".join(lines), encoding="utf-8")
    text = f"{TRICKY}|knows|Alien"
    end = len(text)
    tricky = ImportedStatement(1, text, TRICKY, "knows", "Alien", (0, len(TRICKY)), (end - 5, end))
    import_triples(store, kb, chunk_size=100)
    store.write([d for _, d in statements_to_documents([tricky], name="t", source="t")])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RdfStore]:
    """An embedded store filled by ``_fill``."""
    with RdfStore(tmp_path / "store") as opened:
        _fill(opened, tmp_path)
        yield opened


def _tricky_key(store: RdfStore) -> str:
    return store.resolve(TRICKY).key


def test_clean() -> None:
    assert clean("a\ud800b") == "a\ufffdb"
    assert clean("a\x01\tb", xml=True) == "a\ufffd\tb"
    assert clean("a\x01b") == "a\x01b"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_turtle_and_jsonld_hold_the_same_triples(tmp_path: Path, store: RdfStore) -> None:
    edges = list(store.iter_edges())
    ttl = export_graph(store, tmp_path / "out" / "g.ttl", "turtle")
    assert (ttl.edges, ttl.entities) == (len(edges), store.stats().entities)
    graph = rdflib.Graph().parse(tmp_path / "out" / "g.ttl", format="turtle")
    facts = {(s, o) for s, p, o in graph if str(p).startswith(rs.RELATION)}
    assert len(facts) == len({(e.subject_key, e.object_key) for e in edges})
    tricky = rdflib.URIRef(rs.entity_iri(_tricky_key(store)).value)
    assert str(graph.value(tricky, rdflib.RDFS.label)) == TRICKY
    export_graph(store, tmp_path / "g.jsonld", "jsonld")
    json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))  # valid JSON
    from_jsonld = rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")
    assert set(from_jsonld) == set(graph)


def test_nquads_carry_provenance_per_document(tmp_path: Path, store: RdfStore) -> None:
    result = export_graph(store, tmp_path / "g.nq", "nquads")
    triples = list(store.iter_triples())
    assert result.facts == len(triples) == 201
    quads = list(ox.parse(path=str(tmp_path / "g.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    doc_ids = ("import:kb.txt#0", "import:kb.txt#1", "import:t#0")
    assert graphs == {rs.document_iri(d) for d in doc_ids}
    loaded = ox.Store()
    loaded.extend(quads)
    rows = list(
        loaded.query(
            rs.SPARQL_PREFIXES
            + """SELECT ?doc ?idx WHERE { GRAPH ?g {
                ?f kg:subject ?s ; kg:sentence ?sent . ?sent kg:index ?idx . ?g kg:docId ?doc } }"""
        )
    )
    found = sorted((r["doc"].value, int(r["idx"].value)) for r in rows)
    expected = sorted((t.provenance.doc_id, t.provenance.sentence_index) for t in triples)
    assert found == expected


def test_graphml_parses_back(tmp_path: Path, store: RdfStore) -> None:
    result = export_graph(store, tmp_path / "g.graphml", "graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == result.entities
    assert graph.number_of_edges() == result.edges == len(list(store.iter_edges()))
    key = _tricky_key(store)
    assert graph.nodes[key]["name"] == TRICKY
    assert json.loads(graph.nodes[key]["aliases"]) == []
    edge = next(iter(graph.get_edge_data(key, "Alien").values()))
    assert edge == {"predicate": "knows", "support": 1}
    root = ET.parse(tmp_path / "g.graphml").getroot()
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"


def test_neo4j_csv_headers_and_quoting(tmp_path: Path, store: RdfStore) -> None:
    result = export_graph(store, tmp_path / "neo", "neo4j-csv")
    assert [p.name for p in result.paths] == ["entities.csv", "relationships.csv"]
    with (tmp_path / "neo" / "entities.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with (tmp_path / "neo" / "relationships.csv").open(encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    assert tuple(nodes[0]) == NEO4J_NODE_HEADER
    assert tuple(rels[0]) == NEO4J_REL_HEADER
    assert len(nodes) - 1 == result.entities and len(rels) - 1 == result.edges
    key = _tricky_key(store)
    assert [key, TRICKY, "IMPORTED", ""] in nodes
    assert [key, "Alien", "knows", "1"] in rels
    raw = (tmp_path / "neo" / "entities.csv").read_text(encoding="utf-8")
    assert '"Smith, ""Jr.""\nthe <second> & last"' in raw


def test_export_graph_rejects_bad_targets(tmp_path: Path, store: RdfStore) -> None:
    assert set(EXPORT_FORMATS) == {"turtle", "nquads", "jsonld", "graphml", "neo4j-csv"}
    with pytest.raises(StoreError, match="unknown export format"):
        export_graph(store, tmp_path / "g.x", "rdfxml")
    with pytest.raises(StoreError, match="needs a file path"):
        export_graph(store, tmp_path, "turtle")
    (tmp_path / "file.csv").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="needs a folder path"):
        export_graph(store, tmp_path / "file.csv", "neo4j-csv")


@pytest.fixture
def falkor(falkordb_server: Any) -> Iterator[GraphStore]:
    """An empty graph on the session's FalkorDB server."""
    import uuid

    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    with FalkorDBStore(falkordb_server.url(f"t_{uuid.uuid4().hex}")) as opened:
        yield opened
        opened.drop()


@pytest.mark.slow
def test_falkordb_import_exports_the_same_files(
    tmp_path: Path, store: RdfStore, falkor: GraphStore
) -> None:
    """Importing into FalkorDB and exporting gives the files the embedded store gives."""
    _fill(falkor, tmp_path)
    assert import_triples(falkor, tmp_path / "kb.txt", chunk_size=100).written == 0
    for fmt, name in (("turtle", "g.ttl"), ("nquads", "g.nq"), ("neo4j-csv", "neo")):
        export_graph(store, tmp_path / "rdf" / name, fmt)
        export_graph(falkor, tmp_path / "falkor" / name, fmt)
    for name in ("g.ttl", "g.nq", "neo/entities.csv", "neo/relationships.csv"):
        rdf_text = (tmp_path / "rdf" / name).read_text(encoding="utf-8")
        assert (tmp_path / "falkor" / name).read_text(encoding="utf-8") == rdf_text, name
