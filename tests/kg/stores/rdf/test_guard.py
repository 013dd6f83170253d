"""The network guard of raw SPARQL (``SERVICE`` and ``LOAD`` refused unless allowed)."""

from __future__ import annotations

import pytest

from kgfuse.errors import NetworkQueryError, StoreError
from kgfuse.kg.stores.rdf import guard


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
        "select * where { service <http://127.0.0.1:9/x> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE SILENT <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://x/> } }",
        "# a comment\nSELECT * WHERE { ?a ?b ?c . SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p 'x' . SERVICE <http://x/> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p """it\'s " SERVICE""" . SERVICE <http://x/> {} }',
        "LOAD <http://127.0.0.1:9/x.nt>",
        "PREFIX ex: <http://e/> LOAD SILENT <http://x/> INTO GRAPH ex:g",
        "INSERT DATA { <a:b> <a:c> 1 } ; LOAD <http://x/>",
    ],
)
def test_network_keywords_are_refused(query: str) -> None:
    with pytest.raises(NetworkQueryError, match="--allow-network"):
        guard.check_network(query, allow_network=False)
    guard.check_network(query, allow_network=True)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { }' }",
        'SELECT * WHERE { ?s ?p "LOAD <http://x/>" }',
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",
        "PREFIX service: <http://e/> SELECT * WHERE { ?s service:load ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    ],
)
def test_service_as_data_is_not_a_keyword(query: str) -> None:
    assert guard.network_clause(guard.sparql_tokens(query)) is None


def test_update_detection_reads_past_comments_and_prefixes() -> None:
    tokens = guard.sparql_tokens("# hi\nPREFIX ex: <http://e/>\nBASE <http://b/>\nINSERT DATA {}")
    assert guard.is_update(tokens)
    assert not guard.is_update(guard.sparql_tokens("PREFIX ex: <http://e/> SELECT * {}"))


def test_unclosed_string_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unclosed string"):
        guard.sparql_tokens("SELECT * WHERE { ?s ?p 'open }")
