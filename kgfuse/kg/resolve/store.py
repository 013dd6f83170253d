"""Reading a store's mentions for resolution, and rewriting its keys by a plan.

Only the embedded store (Oxigraph, ``rdf:PATH``) is supported: each document is a named
graph, so a plan is applied by rewriting the entity IRIs inside the graphs it touches. All
changes go to the database as one SPARQL update, which Oxigraph runs as one transaction: a
killed ``kgfuse resolve`` leaves the store as it was, never half-rewritten.

A rewritten mention keeps the key its document's rules gave it as ``kg:baseKey``, so the
next run plans from the same per-document keys (rerunning changes nothing, ``--no-merge``
restores every base key). A later build writes new or changed documents with their base
keys; run ``kgfuse resolve`` again and the unchanged clusters get the same keys as before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgfuse.errors import StoreError
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.resolve.plan import ResolutionPlan
from kgfuse.kg.resolve.units import MentionRecord
from kgfuse.kg.store import GraphStore

BASE_KEY = rs.BASE_KEY
_MENTIONS = """
SELECT ?g ?m ?e ?base ?surface ?type ?text ?ms ?ss WHERE {
  GRAPH ?g {
    ?m kg:refersTo ?e ; kg:surface ?surface ; kg:type ?type ; kg:sentence ?s ;
       kg:charStart ?ms .
    OPTIONAL { ?s kg:text ?text ; kg:charStart ?ss }
    OPTIONAL { ?m kg:baseKey ?base }
  }
}
"""


@dataclass(frozen=True)
class ApplyReport:
    """What applying a plan changed.

    Attributes:
        documents: Documents rewritten.
        mentions: Mentions whose key changed.
        removed: Quads removed.
        added: Quads added.
    """

    documents: int = 0
    mentions: int = 0
    removed: int = 0
    added: int = 0


def _ox_store(store: GraphStore) -> ox.Store:
    database = getattr(store, "ox", None)
    if not isinstance(database, ox.Store):
        raise StoreError(
            f"kgfuse resolve works on the embedded store (rdf:PATH) only, not {store.url}; "
            "export the graph and import it into an embedded store to resolve it"
        )
    return database


def read_records(store: GraphStore) -> list[MentionRecord]:
    """Every mention of an embedded store, with its base key and sentence (sorted).

    Raises:
        StoreError: The store is not the embedded store.
    """
    database = _ox_store(store)
    records = []
    for row in database.query(rs.SPARQL_PREFIXES + _MENTIONS):
        key = rs.key_of(row["e"])
        base = rs.key_of(row["base"]) if row["base"] is not None else key
        text = row["text"].value if row["text"] is not None else ""
        start = int(row["ms"].value) - int(row["ss"].value) if row["ss"] is not None else -1
        records.append(
            MentionRecord(
                doc_id=rs.doc_id_of(row["g"].value),
                key=key,
                base_key=base,
                surface=row["surface"].value,
                label=row["type"].value,
                sentence=text,
                start=start,
            )
        )
    records.sort(key=lambda r: (r.doc_id, r.base_key, r.surface, r.start, r.sentence))
    return records


def apply_plan(
    store: GraphStore, plan: ResolutionPlan, records: list[MentionRecord]
) -> ApplyReport:
    """Rewrite the store's keys so that every mention has the plan's final key.

    Args:
        store: The embedded store the records were read from (open for writing).
        plan: The plan (an empty plan restores every base key).
        records: ``read_records(store)``.

    Returns:
        What changed.

    Raises:
        StoreError: The store is not the embedded store or is read-only, or the update failed.
    """
    database = _ox_store(store)
    if getattr(store, "snapshot", None) is not None:
        raise StoreError(f"{store.url} is open read-only (another process writes it)")
    changed_docs = sorted(
        {r.doc_id for r in records if plan.key_for(r.doc_id, r.base_key) != r.key}
    )
    removed: set[ox.Quad] = set()
    added: set[ox.Quad] = set()
    mentions = 0
    for doc_id in changed_docs:
        old, new, moved = _rewrite_graph(database, rs.document_iri(doc_id), doc_id, plan)
        removed |= old - new
        added |= new - old
        mentions += moved
    if removed or added:
        blocks = [_data_block(v, qs) for v, qs in (("DELETE", removed), ("INSERT", added)) if qs]
        update = " ;\n".join(blocks)
        try:
            database.update(update)  # one update, one transaction
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"rewriting the store's keys failed: {err}") from err
        database.flush()
        # Precomputed entity summaries (names, degrees) of every key that lost or gained
        # mentions are recomputed, as after any write around ``GraphStore.write``.
        refresh = getattr(store, "refresh_summaries", None)
        if refresh is not None:
            rewritten = set(changed_docs)
            moved = [r for r in records if r.doc_id in rewritten]
            touched = {r.key for r in moved} | {plan.key_for(r.doc_id, r.base_key) for r in moved}
            refresh(sorted(touched))
    return ApplyReport(len(changed_docs), mentions, len(removed), len(added))


def _rewrite_graph(
    database: ox.Store, graph: ox.NamedNode, doc_id: str, plan: ResolutionPlan
) -> tuple[set[ox.Quad], set[ox.Quad], int]:
    """``(quads now, quads after, mentions moved)`` of one document graph."""
    quads = set(database.quads_for_pattern(None, None, None, graph))
    refers: dict[ox.NamedNode | ox.BlankNode, ox.NamedNode] = {}
    base: dict[ox.NamedNode | ox.BlankNode, ox.NamedNode] = {}
    for q in quads:
        if q.predicate == rs.REFERS_TO and isinstance(q.object, ox.NamedNode):
            refers[q.subject] = q.object
        elif q.predicate == BASE_KEY and isinstance(q.object, ox.NamedNode):
            base[q.subject] = q.object
    target: dict[ox.NamedNode | ox.BlankNode, ox.NamedNode] = {}
    votes: dict[ox.NamedNode, Counter[ox.NamedNode]] = defaultdict(Counter)
    for m, now in refers.items():
        b = base.get(m, now)
        target[m] = rs.entity_iri(plan.key_for(doc_id, rs.key_of(b)))
        votes[now][target[m]] += 1
    # An entity IRI elsewhere in the graph (facts, labels) follows its mentions; if they now
    # go different ways, the most mentioned target wins (ties: the smallest IRI).
    entity_map = {
        now: min(counts.items(), key=lambda item: (-item[1], item[0].value))[0]
        for now, counts in votes.items()
    }

    def mapped(
        term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        return entity_map.get(term, term) if isinstance(term, ox.NamedNode) else term

    new: set[ox.Quad] = set()
    fact_ends: dict[object, list[object]] = defaultdict(list)
    for q in quads:
        if q.predicate == BASE_KEY:
            continue
        if q.predicate == rs.REFERS_TO and q.subject in target:
            new.add(ox.Quad(q.subject, q.predicate, target[q.subject], graph))
            b = base.get(q.subject, q.object)
            if b != target[q.subject]:
                new.add(ox.Quad(q.subject, BASE_KEY, b, graph))
            continue
        quad = ox.Quad(mapped(q.subject), q.predicate, mapped(q.object), graph)
        if q.predicate in (rs.SUBJECT, rs.OBJECT):
            fact_ends[q.subject].append(quad.object)
        new.add(quad)
    # A fact whose two ends became one entity is dropped (a merged entity is not its own
    # neighbour), record and plain triple alike.
    loops = {f for f, ends in fact_ends.items() if len(ends) == 2 and ends[0] == ends[1]}
    new = {
        q
        for q in new
        if q.subject not in loops
        and not (q.predicate.value.startswith(rs.RELATION) and q.subject == q.object)
    }
    moved = sum(1 for m, now in refers.items() if target[m] != now)
    return quads, new, moved


def _data_block(verb: str, quads: set[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = defaultdict(list)
    for q in quads:
        by_graph[str(q.graph_name)].append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(
        f"GRAPH {g} {{\n" + "\n".join(sorted(lines)) + "\n}"
        for g, lines in sorted(by_graph.items())
    )
    return f"{verb} DATA {{\n{body}\n}}"
