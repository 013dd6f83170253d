"""Reading the linking data a build stored (``kgfuse.kg.links``) for texts, by content hash.

A text is "in the store" when a document with the same content hash (``types.content_hash``
of the raw text) was built into it. Both backends answer from an index: the embedded store
from Oxigraph's object index on ``kg:contentHash``, Cypher stores from the
``Document.content_hash`` index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs

_CYPHER_BATCH = 500
_CYPHER_LINKS = (
    "UNWIND $hashes AS h\n"
    "MATCH (d:Document {content_hash: h})\n"
    "RETURN h, d.extractor AS extractor, d.links AS links"
)


@dataclass(frozen=True)
class StoredLinks:
    """What a store holds for one text: the extractor that built it and its link pairs
    (``None`` when the store was built before kgfuse stored linking data)."""

    extractor: str
    payload: str | None


def stored_links(store: Any, hashes: Sequence[str]) -> dict[str, StoredLinks]:
    """Return the stored linking data of the texts with these content hashes.

    Args:
        store: An open ``GraphStore`` (embedded or Cypher).
        hashes: Content hashes (``kgfuse.types.content_hash``).

    Returns:
        ``{hash: StoredLinks}`` for the hashes some document of the store has (when several
        documents share a text, any one of them).

    Raises:
        StoreError: The store cannot be read.
    """
    unique = list(dict.fromkeys(hashes))
    if getattr(store, "query_language", "") == "sparql":
        return _rdf_links(store.ox, unique)
    found: dict[str, StoredLinks] = {}
    for start in range(0, len(unique), _CYPHER_BATCH):
        rows = store.raw_query(_CYPHER_LINKS, {"hashes": unique[start : start + _CYPHER_BATCH]})
        for row in rows:
            found.setdefault(row["h"], StoredLinks(str(row["extractor"]), row.get("links")))
    return found


def resolved_keys(store: Any) -> dict[str, str]:
    """Where ``kgfuse resolve`` moved keys: ``{key the rules give: key the graph now uses}``.

    A text's mentions are keyed by the rules alone (stored or parsed), so after a merge their
    keys name no graph entity; the linker maps them through this. A base key that a split
    sent to several keys is left out (its largest part keeps the key itself).

    Args:
        store: An open ``GraphStore``; stores ``kgfuse resolve`` cannot rewrite give ``{}``.

    Returns:
        The moved keys only.
    """
    if getattr(store, "query_language", "") != "sparql":
        return {}
    database: ox.Store = store.ox
    targets: dict[str, set[str]] = {}
    for quad in database.quads_for_pattern(None, rs.BASE_KEY, None, None):
        current = next(
            database.quads_for_pattern(quad.subject, rs.REFERS_TO, None, quad.graph_name), None
        )
        if current is not None and isinstance(quad.object, ox.NamedNode):
            targets.setdefault(rs.key_of(quad.object), set()).add(rs.key_of(current.object))
    return {
        base: next(iter(keys))
        for base, keys in targets.items()
        if len(keys) == 1 and base not in keys
    }


def _rdf_links(database: ox.Store, hashes: Sequence[str]) -> dict[str, StoredLinks]:
    found: dict[str, StoredLinks] = {}
    for digest in hashes:
        for quad in database.quads_for_pattern(None, rs.CONTENT_HASH, ox.Literal(digest), None):
            graph = quad.graph_name
            extractor = next(database.quads_for_pattern(graph, rs.EXTRACTOR, None, graph), None)
            if extractor is None:
                continue
            links = next(database.quads_for_pattern(graph, rs.LINKS, None, graph), None)
            found[digest] = StoredLinks(
                extractor.object.value, None if links is None else links.object.value
            )
            break
    return found
