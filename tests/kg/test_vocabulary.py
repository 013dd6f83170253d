"""One vocabulary: build, stats and the training graph count entities, facts and predicates
the same way (kg.vocabulary), on a small real build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kgfuse.cli.main import run
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.kg.vocabulary import GraphSize, size_of, size_of_kg


def test_build_stats_and_training_graph_agree(tmp_path: Path, sample_articles: Path, capsys):
    corpus = tmp_path / "articles"
    shutil.copytree(sample_articles, corpus)
    store = tmp_path / "g"
    assert run(["build", str(corpus), "--store", str(store), "--no-progress", "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert run(["stats", "--store", str(store), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    with RdfStore(store) as graph:
        trained_on = size_of_kg(to_pyg(graph))  # what the classify/QA trainers report
    for name in ("entities", "facts", "predicates"):
        assert built[name] == stats[name] == trained_on.as_dict()[name] > 0, name
    # The other counts keep their own names, and differ here.
    assert built["mentioned_entities"] == stats["mentioned_entities"] > built["entities"]
    assert built["fact_records"] == stats["fact_records"] >= built["facts"]
    assert "relations" not in built and "edges" not in stats
    assert len(stats["predicate_counts"]) == stats["predicates"]
    assert run(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "entities (in a fact)" in out and "predicates" in out and "relations" not in out


def test_size_of_counts_distinct_facts_entities_and_predicates() -> None:
    facts = [("a", "p", "b"), ("a", "p", "b"), ("b", "q", "c"), ("c", "p", "c")]
    assert size_of(facts) == GraphSize(entities=3, facts=3, predicates=2)
    assert size_of([]) == GraphSize()
