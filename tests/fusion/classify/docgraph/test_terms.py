"""``document_terms``: prefixed entity and word terms with their counts."""

from __future__ import annotations

from collections import Counter

from kgfuse.fusion.classify.docgraph.terms import ENTITY_PREFIX, WORD_PREFIX, document_terms


def test_prefixes_are_distinct() -> None:
    assert ENTITY_PREFIX == "e:"
    assert WORD_PREFIX == "w:"


def test_entities_are_prefixed_and_counted() -> None:
    bag = document_terms("alice and bob", ["alice", "bob", "alice"])
    assert bag == Counter({"e:alice": 2, "e:bob": 1})


def test_words_are_off_by_default() -> None:
    bag = document_terms("Alice plays in the club", ["alice"])
    assert not any(term.startswith(WORD_PREFIX) for term in bag)
    assert bag == Counter({"e:alice": 1})


def test_no_entities_gives_an_empty_bag() -> None:
    assert document_terms("some text here", None) == Counter()
    assert document_terms("some text here", []) == Counter()


def test_words_are_lowercased_alphabetic_and_two_letters_or_more() -> None:
    bag = document_terms("The club, the CLUB! a x9 42 snake_case Über", ["club"], words=True)
    assert bag["w:the"] == 2
    assert bag["w:club"] == 2
    assert bag["e:club"] == 1  # the entity key and the word of the same spelling stay apart
    assert bag["w:über"] == 1
    assert bag["w:snake"] == 1 and bag["w:case"] == 1  # underscores split words
    for absent in ("w:a", "w:x", "w:x9", "w:42", "w:9", "w:snake_case"):
        assert absent not in bag
    assert bag == Counter(
        {"w:the": 2, "w:club": 2, "e:club": 1, "w:über": 1, "w:snake": 1, "w:case": 1}
    )


def test_words_read_only_max_chars() -> None:
    bag = document_terms("alpha beta gamma", None, words=True, max_chars=10)
    assert bag == Counter({"w:alpha": 1, "w:beta": 1})
