"""Tests of ``EntityFilter`` and ``FilteredLinker`` (kgfuse.graph.linking.dictionary)."""

from __future__ import annotations

import pytest

from kgfuse.graph.linking.entity_filter import EntityFilter, FilteredLinker
from kgfuse.kg.junk import DEFAULT_JUNK

TRAIN = [
    ["subject", "red_sox", "catcher"],
    ["subject", "red_sox", "nasa"],
    ["subject", "nasa", "orbit", "orbit"],
    ["subject", "once"],
    ["subject", "catcher", "nasa"],
]


def test_fit_counts_document_frequency_once_per_text() -> None:
    f = EntityFilter.fit(TRAIN)
    assert f.num_texts == 5
    assert f.doc_freq["subject"] == 5
    assert f.doc_freq["orbit"] == 1
    assert f.doc_freq["nasa"] == 3


def test_drops_too_common_and_singletons_and_unseen() -> None:
    f = EntityFilter.fit(TRAIN, max_df=0.6, min_df=2, rank="first", max_entities=None)
    assert f([["subject", "nasa", "once", "red_sox", "unseen"]]) == [["nasa", "red_sox"]]
    assert not f.keeps("subject")  # 5/5 > 0.6
    assert f.keeps("nasa")  # 3/5 <= 0.6
    assert not f.keeps("orbit")  # in one training text only
    assert not f.keeps("unseen")


def test_idf_rank_puts_rarer_first_then_caps() -> None:
    f = EntityFilter.fit(TRAIN, max_df=1.0, min_df=1, max_entities=2)
    # df: nasa 3, red_sox 2, catcher 2, subject 5 -> rarer first, ties in mention order.
    assert f.filter_one(["subject", "nasa", "catcher", "red_sox"]) == ["catcher", "red_sox"]


def test_permissive_filter_is_identity_up_to_duplicates() -> None:
    f = EntityFilter.fit(TRAIN, max_df=1.0, min_df=0, rank="first", max_entities=None, junk=None)
    assert f([["b", "a", "b"], []]) == [["b", "a"], []]


@pytest.mark.parametrize(
    "key",
    ["at", "2", "1.5", "two", "patients", "user", "user_user", "t", "movie", "one", "it", "url"],
)
def test_junk_keys_are_dropped(key: str) -> None:
    f = EntityFilter.fit([[key, "nasa"]] * 3, max_df=1.0, min_df=1, rank="first")
    assert f.filter_one([key, "nasa"]) == ["nasa"]


def test_junk_lists_are_configurable() -> None:
    words = DEFAULT_JUNK.extended(generic_heads=["Protein"], placeholders=["HASHTAG"])
    assert words.is_junk("protein") and words.is_junk("hashtag")
    assert not DEFAULT_JUNK.is_junk("protein")
    assert words.is_junk("patients") and not words.is_junk("patients", generic=False)
    # real names are not junk, an acronym is not junk though its key is a stop word
    for key in ("nasa", "marie_curie", "apollo_11", "u_s"):
        assert not DEFAULT_JUNK.is_junk(key)
    assert not DEFAULT_JUNK.is_junk("us", surface="US")
    assert DEFAULT_JUNK.is_junk("us", surface="us")
    f = EntityFilter.fit([["protein", "nasa"]] * 3, max_df=1.0, min_df=1, junk=words)
    assert f.filter_one(["protein", "nasa"]) == ["nasa"]


def test_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        EntityFilter.fit(TRAIN, rank="random")
    with pytest.raises(ValueError):
        EntityFilter.fit(TRAIN, max_df=0.0)


def test_filtered_linker_wraps_any_linker() -> None:
    f = EntityFilter.fit(TRAIN, max_df=0.6, min_df=2, max_entities=None)

    def linker(texts: list[str]) -> list[list[str]]:
        return [text.split() for text in texts]

    wrapped = FilteredLinker(linker, f)
    assert wrapped(["subject nasa catcher", "once"]) == [["catcher", "nasa"], []]


def test_allowed_restricts_to_given_keys() -> None:
    f = EntityFilter.fit(TRAIN, max_df=1.0, min_df=1, rank="first", allowed={"nasa"})
    assert f([["subject", "nasa", "catcher"]]) == [["nasa"]]
