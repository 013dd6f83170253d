"""Faults on every backend: a writer process killed with -9, and a write that fails midway.

After each kill, a reader must see only whole documents (every document's sentences,
mentions and facts, or nothing of it), and resuming must give the graph of a clean build.
The kill points are random batches or deletes of a real ``fault_writer.py`` process (seeded,
so a failure can be replayed); ``KGFUSE_FAULT_RUNS`` sets how many (default 10 per backend).
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from kgfuse.errors import StoreError
from kgfuse.kg.stores import GraphStore, open_store

HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("KGFUSE_FAULT_RUNS", "10"))
N_DOCS, BATCH, DELETES = 24, 3, 8


def _writer() -> ModuleType:
    name = "kgfuse_tests_fault_writer"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "fault_writer.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


W = _writer()


def _url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "rdf":
        return f"rdf:{tmp_path / f'g-{uuid.uuid4().hex[:8]}'}"
    server = request.getfixturevalue("falkordb_server")
    return server.url(f"fault_{uuid.uuid4().hex}")


@pytest.fixture(params=["rdf", "falkordb"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend that can run here (Neo4j writes one transaction per round anyway)."""
    return str(request.param)


def snapshot(store: GraphStore) -> tuple[object, ...]:
    """Everything a reader can see."""
    return (store.stats(top=20), list(store.iter_edges()), list(store.iter_triples()))


def assert_only_whole_documents(store: GraphStore) -> int:
    """Every visible sentence, mention and fact belongs to a whole, committed document."""
    stats = store.stats()
    assert stats.sentences == W.SENTENCES * stats.documents, stats
    assert stats.mentions == W.MENTIONS * stats.documents, stats
    assert stats.facts == W.FACTS * stats.documents, stats
    docs = {t.provenance.doc_id for t in store.iter_triples()}
    assert len(docs) == stats.documents
    assert set(store.document_versions(docs)) == docs
    return stats.documents


#: One read each (a single query is atomic on FalkorDB): rows of documents without a
#: ``Document`` node, which only a reader of uncommitted data can see.
UNCOMMITTED = [
    "MATCH (s:Sentence) OPTIONAL MATCH (d:Document {id: s.doc_id}) "
    "WITH s, d WHERE d IS NULL RETURN count(s) AS n",
    "MATCH (m:Mention) OPTIONAL MATCH (d:Document {id: m.doc_id}) "
    "WITH m, d WHERE d IS NULL RETURN count(m) AS n",
    "MATCH ()-[f:FACT]->() OPTIONAL MATCH (d:Document {id: f.doc_id}) "
    "WITH f, d WHERE d IS NULL RETURN count(f) AS n",
]


def assert_no_uncommitted_rows(store: GraphStore) -> None:
    """No sentence, mention or fact of a document without its commit marker is readable."""
    for query in UNCOMMITTED:
        assert store.raw_query(query) == [{"n": 0}], query


def _clean(url: str) -> tuple[object, ...]:
    with open_store(url) as store:
        W.write_all(store, N_DOCS, BATCH)
        W.delete_first(store, DELETES)
        found = snapshot(store)
        _drop(store)
    return found


def _drop(store: GraphStore) -> None:
    drop = getattr(store, "drop", None)
    if drop is not None:
        drop()


def _spawn(url: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "fault_writer.py"), url, str(N_DOCS), str(BATCH), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lines(proc: subprocess.Popen[str]) -> Iterator[str]:
    assert proc.stdout is not None
    for line in proc.stdout:
        yield line.strip()


