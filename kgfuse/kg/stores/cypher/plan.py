"""The write plan of the Cypher stores: the statements of one write round, from its probe.

A write round for a batch of documents (one Neo4j transaction; on FalkorDB a probe, then
prepare and commit chained into one query by ``combine``):

1. probe: which documents are committed (``Document`` node) and which entities their old
   mentions and facts touch;
2. prepare: delete everything the documents wrote before (facts, mentions, sentences,
   ``Document`` nodes: index lookups by document id, run for every document of the batch so
   that leftovers of an interrupted write go too and a re-sent round cannot duplicate
   anything), write entities, sentences, mentions and facts (one ``UNWIND`` statement each),
   then drop the old entities left with neither mention nor fact;
3. commit: write the ``Document`` nodes, the marker that the documents are complete (only
   for documents whose sentences, mentions and facts are all there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from kgfuse.kg.links import encode_links
from kgfuse.kg.normalize import normalize_name
from kgfuse.kg.stores.cypher import writes
from kgfuse.types import ResolvedDocument

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
#: A statement and its parameters.
Statement = tuple[str, dict[str, Any]]
Row = dict[str, Any]
#: Turns the probe's rows into the ``(prepare, commit)`` statements of a write round.
Plan = Callable[[list[Row]], tuple[list[Statement], list[Statement]]]


@dataclass(slots=True)
class Probe:
    """What a document had in the store before this write.

    Attributes:
        committed: Its ``Document`` node exists.
        keys: The entities its mentions and facts touched.
    """

    committed: bool
    keys: set[str]


def parse_probe(rows: list[Row]) -> dict[str, Probe]:
    """Read the rows of ``writes.probe_documents()``.

    Args:
        rows: One row per probed document id.

    Returns:
        ``{doc_id: Probe}``.
    """
    return {
        r["id"]: Probe(
            committed=bool(r["committed"]),
            keys={*r["mention_keys"], *r["subjects"], *r["objects"]},
        )
        for r in rows
    }


def plan_write(
    batch: Sequence[ResolvedDocument], rows: list[Row]
) -> tuple[list[Statement], list[Statement]]:
    """Plan the round that writes ``batch``: ``(prepare, commit)`` statements.

    Args:
        batch: The documents (ids unique).
        rows: The probe's rows for their ids.

    Returns:
        Deletes, writes and orphan clean-up; then the ``Document`` nodes.
    """
    probe = parse_probe(rows)
    prepare = delete_statements(probe) + write_statements(batch)
    prepare += orphan_statements(probe, keep=touched_keys(batch))
    commit = [(writes.merge_documents(), {"rows": [document_row(d) for d in batch]})]
    return prepare, commit


def delete_statements(probe: Mapping[str, Probe]) -> list[Statement]:
    """Statements deleting everything the probed documents wrote."""
    ids = {"doc_ids": sorted(probe)}
    return [
        (writes.delete_facts(), ids),
        (writes.delete_mentions(), ids),
        (writes.delete_sentences(), ids),
        (writes.delete_documents(), ids),
    ]


def orphan_statements(
    probe: Mapping[str, Probe], *, keep: AbstractSet[str] = frozenset()
) -> list[Statement]:
    """Statement dropping the probed documents' old entities left unused (except ``keep``)."""
    # Entities the new versions mention or link are not orphans: only check the others.
    keys = sorted({k for p in probe.values() for k in p.keys} - keep)
    return [(writes.delete_orphan_entities(), {"keys": keys})] if keys else []


