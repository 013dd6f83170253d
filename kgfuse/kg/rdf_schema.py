"""The RDF shape of a kgfuse graph: IRIs and the quads written for one document.

One named graph per document holds everything that document supports::

    GRAPH doc:ID {
      doc:ID   a kg:Document ; kg:docId "ID" ; kg:contentHash "…" ; kg:extractor "…" ;
               kg:links "[…]" .                      # linking data (kgfuse.kg.links)
      doc:ID#s3 a kg:Sentence ; kg:index 3 ; kg:text "…" ; kg:charStart 120 ; kg:charEnd 180 .
      doc:ID#m7 kg:refersTo ent:marie_curie ; kg:surface "Curie" ; kg:norm "curie" ;
                kg:type "PERSON" ; kg:sentence doc:ID#s3 ; kg:charStart 120 ; kg:charEnd 125 .
      ent:marie_curie a kg:Entity ; rdfs:label "Marie Curie", "Curie" .
      ent:marie_curie rel:born_in ent:warsaw .                       # the plain fact
      doc:ID#f2 kg:subject ent:marie_curie ; kg:predicate rel:born_in ; kg:object ent:warsaw ;
                kg:sentence doc:ID#s3 ; kg:charStart 120 ; kg:charEnd 152 ; kg:extractor "…" .
    }

Deleting or replacing a document is dropping its graph, so exactly the facts that only it
supported disappear; a fact's support is the number of distinct ``kg:sentence`` of its
``kg:subject/kg:predicate/kg:object`` records across all graphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kgfuse.kg.links import encode_links
from kgfuse.kg.normalize import normalize_name
from kgfuse.types import ResolvedDocument

KG = "urn:kgfuse:vocab#"
ENTITY = "urn:kgfuse:entity:"
RELATION = "urn:kgfuse:rel:"
DOCUMENT = "urn:kgfuse:doc:"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREFIXES = {
    "kg": KG,
    "ent": ENTITY,
    "rel": RELATION,
    "doc": DOCUMENT,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _term(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


T_DOCUMENT, T_SENTENCE, T_ENTITY = _term("Document"), _term("Sentence"), _term("Entity")
DOC_ID, CONTENT_HASH, EXTRACTOR = _term("docId"), _term("contentHash"), _term("extractor")
LINKS = _term("links")
BASE_KEY = _term("baseKey")  # a mention's key before `kgfuse resolve` moved it
INDEX, TEXT, CHAR_START, CHAR_END = (
    _term("index"),
    _term("text"),
    _term("charStart"),
    _term("charEnd"),
)
REFERS_TO, SURFACE, NORM, TYPE = _term("refersTo"), _term("surface"), _term("norm"), _term("type")
SENTENCE, SUBJECT, PREDICATE, OBJECT = (
    _term("sentence"),
    _term("subject"),
    _term("predicate"),
    _term("object"),
)


def _iri_part(value: str) -> str:
    # Keys are words joined by "_" (see normalize.entity_key); percent-encode anything else so
    # that any string yields a valid IRI and decodes back exactly. "." too: imported names
    # keep theirs ("Monument Ave."), and rdflib cannot read a Turtle name ending in "\.".
    return quote(value, safe="_-~", encoding="utf-8", errors="surrogatepass").replace(".", "%2E")


def entity_iri(key: str) -> ox.NamedNode:
    """IRI of an entity key."""
    return ox.NamedNode(ENTITY + _iri_part(key))


def relation_iri(predicate: str) -> ox.NamedNode:
    """IRI of a predicate."""
    return ox.NamedNode(RELATION + _iri_part(predicate))


def document_iri(doc_id: str) -> ox.NamedNode:
    """IRI of a document, which is also the name of its graph."""
    return ox.NamedNode(DOCUMENT + quote(doc_id, safe="", errors="surrogatepass"))


def doc_id_of(iri: str) -> str:
    """Document id of a document IRI (given as a string)."""
    return unquote(iri[len(DOCUMENT) :], errors="surrogatepass")


def key_of(iri: ox.NamedNode) -> str:
    """Entity key of an entity IRI."""
    return unquote(iri.value[len(ENTITY) :])


def predicate_of(iri: ox.NamedNode) -> str:
    """Predicate name of a relation IRI."""
    return unquote(iri.value[len(RELATION) :])


def document_quads(resolved: ResolvedDocument) -> Iterator[ox.Quad]:
    """Yield every quad one document writes (all in the document's named graph)."""
    g = document_iri(resolved.document.id)
    base = g.value
    yield ox.Quad(g, RDF_TYPE, T_DOCUMENT, g)
    yield ox.Quad(g, DOC_ID, ox.Literal(resolved.document.id), g)
    yield ox.Quad(g, CONTENT_HASH, ox.Literal(resolved.content_hash), g)
    yield ox.Quad(g, EXTRACTOR, ox.Literal(resolved.extractor), g)
    yield ox.Quad(g, LINKS, ox.Literal(encode_links(resolved.mentions)), g)
    sentence_iris: dict[int, ox.NamedNode] = {}
    for sent in resolved.sentences:
        s = sentence_iris[sent.index] = ox.NamedNode(f"{base}#s{sent.index}")
        yield ox.Quad(s, RDF_TYPE, T_SENTENCE, g)
        yield ox.Quad(s, INDEX, ox.Literal(sent.index), g)
        yield ox.Quad(s, TEXT, ox.Literal(sent.text), g)
        yield ox.Quad(s, CHAR_START, ox.Literal(sent.char_start), g)
        yield ox.Quad(s, CHAR_END, ox.Literal(sent.char_end), g)
    labels: set[tuple[str, str]] = set()
    typed: set[str] = set()
    for i, mention in enumerate(resolved.mentions):
        m = ox.NamedNode(f"{base}#m{i}")
        e = entity_iri(mention.key)
        yield ox.Quad(m, REFERS_TO, e, g)
        yield ox.Quad(m, SURFACE, ox.Literal(mention.text), g)
        yield ox.Quad(m, NORM, ox.Literal(normalize_name(mention.text)), g)
        yield ox.Quad(m, TYPE, ox.Literal(mention.label), g)
        yield ox.Quad(m, SENTENCE, _sentence(sentence_iris, base, mention.sentence_index), g)
        yield ox.Quad(m, CHAR_START, ox.Literal(mention.char_start), g)
        yield ox.Quad(m, CHAR_END, ox.Literal(mention.char_end), g)
        if (mention.key, mention.text) not in labels:
            if mention.key not in typed:
                typed.add(mention.key)
                yield ox.Quad(e, RDF_TYPE, T_ENTITY, g)
            labels.add((mention.key, mention.text))
            yield ox.Quad(e, RDFS_LABEL, ox.Literal(mention.text), g)
    plain: set[tuple[str, str, str]] = set()
    for i, triple in enumerate(resolved.triples):
        f = ox.NamedNode(f"{base}#f{i}")
        s, p, o = (
            entity_iri(triple.subject_key),
            relation_iri(triple.predicate),
            entity_iri(triple.object_key),
        )
        if (spo := (triple.subject_key, triple.predicate, triple.object_key)) not in plain:
            plain.add(spo)
            yield ox.Quad(s, p, o, g)
        prov = triple.provenance
        yield ox.Quad(f, SUBJECT, s, g)
        yield ox.Quad(f, PREDICATE, p, g)
        yield ox.Quad(f, OBJECT, o, g)
        yield ox.Quad(f, SENTENCE, _sentence(sentence_iris, base, prov.sentence_index), g)
        yield ox.Quad(f, CHAR_START, ox.Literal(prov.char_start), g)
        yield ox.Quad(f, CHAR_END, ox.Literal(prov.char_end), g)
        yield ox.Quad(f, EXTRACTOR, ox.Literal(prov.extractor), g)


def _sentence(iris: dict[int, ox.NamedNode], base: str, index: int) -> ox.NamedNode:
    return iris.get(index) or ox.NamedNode(f"{base}#s{index}")