@pytest.mark.slow
def test_kill_9_at_random_points_then_resume(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    clean = _clean(_url(backend, request, tmp_path))
    rng = random.Random(14)
    points = [f"wrote {r}" for r in range(-(-N_DOCS // BATCH))]
    points += [f"deleted {i}" for i in range(DELETES - 1)]
    partial_seen = reads = 0
    for _ in range(RUNS):
        url = _url(backend, request, tmp_path)
        kill_after = rng.choice(points)  # during the build or during the deletes
        proc = _spawn(url, "--delete", str(DELETES))
        # A server store is read while the writer runs: each read sees whole documents only.
        reader = open_store(url, read_only=True) if backend == "falkordb" else None
        for line in _lines(proc):
            if reader is not None:
                assert_no_uncommitted_rows(reader)
                stats = reader.stats()  # one snapshot: its counts must agree
                assert stats.sentences == W.SENTENCES * stats.documents, stats
                assert stats.facts == W.FACTS * stats.documents, stats
                reads += 1
            if line in (kill_after, "done"):
                break
        if reader is not None:
            reader.close()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with open_store(url) as store:
            if backend == "falkordb":
                assert_no_uncommitted_rows(store)
            documents = assert_only_whole_documents(store)
            partial_seen += 0 < documents < N_DOCS
            W.write_all(store, N_DOCS, BATCH)  # resume, as a second `kgfuse build` does
            W.delete_first(store, DELETES)  # and the deletes, run again
            assert snapshot(store) == clean
            _drop(store)
    assert partial_seen > 0  # some kills did land mid-build
    assert reads > 0 or backend == "rdf"


def test_falkordb_kill_between_the_steps_of_a_round(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # The writer dies right after its first MULTI/EXEC block of its first round: where
    # prepare and commit were two blocks, sentences, mentions and facts were visible
    # without their Document node (148 sentences for 8 documents in the issue).
    url = _url("falkordb", request, tmp_path)
    proc = _spawn(url, "--die-after-first-multi")
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    with open_store(url) as store:
        assert_no_uncommitted_rows(store)
        assert_only_whole_documents(store)
        W.write_all(store, N_DOCS, BATCH)
        assert_only_whole_documents(store)
        assert store.stats().documents == N_DOCS
        _drop(store)


def test_falkordb_statement_failing_midway_leaves_nothing_visible(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # A real server answering a real error between the data statements and the commit (a
    # division by zero, injected into the round; no mocked database).
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    class FailingMidway(FalkorDBStore):
        def _run_round(self, doc_ids, plan):  # type: ignore[no-untyped-def]
            def broken(rows):  # type: ignore[no-untyped-def]
                prepare, commit = plan(rows)
                # a runtime error after the data statements, before the commit
                return [*prepare, ("UNWIND $zero AS x WITH 1 / x AS y", {"zero": [0]})], commit

            super()._run_round(doc_ids, broken)

    url = _url("falkordb", request, tmp_path)
    with open_store(url) as store:
        W.write_all(store, 6, 3)
        before = snapshot(store)
        failing = FailingMidway(url)
        with pytest.raises(StoreError, match="refused a write"):
            failing.write([W.document(100), W.document(101)])
        failing.close()
        assert snapshot(store) == before  # nothing of the failed round is visible
        assert store.document_versions(["doc-100", "doc-101"]) == {}
        W.write_all(store, 6, 3)
        _drop(store)


@pytest.mark.slow
def test_falkordb_readers_during_a_writer_see_only_committed_documents(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # A reader loops as fast as it can while a real writer process builds and deletes.
    url = _url("falkordb", request, tmp_path)
    with open_store(url) as store:
        store.stats()  # the graph and its indexes exist before the writer starts
    proc = _spawn(url, "--delete", str(DELETES))
    reads = 0
    with open_store(url, read_only=True) as reader:
        while proc.poll() is None or reads == 0:
            assert_no_uncommitted_rows(reader)
            stats = reader.stats()
            assert stats.sentences == W.SENTENCES * stats.documents, stats
            assert stats.mentions == W.MENTIONS * stats.documents, stats
            reads += 1
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert reads > 3
    with open_store(url) as store:
        assert store.stats().documents == N_DOCS - DELETES
        _drop(store)


@pytest.mark.slow
def test_kill_9_during_import_then_resume(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # kgfuse import writes chunk documents through the same store write: killed at random
    # chunks, every visible chunk is whole, and importing again gives the clean graph.
    chunk, chunks = 4, 8
    kb = tmp_path / "kb.txt"
    kb.write_text(
        "".join(f"Person {i}|knows|Person {i + 1}\n" for i in range(chunk * chunks)),
        encoding="utf-8",
    )
    with open_store(_url(backend, request, tmp_path)) as store:
        W.import_lines(store, str(kb), chunk)
        clean = snapshot(store)
        _drop(store)
    rng = random.Random(11)
    partial_seen = 0
    for _ in range(max(2, RUNS // 2)):
        url = _url(backend, request, tmp_path)
        kill_after = f"imported {rng.randrange(1, chunks) * chunk}"
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "fault_writer.py"), url, "0", str(chunk), "--import",
             str(kb)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for line in _lines(proc):
            if line in (kill_after, "done"):
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with open_store(url) as store:
            stats = store.stats()
            assert stats.sentences == chunk * stats.documents, stats  # whole chunks only
            assert stats.facts == chunk * stats.documents, stats
            partial_seen += 0 < stats.documents < chunks
            W.import_lines(store, str(kb), chunk)  # the same command again
            assert snapshot(store) == clean
            _drop(store)
    assert partial_seen > 0  # some kills did land mid-import
