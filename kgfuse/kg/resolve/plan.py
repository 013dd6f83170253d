"""A resolution plan: which per-document keys become which entity, and how to apply it.

The plan maps ``(doc_id, base_key)`` to a final key. A merge gives several base keys one
canonical key; a split gives the units of one base key different keys. Final keys are a
deterministic function of the clusters (see ``kg.resolve.cluster``), so two runs over the
same mentions, in any order, give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kgfuse.types import EntityMention, ResolvedDocument, Triple


@dataclass(frozen=True)
class Merge:
    """Several entities that are one.

    Attributes:
        key: The canonical key they all get.
        name: Its display name (most frequent surface form).
        members: Keys merged into it (the canonical key included), sorted.
        evidence: ``(member, name similarity, context similarity)`` for each member that
            joined through a scored pair, sorted.
    """

    key: str
    name: str
    members: tuple[str, ...]
    evidence: tuple[tuple[str, str, float, float], ...] = ()


@dataclass(frozen=True)
class Split:
    """A key whose mentions are clearly different things.

    Attributes:
        base_key: The key as the per-document rules gave it.
        parts: ``(new key, type, document ids)`` per cluster, largest first; the first keeps
            ``base_key``.
    """

    base_key: str
    parts: tuple[tuple[str, str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ResolutionPlan:
    """The outcome of cross-document resolution.

    Attributes:
        assignments: ``{(doc_id, base_key): final key}`` for every key that changes.
        merges: What was merged, by canonical key.
        splits: What was split, by base key.
        entities: Number of entities after resolution.
        contexts: Sentences the context encoder embedded to decide.
    """

    assignments: dict[tuple[str, str], str] = field(default_factory=dict)
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    entities: int = 0
    contexts: int = 0

    def key_for(self, doc_id: str, base_key: str) -> str:
        """The final key of a per-document key in one document."""
        return self.assignments.get((doc_id, base_key), base_key)

    def apply(self, document: ResolvedDocument) -> ResolvedDocument:
        """The document with its keys replaced by the plan's final keys.

        Facts whose two ends become one entity are dropped (a merged entity is not its own
        neighbour); duplicate facts are kept once.
        """
        doc_id = document.document.id

        def final(key: str) -> str:
            return self.key_for(doc_id, key)

        mentions = tuple(replace(m, key=final(m.key)) for m in document.mentions)
        triples: list[Triple] = []
        seen: set[tuple[str, str, str, int, int, int]] = set()
        for t in document.triples:
            s, o = final(t.subject_key), final(t.object_key)
            p = t.provenance
            ident = (s, t.predicate, o, p.sentence_index, p.char_start, p.char_end)
            if s == o or ident in seen:
                continue
            seen.add(ident)
            triples.append(replace(t, subject_key=s, object_key=o))
        return replace(document, mentions=_unique(mentions), triples=tuple(triples))

    def as_dict(self) -> dict[str, Any]:
        """The plan as plain data (for ``--json``)."""
        return {
            "entities": self.entities,
            "contexts_embedded": self.contexts,
            "merges": [
                {
                    "key": m.key,
                    "name": m.name,
                    "members": list(m.members),
                    "evidence": [
                        {"member": a, "with": b, "name": round(n, 3), "context": round(c, 3)}
                        for a, b, n, c in m.evidence
                    ],
                }
                for m in self.merges
            ],
            "splits": [
                {
                    "base_key": s.base_key,
                    "parts": [
                        {"key": k, "type": t, "documents": list(docs)} for k, t, docs in s.parts
                    ],
                }
                for s in self.splits
            ],
            "changed_keys": len(self.assignments),
        }


def _unique(mentions: tuple[EntityMention, ...]) -> tuple[EntityMention, ...]:
    return tuple(dict.fromkeys(mentions))
