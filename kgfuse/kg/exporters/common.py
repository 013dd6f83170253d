"""What every export format shares: one spooled pass over the facts, entity batches, cleaning."""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgfuse.kg import rdf_schema as rs
from kgfuse.kg.stores.base import GraphStore
from kgfuse.kg.stores.forms import entity_from_forms
from kgfuse.types import Edge, Entity, Triple

SKOS_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
PREFIXES = {**rs.PREFIXES, "skos": "http://www.w3.org/2004/02/skos/core#"}

# Lone surrogates cannot be written as UTF-8, and XML 1.0 forbids most control characters.
_UNWRITABLE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: entity and distinct-fact counts, provenance records, files."""

    entities: int
    edges: int
    facts: int
    paths: tuple[Path, ...]


def clean(text: str, *, xml: bool = False) -> str:
    """Replace what a format cannot hold (lone surrogates; for XML, control characters)."""
    text = _UNWRITABLE.sub("\ufffd", text)
    return _NOT_XML.sub("\ufffd", text) if xml else text


class OnePass:
    """One pass over a store's edges or triples, spooled to a temporary file for a replay.

    The store is read once (iterating the facts can be its slowest query) while the keys
    of the entities they use are collected: entities are written first, then the facts.
    """

    def __init__(self, items: Iterable[Edge | Triple]) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        keys: set[str] = set()
        self.count = 0
        for item in items:
            keys.add(item.subject_key)
            keys.add(item.object_key)
            pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += 1
        self.keys = sorted(keys)

    def replay(self) -> Iterator[Any]:
        """Yield the items again, in the order the store gave them."""
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)  # our own temporary file

    def __enter__(self) -> OnePass:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def iter_entities(
    store: GraphStore, keys: list[str], *, batch_size: int = 1000
) -> Iterator[Entity]:
    """Yield the entities of ``keys`` in order, fetched in batches (a key without surface
    forms gets the entity ``entity_from_forms`` builds from the key alone)."""
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        found = store.entities(batch)
        for key in batch:
            yield found.get(key) or entity_from_forms(key, [])


def rdf_literal(text: str) -> ox.Literal:
    """A plain literal of ``text``, cleaned."""
    return ox.Literal(clean(text))


def entity_triples(entity: Entity) -> Iterator[ox.Triple]:
    """The RDF of one entity: its type, name, label and aliases."""
    e = rs.entity_iri(entity.key)
    yield ox.Triple(e, rs.RDF_TYPE, rs.T_ENTITY)
    yield ox.Triple(e, rs.RDFS_LABEL, rdf_literal(entity.name))
    yield ox.Triple(e, rs.TYPE, rdf_literal(entity.label))
    for alias in entity.aliases:
        yield ox.Triple(e, SKOS_ALT_LABEL, rdf_literal(alias))
