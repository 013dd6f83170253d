"""An optional relation schema (``--schema schema.toml``): surface predicates to canonical
relations, with the entity types each relation allows.

::

    [options]
    unmapped = "related_to"        # or "prune": what happens to a predicate the schema lacks

    [relations.located_in]
    surface = ["located_in", "be_in", "situated_in", "lie_in"]
    subject = ["FAC", "ORG", "GPE", "LOC", "CONCEPT"]   # omitted: any type
    object = ["GPE", "LOC"]

A fact whose predicate is one of a relation's surface forms is renamed to that relation and
kept when its subject and object types are allowed (the type of an entity is the label of its
mention in the same document); otherwise it is pruned. A fact with no relation in the schema
becomes ``related_to`` or is pruned, as ``unmapped`` says. ``SchemaReport`` counts each case.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from kgfuse.errors import ConfigError
from kgfuse.types import CONCEPT, Provenance, ResolvedDocument

#: Entity types a schema may name: spaCy's English NER labels, concepts and imported ones.
KNOWN_TYPES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
    | {"LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
    | {CONCEPT, "IMPORTED", "LITERAL"}
)
RELATED_TO = "related_to"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class Relation:
    """One canonical relation: its surface forms and allowed subject/object types (None: any)."""

    name: str
    surface: frozenset[str]
    subject: frozenset[str] | None = None
    object: frozenset[str] | None = None


@dataclass
class SchemaReport:
    """What applying a schema did to the facts it saw."""

    kept: int = 0
    renamed_to_related: int = 0
    pruned_unmapped: int = 0
    pruned_types: Counter[str] = field(default_factory=Counter)

    @property
    def pruned(self) -> int:
        """Facts dropped, for any reason."""
        return self.pruned_unmapped + sum(self.pruned_types.values())

    def as_dict(self) -> dict[str, object]:
        """Plain data for summaries."""
        return {
            "kept": self.kept,
            "related_to": self.renamed_to_related,
            "pruned_unmapped": self.pruned_unmapped,
            "pruned_types": dict(self.pruned_types.most_common()),
        }


@dataclass(frozen=True)
class Schema:
    """A parsed schema file (see the module docstring); build it with ``load_schema``."""

    relations: tuple[Relation, ...]
    unmapped: str = RELATED_TO
    digest: str = ""

    def apply(self, resolved: ResolvedDocument, report: SchemaReport) -> ResolvedDocument:
        """Rename, keep or prune the facts of one document; count what happened in ``report``.

        The document's extractor id (and every kept fact's) gains ``schema=<digest>``, so a
        build with another schema re-extracts instead of taking documents as up to date.
        """
        by_surface = {s: r for r in self.relations for s in r.surface}
        labels: dict[str, str] = {}
        for mention in resolved.mentions:
            labels.setdefault(mention.key, mention.label)
        tag = f" schema={self.digest}"
        triples = []
        for triple in resolved.triples:
            relation = by_surface.get(triple.predicate)
            if relation is None:
                if self.unmapped == "prune":
                    report.pruned_unmapped += 1
                    continue
                report.renamed_to_related += 1
                predicate = RELATED_TO
            else:
                predicate = relation.name
                subject_type = labels.get(triple.subject_key, "")
                object_type = labels.get(triple.object_key, "")
                if relation.subject is not None and subject_type not in relation.subject:
                    report.pruned_types[f"{relation.name}: subject {subject_type}"] += 1
                    continue
                if relation.object is not None and object_type not in relation.object:
                    report.pruned_types[f"{relation.name}: object {object_type}"] += 1
                    continue
                report.kept += 1
            provenance: Provenance = replace(
                triple.provenance, extractor=triple.provenance.extractor + tag
            )
            triples.append(replace(triple, predicate=predicate, provenance=provenance))
        return replace(resolved, extractor=resolved.extractor + tag, triples=tuple(triples))


def load_schema(path: str | Path) -> Schema:
    """Read and check a schema file.

    Args:
        path: A TOML file (see the module docstring).

    Returns:
        The schema.

    Raises:
        ConfigError: Unreadable file, malformed TOML (the message names the line), an empty
            schema, an unknown type name, a bad relation name or a surface form claimed by
            two relations.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read schema {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        found = _LINE.search(str(exc))  # "at end of document": the last line
        line = found.group(1) if found else str(raw.rstrip(b"\n").count(b"\n") + 1)
        where = f"{path}:{line}"
        raise ConfigError(
            f"{where}: not valid TOML ({exc}); see the schema example in README"
        ) from exc
    options = data.get("options", {})
    unmapped = options.get("unmapped", RELATED_TO) if isinstance(options, dict) else None
    if unmapped not in (RELATED_TO, "prune"):
        raise ConfigError(
            f"{path}: options.unmapped must be 'related_to' or 'prune', got {unmapped!r}"
        )
    tables = data.get("relations")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(
            f"{path}: the schema defines no relation; "
            "add a [relations.NAME] table with surface = [...]"
        )
    relations = []
    owner: dict[str, str] = {}
    for name, table in tables.items():
        relations.append(_relation(path, name, table, owner))
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return Schema(tuple(relations), unmapped=unmapped, digest=digest)


def _relation(path: Path, name: str, table: object, owner: dict[str, str]) -> Relation:
    where = f"{path}: [relations.{name}]"
    if not _NAME.match(name):
        raise ConfigError(f"{where}: a relation name is lower_snake_case")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table with surface, subject, object")
    surface = table.get("surface", [name])
    if not isinstance(surface, list) or not surface or not all(isinstance(s, str) for s in surface):
        raise ConfigError(f"{where}: surface must be a non-empty list of predicate names")
    for form in surface:
        if owner.setdefault(form, name) != name:
            raise ConfigError(f"{where}: surface {form!r} already maps to {owner[form]!r}")
    types = {}
    for role in ("subject", "object"):
        value = table.get(role)
        if value is None:
            types[role] = None
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {role} must be a list of type names")
        unknown = sorted(set(value) - KNOWN_TYPES)
        if unknown:
            raise ConfigError(
                f"{where}: unknown type {unknown[0]!r} in {role}; "
                f"known: {', '.join(sorted(KNOWN_TYPES))}"
            )
        types[role] = frozenset(value)
    return Relation(name, frozenset(surface), types["subject"], types["object"])
