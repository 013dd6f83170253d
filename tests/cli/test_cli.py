"""The ``kgfuse`` command end to end, in-process (``kgfuse.cli.main.run``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kgfuse.cli.main import run


@pytest.fixture(scope="module")
def built_graph(tmp_path_factory: pytest.TempPathFactory, sample_articles: Path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "graph"
    assert run(["build", str(sample_articles), "--store", str(store), "--no-progress"]) == 0
    return store


def test_build_prints_a_summary(tmp_path: Path, sample_articles: Path, capsys) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(sample_articles, corpus)
    store = str(tmp_path / "g")
    assert run(["build", str(corpus), "--store", store, "--no-progress", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["written"] == 5
    assert summary["facts"] > 0 and summary["entities"] > 0
    assert run(["build", str(corpus), "--store", store, "--no-progress", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["written"], again["unchanged"]) == (0, 5)


def test_stats_and_entity_card(built_graph: Path, capsys) -> None:
    assert run(["stats", "--store", str(built_graph), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 5
    assert stats["top_entities"]
    assert run(["query", "entity", "Curie", "--store", str(built_graph), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["entity"]["key"] == "marie_curie"
    assert any("Warsaw" in s["text"] for s in card["sentences"])
    assert run(["query", "entity", "Curie", "--store", str(built_graph)]) == 0
    assert "Marie Curie" in capsys.readouterr().out


def test_neighbors_path_and_sparql(built_graph: Path, capsys) -> None:
    store = str(built_graph)
    assert (
        run(["query", "neighbors", "Marie Curie", "--hops", "2", "--store", store, "--json"]) == 0
    )
    neighbours = json.loads(capsys.readouterr().out)
    assert {"warsaw"} <= {n["entity"]["key"] for n in neighbours}
    assert {n["distance"] for n in neighbours} <= {1, 2}
    assert run(["query", "path", "Marie Curie", "Warsaw", "--store", store, "--json"]) == 0
    path = json.loads(capsys.readouterr().out)
    assert path and path[0]["subject_key"] == "marie_curie"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?f kg:predicate ?p }"
    assert run(["query", "sparql", query, "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["n"] > 0


def test_write_query_is_refused(built_graph: Path, capsys) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert run(["query", "sparql", update, "--store", str(built_graph)]) == 1
    assert "read-only" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "does not exist"),
        ("", [], "holds no"),
        ('{"id": 1, "text": "ok"}\nnot json\n', [], "c.jsonl:2"),
        ('{"id": 1, "body": "ok"}\n', [], "text"),
    ],
)
def test_bad_corpus_exits_non_zero_with_a_clear_message(
    tmp_path: Path, capsys, content: str | None, args: list[str], message: str
) -> None:
    corpus = tmp_path / "c.jsonl"
    if content is not None:
        corpus.write_text(content)
    store = tmp_path / "g"
    assert run(["build", str(corpus), "--store", str(store), "--no-progress", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:")
    assert message in err.replace("\n", " ")


def test_binary_file_is_skipped_or_fails_with_strict(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Acme Corp hired Jane Doe in Paris.")
    (corpus / "b.txt").write_bytes(b"\x00\xff\xfe binary \x00")
    assert run(["build", str(corpus), "--store", str(tmp_path / "g"), "--no-progress"]) == 0
    capsys.readouterr()
    assert run(["stats", "--store", str(tmp_path / "g"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1
    strict = ["build", str(corpus), "--store", str(tmp_path / "g2"), "--no-progress", "--strict"]
    assert run(strict) == 1
    assert "b.txt" in capsys.readouterr().err


def test_missing_graph_and_unknown_entity(tmp_path: Path, built_graph: Path, capsys) -> None:
    assert run(["stats", "--store", str(tmp_path / "none")]) == 1
    assert "no graph at" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
    assert run(["query", "entity", "Nobody Atall", "--store", str(built_graph)]) == 1
    assert "no entity" in capsys.readouterr().err


def test_delete_document(tmp_path: Path, sample_articles: Path, capsys) -> None:
    store = str(tmp_path / "g")
    assert run(["build", str(sample_articles), "--store", store, "--no-progress"]) == 0
    assert run(["delete", "--doc", "warsaw.txt", "--store", store]) == 0
    assert run(["delete", "--doc", "warsaw.txt", "--store", store]) == 1
    capsys.readouterr()
    assert run(["stats", "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 4
