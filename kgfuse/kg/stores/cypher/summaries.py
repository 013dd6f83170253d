"""The Cypher stores' large-graph primitives: links, fact rows and the entity summaries.

A summary is kept on its ``Entity`` node: ``summary`` (JSON, see ``kgfuse.kg.stores.
summaries``) and ``degree`` (int). Every read starts from an ``Entity {key}`` index seek;
reading a summary or a degree never expands the entity's relationships.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kgfuse.kg.stores import summaries
from kgfuse.kg.stores.cypher import reads
from kgfuse.kg.stores.cypher.plan import Plan, Row, parse_probe
from kgfuse.kg.stores.cypher.writes import probe_documents
from kgfuse.kg.stores.summaries import EntitySummary, FactRow


class CypherReads(ABC):
    """Mixin of ``CypherStore``: the large-graph primitives of the ``GraphStore`` contract."""

    @abstractmethod
    def _run(self, query: str, params: Mapping[str, Any]) -> list[Row]: ...

    @abstractmethod
    def _run_round(self, doc_ids: list[str], plan: Plan) -> None: ...

    @abstractmethod
    def _chunked(self, query: str, keys: Sequence[str]) -> Iterator[list[Row]]: ...

    @abstractmethod
    def _check_writable(self) -> None: ...

    def _links(self, keys: Sequence[str]) -> list[tuple[str, str, str]]:
        return list(
            {(r["s"], r["p"], r["o"]) for rows in self._chunked(reads.links(), keys) for r in rows}
        )

    def _edge_support(
        self, spos: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], int]:
        rows = [{"s": s, "p": p, "o": o} for s, p, o in dict.fromkeys(spos)]
        found = self._run(reads.edge_support(), {"rows": rows}) if rows else []
        return {(r["s"], r["p"], r["o"]): int(r["support"]) for r in found if r["support"]}

    def _document_counts(self, keys: Sequence[str]) -> dict[str, int]:
        return {
            r["key"]: int(r["n"])
            for rows in self._chunked(reads.document_counts(), keys)
            for r in rows
        }

    def _fact_rows(self, keys: Sequence[str]) -> Iterator[FactRow]:
        for rows in self._chunked(reads.fact_rows(), keys):
            for r in rows:
                yield (r["key"], r["s"], r["p"], r["o"], r["doc_id"], int(r["i"]))

    def _sentence_texts(self, sentences: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        rows = [{"doc_id": d, "index": i} for d, i in sentences]
        found = self._run(reads.sentence_texts(), {"rows": rows}) if rows else []
        return {(r["doc_id"], int(r["index"])): r["text"] for r in found}

    def _document_keys(self, doc_ids: Sequence[str]) -> set[str]:
        probe = parse_probe(self._run(probe_documents(), {"doc_ids": list(doc_ids)}))
        return {k for p in probe.values() for k in p.keys}

    def _mentioned_keys(self) -> list[str]:
        return sorted(r["key"] for r in self._run(reads.mentioned_keys(), {}))

    def _degrees(self, keys: Sequence[str]) -> dict[str, int]:
        query = reads.stored_summaries("degree")
        return {r["key"]: int(r["value"]) for rows in self._chunked(query, keys) for r in rows}

    def _read_summaries(self, keys: Sequence[str]) -> dict[str, EntitySummary]:
        out = {}
        for rows in self._chunked(reads.stored_summaries("summary"), keys):
            for r in rows:
                found = summaries.decode(r["key"], r["value"])
                if found is not None:
                    out[r["key"]] = found
        return out

    def _store_summaries(self, found: dict[str, EntitySummary | None]) -> None:
        self._check_writable()
        rows = [
            {
                "key": key,
                "summary": None if s is None else summaries.encode(s),
                "degree": None if s is None else s.degree,
            }
            for key, s in found.items()
        ]
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            self._run_round([], lambda _, c=chunk: ([(reads.set_summaries(), {"rows": c})], []))
