"""Distributed build on a real Dask ``LocalCluster`` of 2 worker processes: the same graph as a
one-process build, idempotent, refusing mixed extractor versions, surviving a killed worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import dask

from kgfuse.build import build_graph
from kgfuse.cli.main import run
from kgfuse.distributed import DaskExtractor, ExtractorSpec, dask_client
from kgfuse.errors import (
    ConfigError,
    ExtractionError,
    ExtractorMismatchError,
    SchedulerUnreachableError,
    WorkerLostError,
)
from kgfuse.kg.digest import graph_digest
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.types import Document

N_DOCS = 24


@pytest.fixture(scope="module")
def client():
    """A real LocalCluster of 2 worker processes (one thread each) for this module."""
    with dask_client(workers=2) as dask:
        yield dask


@pytest.fixture(scope="module")
def documents(sample_news: Path) -> list[Document]:
    rows = [json.loads(line) for line in sample_news.read_text().splitlines()[:N_DOCS]]
    return [Document(str(r["id"]), r["text"]) for r in rows]


@pytest.fixture(scope="module")
def one_process_digest(documents, extractor, tmp_path_factory) -> str:
    """Content hash of the graph a one-process build makes of ``documents``."""
    path = tmp_path_factory.mktemp("one") / "graph"
    with RdfStore(path) as store:
        build_graph(documents, store, extractor=extractor, batch_size=4, progress=False)
        return graph_digest(store)


def _digest(path: Path) -> str:
    with RdfStore(path) as store:
        return graph_digest(store)


def test_workers_build_the_one_process_graph_and_rebuild_nothing(
    client, documents, extractor, one_process_digest, tmp_path
) -> None:
    dask_extractor = DaskExtractor(client, shard_size=3)
    assert dask_extractor.version == extractor.version
    with RdfStore(tmp_path / "g") as store:
        summary = build_graph(
            documents, store, extractor=dask_extractor, batch_size=4, progress=False
        )
        assert summary.written == N_DOCS
        assert graph_digest(store) == one_process_digest
        again = build_graph(
            documents, store, extractor=dask_extractor, batch_size=4, progress=False
        )
        assert (again.written, again.unchanged) == (0, N_DOCS)
        # a changed document is extracted again and replaces exactly its own facts
        changed = [*documents[:-1], Document(documents[-1].id, "Ada Lovelace lived in London.")]
        third = build_graph(changed, store, extractor=dask_extractor, batch_size=4, progress=False)
        assert (third.written, third.unchanged) == (1, N_DOCS - 1)
        assert graph_digest(store) != one_process_digest
        build_graph(documents, store, extractor=dask_extractor, batch_size=4, progress=False)
        assert graph_digest(store) == one_process_digest
        # delete keeps its meaning: the document's facts go, and a rebuild brings them back
        assert store.delete_document(documents[0].id)
        assert graph_digest(store) != one_process_digest
        fourth = build_graph(documents, store, extractor=dask_extractor, progress=False)
        assert (fourth.written, fourth.unchanged) == (1, N_DOCS - 1)
        assert graph_digest(store) == one_process_digest


def _set_rules_version(version: int) -> None:
    import kgfuse.nlp.extractor

    kgfuse.nlp.extractor.RULES_VERSION = version


def test_mixed_extractor_versions_are_refused(client) -> None:
    from kgfuse.nlp.extractor import RULES_VERSION

    first, second = sorted(client.nthreads())
    # one worker process runs other extraction rules, like a machine with an older kgfuse
    client.run(_set_rules_version, RULES_VERSION + 1, workers=[second])
    try:
        with pytest.raises(ExtractorMismatchError, match="different extractor versions") as err:
            DaskExtractor(client)
        assert first in str(err.value) and second in str(err.value)
        assert "\n" not in str(err.value)
    finally:
        client.run(_set_rules_version, RULES_VERSION, workers=[second])
    DaskExtractor(client)  # agreed again


def test_a_pipeline_missing_on_the_workers_is_one_line(client, tmp_path) -> None:
    missing = str(tmp_path / "no-such-pipeline")
    with pytest.raises(ExtractionError) as err:
        DaskExtractor(client, ExtractorSpec(model=missing))
    assert "no-such-pipeline" in str(err.value) and "\n" not in str(err.value)


def _killing_one_worker(
    documents: Iterable[Document], client, after: int, killed: list[int]
) -> Iterator[Document]:
    """Yield ``documents``; after ``after`` of them, SIGKILL a worker process with work."""
    pids = client.run(os.getpid)
    for number, document in enumerate(documents):
        if number == after:
            deadline = time.monotonic() + 120
            while not killed and time.monotonic() < deadline:
                busy = [address for address, keys in client.processing().items() if keys]
                if busy:
                    killed.append(pids[busy[0]])
                    os.kill(pids[busy[0]], signal.SIGKILL)
                time.sleep(0.02)
        yield document


@pytest.mark.slow
def test_a_killed_worker_is_retried_to_the_same_graph(
    client, documents, one_process_digest, tmp_path
) -> None:
    killed: list[int] = []
    with RdfStore(tmp_path / "g") as store:
        summary = build_graph(
            _killing_one_worker(documents, client, 8, killed),
            store,
            extractor=DaskExtractor(client, shard_size=2),
            batch_size=4,
            progress=False,
        )
        assert killed, "no worker was killed; the test proves nothing"
        assert summary.written == N_DOCS
        assert graph_digest(store) == one_process_digest
    client.wait_for_workers(2)  # the nanny restarted it
    assert killed[0] not in client.run(os.getpid).values()


@pytest.mark.slow
def test_past_allowed_failures_the_build_stops_clearly_and_a_rerun_completes(
    documents, one_process_digest, tmp_path
) -> None:
    killed: list[int] = []
    path = tmp_path / "g"
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        dask_client(workers=2) as strict,
    ):
        with RdfStore(path) as store, pytest.raises(WorkerLostError) as err:
            build_graph(
                _killing_one_worker(documents, strict, 8, killed),
                store,
                extractor=DaskExtractor(strict, shard_size=2),
                batch_size=4,
                progress=False,
            )
        assert killed
        message = str(err.value)
        assert "rerun the same command to resume" in message and "\n" not in message
        with RdfStore(path) as store:
            assert 0 < store.stats().documents < N_DOCS  # committed batches were kept
            rerun = build_graph(
                documents, store, extractor=DaskExtractor(strict, shard_size=2), progress=False
            )
            assert rerun.unchanged > 0
    assert _digest(path) == one_process_digest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_scheduler_is_one_line(tmp_path, capsys) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    with (
        pytest.raises(SchedulerUnreachableError, match="no Dask scheduler answers"),
        dask_client(scheduler=address, timeout=1),
    ):
        pass
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Ada Lovelace lived in London."}\n')
    store = tmp_path / "never"
    code = run(["build", str(corpus), "--store", str(store), "--scheduler", "no-port"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: no Dask scheduler answers at 'no-port'")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not store.exists()  # nothing was created


def test_workers_and_scheduler_exclude_each_other() -> None:
    with pytest.raises(ConfigError, match="either --workers"), dask_client():
        pass
    with pytest.raises(ConfigError, match="at least 1"), dask_client(workers=0):
        pass


def test_cli_builds_on_a_running_cluster_by_address(
    client, sample_news, one_process_digest, tmp_path, capsys
) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(sample_news.read_text().splitlines()[:N_DOCS]) + "\n")
    address = client.scheduler.address
    store = tmp_path / "g"
    argv = ["build", str(corpus), "--store", str(store), "--scheduler", address]
    assert run([*argv, "--batch-size", "4", "--no-progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["written"] == N_DOCS
    assert _digest(store) == one_process_digest
