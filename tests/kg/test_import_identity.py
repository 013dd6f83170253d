"""Imported names keep their identity: a knowledge base's names are resolved entities."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kgfuse.kg.importers import import_triples
from kgfuse.kg.keys import identity_key, merged_key
from kgfuse.kg.rdf_store import RdfStore

KB = (
    "Divorce|has_tags|divorce\n"
    "The Children|has_tags|children\n"
    "Children's Hour|has_tags|children's\n"
    "$|directed_by|Jack Cheese\n"
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RdfStore]:
    with RdfStore(tmp_path / "store") as opened:
        yield opened


def test_identity_keys_are_distinct_and_never_empty() -> None:
    names = ["Divorce", "divorce", "The Children", "children", "children's", "$", "+1", "1"]
    keys = [identity_key(name) for name in names]
    assert len(set(keys)) == len(names)
    assert identity_key("$") == "$"
    assert identity_key("  The   Children ") == "The Children"  # only whitespace is not identity
    assert merged_key("Divorce") == merged_key("divorce") == "divorce"
    assert merged_key("$") == "$"  # merging still keys a name without letters or digits


def test_import_keeps_names_that_differ_in_case_or_article(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text(KB, encoding="utf-8")
    result = import_triples(store, path)
    assert result.skipped == 0  # "$" is imported, not skipped
    edges = {(e.subject_key, e.object_key) for e in store.iter_edges()}
    assert edges == {
        ("Divorce", "divorce"),
        ("The Children", "children"),
        ("Children's Hour", "children's"),
        ("$", "Jack Cheese"),
    }
    assert store.entity("$").name == "$"
    # looking a name up by hand still finds both spellings
    found = {m.entity.key for m in store.lookup("divorce", fuzzy=False)}
    assert found == {"Divorce", "divorce"}


def test_merge_names_is_the_users_choice(tmp_path: Path, store: RdfStore) -> None:
    path = tmp_path / "kb.txt"
    path.write_text(KB, encoding="utf-8")
    import_triples(store, path, merge_names=True)
    keys = {k for e in store.iter_edges() for k in (e.subject_key, e.object_key)}
    assert "divorce" in keys and "Divorce" not in keys
    assert "$" in keys
    # the option is part of the version: importing again without it rewrites the chunk
    again = import_triples(store, path)
    assert again.written == 1
    assert "Divorce" in {e.subject_key for e in store.iter_edges()}
