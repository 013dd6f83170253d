"""Import existing knowledge (triple files, N-Triples, Turtle) into any ``GraphStore``.

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

import functools
import itertools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from kgfuse.corpus.textio import numbered_lines, open_text
from kgfuse.errors import CorpusError, EmptyCorpusError
from kgfuse.kg.normalize import entity_key
from kgfuse.kg.store import GraphStore
from kgfuse.types import (
    Document,
    EntityMention,
    Provenance,
    ResolvedDocument,
    Sentence,
    Triple,
    content_hash,
)

logger = logging.getLogger(__name__)
# Names repeat a lot in a knowledge base (actors, genres, years): normalise each once.
_key = functools.lru_cache(maxsize=1 << 16)(entity_key)

#: Extractor id of imported facts (options that change the output are appended).
IMPORT_EXTRACTOR = "import/1"
#: Mention label of imported entities when the file says nothing about their type.
DEFAULT_LABEL = "IMPORTED"
#: Label of literal objects imported as entities (``literals="entity"``).
LITERAL_LABEL = "LITERAL"
#: Accepted values of ``fmt``.
IMPORT_FORMATS = ("pipe", "tsv", "ntriples", "turtle")
_MAX_WARNINGS = 10


@dataclass(frozen=True, slots=True)
class ImportedStatement:
    """One statement read from an import file, before it becomes a document's sentence.

    Attributes:
        index: Line number (delimited files) or statement number (RDF), from 1.
        text: The evidence text: the line, or ``head|predicate|tail`` for RDF.
        head: Subject name.
        predicate: Predicate in lower_snake_case.
        tail: Object name.
        head_span: ``(start, end)`` of the head in ``text``.
        tail_span: ``(start, end)`` of the tail in ``text``.
        head_label: Mention label of the head (None: the import's default label).
        tail_label: Mention label of the tail.
    """

    index: int
    text: str
    head: str
    predicate: str
    tail: str
    head_span: tuple[int, int]
    tail_span: tuple[int, int]
    head_label: str | None = None
    tail_label: str | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did.

    Attributes:
        documents: Documents (chunks) the file now has in the store.
        written: Of those, the ones written by this call (the others were unchanged).
        triples: Statements imported as facts.
        entities: Distinct entity keys among their heads and tails.
        skipped: Lines or statements not imported (malformed, literal objects, unnamed
            blank nodes).
    """

    documents: int
    written: int
    triples: int
    entities: int
    skipped: int


# camelCase boundaries only (lower/digit then upper): "directedBy" splits, "IMDb" does not.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[\W_]+")


def predicate_name(name: str) -> str:
    """Return a predicate in lower_snake_case: ``directedBy``, ``Directed by`` -> ``directed_by``.

    Acronyms stay whole (``has IMDb rating`` -> ``has_imdb_rating``).

    Returns:
        The name; empty when it holds no letters or digits.
    """
    text = _CAMEL.sub("_", unicodedata.normalize("NFKC", name).strip())
    return _NON_WORD.sub("_", text.casefold()).strip("_")


def _warn_skip(tally: Counter[str], where: str, why: str, *, strict: bool) -> None:
    if strict:
        raise CorpusError(f"{where}: {why} (strict mode; without it the line is skipped)")
    tally["skipped"] += 1
    if tally["skipped"] <= _MAX_WARNINGS:
        logger.warning("skipping %s: %s", where, why)


def _statement(index: int, text: str, parts: list[tuple[str, int]]) -> ImportedStatement | str:
    """Build a statement from ``(field, offset in text)``; return why it is unusable if so."""
    (head, h0), (relation, _), (tail, t0) = parts
    names = {"head": head, "relation": relation, "tail": tail}
    for role, value in names.items():
        if not value:
            return f"the {role} is empty"
    predicate = predicate_name(relation)
    if not predicate:
        return f"the relation {relation!r} holds no letters or digits"
    for role, value in (("head", head), ("tail", tail)):
        if not _key(value):
            return f"the {role} {value!r} holds no letters or digits, so it has no entity key"
    return ImportedStatement(
        index, text, head, predicate, tail, (h0, h0 + len(head)), (t0, t0 + len(tail))
    )


def iter_delimited(
    path: Path,
    *,
    separator: str = "|",
    strict: bool = False,
    encoding: str = "utf-8",
    tally: Counter[str] | None = None,
) -> Iterator[ImportedStatement]:
    """Yield the statements of a ``head|relation|tail`` (or tab-separated) file.

    Blank lines are ignored; fields are stripped of surrounding spaces.

    Args:
        path: The file (``.gz`` accepted).
        separator: Field separator, ``"|"`` or ``"\\t"``.
        strict: Raise on a malformed line instead of skipping it with a warning.
        encoding: Text encoding.
        tally: Counter that receives ``skipped`` counts.

    Raises:
        CorpusError: A line is malformed and ``strict`` is True, or the file is not valid
            ``encoding`` text.
    """
    tally = tally if tally is not None else Counter()
    shown = "tab" if separator == "\t" else repr(separator)
    with open_text(path, encoding) as handle:
        for line_no, raw in numbered_lines(handle, path, encoding):
            text = raw.rstrip("\r\n")
            if not text.strip():
                continue
            fields = text.split(separator)
            where = f"{path}:{line_no}"
            if len(fields) != 3:
                why = f"expected 3 fields (head, relation, tail) separated by {shown}"
                why += f", found {len(fields)}"
                _warn_skip(tally, where, why, strict=strict)
                continue
            parts, offset = [], 0
            for field in fields:
                stripped = field.strip()
                parts.append((stripped, offset + (field.find(stripped) if stripped else 0)))
                offset += len(field) + len(separator)
            found = _statement(line_no, text, parts)
            if isinstance(found, str):
                _warn_skip(tally, where, found, strict=strict)
                continue
            yield found


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAME_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label": 0,
    "http://www.w3.org/2004/02/skos/core#prefLabel": 1,
}


