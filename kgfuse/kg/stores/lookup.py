"""Finding entities by name: fuzzy scoring and the not-found message, shared by all stores."""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable, Sequence

from kgfuse.errors import EntityNotFoundError, clip
from kgfuse.kg.normalize import normalize_name
from kgfuse.types import EntityMatch

#: Score of an exact key match and of an alias match; fuzzy matches score 0.5 to 0.9.
EXACT_SCORE, ALIAS_SCORE = 1.0, 0.95


def rank_fuzzy(
    norm: str, candidates: Iterable[tuple[str, str]], *, skip: Container[str]
) -> list[tuple[str, tuple[float, str]]]:
    """Score near matches of a normalised name, best first.

    Args:
        norm: The normalised name searched for.
        candidates: ``(key, surface)`` rows whose normalised surface contains ``norm``.
        skip: Keys already matched otherwise.

    Returns:
        ``(key, (score, surface))`` with each key's best surface, by score then key.
    """
    scored: dict[str, tuple[float, str]] = {}
    for cand_key, surface in candidates:
        if cand_key in skip:
            continue
        ratio = difflib.SequenceMatcher(None, norm, normalize_name(surface)).ratio()
        score = 0.5 + 0.4 * ratio
        if cand_key not in scored or score > scored[cand_key][0]:
            scored[cand_key] = (score, surface)
    return sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))


def not_found(name_or_key: str, matches: Sequence[EntityMatch], url: str) -> EntityNotFoundError:
    """Return the error for a name that resolves to no single entity.

    Args:
        name_or_key: What the user asked for.
        matches: Near matches (listed in the message when there are any).
        url: The store's URL.

    Returns:
        The error to raise.
    """
    if matches:
        hint = ", ".join(repr(clip(m.entity.name)) for m in matches)
        return EntityNotFoundError(
            f"no entity is named exactly {clip(name_or_key)!r}; did you mean one of: {hint}? "
            "Use the exact name or the key."
        )
    return EntityNotFoundError(
        f"no entity named {clip(name_or_key)!r} in {url}. "
        "Check the spelling or run `kgfuse stats` to see what the graph holds."
    )
