"""Readers during a write (issue 14, finding 7): a real writer process holds the store, and
readers in this process (and real CLI processes) read its latest published snapshot."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgfuse.errors import StoreError
from kgfuse.kg.stores.rdf import RdfStore
from kgfuse.kg.stores.rdf.snapshots import SNAPSHOTS

HOLDER = Path(__file__).with_name("snapshot_holder.py")
ROOT = Path(__file__).resolve().parents[4]
PER_DOC = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class Holder:
    """A real writer process that keeps the store locked between commands."""

    def __init__(self, store: Path) -> None:
        env = {**os.environ, "KGFUSE_SNAPSHOT_SECONDS": "0"}
        self.proc = subprocess.Popen(
            [sys.executable, str(HOLDER), str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.ask(None) == "ready"

    def ask(self, command: str | None) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Holder]:
    h = Holder(tmp_path / "g")
    yield h
    if h.proc.poll() is None:
        h.proc.kill()
        h.proc.wait()


def _docs(store: RdfStore) -> set[str]:
    return {r["g"].value for r in store.ox.query(PER_DOC)}


def test_no_snapshot_yet_is_a_one_line_error(tmp_path: Path, holder: Holder) -> None:
    with pytest.raises(StoreError, match="no snapshot to read yet") as err:
        RdfStore(tmp_path / "g", create=False)
    assert "\n" not in str(err.value)
    # A writer (create=True) never falls back to a snapshot, even when one exists.
    assert holder.ask("write 0 2") == "ok"
    with pytest.raises(StoreError, match="open in another process"):
        RdfStore(tmp_path / "g")


def test_readers_see_the_last_committed_batch(tmp_path: Path, holder: Holder) -> None:
    path = tmp_path / "g"
    assert holder.ask("write 0 4") == "ok"
    early = RdfStore(path, create=False)
    assert early.snapshot is not None and early.snapshot.batch == 1
    assert len(_docs(early)) == 4
    assert early.stats().documents == 4 and early.stats().sentences == 12
    with pytest.raises(StoreError, match="read-only snapshot"):
        early.delete_document("doc-0")
    with pytest.raises(StoreError, match="read-only snapshot"):
        early.raw_query("CLEAR ALL", allow_write=True)

    assert holder.ask("write 4 9") == "ok"
    assert not (path / SNAPSHOTS / "1").exists()  # the writer replaced snapshot 1 ...
    assert len(_docs(early)) == 4  # ... and the early reader still reads it, whole
    late = RdfStore(path, create=False)
    assert late.snapshot is not None and late.snapshot.batch == 2
    assert late.stats().documents == 9
    links = late.snapshot.links
    late.close()
    early.close()
    assert not links.exists()

    assert holder.ask("quit") == "closed"
    holder.proc.wait()
    assert not (path / SNAPSHOTS).exists()  # the writer removes its snapshots on close
    with RdfStore(path, create=False) as store:
        assert store.snapshot is None and store.stats().documents == 9


def test_snapshots_of_a_killed_writer_are_cleared(tmp_path: Path, holder: Holder) -> None:
    path = tmp_path / "g"
    assert holder.ask("write 0 3") == "ok"
    assert holder.ask("write 3 5") == "ok"
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait()
    assert (path / SNAPSHOTS / "2").is_dir()
    with RdfStore(path, create=False) as store:
        assert store.snapshot is None and store.stats().documents == 5
    assert not (path / SNAPSHOTS).exists()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kgfuse.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.slow
def test_queries_during_a_real_build(tmp_path: Path, sample_news: Path) -> None:
    """``kgfuse build`` in one process, ``kgfuse stats``/``query`` in others while it runs."""
    store = tmp_path / "g"
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgfuse.cli.main",
            "build",
            str(sample_news),
            "--store",
            str(store),
            "--batch-size",
            "4",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        while build.poll() is None and not any((store / SNAPSHOTS).glob("[0-9]*")):
            time.sleep(0.05)
        seen: list[dict[str, int]] = []  # per read: document graph -> quads
        counts: list[int] = []
        from_snapshot = 0
        while build.poll() is None:
            stats = _cli("stats", "--store", str(store), "--json")
            per_doc = _cli("query", "sparql", PER_DOC, "--store", str(store), "--json")
            if build.poll() is not None:
                break  # the build may have closed the store between the two reads
            assert stats.returncode == 0, stats.stderr
            assert per_doc.returncode == 0, per_doc.stderr
            # (a read may also land after the build closed the store, before it exits)
            from_snapshot += "reading its snapshot of batch" in stats.stderr
            assert "Traceback" not in stats.stderr + per_doc.stderr
            counts.append(json.loads(stats.stdout)["documents"])
            seen.append({r["g"]: r["n"] for r in json.loads(per_doc.stdout)})
        assert build.wait() == 0, build.stderr.read() if build.stderr else ""
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    print("reads during the build:", counts, [len(r) for r in seen])
    assert from_snapshot, "no read landed during the build (machine too fast for this corpus?)"
    assert counts == sorted(counts)  # never decreases
    assert not (store / SNAPSHOTS).exists()
    with RdfStore(store, create=False) as graph:
        assert graph.snapshot is None
        final = {r["g"].value: int(r["n"].value) for r in graph.ox.query(PER_DOC)}
        assert graph.stats().documents == 160 == len(final)
    for read in seen:  # every visible document is whole: its quads equal the final build's
        assert all(final[g] == n for g, n in read.items())
    assert [len(r) for r in seen] == sorted(len(r) for r in seen)
