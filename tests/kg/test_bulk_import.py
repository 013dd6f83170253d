"""The bulk import path: compact provenance, the same graph as the document path."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kgfuse.errors import CorpusError
from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.exporters import export_graph
from kgfuse.kg.importers import import_triples
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.stores.rdf import imported

METAQA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "metaqa" / "kb.txt"


def _kb(tmp_path: Path, lines: int = 300) -> Path:
    if not METAQA.exists():
        pytest.skip("the shared MetaQA knowledge base is not available")
    with METAQA.open(encoding="utf-8") as handle:
        head = list(itertools.islice(handle, lines))
    path = tmp_path / "kb.txt"
    # a fact stated twice (support 2), a malformed line, a padded one and an empty field
    extra = "Alien|directed_by|Ridley Scott\nbad line\n Alien | directed_by |Ridley Scott\nA||B\n"
    path.write_text("".join(head) + extra, encoding="utf-8")
    return path


def _view(store: RdfStore, export_dir: Path) -> dict[str, Any]:
    departed = store.resolve("the departed")  # a lower-case alias lookup
    export_graph(store, export_dir / "graph.ttl", "turtle")
    export_graph(store, export_dir / "graph.nq", "nquads")
    stats = store.stats(top=20)
    return {
        "triples": list(store.iter_triples()),
        "edges": list(store.iter_edges()),
        "stats": (stats.documents, stats.sentences, stats.entities, stats.edges, stats.facts),
        "predicates": stats.predicates,
        "top": stats.top_entities,
        "card": store.entity_card(departed.key),
        "alien": store.entity_card("Alien"),
        "neighbours": store.neighbours(departed.key, hops=2),
        "subgraph": store.subgraph([departed.key], hops=2),
        "turtle": (export_dir / "graph.ttl").read_text(encoding="utf-8"),
        "nquads": (export_dir / "graph.nq").read_text(encoding="utf-8"),
    }


def test_bulk_path_gives_the_document_paths_graph(tmp_path: Path) -> None:
    path = _kb(tmp_path)
    views = {}
    for bulk in (False, True):
        with RdfStore(tmp_path / f"store-{bulk}") as store:
            result = import_triples(store, path, chunk_size=100, bulk=bulk)
            assert (result.documents, result.triples, result.skipped) == (4, 302, 2)
            (tmp_path / f"export-{bulk}").mkdir()
            views[bulk] = _view(store, tmp_path / f"export-{bulk}")
    for part, expected in views[False].items():
        if part in ("card", "alien"):  # mention counts differ: one per name and import
            got = views[True][part]
            assert (got.entity, got.sentences, got.neighbours, got.degree) == (
                expected.entity,
                expected.sentences,
                expected.neighbours,
                expected.degree,
            )
            continue
        assert views[True][part] == expected, part
    alien = views[True]["alien"]
    assert {(s.doc_id, s.sentence_index, s.text) for s in alien.sentences} >= {
        ("import:kb.txt#3", 301, "Alien|directed_by|Ridley Scott"),
        ("import:kb.txt#3", 303, " Alien | directed_by |Ridley Scott"),
    }
    assert [(e.object_key, e.support) for e, _ in alien.neighbours] == [("Ridley Scott", 2)]


def test_bulk_chunks_are_compact(tmp_path: Path) -> None:
    path = _kb(tmp_path)
    with RdfStore(tmp_path / "store") as store:
        result = import_triples(store, path, chunk_size=100)
        every = store.ox.quads_for_pattern(None, None, None, None)
        # the named graphs (the default graph holds the entity summaries)
        quads = [q for q in every if not isinstance(q.graph_name, ox.DefaultGraph)]
        # no sentence nodes, no mention or fact record per line
        assert not [q for q in quads if q.predicate in (rs.SUBJECT, rs.SENTENCE, rs.TEXT)]
        assert len(quads) <= result.triples + 4 * result.entities + 20 * result.documents
        graph = rs.document_iri("import:kb.txt#0")
        marker = {q.predicate.value.rsplit("#")[-1]: q.object for q in quads if q.subject == graph}
        assert marker["source"].value == str(path)
        assert marker["format"].value == "pipe"
        assert (int(marker["firstLine"].value), int(marker["lastLine"].value)) == (1, 100)
        assert imported.statement_count(store.ox) == 302


def test_shrinking_file_drops_the_names_of_dropped_chunks(tmp_path: Path) -> None:
    path = _kb(tmp_path)
    with RdfStore(tmp_path / "store") as store:
        import_triples(store, path, chunk_size=100)
        assert store.entities(["Ridley Scott"])
        path.write_text("".join(path.read_text(encoding="utf-8").splitlines(True)[:150]))
        result = import_triples(store, path, chunk_size=100)
        assert (result.documents, result.written) == (2, 1)
        assert store.entities(["Ridley Scott"]) == {}  # only the dropped chunk named it
        assert store.stats().entities == result.entities
        again = import_triples(store, path, chunk_size=100)
        assert again.written == 0


def test_chunk_size_bounds(tmp_path: Path) -> None:
    path = _kb(tmp_path, 10)
    with RdfStore(tmp_path / "store") as store:
        with pytest.raises(CorpusError, match="chunk_size=0"):
            import_triples(store, path, chunk_size=0)
        with pytest.raises(CorpusError, match="expected 1 to 150000"):
            import_triples(store, path, chunk_size=10**6)


def test_falkordb_bulk_path(tmp_path: Path, falkordb_server: Any) -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    path = _kb(tmp_path, 120)
    found = {}
    for bulk in (False, True):
        with FalkorDBStore(falkordb_server.url(f"bulk_{bulk}")) as store:
            result = import_triples(store, path, chunk_size=50, bulk=bulk)
            assert (result.documents, result.triples, result.skipped) == (3, 122, 2)
            stats = store.stats()
            card = store.entity_card("Alien")
            found[bulk] = (list(store.iter_triples()), list(store.iter_edges()), card.sentences)
            found[bulk, "mentions"] = stats.mentions
            store.drop()
    assert found[True] == found[False]
    assert found[True, "mentions"] < found[False, "mentions"] == 2 * 122


def _digest(path: Path) -> str:
    with RdfStore(path) as store:
        digest = hashlib.sha256()
        for triple in store.iter_triples():
            digest.update(repr(triple).encode())
        digest.update(repr(store.stats(top=100)).encode())
        for key in ("The Departed", "Ridley Scott", "Drama"):
            digest.update(repr(store.entities([key])).encode())
        return digest.hexdigest()


@pytest.mark.slow
def test_cli_import_killed_mid_way_resumes_to_the_same_graph(tmp_path: Path) -> None:
    path = _kb(tmp_path, 4000)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    command = [sys.executable, "-m", "kgfuse.cli.main", "import", str(path), "--chunk-size"]
    command += ["400", "--store"]
    subprocess.run([*command, str(clean)], check=True, capture_output=True)
    proc = subprocess.Popen(
        [*command, str(killed)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    buffer = b""
    while chunk := proc.stderr.read(1):
        buffer = (buffer + chunk)[-200:]
        done = re.findall(rb"(\d+)/\d+", buffer)
        if done and int(done[-1]) >= 1200:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    with RdfStore(killed) as store:
        stats = store.stats()
        assert 0 < stats.documents < 11  # killed mid-way
        assert stats.sentences == imported.statement_count(store.ox)
        # every visible chunk is whole: its facts are all there
        for graph in imported.chunk_graphs(store.ox):
            chunk = imported.load_chunk(store.ox, graph)
            assert chunk is not None
            plain = {
                (rs.key_of(q.subject), rs.key_of(q.object))  # type: ignore[arg-type]
                for q in store.ox.quads_for_pattern(None, None, None, graph)
                if q.predicate.value.startswith(rs.RELATION)
            }
            assert plain == {(s, o) for _, _, s, _, o in chunk.rows}
    subprocess.run([*command, str(killed)], check=True, capture_output=True)
    assert _digest(killed) == _digest(clean)


def test_bulk_literal_escaping(tmp_path: Path) -> None:
    path = tmp_path / "kb.tsv"
    path.write_text('Say "hi"\\there\tquotes\tTab\\tlike é\n', encoding="utf-8")
    with RdfStore(tmp_path / "store") as store:
        import_triples(store, path)
        (edge,) = store.iter_edges()
        assert (edge.subject_key, edge.object_key) == ('Say "hi"\\there', "Tab\\tlike é")
        assert store.entity('Say "hi"\\there').name == 'Say "hi"\\there'


def test_cli_import_paths_and_chunk_size_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kgfuse.cli.main import run

    path = _kb(tmp_path, 50)
    for flag in ("--bulk", "--no-bulk"):
        store = tmp_path / flag.strip("-")
        assert (
            run(["import", str(path), "--store", str(store), flag, "--json", "--no-progress"]) == 0
        )
        assert '"triples": 52' in capsys.readouterr().out
        with RdfStore(store) as graph:
            assert bool(imported.chunk_graphs(graph.ox)) == (flag == "--bulk")
    bad = ["import", str(path), "--store", str(tmp_path / "x"), "--chunk-size", "0"]
    assert run([*bad, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "chunk_size=0" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_readers_during_an_import_see_whole_chunks(tmp_path: Path) -> None:
    from kgfuse.errors import StoreError

    path = _kb(tmp_path, 6000)  # 20 chunks of 300 lines, then one of 2 (2 lines skipped)
    store, log = tmp_path / "g", (tmp_path / "stderr.txt").open("w")
    command = [sys.executable, "-m", "kgfuse.cli.main", "import", str(path), "--store"]
    command += [str(store), "--chunk-size", "300", "--no-progress"]
    env = {**os.environ, "KGFUSE_SNAPSHOT_SECONDS": "0"}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
    reads = 0
    try:
        while proc.poll() is None:
            try:
                reader = RdfStore(store, create=False)
            except StoreError:
                continue  # no snapshot published yet
            with reader:
                if reader.snapshot is None:
                    continue  # the import is over: the store itself opened
                for graph in imported.chunk_graphs(reader.ox):
                    chunk = imported.load_chunk(reader.ox, graph)
                    assert chunk is not None and len(chunk.rows) in (300, 2)
                    plain = [
                        q
                        for q in reader.ox.quads_for_pattern(None, None, None, graph)
                        if q.predicate.value.startswith(rs.RELATION)
                    ]
                    assert len(plain) == len({r[2:] for r in chunk.rows})  # the whole chunk
                reads += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        log.close()
    assert proc.returncode == 0, (tmp_path / "stderr.txt").read_text()
    assert reads > 0
    with RdfStore(store) as final:
        assert final.stats().sentences == 6002
