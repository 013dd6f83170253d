"""The embedded store's large-graph reads: links, fact rows and the entity summaries.

Summaries live in the DEFAULT graph, which documents never use (each document is a named
graph, so ``GRAPH ?g`` patterns never see a summary): one JSON literal (``kg:summary``) and
one integer (``kg:degree``) per entity. Key lookups there are single index seeks, whatever
the entity's degree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.stores import summaries
from kgfuse.kg.stores.rdf import imported
from kgfuse.kg.stores.summaries import EntitySummary, FactRow
from kgfuse.types import Edge

#: The graph of the summaries, and its two predicates.
SUMMARY_GRAPH = ox.DefaultGraph()
SUMMARY = ox.NamedNode(rs.KG + "summary")
DEGREE = ox.NamedNode(rs.KG + "degree")

LINKS = """SELECT DISTINCT ?s ?p ?o WHERE {
    VALUES ?e { $VALUES }
    { GRAPH ?g { ?e ?p ?o } BIND(?e AS ?s) } UNION { GRAPH ?g { ?s ?p ?e } BIND(?e AS ?o) }
    FILTER(STRSTARTS(STR(?p), "urn:kgfuse:rel:"))
}"""

FACT_ROWS = """SELECT ?e ?s ?p ?o ?sent WHERE {
    VALUES ?e { $VALUES }
    { GRAPH ?g { ?f kg:subject ?e ; kg:predicate ?p ; kg:object ?o ; kg:sentence ?sent }
      BIND(?e AS ?s) }
    UNION
    { GRAPH ?g { ?f kg:object ?e ; kg:predicate ?p ; kg:subject ?s ; kg:sentence ?sent }
      BIND(?e AS ?o) }
}"""

EDGE_SUPPORT = """SELECT ?s ?p ?o (COUNT(DISTINCT ?sent) AS ?n) WHERE {
    GRAPH ?g { ?f kg:subject ?s ; kg:object ?o ; kg:predicate ?p ; kg:sentence ?sent }
} GROUP BY ?s ?p ?o"""

DOCUMENT_COUNTS = """SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE {
    VALUES ?e { $VALUES } GRAPH ?g { ?m kg:refersTo ?e } } GROUP BY ?e"""

MENTIONED = "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?m kg:refersTo ?e } }"


def edge_of_row(row: Any) -> Edge:
    """The ``Edge`` of a ``?s ?p ?o ?n`` solution (``n``: its support)."""
    return Edge(
        rs.key_of(row["s"]), rs.predicate_of(row["p"]), rs.key_of(row["o"]), int(row["n"].value)
    )


class RdfReads(ABC):
    """Mixin of ``RdfStore``: the large-graph primitives of the ``GraphStore`` contract."""

    @property
    @abstractmethod
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store."""

    @abstractmethod
    def _select(self, query: str, **bindings: ox.Literal | ox.NamedNode) -> list[Any]: ...

    @abstractmethod
    def _select_values(self, query: str, keys: Sequence[str]) -> Iterator[Any]: ...

    @abstractmethod
    def _writable(self) -> None: ...

    # ------------------------------------------------------------------ walks
    def _links(self, keys: Sequence[str]) -> list[tuple[str, str, str]]:
        return [
            (rs.key_of(r["s"]), rs.predicate_of(r["p"]), rs.key_of(r["o"]))
            for r in self._select_values(LINKS, list(keys))
            if r["s"].value.startswith(rs.ENTITY) and r["o"].value.startswith(rs.ENTITY)
        ]

    def _edge_support(
        self, spos: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], int]:
        out = {}
        for s, p, o in dict.fromkeys(spos):
            rows = self._select(
                EDGE_SUPPORT, s=rs.entity_iri(s), p=rs.relation_iri(p), o=rs.entity_iri(o)
            )
            if rows and int(rows[0]["n"].value):
                out[(s, p, o)] = int(rows[0]["n"].value)
        for spo, n in imported.edge_support(self.ox, list(spos)).items():  # bulk imports
            out[spo] = out.get(spo, 0) + n
        return out

    # ------------------------------------------------------------------ summary sources
    def _document_counts(self, keys: Sequence[str]) -> dict[str, int]:
        return {
            rs.key_of(r["e"]): int(r["n"].value)
            for r in self._select_values(DOCUMENT_COUNTS, list(keys))
        }

    def _fact_rows(self, keys: Sequence[str]) -> Iterator[FactRow]:
        for r in self._select_values(FACT_ROWS, list(keys)):
            doc_iri, _, index = r["sent"].value.rpartition("#s")
            yield (
                rs.key_of(r["e"]),
                rs.key_of(r["s"]),
                rs.predicate_of(r["p"]),
                rs.key_of(r["o"]),
                rs.doc_id_of(doc_iri),
                int(index),
            )
        yield from imported.fact_rows(self.ox, keys)  # bulk imports

    def _sentence_texts(self, sentences: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        out = {}
        for doc_id, index in sentences:
            graph = rs.document_iri(doc_id)
            node = ox.NamedNode(f"{graph.value}#s{index}")
            for quad in self.ox.quads_for_pattern(node, rs.TEXT, None, graph):
                out[(doc_id, index)] = quad.object.value
        rest = [ref for ref in sentences if ref not in out]
        out.update(imported.sentence_texts(self.ox, rest) if rest else {})  # bulk imports
        return out

    def _document_keys(self, doc_ids: Sequence[str]) -> set[str]:
        keys: set[str] = set()
        for doc_id in doc_ids:
            graph = rs.document_iri(doc_id)
            for predicate in (rs.REFERS_TO, rs.SUBJECT, rs.OBJECT):
                for quad in self.ox.quads_for_pattern(None, predicate, None, graph):
                    keys.add(rs.key_of(quad.object))
        return keys | imported.document_keys(self.ox, doc_ids)  # bulk imports

    def _mentioned_keys(self) -> list[str]:
        return sorted(rs.key_of(r["e"]) for r in self._select(MENTIONED))

    # ------------------------------------------------------------------ summaries
    def _degrees(self, keys: Sequence[str]) -> dict[str, int]:
        out = {}
        for key in keys:
            for quad in self.ox.quads_for_pattern(rs.entity_iri(key), DEGREE, None, SUMMARY_GRAPH):
                out[key] = int(quad.object.value)
        return out

    def _read_summaries(self, keys: Sequence[str]) -> dict[str, EntitySummary]:
        out = {}
        for key in keys:
            for quad in self.ox.quads_for_pattern(rs.entity_iri(key), SUMMARY, None, SUMMARY_GRAPH):
                found = summaries.decode(key, quad.object.value)
                if found is not None:
                    out[key] = found
        return out

    def _store_summaries(self, found: dict[str, EntitySummary | None]) -> None:
        self._writable()
        # Old quads by index seeks (a SPARQL DELETE ... WHERE took 0.4 s per 256 keys);
        # removed before the new ones are added, so an interruption leaves them missing.
        for key in found:
            e = rs.entity_iri(key)
            for predicate in (SUMMARY, DEGREE):
                for quad in list(self.ox.quads_for_pattern(e, predicate, None, SUMMARY_GRAPH)):
                    self.ox.remove(quad)
        quads = []
        for key, summary in found.items():
            if summary is not None:
                e = rs.entity_iri(key)
                text = ox.Literal(summaries.encode(summary))
                quads.append(ox.Quad(e, SUMMARY, text, SUMMARY_GRAPH))
                quads.append(ox.Quad(e, DEGREE, ox.Literal(summary.degree), SUMMARY_GRAPH))
        # No snapshot is published for summaries alone (the snapshot count is the count of
        # written batches): readers of a snapshot read the summaries of the previous batch,
        # which the drop before each write keeps from being stale.
        if quads:
            self.ox.extend(quads)