def write_statements(documents: Sequence[ResolvedDocument]) -> list[Statement]:
    """Statements writing the entities, sentences, mentions and facts of ``documents``.

    Args:
        documents: Documents whose old versions are already deleted.

    Returns:
        One ``UNWIND`` statement per kind that has rows.
    """
    sentences: list[Row] = []
    mentions: list[Row] = []
    facts: list[Row] = []
    keys: set[str] = set()
    norms: dict[str, str] = {}  # surface forms repeat a lot; normalise each once
    for resolved in documents:
        doc_id = resolved.document.id
        for sent in resolved.sentences:
            sentences.append(
                {
                    "doc_id": doc_id,
                    "index": sent.index,
                    "text": sent.text,
                    "char_start": sent.char_start,
                    "char_end": sent.char_end,
                }
            )
        for m in resolved.mentions:
            keys.add(m.key)
            mentions.append(
                {
                    "doc_id": doc_id,
                    "key": m.key,
                    "text": m.text,
                    "norm": norms.get(m.text) or norms.setdefault(m.text, normalize_name(m.text)),
                    "label": m.label,
                    "sentence_index": m.sentence_index,
                    "char_start": m.char_start,
                    "char_end": m.char_end,
                }
            )
        for t in dict.fromkeys(resolved.triples):  # identical records are one fact
            keys.update((t.subject_key, t.object_key))
            p = t.provenance
            facts.append(
                {
                    "s": t.subject_key,
                    "p": t.predicate,
                    "o": t.object_key,
                    "doc_id": p.doc_id,
                    "sentence_index": p.sentence_index,
                    "char_start": p.char_start,
                    "char_end": p.char_end,
                    "extractor": p.extractor,
                }
            )
    out: list[Statement] = []
    if keys:
        out.append((writes.merge_entities(), {"keys": sorted(keys)}))
    if sentences:
        out.append((writes.create_sentences(), {"rows": sentences}))
    if mentions:
        out.append((writes.create_mentions(), {"rows": mentions}))
    if facts:
        out.append((writes.create_facts(), {"rows": facts}))
    return out


def touched_keys(documents: Sequence[ResolvedDocument]) -> set[str]:
    """Entity keys the documents mention or relate."""
    keys = {m.key for d in documents for m in d.mentions}
    return keys | {k for d in documents for t in d.triples for k in (t.subject_key, t.object_key)}


def document_row(resolved: ResolvedDocument) -> Row:
    """The ``$rows`` entry of ``writes.merge_documents()`` for one document.

    Besides the version, it announces how many sentences, mentions and facts the prepare
    statements write for the document: the commit checks them (see ``merge_documents``).
    """
    doc_id = resolved.document.id
    facts = sum(1 for t in dict.fromkeys(resolved.triples) if t.provenance.doc_id == doc_id)
    return {
        "id": doc_id,
        "content_hash": resolved.content_hash,
        "extractor": resolved.extractor,
        "links": encode_links(resolved.mentions),
        "sentences": len(resolved.sentences),
        "mentions": len(resolved.mentions),
        "facts": facts,
    }


def combine(statements: Sequence[Statement]) -> Statement:
    """Chain write statements into ONE query: ``A WITH count(*) AS _0 B WITH count(*) ...``.

    FalkorDB runs each query under the graph's write lock, but a ``MULTI`` block takes the
    lock once per statement, and its reader threads run queries from other clients between
    them: a reader saw mentions of a document whose ``Document`` node was not written yet.
    One query is one lock, and a query that fails midway is rolled back. ``count(*)`` is an
    aggregation, so each part's writes are done before the next part reads, and it yields one
    row even after a part that matched nothing. Parameters are renamed per part (``$rows`` of
    the third part becomes ``$s2_rows``).
    """
    parts: list[str] = []
    merged: dict[str, Any] = {}
    for i, (query, params) in enumerate(statements):
        prefix = f"s{i}_"
        parts.append(_PARAM.sub(lambda m, p=prefix: f"${p}{m.group(1)}", query))
        merged.update({prefix + name: value for name, value in params.items()})
    glue = [f"\nWITH count(*) AS _{i}\n" for i in range(len(parts) - 1)]
    text = parts[0] + "".join(g + p for g, p in zip(glue, parts[1:], strict=True)) if parts else ""
    return text, merged
