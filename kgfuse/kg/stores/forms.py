"""Canonical entities from surface forms: the one rule every backend names an entity by."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kgfuse.kg.normalize import entity_key
from kgfuse.types import CONCEPT, Entity

#: (surface form, label, mention count) for one entity key.
SurfaceForm = tuple[str, str, int]


def entity_from_forms(key: str, forms: Sequence[SurfaceForm]) -> Entity:
    """Build the canonical ``Entity`` for a key from its surface forms.

    The name is the most frequent surface form among those whose key is ``key`` (all forms if
    none is; ties: the longest, then the first in sorted order); the label is the most
    frequent label, a named-entity label winning ties over ``CONCEPT``; the aliases are the
    other surface forms, sorted.

    Args:
        key: The entity key.
        forms: ``(surface, label, count)`` of the key's mentions; may be empty.

    Returns:
        The entity (named after the key itself when there are no forms).
    """
    if not forms:
        return Entity(key=key, name=key.replace("_", " "), label=CONCEPT)
    by_surface: Counter[str] = Counter()
    by_label: Counter[str] = Counter()
    for surface, label, count in forms:
        by_surface[surface] += count
        by_label[label] += count
    # Prefer the surface forms the key was made from ("Marie Curie" over a later "Curie").
    canonical = [s for s in by_surface if entity_key(s) == key] or list(by_surface)
    name = min(canonical, key=lambda s: (-by_surface[s], -len(s), s))
    label = min(by_label, key=lambda lab: (-by_label[lab], lab == CONCEPT, lab))
    aliases = tuple(sorted(s for s in by_surface if s != name))
    return Entity(key=key, name=name, label=label, aliases=aliases)
