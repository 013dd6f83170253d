"""Property-based fuzzing of the query guards (Cypher read-only and network, SPARQL network).

Write clauses and network keywords hidden in strings and comments must not count; the same
words as clauses must; any text at all ends in a verdict or a ``KgfuseError``.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kgfuse.errors import KgfuseError
from kgfuse.kg.stores.cypher import guard as cypher
from kgfuse.kg.stores.rdf import guard as sparql

FUZZ = settings(max_examples=150, deadline=None)
WRITES = sorted(cypher.WRITE_KEYWORDS)
CYPHER_WORDS = [*WRITES, "LOAD CSV FROM 'http://x/'", "CALL apoc.load.json('http://x')"]
SPARQL_WORDS = ["SERVICE <http://127.0.0.1:9/>", "LOAD <http://x/>", "service", "Load"]


def _cased(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(
            c.lower() if f else c.upper() for c, f in zip(word, flips, strict=True)
        )
    )


def _filler(exclude: str) -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=exclude),
        max_size=30,
    )


@FUZZ
@given(
    word=st.sampled_from(CYPHER_WORDS).flatmap(_cased),
    before=_filler("'\\\n"),
    after=_filler("'\\\n"),
    where=st.sampled_from(["single", "double", "line", "block", "backtick"]),
)
def test_cypher_words_inside_literals_and_comments_do_not_count(
    word: str, before: str, after: str, where: str
) -> None:
    inner = f"{before} {word} {after}"
    if where == "single":
        query = f"MATCH (n) WHERE n.text = '{inner}' RETURN n"
    elif where == "double":
        inner = inner.replace('"', "")
        query = f'MATCH (n) WHERE n.text = "{inner}" RETURN n'
    elif where == "line":
        query = f"MATCH (n) // {inner}\nRETURN n"
    elif where == "block":
        query = f"MATCH (n) /* {inner.replace('*/', '')} */ RETURN n"
    else:
        query = f"MATCH (n:`{inner.replace('`', '')}`) RETURN n"
    assert cypher.write_clause(query) is None, query
    assert cypher.network_clause(query) is None, query


@FUZZ
@given(word=st.sampled_from(WRITES).flatmap(_cased), junk=_filler("'\"`/\\*"))
def test_cypher_write_clauses_are_caught_anywhere(word: str, junk: str) -> None:
    query = f"MATCH (n) WITH n /* {junk.replace('*/', '')} */ {word} (m) RETURN n"
    assert cypher.write_clause(query) is not None, query


@FUZZ
@given(st.text(max_size=200))
def test_cypher_guard_on_any_text(query: str) -> None:
    try:
        cypher.write_clause(query)
        cypher.network_clause(query)
    except KgfuseError as err:
        assert "\n" not in str(err)


@FUZZ
@given(
    word=st.sampled_from(SPARQL_WORDS).flatmap(_cased),
    filler=_filler("'\"\\\n<>"),
    where=st.sampled_from(["single", "double", "long", "comment", "iri"]),
)
def test_sparql_network_words_inside_literals_do_not_count(
    word: str, filler: str, where: str
) -> None:
    inner = f"{filler} {word} {filler}"
    if where == "single":
        query = f"SELECT * WHERE {{ ?s ?p '{inner}' }}"
    elif where == "double":
        query = f'SELECT * WHERE {{ ?s ?p "{inner}" }}'
    elif where == "long":
        query = f'SELECT * WHERE {{ ?s ?p """{inner}\n""" }}'
    elif where == "comment":
        query = f"SELECT * WHERE {{ ?s ?p ?o }} # {inner}"
    else:
        word_only = "".join(c for c in word if c.isalnum())
        query = f"SELECT * WHERE {{ ?s <http://e/{word_only}> ?o }}"
    tokens = sparql.sparql_tokens(query)
    assert sparql.network_clause(tokens) is None, query


@FUZZ
@given(word=st.sampled_from(["SERVICE", "LOAD"]).flatmap(_cased), junk=_filler("'\"\\\n#<>"))
def test_sparql_network_keywords_are_caught_anywhere(word: str, junk: str) -> None:
    query = f"SELECT * WHERE {{ ?a ?b ?c # {junk}\n {word} <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}"
    assert sparql.network_clause(sparql.sparql_tokens(query)) is not None, query


@FUZZ
@given(st.text(max_size=200))
def test_sparql_guard_on_any_text(query: str) -> None:
    try:
        tokens = sparql.sparql_tokens(query)
    except KgfuseError as err:
        assert "\n" not in str(err)
        return
    sparql.network_clause(tokens)
    sparql.is_update(tokens)
