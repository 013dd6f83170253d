"""GraphML export: entity nodes and one edge per distinct fact (networkx, Gephi, yEd)."""

from __future__ import annotations

import json
from pathlib import Path

from kgfuse.kg.exporters.common import (
    ExportResult,
    OnePass,
    clean,
    iter_entities,
)
from kgfuse.kg.stores.base import GraphStore


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
    with OnePass(store.iter_edges()) as edges, path.open("w", encoding="utf-8") as out:
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
