"""``kgfuse serve`` as a user runs it: a child process on a FalkorDB store (the real server the
tests start), its start-up line with the URL, one log line per request, and Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from kgfuse.cli.main import run


def _lines(stream: Any, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


@pytest.mark.slow
def test_serve_command_on_falkordb(falkordb_server: Any, sample_articles: Path, extractor) -> None:
    from kgfuse.build import build_graph
    from kgfuse.kg.store import open_store

    url = falkordb_server.url(f"serve_{uuid.uuid4().hex}")
    with open_store(url) as store:
        build_graph(sample_articles, store, extractor=extractor, progress=False)
    env = {**os.environ, "KGFUSE_TOKEN": ""}
    command = [sys.executable, "-m", "kgfuse.cli.main", "serve", "--store", url, "--port", "0"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, out), daemon=True).start()
    threading.Thread(target=_lines, args=(proc.stderr, err), daemon=True).start()
    try:
        first = out.get(timeout=180)  # start-up imports are slow on a loaded machine
        assert first.startswith("kgfuse serve: http://127.0.0.1:"), first
        base = first.split()[2]
        with httpx.Client(base_url=base, timeout=30) as client:
            health = client.get("/health").json()
            assert health["query_language"] == "cypher" and health["store"].startswith("falkordb")
            card = client.get("/entities/albert_einstein").json()
            assert "Einstein" in card["entity"]["aliases"]
            sentence = next(s for s in card["sentences"] if s["object"] == "ulm")
            spans = {sentence["text"][m["start"] : m["end"]] for m in sentence["mentions"]}
            assert {"Albert Einstein", "Ulm"} <= spans
            fact = client.get(
                "/facts",
                params={"subject": "albert_einstein", "predicate": "born_in", "object": "ulm"},
            ).json()
            assert fact["records"][0]["text"] == "Albert Einstein was born in Ulm."
            doc = client.get("/documents/einstein.txt").json()
            assert all(doc["text"][m["start"] : m["end"]] == m["text"] for m in doc["mentions"])
            assert client.get("/paths", params={"from": "Ulm", "to": "Warsaw"}).json()["found"]
            query = {"query": "MATCH (d:Document) RETURN d.id AS id ORDER BY id LIMIT 2"}
            rows = client.post("/query/cypher", json=query).json()["rows"]
            assert rows == [{"id": "apple.txt"}, {"id": "curie.txt"}]
            refused = client.post("/query/cypher", json={"query": "MATCH (n) DETACH DELETE n"})
            assert refused.status_code == 403
            assert client.post("/documents", json={"documents": [{"text": "x"}]}).status_code == 403
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rest = []
    while not out.empty():
        rest.append(out.get())
    assert rest[-1].strip() == "kgfuse serve: stopped"
    logged = []
    while not err.empty():
        logged.append(err.get())
    assert any(" GET /health 200 " in line for line in logged), logged
    assert any(" POST /query/cypher 403 " in line for line in logged)
    assert not any("Traceback" in line for line in logged), logged
    with open_store(url) as store:  # the store is untouched
        assert store.stats().documents == 5


def test_serve_refuses_unsafe_or_impossible_settings(tmp_path: Path, capsys) -> None:
    store = str(tmp_path / "none")
    assert run(["serve", "--store", store, "--allow-write"]) == 1
    assert "--allow-write needs a token" in capsys.readouterr().err
    assert run(["serve", "--store", store, "--allow-write", "--token", "short"]) == 1
    assert "at least 16 characters" in capsys.readouterr().err
    assert run(["serve", "--store", store, "--port", "70000"]) == 1
    assert "--port must be between 0 and 65535" in capsys.readouterr().err
    assert run(["serve", "--store", store]) == 1  # no graph there: nothing is created
    assert "no graph at" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_the_listening_socket_says_tcp() -> None:
    # asyncio turns on TCP_NODELAY only for sockets created with proto IPPROTO_TCP; with
    # proto 0 every response waited for the client's delayed ACK (~40 ms per request).
    import socket

    from kgfuse.serve.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
