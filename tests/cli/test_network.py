"""No query reaches the network without ``--allow-network``: a real local listener counts.

The listener is a plain TCP socket on 127.0.0.1 that accepts, reads and closes; every
connection any query makes to it is counted. A ``SERVICE`` or ``LOAD`` aimed at it must be
refused with one line and no connection; with ``--allow-network`` the same query does
connect (which proves the listener would have seen the refused ones).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgfuse.cli.main import run

from ..conftest import Listener


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
