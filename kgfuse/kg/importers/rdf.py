"""RDF triple files (N-Triples, Turtle): IRIs named by their labels, types as mention labels."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from kgfuse.errors import CorpusError
from kgfuse.kg.importers.statements import (
    LITERAL_LABEL,
    ImportedStatement,
    build_statement,
    warn_skip,
)

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAME_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label": 0,
    "http://www.w3.org/2004/02/skos/core#prefLabel": 1,
}


def local_name(iri: str) -> str:
    """Return a readable name for an IRI: its last segment, decoded, ``_`` as spaces."""
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    return unquote(tail).replace("_", " ").strip() or iri


#: Skips a malformed line: called with ``(line number, why)``.
OnError = Callable[[int, str], None]
_POSITION = re.compile(
    r"^Parser error at line \d+ (?:column (\d+)|between columns (\d+) and \d+): "
)


def _reason(exc: SyntaxError) -> str:
    """The parser's complaint without its position prefix, with the column when known."""
    text = str(exc.msg)
    found = _POSITION.match(text)
    if found is None:
        return text
    return f"column {found.group(1) or found.group(2)}: {text[found.end() :]}"


def _parse_rdf(path: Path, fmt: str, on_error: OnError | None = None) -> Iterator[object]:
    """Yield the quads of an RDF file.

    N-Triples is parsed line by line (one statement per line, as fast as one parse of the
    whole file), so a malformed line is passed to ``on_error`` with its number and the
    parse goes on; without ``on_error`` it raises. Turtle is not line-based: a syntax error
    always raises, naming the line.

    Raises:
        CorpusError: The file cannot be read, a Turtle file is not valid Turtle, or an
            N-Triples line is malformed and ``on_error`` is None.
    """
    import pyoxigraph as ox

    base = path.resolve().as_uri()
    try:
        with _open_binary(path) as handle:
            if fmt == "turtle":
                yield from ox.parse(input=handle, format=ox.RdfFormat.TURTLE, base_iri=base)
                return
            for line_no, line in enumerate(handle, start=1):
                try:
                    quads = list(ox.parse(input=line, format=ox.RdfFormat.N_TRIPLES, base_iri=base))
                except SyntaxError as exc:
                    if on_error is None:
                        raise CorpusError(
                            f"{path}:{line_no}: not valid N-Triples: {_reason(exc)}"
                        ) from exc
                    on_error(line_no, f"not valid N-Triples: {_reason(exc)}")
                    continue
                yield from quads
    except SyntaxError as exc:
        raise CorpusError(
            f"{path}: not valid {fmt} at line {exc.lineno}, {_reason(exc)}; fix the file or "
            "pass the right format (a Turtle file stops at its first syntax error, even "
            "without strict)"
        ) from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file: {exc}") from exc


def _open_binary(path: Path) -> BinaryIO:
    import gzip

    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _names_and_types(
    path: Path, fmt: str, *, strict: bool
) -> tuple[dict[object, str], dict[object, str]]:
    import pyoxigraph as ox

    def ignore(line_no: int, why: str) -> None:
        """Malformed lines are reported by the second pass."""

    names: dict[object, tuple[tuple[int, int], str]] = {}
    types: dict[object, str] = {}
    for quad in _parse_rdf(path, fmt, None if strict else ignore):
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
        strict: Raise on a malformed N-Triples line or a statement whose names have no
            letters or digits, instead of skipping it with a warning naming the line.
        tally: Counter that receives ``skipped`` counts.

    Raises:
        CorpusError: A Turtle file is not valid Turtle, or (``strict``) an N-Triples line is
            malformed; the message names the file and the line.
    """
    import pyoxigraph as ox

    if literals not in {"skip", "entity"}:
        raise CorpusError(f"literals must be 'skip' or 'entity', got {literals!r}")
    tally = tally if tally is not None else Counter()
    names, types = _names_and_types(path, fmt, strict=strict)

    def skip_line(line_no: int, why: str) -> None:
        warn_skip(tally, f"{path}:{line_no}", why, strict=False)

    def name_of(term: object) -> str | None:
        if isinstance(term, ox.NamedNode):
            return names.get(term) or local_name(term.value)
        if isinstance(term, ox.BlankNode):
            return names.get(term)
        if isinstance(term, ox.Literal) and literals == "entity":
            return term.value.strip()
        return None

    for index, quad in enumerate(_parse_rdf(path, fmt, None if strict else skip_line), start=1):
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
        found = build_statement(index, text, parts)
        if isinstance(found, str):
            warn_skip(tally, f"{path} statement {index}", found, strict=strict)
            continue
        yield replace(found, head_label=types.get(subject), tail_label=_object_label(obj, types))


def _object_label(obj: object, types: dict[object, str]) -> str | None:
    import pyoxigraph as ox

    return LITERAL_LABEL if isinstance(obj, ox.Literal) else types.get(obj)
