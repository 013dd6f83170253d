"""Linking reuses the build's stored extraction: same links, no second parse (issue 13)."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import pytest

from kgfuse.build import build_graph
from kgfuse.errors import StoreError
from kgfuse.graph.linking.extraction import ExtractionLinker
from kgfuse.graph.linking.stored import stored_links
from kgfuse.graph.to_pyg import to_pyg
from kgfuse.kg.links import decode_links, encode_links, mention_version
from kgfuse.kg.rdf_store import RdfStore
from kgfuse.nlp.extractor import Extractor
from kgfuse.types import Document, EntityMention, content_hash

TEXTS = [
    "Marie Curie was born in Warsaw. She moved to Paris in 1891.",
    "Apple acquired Beats in 2014. Google acquired YouTube.",
    "Warsaw is the capital of Poland. John works for Google in Paris.",
]
NEW_TEXT = "Pierre Curie met Marie Curie in Paris."


def _build(store: Any, extractor: Extractor) -> None:
    docs = [Document(f"d{i}", text) for i, text in enumerate(TEXTS)]
    build_graph(docs, store, extractor=extractor, progress=False, batch_size=2)


def test_pairs_round_trip() -> None:
    mentions = [
        EntityMention("marie_curie", "Marie Curie", "PERSON", 0, 0, 11),
        EntityMention("marie_curie", "Curie", "PERSON", 0, 20, 25),
        EntityMention("marie_curie", "Marie Curie", "PERSON", 1, 30, 41),
        EntityMention("", "he", "PERSON", 1, 42, 44),
    ]
    assert decode_links(encode_links(mentions)) == [
        ("marie_curie", "marie_curie"),
        ("marie_curie", "curie"),
        ("", "he"),
    ]
    with pytest.raises(StoreError, match="rebuild"):
        decode_links('["odd"]')
    with pytest.raises(StoreError, match="rebuild"):
        decode_links("{not json")


def test_mention_version_ignores_relation_only_options() -> None:
    plain = "kgfuse-rules/2 en_core_web_sm/3.8.0"
    assert mention_version("kgfuse-rules/2+cooc en_core_web_sm/3.8.0 schema=ab12") == plain
    assert mention_version("kgfuse-rules/2-concepts en_core_web_sm/3.8.0") != plain


def test_stored_texts_link_like_parsed_ones(tmp_path: Path, extractor: Extractor, caplog) -> None:
    with RdfStore(tmp_path / "g") as store:
        _build(store, extractor)
        kg = to_pyg(store)
        texts = [*TEXTS, NEW_TEXT, TEXTS[0]]
        parsed = ExtractionLinker(extractor, kg)(texts)
        reusing = ExtractionLinker(extractor, kg, store=store)
        with caplog.at_level(logging.WARNING):
            assert reusing(texts) == parsed
        assert reusing.last_counts == {"stored": 4, "parsed": 1, "stale": 0}
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert any("marie_curie" in keys for keys in parsed)
    # A store URL is opened read-only for the call.
    by_url = ExtractionLinker(extractor, kg, store=str(tmp_path / "g"))
    assert by_url(texts) == parsed and by_url.last_counts["stored"] == 4


def test_other_extractor_version_parses_again_and_says_why(
    tmp_path: Path, extractor: Extractor, caplog
) -> None:
    with RdfStore(tmp_path / "g") as store:
        _build(store, extractor)
        kg = to_pyg(store)
        other = Extractor(extractor.nlp, concepts=False)
        linker = ExtractionLinker(other, kg, store=store)
        with caplog.at_level(logging.WARNING):
            assert linker(TEXTS) == ExtractionLinker(other, kg)(TEXTS)
    assert linker.last_counts == {"stored": 0, "parsed": 3, "stale": 3}
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    message = record.getMessage()
    assert "\n" not in message and "3 texts" in message and "kgfuse build" in message
    assert "-concepts" in message


def test_cypher_store_keeps_linking_data(falkordb_server: Any, extractor: Extractor) -> None:
    from kgfuse.kg.stores.cypher.falkordb import FalkorDBStore

    with FalkorDBStore(falkordb_server.url(f"links_{uuid.uuid4().hex}")) as store:
        _build(store, extractor)
        found = stored_links(store, [content_hash(t) for t in TEXTS] + ["0" * 32])
        assert set(found) == {content_hash(t) for t in TEXTS}
        kg = to_pyg(store)
        reusing = ExtractionLinker(extractor, kg, store=store)
        assert reusing(TEXTS) == ExtractionLinker(extractor, kg)(TEXTS)
        assert reusing.last_counts == {"stored": 3, "parsed": 0, "stale": 0}
