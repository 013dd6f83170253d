"""Context vectors of units and clusters, embedded lazily: only what a decision needs.

Embedding every sentence of a corpus costs far more than extracting it, so resolution asks
for vectors only where a split is possible (a key used for different kinds of thing) or a
merge candidate passed the name and type checks. Each request embeds its missing texts in
sorted order (``context.embed_all``), so the vectors never depend on input order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kgfuse.kg.resolve.context import ContextEncoder, centroid, embed_all
from kgfuse.kg.resolve.units import Unit

#: Units whose contexts make a cluster's vector (the first ones by document id): a name in
#: thousands of documents is described well enough by a sample, at a bounded cost.
MAX_UNITS = 24


class ContextVectors:
    """Vectors of units' contexts, embedded on demand and kept.

    Args:
        encoder: The context encoder.
    """

    def __init__(self, encoder: ContextEncoder) -> None:
        self.encoder = encoder
        self._texts: dict[str, np.ndarray] = {}
        self._units: dict[int, np.ndarray | None] = {}
        #: Distinct texts embedded so far.
        self.embedded = 0

    def prepare(self, units: Iterable[Unit]) -> None:
        """Embed, in one sorted batch, the contexts of ``units`` not embedded yet."""
        missing = {c for u in units for c in u.contexts if c not in self._texts}
        if missing:
            self._texts.update(embed_all(self.encoder, missing))
            self.embedded += len(missing)

    def unit(self, unit: Unit) -> np.ndarray | None:
        """The unit's vector (mean of its contexts); ``prepare`` it first."""
        if id(unit) not in self._units:
            self.prepare([unit])
            self._units[id(unit)] = centroid([self._texts[c] for c in sorted(unit.contexts)])
        return self._units[id(unit)]

    def units(self, units: Iterable[Unit]) -> dict[int, np.ndarray | None]:
        """``{id(unit): vector}`` for several units, embedded in one batch."""
        units = list(units)
        self.prepare(units)
        return {id(u): self.unit(u) for u in units}

    def cluster(self, units: list[Unit]) -> np.ndarray | None:
        """A cluster's vector: the mean of its first ``MAX_UNITS`` units by document id."""
        sample = sorted(units, key=lambda u: u.doc_id)[:MAX_UNITS]
        vectors = self.units(sample)
        return centroid([v for u in sample if (v := vectors[id(u)]) is not None])

    @staticmethod
    def sample(units: list[Unit]) -> list[Unit]:
        """The units ``cluster`` reads."""
        return sorted(units, key=lambda u: u.doc_id)[:MAX_UNITS]
