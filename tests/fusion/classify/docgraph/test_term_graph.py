"""``TermGraph.fit``: vocabulary filters, IDF, positive-PMI and fact edges; save / load."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from kgfuse.errors import ModelError
from kgfuse.fusion.classify.docgraph.term_graph import TERM_GRAPH_FILE, TERMS_FILE, TermGraph
from kgfuse.graph.data import KGData

from .conftest import bag

# N = 8: a 3, b 2, z (a word) 2, c 3, d 2, e 1 (below min_df), h 5 (above max_df 0.5)
BAGS = [
    bag("e:a", "e:b", "w:z", "e:h"),
    bag("e:a", "e:b", "w:z", "e:h"),
    bag("e:a", "e:h"),
    bag("e:c", "e:d", "e:h"),
    bag("e:c", "e:d", "e:h"),
    bag("e:c"),
    bag(),
    bag("e:e"),
]


def edges(graph: TermGraph) -> dict[tuple[str, str], float]:
    """(term, term) -> weight of every directed edge."""
    return {
        (graph.terms[i], graph.terms[j]): float(w)
        for (i, j), w in zip(graph.edge_index.T, graph.edge_weight, strict=True)
    }


def test_min_df_max_df_and_sorted_vocabulary() -> None:
    graph = TermGraph.fit(BAGS)
    assert graph.terms == ("e:a", "e:b", "e:c", "e:d", "w:z")
    assert graph.num_terms == 5
    # df == max_df * documents is kept (e:a and e:c: 3 <= 4), 5 > 4 is not
    assert TermGraph.fit(BAGS, max_df=3 / 8).terms == ("e:a", "e:b", "e:c", "e:d", "w:z")
    assert TermGraph.fit(BAGS, max_df=2 / 8).terms == ("e:b", "e:d", "w:z")
    assert "e:h" in TermGraph.fit(BAGS, max_df=1.0).terms
    assert TermGraph.fit(BAGS, min_df=1, max_df=1.0).terms == (
        "e:a",
        "e:b",
        "e:c",
        "e:d",
        "e:e",
        "e:h",
        "w:z",
    )
    assert TermGraph.fit(BAGS, min_df=3).terms == ("e:a", "e:c")


def test_vocabulary_does_not_depend_on_bag_order() -> None:
    shuffled = [Counter(dict(reversed(list(b.items())))) for b in reversed(BAGS)]
    first, second = TermGraph.fit(BAGS), TermGraph.fit(shuffled)
    assert first.terms == second.terms
    assert np.array_equal(first.idf, second.idf)
    assert edges(first) == pytest.approx(edges(second))


def test_idf_values() -> None:
    graph = TermGraph.fit(BAGS)
    expected = [math.log(8 / 3), math.log(8 / 2), math.log(8 / 3), math.log(8 / 2), math.log(8 / 2)]
    assert graph.idf.dtype == np.float32
    np.testing.assert_allclose(graph.idf, expected, rtol=1e-6)


def test_pmi_edges_only_between_entity_terms() -> None:
    graph = TermGraph.fit(BAGS)
    pmi = math.log(2 * 8 / (3 * 2))
    # w:z co-occurs with e:a and e:b twice (PMI > 0) but words get no term-term edges
    assert edges(graph) == pytest.approx(
        {("e:a", "e:b"): pmi, ("e:b", "e:a"): pmi, ("e:c", "e:d"): pmi, ("e:d", "e:c"): pmi}
    )
    assert graph.edge_index.dtype == np.int64
    assert graph.edge_weight.dtype == np.float32


def test_pmi_needs_two_co_occurrences() -> None:
    # x, y: together once (PMI log 2 > 0); u, v: together twice (PMI log 4)
    bags = [bag("e:x", "e:y"), bag("e:x"), bag("e:y"), bag("e:u", "e:v"), bag("e:u", "e:v")]
    graph = TermGraph.fit([*bags, bag(), bag(), bag()], min_df=1, max_df=1.0)
    pmi = math.log(2 * 8 / (2 * 2))
    assert edges(graph) == pytest.approx({("e:u", "e:v"): pmi, ("e:v", "e:u"): pmi})


def test_pmi_keeps_only_positive_values() -> None:
    # N = 4; p, q: co-count 2, PMI log(8/9) < 0; r is everywhere: PMI 0 with every term;
    # p, s and q, s: co-count 2, PMI log(4/3) > 0
    bags = [
        bag("e:p", "e:q", "e:r", "e:s"),
        bag("e:p", "e:q", "e:r", "e:s"),
        bag("e:p", "e:r"),
        bag("e:q", "e:r"),
    ]
    graph = TermGraph.fit(bags, min_df=1, max_df=1.0)
    pmi = math.log(2 * 4 / (3 * 2))
    assert edges(graph) == pytest.approx(
        {("e:p", "e:s"): pmi, ("e:s", "e:p"): pmi, ("e:q", "e:s"): pmi, ("e:s", "e:q"): pmi}
    )


# h-a twice, h-b three times, h-c four times, a-b twice; 40 documents in all
STAR = (
    [bag("e:h", "e:a")] * 2
    + [bag("e:h", "e:b")] * 3
    + [bag("e:h", "e:c")] * 4
    + [bag("e:a", "e:b")] * 2
    + [bag()] * 29
)
STAR_PMI = {  # h in 9 documents, a in 4, b in 5, c in 4
    ("e:a", "e:h"): math.log(2 * 40 / (9 * 4)),
    ("e:b", "e:h"): math.log(3 * 40 / (9 * 5)),
    ("e:c", "e:h"): math.log(4 * 40 / (9 * 4)),
    ("e:a", "e:b"): math.log(2 * 40 / (4 * 5)),
}


def both_ways(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    out = {}
    for s, t in pairs:
        out[(s, t)] = out[(t, s)] = STAR_PMI[(s, t)]
    return out


@pytest.mark.parametrize(
    ("top_k", "kept"),
    [
        # h keeps c, a keeps b, b keeps a, c keeps h
        (1, [("e:c", "e:h"), ("e:a", "e:b")]),
        # h keeps c and b, a keeps b and h, b keeps a and h, c keeps h: every edge (h ends
        # with three: top_k caps what each term chooses, not what others choose for it)
        (2, [("e:c", "e:h"), ("e:a", "e:b"), ("e:b", "e:h"), ("e:a", "e:h")]),
        (16, [("e:c", "e:h"), ("e:a", "e:b"), ("e:b", "e:h"), ("e:a", "e:h")]),
    ],
)
def test_pmi_top_k_keeps_each_terms_strongest_neighbours(
    top_k: int, kept: list[tuple[str, str]]
) -> None:
    graph = TermGraph.fit(STAR, min_df=1, max_df=1.0, pmi_top_k=top_k)
    assert edges(graph) == pytest.approx(both_ways(kept))


def test_pmi_top_k_zero_means_no_pmi_edges() -> None:
    graph = TermGraph.fit(BAGS, pmi_top_k=0)
    assert graph.edge_index.shape == (2, 0)
    assert graph.edge_weight.shape == (0,)


def test_fact_edges_link_entity_terms(tiny_kg: KGData) -> None:
    # each entity alone in its documents: no co-occurrence, so facts are the only edges;
    # carol and music are not terms, so their facts are left out
    keys = ["alice", "bob", "dave", "erin", "frank", "club", "band", "sport"]
    bags = [bag("e:" + key) for key in keys for _ in range(2)] + [bag("w:club")] * 2
    graph = TermGraph.fit(bags, kg=tiny_kg, min_df=1, max_df=1.0)
    facts = {
        ("alice", "club"): math.log1p(3),
        ("bob", "club"): math.log1p(1),
        ("dave", "band"): math.log1p(2),
        ("erin", "band"): math.log1p(1),
        ("club", "sport"): math.log1p(5),
        ("frank", "alice"): math.log1p(1),
    }
    expected = {}
    for (s, o), w in facts.items():
        expected[("e:" + s, "e:" + o)] = expected[("e:" + o, "e:" + s)] = w
    assert edges(graph) == pytest.approx(expected)
    assert not any("w:club" in pair for pair in edges(graph))
    assert not edges(TermGraph.fit(bags, kg=None, min_df=1, max_df=1.0))


def test_fact_and_pmi_weights_add_up(tiny_kg: KGData) -> None:
    bags = [bag("e:alice", "e:club"), bag("e:alice", "e:club"), bag("e:bob"), bag("e:bob")]
    bags += [bag()] * 4
    graph = TermGraph.fit(bags, kg=tiny_kg, min_df=1, max_df=1.0)
    pmi = math.log(2 * 8 / (2 * 2))
    found = edges(graph)
    assert found[("e:alice", "e:club")] == pytest.approx(pmi + math.log1p(3))
    assert found[("e:club", "e:alice")] == pytest.approx(pmi + math.log1p(3))
    assert found[("e:bob", "e:club")] == pytest.approx(math.log1p(1))
    assert len(found) == 4


def test_edges_are_symmetric_without_self_loops(tiny_kg: KGData) -> None:
    rng = random.Random(3)
    pool = ["e:" + key for key in tiny_kg.entity_vocab]
    bags = [Counter(rng.sample(pool, rng.randint(1, 4))) for _ in range(25)]
    graph = TermGraph.fit(bags, kg=tiny_kg, min_df=2, max_df=0.6, pmi_top_k=2)
    found = edges(graph)
    assert found
    for (s, t), w in found.items():
        assert s != t
        assert found[(t, s)] == pytest.approx(w)
    assert graph.edge_index.max() < graph.num_terms
    assert len(found) == graph.edge_index.shape[1]  # no duplicate edges


def test_no_frequent_term_gives_an_empty_graph() -> None:
    graph = TermGraph.fit([bag("e:a"), bag("e:b")])
    assert graph.terms == ()
    assert graph.idf.shape == (0,)
    assert graph.edge_index.shape == (2, 0)


def test_save_load_round_trip(tmp_path: Path, tiny_kg: KGData) -> None:
    bags = [*BAGS, bag("e:alice", "e:club"), bag("e:alice", "e:club")]
    graph = TermGraph.fit(bags, kg=tiny_kg)
    assert graph.edge_index.shape[1] > 0
    graph.save(tmp_path)
    assert json.loads((tmp_path / TERMS_FILE).read_text()) == list(graph.terms)
    loaded = TermGraph.load(tmp_path)
    assert loaded.terms == graph.terms
    for name in ("idf", "edge_index", "edge_weight"):
        before, after = getattr(graph, name), getattr(loaded, name)
        assert after.dtype == before.dtype
        assert np.array_equal(after, before)


def test_save_load_empty_graph(tmp_path: Path) -> None:
    TermGraph.fit([bag("e:a")]).save(tmp_path)
    loaded = TermGraph.load(tmp_path)
    assert loaded.terms == ()
    assert loaded.edge_index.shape == (2, 0)


@pytest.fixture
def saved_graph(tmp_path: Path) -> Path:
    TermGraph.fit(BAGS).save(tmp_path)
    return tmp_path


def test_load_missing_files_raises_model_error(tmp_path: Path, saved_graph: Path) -> None:
    with pytest.raises(ModelError):
        TermGraph.load(tmp_path / "nowhere")
    (saved_graph / TERM_GRAPH_FILE).unlink()
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)


def test_load_invalid_json_raises_model_error(saved_graph: Path) -> None:
    (saved_graph / TERMS_FILE).write_text("[not json")
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)


def test_load_terms_that_do_not_match_the_edges_raises_model_error(saved_graph: Path) -> None:
    (saved_graph / TERMS_FILE).write_text(json.dumps(["e:a", "e:b"]))
    with pytest.raises(ModelError, match="does not match"):
        TermGraph.load(saved_graph)


def test_load_corrupt_safetensors_raises_model_error(saved_graph: Path) -> None:
    path = saved_graph / TERM_GRAPH_FILE
    path.write_bytes(path.read_bytes()[:-8])  # truncated
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)
    path.write_bytes(b"garbage, not safetensors")
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)


def test_load_safetensors_without_its_arrays_raises_model_error(saved_graph: Path) -> None:
    save_file({"idf": np.zeros(5, dtype=np.float32)}, str(saved_graph / TERM_GRAPH_FILE))
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)


def test_load_terms_file_that_is_not_a_list_raises_model_error(saved_graph: Path) -> None:
    (saved_graph / TERMS_FILE).write_text("5")
    with pytest.raises(ModelError):
        TermGraph.load(saved_graph)
