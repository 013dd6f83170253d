"""Synthesised questions: correct by construction on a hand-made graph, deduplicated, kept
apart from evaluation questions, phrased from a TOML file; on an imported store and on a
store built from text; bad input gives one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgfuse.errors import ConfigError, DataError
from kgfuse.fusion.qa.data import read_qa
from kgfuse.fusion.qa.synthesize import parse_hops, synthesize_questions
from kgfuse.graph.data import KGData

from .toy import edges, write_jsonl


def brute_force(facts: list[tuple[str, str, str]], topic: str, path: list[str]) -> set[str]:
    """Execute a path (``^rel`` = inverse) over a plain list of facts, with sets."""
    frontier = {topic}
    for step in path:
        inverse, rel = step.startswith("^"), step.lstrip("^")
        frontier = {
            (s if inverse else o)
            for s, p, o in facts
            if p == rel and (o if inverse else s) in frontier
        }
    return frontier - {topic}


def test_answers_are_what_the_path_reaches(toy_kg: KGData) -> None:
    rows = synthesize_questions(toy_kg, hops=(1, 2, 3), per_pattern=4, walks_per_round=2000)
    assert {r["hops"] for r in rows} == {1, 2, 3}
    facts = edges()
    for row in rows:
        assert len(row["path"]) == row["hops"]
        assert set(row["answers"]) == brute_force(facts, row["topic_entity"], row["path"])
        assert f"[{row['topic_entity']}]" in row["question"]  # display names = keys here
    texts = [r["question"].lower() for r in rows]
    assert len(texts) == len(set(texts))
    patterns: dict[tuple[str, ...], int] = {}
    for row in rows:
        patterns[tuple(row["path"])] = patterns.get(tuple(row["path"]), 0) + 1
    assert max(patterns.values()) <= 4
    again = synthesize_questions(toy_kg, hops=(1, 2, 3), per_pattern=4, walks_per_round=2000)
    assert again == rows  # deterministic for a seed


def test_relation_phrases_and_excluded_questions(toy_kg: KGData, tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.toml"
    phrases.write_text(
        '[directed_by]\nforward = ["who directed {x}"]\ninverse_noun = ["the films by {x}"]\n'
    )
    rows = synthesize_questions(toy_kg, hops=(1, 2), per_pattern=50, phrases=phrases)
    one_hop = [r for r in rows if r["path"] == ["directed_by"]]
    assert one_hop and all(r["question"].startswith("who directed [") for r in one_hop)
    assert any("the films by [" in r["question"] for r in rows if r["path"][0] == "^directed_by")
    held_out = write_jsonl(
        tmp_path / "eval.jsonl",
        [{"question": r["question"].replace("[", "").replace("]", "").upper(), "answers": ["x"]}
         for r in one_hop[:3]],
    )  # fmt: skip
    kept = synthesize_questions(
        toy_kg, hops=(1, 2), per_pattern=50, phrases=phrases, exclude=[held_out]
    )
    texts = {r["question"] for r in kept}
    assert not texts & {r["question"] for r in one_hop[:3]}
    assert {r["question"] for r in one_hop[3:]} <= texts


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[directed]\nforward = ["who directed {x}"]\n', "relation 'directed' is not in the graph"),
        ('[directed_by]\nforward = ["who directed it"]\n', "each hold {x}"),
        ('[directed_by]\nbackward = ["who {x}"]\n', "may only hold lists named"),
        ("[directed_by\n", "not valid TOML"),
    ],
)
def test_bad_phrase_files(toy_kg: KGData, tmp_path: Path, toml: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        synthesize_questions(toy_kg, phrases=bad)


def test_hop_ranges() -> None:
    assert parse_hops("1..3") == (1, 2, 3)
    assert parse_hops("3,1") == (1, 3)
    assert parse_hops(2) == (2,)
    for bad in ("0", "9", "1..9", "3..1", "x"):
        with pytest.raises(ConfigError):
            parse_hops(bad)
    with pytest.raises(DataError, match="holds no facts"):
        synthesize_questions(KGData.empty())


def test_synthesize_command_on_a_store(
    toy_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kgfuse.cli.main import run

    out = tmp_path / "q.jsonl"
    args = ["qa", "synthesize", "--store", str(toy_store), "--out", str(out)]
    assert run([*args, "--hops", "1..3", "--per-pattern", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    records = read_qa(out)
    assert len(records) == result["questions"] > 0
    assert set(result["by_hops"]) == {"1", "2", "3"}
    assert all(r.topics and r.answers and r.hops for r in records)
    for hops in ("0", "9"):
        assert run([*args, "--hops", hops]) == 1
        err = capsys.readouterr().err.strip()
        assert "hops must be between 1 and 4" in err and len(err.splitlines()) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[acted_in]\nforward = ["who {x}"]\n')
    assert run([*args, "--relations", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert "relation 'acted_in' is not in the graph" in err and len(err.splitlines()) == 1
    from kgfuse.kg.store import open_store

    with open_store(str(tmp_path / "empty")):
        pass
    assert run(["qa", "synthesize", "--store", str(tmp_path / "empty"), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "no facts" in err and len(err.splitlines()) == 1
    train = ["qa", "train", "--train", str(out), "--store", str(toy_store), "--out", str(tmp_path)]
    assert run([*train, "--hops", "9"]) == 1
    assert "hops must be between 1 and 4" in capsys.readouterr().err


def test_synthesize_on_a_store_built_from_text(
    sample_articles: Path, tmp_path: Path, extractor
) -> None:
    from kgfuse.build import build_graph
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    with open_store(str(tmp_path / "g")) as store:
        build_graph(sample_articles, store, extractor=extractor, progress=False)
        kg = to_pyg(store)
    rows = synthesize_questions(kg, hops=(1, 2), per_pattern=5, walks_per_round=5000)
    assert any(r["hops"] == 1 for r in rows) and any(r["hops"] == 2 for r in rows)
    facts = [
        (kg.entity_vocab[s], kg.relation_vocab[r], kg.entity_vocab[o])
        for (s, o), r in zip(kg.data.edge_index.T.tolist(), kg.data.edge_type.tolist(), strict=True)
    ]
    for row in rows:
        assert set(row["answers"]) == brute_force(facts, row["topic_entity"], row["path"])


def test_rare_transitions_and_shared_relation_phrases(toy_kg: KGData, tmp_path: Path) -> None:
    from kgfuse.fusion.qa.paths import PathIndex

    every = synthesize_questions(toy_kg, hops=(2,), per_pattern=3)
    strict = synthesize_questions(toy_kg, hops=(2,), per_pattern=3, min_transition=0.9)
    index = PathIndex(toy_kg, min_transition=0.9)
    steps = {name: i for i, name in enumerate(index.describe(tuple(range(index.num_steps))))}
    assert index.transition is not None
    for row in strict:
        a, b = (steps[s] for s in row["path"])
        assert index.transition[a, b] >= 0.9
    kept = {tuple(r["path"]) for r in strict}
    assert kept < {tuple(r["path"]) for r in every}
    assert ("release_year", "^directed_by") not in kept  # years direct nothing
    phrases = tmp_path / "p.toml"
    phrases.write_text('[directed_by]\nsame = ["which films share a director with {x}"]\n')
    rows = synthesize_questions(toy_kg, hops=(2,), per_pattern=20, phrases=phrases)
    pair = [r for r in rows if r["path"] == ["directed_by", "^directed_by"]]
    assert any(r["question"].startswith("which films share a director with [") for r in pair)
