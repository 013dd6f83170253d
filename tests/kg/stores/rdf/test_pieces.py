"""Long documents are written in pieces, commit marker last (issue 13: bounded memory)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.stores.rdf import pieces
from kgfuse.types import ResolvedDocument

ALL = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _long(make: Callable[..., ResolvedDocument], doc_id: str = "long") -> ResolvedDocument:
    sentences = [f"Person{i} met Person{i + 1} in City{i}." for i in range(40)]
    mentions = [(f"person{i}", f"Person{i}", "PERSON", i) for i in range(40)]
    mentions += [(f"city{i}", f"City{i}", "GPE", i) for i in range(40)]
    facts = [(f"person{i}", "met_in", f"city{i}", i) for i in range(40)]
    return make(doc_id, sentences, mentions, facts)


def _quads(store: RdfStore) -> set[str]:
    return {" ".join(str(t) for t in row) for row in store.ox.query(ALL)}


class _FailingLastExtend:
    """The real Oxigraph store, killed (an exception) at its ``fail_at``-th extend."""

    def __init__(self, database: Any, fail_at: int) -> None:
        self.database, self.fail_at, self.calls = database, fail_at, 0

    def extend(self, quads: Any) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise KeyboardInterrupt
        self.database.extend(quads)

    def flush(self) -> None:
        self.database.flush()


def test_long_document_in_pieces_equals_one_transaction(
    tmp_path: Path, make: Callable[..., ResolvedDocument], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, short = _long(make), _long(make, "short")
    with RdfStore(tmp_path / "one") as store:
        store.write([doc, short])
        expected = _quads(store)
    monkeypatch.setattr(pieces, "LONG_DOCUMENT_RECORDS", 100)
    monkeypatch.setattr(pieces, "PIECE_QUADS", 50)
    with RdfStore(tmp_path / "pieces") as store:
        store.write([doc, short])
        assert _quads(store) == expected
        assert store.document_versions(["long", "short"]) == {
            "long": (doc.content_hash, doc.extractor),
            "short": (short.content_hash, short.extractor),
        }


def test_killed_between_pieces_reads_absent_and_rewrites_cleanly(
    tmp_path: Path, make: Callable[..., ResolvedDocument], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _long(make)
    with RdfStore(tmp_path / "one") as store:
        store.write([doc])
        expected = _quads(store)
    monkeypatch.setattr(pieces, "LONG_DOCUMENT_RECORDS", 100)
    monkeypatch.setattr(pieces, "PIECE_QUADS", 50)
    with RdfStore(tmp_path / "g") as store:
        failing = _FailingLastExtend(store.ox, fail_at=4)  # 1: short ones, 2-3: pieces
        with pytest.raises(KeyboardInterrupt):
            pieces.write_documents(failing, [doc])
        assert _quads(store)  # pieces are in ...
        assert store.document_versions(["long"]) == {}  # ... but the document is not
        store.write([doc])  # what the resumed build does
        assert _quads(store) == expected