def local_name(iri: str) -> str:
    """Return a readable name for an IRI: its last segment, decoded, ``_`` as spaces."""
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    return unquote(tail).replace("_", " ").strip() or iri


def _parse_rdf(path: Path, fmt: str) -> Iterator[object]:
    import gzip

    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    base = path.resolve().as_uri()
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                yield from ox.parse(input=handle, format=rdf_format, base_iri=base)
        else:
            yield from ox.parse(path=str(path), format=rdf_format, base_iri=base)
    except SyntaxError as exc:
        raise CorpusError(
            f"{path}: not valid {fmt}: {exc}; fix the file or pass the right fmt"
        ) from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file: {exc}") from exc


def _names_and_types(path: Path, fmt: str) -> tuple[dict[object, str], dict[object, str]]:
    import pyoxigraph as ox

    names: dict[object, tuple[tuple[int, int], str]] = {}
    types: dict[object, str] = {}
    for quad in _parse_rdf(path, fmt):
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object  # type: ignore[attr-defined]
        if predicate in _NAME_PREDICATES and isinstance(obj, ox.Literal):
            lang = obj.language or ""
            # English or untagged labels first, rdfs:label before skos:prefLabel, then file order.
            rank = (
                0 if lang in {"", "en"} or lang.startswith("en-") else 1,
                _NAME_PREDICATES[predicate],
            )
            if subject not in names or rank < names[subject][0]:
                names[subject] = (rank, obj.value.strip())
        elif predicate == _RDF_TYPE and isinstance(obj, ox.NamedNode) and subject not in types:
            types[subject] = local_name(obj.value)
    return {k: v for k, (_, v) in names.items() if v}, types


def iter_rdf(
    path: Path,
    *,
    fmt: str = "ntriples",
    literals: str = "skip",
    strict: bool = False,
    tally: Counter[str] | None = None,
) -> Iterator[ImportedStatement]:
    """Yield the statements of an N-Triples or Turtle file (two streamed passes).

    The first pass collects names (``rdfs:label``/``skos:prefLabel``) and types
    (``rdf:type``); the second yields one statement per fact, numbered in file order. See
    the module docstring for how IRIs, blank nodes and literals are treated.

    Args:
        path: The file.
        fmt: ``"ntriples"`` or ``"turtle"``.
        literals: ``"skip"`` (default) or ``"entity"``.
        strict: Raise on a statement whose names have no letters or digits.
        tally: Counter that receives ``skipped`` counts.

    Raises:
        CorpusError: The file is not valid RDF of that format (the message has the line).
    """
    import pyoxigraph as ox

    if literals not in {"skip", "entity"}:
        raise CorpusError(f"literals must be 'skip' or 'entity', got {literals!r}")
    tally = tally if tally is not None else Counter()
    names, types = _names_and_types(path, fmt)

    def name_of(term: object) -> str | None:
        if isinstance(term, ox.NamedNode):
            return names.get(term) or local_name(term.value)
        if isinstance(term, ox.BlankNode):
            return names.get(term)
        if isinstance(term, ox.Literal) and literals == "entity":
            return term.value.strip()
        return None

    for index, quad in enumerate(_parse_rdf(path, fmt), start=1):
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object  # type: ignore[attr-defined]
        if predicate in _NAME_PREDICATES or predicate == _RDF_TYPE:
            continue  # consumed by the first pass as names and labels
        head, tail = name_of(subject), name_of(obj)
        if head is None or tail is None:
            tally["skipped"] += 1  # a literal, an unnamed blank node or a quoted triple
            continue
        relation = local_name(predicate)
        text = f"{head}|{relation}|{tail}"
        parts = [(head, 0), (relation, len(head) + 1), (tail, len(text) - len(tail))]
        found = _statement(index, text, parts)
        if isinstance(found, str):
            _warn_skip(tally, f"{path} statement {index}", found, strict=strict)
            continue
        yield replace(found, head_label=types.get(subject), tail_label=_object_label(obj, types))


