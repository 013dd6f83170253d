"""Import existing knowledge (triple files, N-Triples, Turtle) into any ``GraphStore``.

One module per format (``delimited``, ``rdf``), then ``documents`` (statements to chunk
documents), ``formats`` (which format a file is) and ``importer`` (``import_triples``).

An imported file is written like a corpus: its statements are cut into chunks of
``chunk_size`` lines, and each chunk becomes one ``ResolvedDocument`` with the id
``import:<file name>#<chunk>``. Every statement is a ``Sentence`` (index = its line number,
or its statement number in an RDF file; text = the line), its head and tail are
``EntityMention``s keyed by ``normalize.entity_key``, and the fact is a ``Triple`` whose
provenance points at that sentence. Chunk ids depend only on the file name and line
numbers, so importing a file again rewrites the same documents (unchanged chunks are not
even rewritten) and gives the same graph.

Choices:
    * Malformed lines (not three fields, an empty field, a name without letters or digits)
      are skipped with a warning naming the file and line, and counted; ``strict=True``
      raises ``CorpusError`` instead. A file with no importable statement always raises.
    * A head equal to its tail after normalisation is kept (MetaQA tags a film ``Dune``
      with ``dune``); extracted relations drop such self-loops, imported facts do not.
    * RDF: an IRI is named by its ``rdfs:label`` (or ``skos:prefLabel``; English or
      untagged first), else by its local name (``Marie_Curie`` -> ``Marie Curie``);
      ``rdf:type`` gives the mention label (the class's local name) instead of a fact;
      a blank node without a label is skipped. A literal object is skipped (a
      ``GraphStore`` has no literal-valued properties) unless ``literals="entity"``, which
      makes the literal an entity labelled ``LITERAL``.
"""

from __future__ import annotations

from kgfuse.kg.importers.delimited import iter_delimited
from kgfuse.kg.importers.documents import statements_to_documents
from kgfuse.kg.importers.formats import IMPORT_FORMATS, detect_import_format
from kgfuse.kg.importers.importer import ImportResult, import_triples
from kgfuse.kg.importers.rdf import iter_rdf, local_name
from kgfuse.kg.importers.statements import (
    DEFAULT_LABEL,
    IMPORT_EXTRACTOR,
    LITERAL_LABEL,
    ImportedStatement,
    predicate_name,
)

__all__ = [
    "DEFAULT_LABEL",
    "IMPORT_EXTRACTOR",
    "IMPORT_FORMATS",
    "LITERAL_LABEL",
    "ImportResult",
    "ImportedStatement",
    "detect_import_format",
    "import_triples",
    "iter_delimited",
    "iter_rdf",
    "local_name",
    "predicate_name",
    "statements_to_documents",
]
