"""No query reaches the network without ``--allow-network``: a real local listener counts.

The listener is a plain TCP socket on 127.0.0.1 that accepts, reads and closes; every
connection any query makes to it is counted. A ``SERVICE`` or ``LOAD`` aimed at it must be
refused with one line and no connection; with ``--allow-network`` the same query does
connect (which proves the listener would have seen the refused ones).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgfuse.cli.main import run


class Listener:
    """Counts TCP connections to a loopback port."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):
                conn.recv(65536)
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A fresh connection counter on a free loopback port."""
    opened = Listener()
    yield opened
    opened.close()


def _one_line_error(err: str) -> None:
    assert "Traceback" not in err
    assert err.strip().startswith("error:")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("command", "template"),
    [
        ("sparql", "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"),
        (
            "sparql",
            "select * where {{ service silent <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",
        ),
    ],
)
def test_sparql_service_is_refused_without_a_connection(
    sample_graph: Path, listener: Listener, capsys, command: str, template: str
) -> None:
    query = template.format(port=listener.port)
    assert run(["query", command, query, "--store", str(sample_graph)]) == 1
    captured = capsys.readouterr()
    assert "--allow-network" in captured.err
    _one_line_error(captured.err)
    assert listener.connections == 0


def test_sparql_load_is_refused_even_with_allow_write(
    sample_graph: Path, listener: Listener, capsys
) -> None:
    query = f"LOAD <http://127.0.0.1:{listener.port}/data.nt>"
    assert run(["query", "sparql", query, "--store", str(sample_graph), "--allow-write"]) == 1
    assert "--allow-network" in capsys.readouterr().err
    assert listener.connections == 0


def test_allow_network_does_connect(sample_graph: Path, listener: Listener, capsys) -> None:
    # The control: the listener sees the connection when the user allows it, and the failed
    # remote call still ends in one clear line, not a traceback.
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    code = run(["query", "sparql", query, "--store", str(sample_graph), "--allow-network"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
    assert listener.connections >= 1