def _object_label(obj: object, types: dict[object, str]) -> str | None:
    import pyoxigraph as ox

    return LITERAL_LABEL if isinstance(obj, ox.Literal) else types.get(obj)


def statements_to_documents(
    statements: Iterable[ImportedStatement],
    *,
    name: str,
    source: str,
    chunk_size: int = 5000,
    label: str = DEFAULT_LABEL,
    extractor: str = IMPORT_EXTRACTOR,
) -> Iterator[tuple[int, ResolvedDocument]]:
    """Group statements into chunk documents, ``(chunk number, document)`` in order.

    A statement's chunk is ``(index - 1) // chunk_size``, so a skipped line never moves
    the others into another chunk. The document text is the chunk's statement texts joined
    by newlines; every offset (sentences, mentions, provenance) points into it.

    Args:
        statements: Statements in increasing ``index`` order.
        name: File name used in the document ids (``import:<name>#<chunk>``).
        source: Where the statements came from (``Document.source``).
        chunk_size: Lines (or statements) per document.
        label: Mention label of heads and tails that carry none.
        extractor: Extractor id written with every fact.
    """
    for chunk, group in itertools.groupby(statements, key=lambda st: (st.index - 1) // chunk_size):
        doc_id = f"import:{name}#{chunk}"
        sentences, mentions, triples, texts = [], [], [], []
        offset = 0
        for st in group:
            end = offset + len(st.text)
            sentences.append(Sentence(st.index, offset, end, st.text))
            for value, (start, stop), mention_label in (
                (st.head, st.head_span, st.head_label),
                (st.tail, st.tail_span, st.tail_label),
            ):
                mentions.append(
                    EntityMention(
                        _key(value),
                        value,
                        mention_label or label,
                        st.index,
                        offset + start,
                        offset + stop,
                    )
                )
            provenance = Provenance(doc_id, st.index, offset, end, extractor)
            triples.append(Triple(_key(st.head), st.predicate, _key(st.tail), provenance))
            texts.append(st.text)
            offset = end + 1  # the joining newline
        text = "\n".join(texts)
        document = Document(id=doc_id, text=text, source=source)
        yield (
            chunk,
            ResolvedDocument(
                document=document,
                content_hash=content_hash(text),
                extractor=extractor,
                sentences=tuple(sentences),
                mentions=tuple(mentions),
                triples=tuple(triples),
            ),
        )


_SUFFIXES = {".nt": "ntriples", ".ttl": "turtle", ".tsv": "tsv", ".psv": "pipe"}


def detect_import_format(
    path: str | Path, fmt: str | None = None, *, encoding: str = "utf-8"
) -> str:
    """Return the import format of a file: ``fmt`` when given, else from its name or first line.

    ``.nt`` is N-Triples, ``.ttl`` Turtle, ``.tsv`` tab-separated; any other file is
    tab-separated when its first non-blank line has two or more tabs, and
    ``head|relation|tail`` when it has a ``|``.

    Raises:
        CorpusError: The file is missing, ``fmt`` is unknown, or the format cannot be told.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(
            f"import file {str(path)!r} does not exist or is not a file; expected a "
            "head|relation|tail, .tsv, .nt or .ttl file"
        )
    if fmt is not None:
        if fmt not in IMPORT_FORMATS:
            raise CorpusError(f"unknown import format {fmt!r}; expected one of {IMPORT_FORMATS}")
        return fmt
    suffix = Path(path.name.lower().removesuffix(".gz")).suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    with open_text(path, encoding) as handle:
        first = next(
            (line for _, line in numbered_lines(handle, path, encoding) if line.strip()), ""
        )
    # Sniff loosely: a first line with the wrong number of fields is reported by the reader.
    if first.count("\t") >= 2:
        return "tsv"
    if "|" in first:
        return "pipe"
    raise CorpusError(
        f"cannot tell the format of {str(path)!r}: its first line {first.strip()[:80]!r} is "
        f"neither head|relation|tail nor tab-separated; pass fmt= one of {IMPORT_FORMATS}"
    )


def import_triples(
    store: GraphStore,
    path: str | Path,
    *,
    fmt: str | None = None,
    label: str = DEFAULT_LABEL,
    literals: str = "skip",
    chunk_size: int = 5000,
    strict: bool = False,
    name: str | None = None,
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a triple file into a store, streamed, one chunk document at a time.

    Importing the same file again gives the same graph: chunk ids are stable, unchanged
    chunks are not rewritten, and chunks left over from a longer earlier version of the
    file are deleted. A ``strict`` error midway leaves the chunks before it written (each
    one whole); importing again after fixing the file completes the import.

    Args:
        store: Any open ``GraphStore``.
        path: ``head|relation|tail`` or tab-separated lines (``.gz`` accepted), N-Triples
            (``.nt``) or Turtle (``.ttl``).
        fmt: ``"pipe"``, ``"tsv"``, ``"ntriples"`` or ``"turtle"``; guessed when None.
        label: Mention label of imported entities without an ``rdf:type``.
        literals: RDF literal objects: ``"skip"`` them or make each an ``"entity"``.
        chunk_size: Lines (statements) per document.
        strict: Raise on a malformed line instead of skipping it with a warning.
        name: Name used in the document ids instead of the file name (two files with the
            same name in different folders need different names).
        encoding: Text encoding of delimited files.
        progress: Called with the number of lines (statements) consumed after each chunk.

    Returns:
        Counts of documents, facts, entities and skipped lines.

    Raises:
        CorpusError: Missing or unreadable file, bad option, or a malformed line in strict
            mode (the message names the file and the line).
        EmptyCorpusError: The file holds no importable statement.
    """
    path = Path(path)
    kind = detect_import_format(path, fmt, encoding=encoding)
    if chunk_size < 1 or not label.strip() or literals not in {"skip", "entity"}:
        raise CorpusError(
            f"bad import options: chunk_size={chunk_size} (expected >= 1), label={label!r} "
            f"(expected a non-empty label), literals={literals!r} (expected 'skip' or 'entity')"
        )
    extractor = IMPORT_EXTRACTOR
    extractor += f" label={label}" if label != DEFAULT_LABEL else ""
    extractor += (
        " literals=entity" if literals == "entity" and kind in {"ntriples", "turtle"} else ""
    )
    tally: Counter[str] = Counter()
    if kind in {"pipe", "tsv"}:
        separator = "|" if kind == "pipe" else "\t"
        statements = iter_delimited(
            path, separator=separator, strict=strict, encoding=encoding, tally=tally
        )
    else:
        statements = iter_rdf(path, fmt=kind, literals=literals, strict=strict, tally=tally)
    name = name or path.name
    chunks: list[int] = []
    keys: set[str] = set()
    written = triples = consumed = 0
    for chunk, doc in statements_to_documents(
        statements,
        name=name,
        source=str(path),
        chunk_size=chunk_size,
        label=label,
        extractor=extractor,
    ):
        chunks.append(chunk)
        triples += len(doc.triples)
        keys.update(m.key for m in doc.mentions)
        version = store.document_versions([doc.document.id]).get(doc.document.id)
        if version != (doc.content_hash, doc.extractor):
            store.write([doc])
            written += 1
        if progress is not None:
            progress(doc.sentences[-1].index - consumed)
            consumed = doc.sentences[-1].index
    if tally["skipped"] > _MAX_WARNINGS:
        logger.warning("%s: skipped %d lines in all", path, tally["skipped"])
    if not triples:
        raise EmptyCorpusError(
            f"no importable statement in {path} ({tally['skipped']} skipped); expected "
            "head|relation|tail lines, tab-separated triples, N-Triples or Turtle"
        )
    _drop_stale_chunks(store, name, set(chunks))
    return ImportResult(len(chunks), written, triples, len(keys), tally["skipped"])


def _drop_stale_chunks(store: GraphStore, name: str, kept: set[int]) -> None:
    # Chunks an earlier, different version of the file had but this one has not: the gaps
    # below the last chunk, and the run of chunks after it.
    def doc_id(chunk: int) -> str:
        return f"import:{name}#{chunk}"

    last = max(kept)
    gaps = [doc_id(i) for i in range(last) if i not in kept]
    stale = list(store.document_versions(gaps)) if gaps else []
    chunk = last + 1
    while store.document_versions([doc_id(chunk)]):
        stale.append(doc_id(chunk))
        chunk += 1
    for stale_id in stale:
        store.delete_document(stale_id)
    if stale:
        logger.info("deleted %d chunks left over from an earlier import of %s", len(stale), name)
