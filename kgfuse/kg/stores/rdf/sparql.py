"""The SPARQL the embedded store runs (over the RDF shape of ``kgfuse.kg.rdf_schema``).

``$VALUES`` in a query is replaced by a batch of entity IRIs (see ``RdfStore._select_values``);
every other value is bound by substitution, never spliced into the text.
"""

from __future__ import annotations

SURFACE_FORMS = """SELECT ?e ?surface ?type (COUNT(?m) AS ?n) WHERE {
    VALUES ?e { $VALUES }
    GRAPH ?g { ?m kg:refersTo ?e ; kg:surface ?surface ; kg:type ?type }
} GROUP BY ?e ?surface ?type"""

KEYS_FOR_NORMALIZED = """SELECT DISTINCT ?norm ?e ?surface WHERE {
    GRAPH ?g { ?m kg:norm ?norm ; kg:refersTo ?e ; kg:surface ?surface } }"""

SEARCH_NORMALIZED = """SELECT DISTINCT ?fragment ?e ?surface WHERE {
    GRAPH ?g { ?m kg:norm ?norm ; kg:refersTo ?e ; kg:surface ?surface }
    FILTER(CONTAINS(?norm, ?fragment)) }"""

MENTION_TYPES = """SELECT ?e ?type (COUNT(?m) AS ?n) WHERE {
    GRAPH ?g { ?m kg:refersTo ?e ; kg:type ?type } } GROUP BY ?e ?type"""

MENTION_DOCUMENTS = (
    "SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?m kg:refersTo ?e } } GROUP BY ?e"
)

ADJACENT = """SELECT ?s ?p ?o (COUNT(DISTINCT ?sent) AS ?n) WHERE {
    VALUES ?e { $VALUES }
    { GRAPH ?g { ?f kg:subject ?e ; kg:predicate ?p ; kg:object ?o ; kg:sentence ?sent }
      BIND(?e AS ?s) }
    UNION
    { GRAPH ?g { ?f kg:object ?e ; kg:predicate ?p ; kg:subject ?s ; kg:sentence ?sent }
      BIND(?e AS ?o) }
} GROUP BY ?s ?p ?o"""

FACT_RECORDS = """SELECT ?s ?p ?o ?sent ?start ?end ?x WHERE { GRAPH ?g {
    ?f kg:subject ?s ; kg:predicate ?p ; kg:object ?o ; kg:sentence ?sent ;
       kg:charStart ?start ; kg:charEnd ?end ; kg:extractor ?x } }"""

#: ``WHERE`` bodies counted by ``stats``.
COUNT_DOCUMENTS = "GRAPH ?g { ?g kg:docId ?id }"
COUNT_SENTENCES = "GRAPH ?g { ?s a kg:Sentence }"
COUNT_MENTIONS = "GRAPH ?g { ?m kg:refersTo ?e }"
COUNT_ENTITIES = "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?m kg:refersTo ?e } }"


def supporting_sentences(role: str) -> str:
    """Sentences of the facts in which ``?e`` plays ``role`` (``subject`` or ``object``).

    One query per role: a UNION of both roles is not planned around the bound entity and
    scans every fact (1.5 s instead of 1 ms on a 10k-fact graph).
    """
    other = {"subject": "object", "object": "subject"}[role]
    return f"""SELECT ?e ?doc ?idx ?text ?p ?other WHERE {{ GRAPH ?g {{
        ?f kg:{role} ?e ; kg:predicate ?p ; kg:{other} ?other ; kg:sentence ?sent .
        ?sent kg:index ?idx ; kg:text ?text . ?g kg:docId ?doc }} }}"""


def count(where: str) -> str:
    """``SELECT (COUNT(*) AS ?n)`` over one ``WHERE`` body."""
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
