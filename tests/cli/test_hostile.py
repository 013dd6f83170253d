"""The CLI under hostile input: one ``error:`` line, never a traceback, nothing lost.

Runs the commands in-process (``kgfuse.cli.main.run``, so an escaping exception fails the
test) over the battery of ``tests/hostile_inputs.py``, plus the findings of issue 14, and one
real ``python -m kgfuse.cli.main`` process per kind of input to read its actual stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kgfuse.cli.main import run

from .. import hostile_inputs as H


def clear_error(err: str) -> None:
    """Standard error holds exactly one short ``error:`` line and no traceback."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, err[:500]
    assert len(errors[0]) < 600, len(errors[0])


@pytest.mark.parametrize("fmt", ["turtle", "nquads", "jsonld", "graphml", "neo4j-csv"])
def test_export_json_prints_the_result(sample_graph: Path, tmp_path: Path, capsys, fmt) -> None:
    out = tmp_path / ("csv" if fmt == "neo4j-csv" else f"graph.{fmt}")
    assert run(["export", str(out), "--store", str(sample_graph), "--format", fmt, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["paths"] and all(Path(p).is_relative_to(out.parent) for p in result["paths"])
    assert result["edges"] > 0


@pytest.mark.parametrize("params", ["notjson", "[1,2]", '{"x": {"a": 1}}', '"text"', "{"])
def test_params_must_be_a_json_object(sample_graph: Path, capsys, params: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?x } LIMIT 1"
    assert run(["query", "sparql", query, "--store", str(sample_graph), "--params", params]) == 1
    clear_error(capsys.readouterr().err)


def test_cypher_params_on_falkordb(falkordb_server, capsys) -> None:
    url = falkordb_server.url("hostile_params")
    for params in ["notjson", "[1,2]", '{"x": {"a": 1}}']:
        assert run(["query", "cypher", "RETURN $x AS x", "--store", url, "--params", params]) == 1
        clear_error(capsys.readouterr().err)
    assert run(["query", "cypher", "RETURN $x AS x", "--store", url, "--params", '{"x": 3}']) == 0


def _jsonl(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("bad_id", ["surr\ud800id", "nul\x00id"], ids=["surrogate", "nul"])
def test_bad_id_fails_the_build_naming_the_line_on_rdf_and_falkordb(
    tmp_path: Path, falkordb_server, capsys, bad_id: str
) -> None:
    corpus = _jsonl(
        tmp_path / "c.jsonl",
        {"id": "good", "text": "Marie Curie was born in Warsaw."},
        {"id": bad_id, "text": "Pierre Curie worked in Paris."},
    )
    errors = []
    for store in (str(tmp_path / "g"), falkordb_server.url("hostile_ids")):
        assert run(["build", str(corpus), "--store", store, "--no-progress"]) == 1
        err = capsys.readouterr().err
        clear_error(err)
        assert "c.jsonl:2: document id" in err
        errors.append(err.split("document id", 1)[1])
    assert errors[0] == errors[1]  # the same rule, the same words, on both backends


def test_store_folder_with_other_files_is_refused(
    tmp_path: Path, sample_articles: Path, capsys
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my own notes", encoding="utf-8")
    assert run(["build", str(sample_articles), "--store", str(folder), "--no-progress"]) == 1
    err = capsys.readouterr().err
    clear_error(err)
    assert "holds other files (notes.txt)" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert run(["stats", "--store", str(folder)]) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("corpus", ["missing.jsonl", "empty.jsonl"])
def test_failed_build_leaves_no_store_behind(tmp_path: Path, capsys, corpus: str) -> None:
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    store = tmp_path / "new-store"
    assert run(["build", str(tmp_path / corpus), "--store", str(store), "--no-progress"]) == 1
    clear_error(capsys.readouterr().err)
    assert not store.exists()
    bad = tmp_path / "bad.nt"
    bad.write_text("not n-triples\n", encoding="utf-8")
    assert run(["import", str(bad), "--store", str(store), "--no-progress"]) == 1
    clear_error(capsys.readouterr().err)
    assert not store.exists()


def test_huge_names_are_not_echoed(sample_graph: Path, capsys) -> None:
    name = "q" * 100_000
    assert run(["query", "entity", name, "--store", str(sample_graph)]) == 1
    err = capsys.readouterr().err
    clear_error(err)
    assert "100000 characters" in err


def test_battery_through_every_read_command(sample_graph: Path, capsys) -> None:
    store = str(sample_graph)
    tried = clear = 0
    for value in H.LOOKUPS:
        if value.startswith("-") or not value.strip():
            continue  # an option or nothing, not a name: typer's own usage error
        for argv in (
            ["query", "entity", value, "--store", store],
            ["query", "neighbors", value, "--store", store, "--json"],
            ["query", "path", value, "Marie Curie", "--store", store],
            ["delete", "--doc", value, "--store", store],
        ):
            code = run(argv)
            captured = capsys.readouterr()
            tried += 1
            assert code in (0, 1), (argv[:2], code)
            assert "Traceback" not in captured.err
            if code == 1 and argv[0] == "query":
                clear_error(captured.err)
                clear += 1
    assert tried > 100 and clear > 0
    assert run(["stats", "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 5  # nothing was deleted


@pytest.mark.slow
def test_real_process_prints_no_traceback(sample_graph: Path, tmp_path: Path) -> None:
    # A real process: what a user sees on the terminal (markup, huge names, bad params).
    cases = [
        ["query", "entity", "[/bold] [link=x]x[/link]", "--store", str(sample_graph)],
        ["query", "entity", "q" * 50_000, "--store", str(sample_graph)],
        ["query", "sparql", "SELECT * {", "--store", str(sample_graph)],
        ["query", "sparql", "SELECT * {?s ?p ?o}", "--store", str(sample_graph), "--params", "[1]"],
    ]
    for argv in cases:
        done = subprocess.run(
            [sys.executable, "-m", "kgfuse.cli.main", *argv],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr[-2000:]
        clear_error(done.stderr)
