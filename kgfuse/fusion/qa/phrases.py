"""Relation phrases: how a relation is asked about in words, for synthesised questions.

Every relation has four lists of templates, each holding ``{x}`` where the topic (or the
noun phrase of the earlier hops) goes:

* ``forward``: a question whose answer is the object, asked from the subject
  (``directed_by``: ``"who directed {x}"``);
* ``inverse``: asking for the subject from the object (``"which films did {x} direct"``);
* ``forward_noun`` / ``inverse_noun``: the same as noun phrases, used for the inner hops of a
  multi-hop question (``"the director of {x}"``, ``"the films directed by {x}"``), so that
  ``who directed the films starring [Tom Hanks]`` is the inverse noun of ``starred_actors``
  inside the forward question of ``directed_by``;
* ``same`` / ``co``: a relation followed by its own inverse, asked as one question.
  ``same`` goes subject -> object -> other subjects (``"which films have the same director
  as {x}"``), ``co`` object -> subject -> other objects (``"who acted together with {x}"``).
  When given (or by default), they phrase such a pair half of the time.

Defaults come from the relation's name (``directed_by`` -> ``directed by``). A small TOML
file overrides any of the lists per relation::

    [directed_by]
    forward = ["who directed {x}", "who is the director of {x}"]
    inverse_noun = ["the films directed by {x}"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kgfuse.errors import ConfigError

KINDS = ("forward", "inverse", "forward_noun", "inverse_noun", "same", "co")


@dataclass(frozen=True)
class RelationPhrases:
    """The templates of one relation (each holds ``{x}``)."""

    forward: tuple[str, ...]
    inverse: tuple[str, ...]
    forward_noun: tuple[str, ...]
    inverse_noun: tuple[str, ...]
    same: tuple[str, ...] = ()
    co: tuple[str, ...] = ()

    def get(self, inverse: bool, noun: bool) -> tuple[str, ...]:
        """The templates of one direction, as a question or as a noun phrase."""
        return getattr(self, ("inverse" if inverse else "forward") + ("_noun" if noun else ""))


def relation_words(relation: str) -> str:
    """``directed_by`` -> ``directed by``; ``birthPlace`` -> ``birth place``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", relation)
    return " ".join(re.sub(r"[^0-9A-Za-z]+", " ", spaced).lower().split()) or relation


def default_phrases(relation: str) -> RelationPhrases:
    """Templates made from the relation's name alone."""
    w = relation_words(relation)
    return RelationPhrases(
        forward=(f"what is the {w} of {{x}}", f"{{x}} {w} what", f"what is {{x}} {w}"),
        inverse=(f"what {w} {{x}}", f"which entities {w} {{x}}", f"who {w} {{x}}"),
        forward_noun=(f"the {w} of {{x}}",),
        inverse_noun=(f"the entities {w} {{x}}", f"those {w} {{x}}"),
        same=(f"what has the same {w} as {{x}}", f"which entities share the {w} of {{x}}"),
        co=(f"what else is the {w} of the entities {w} {{x}}",),
    )


def load_phrases(path: str | Path | None, relations: list[str]) -> dict[str, RelationPhrases]:
    """Phrases for every relation of a graph: defaults, overridden by a TOML file.

    Args:
        path: The TOML file (one table per relation), or None for defaults only.
        relations: The graph's relations.

    Returns:
        ``{relation: RelationPhrases}`` for every relation.

    Raises:
        ConfigError: A missing or invalid file, a relation the graph does not have, an
            unknown key, or a template that is not a string holding ``{x}``.
    """
    phrases = {r: default_phrases(r) for r in relations}
    if path is None:
        return phrases
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"relation phrase file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"relation phrase file {path} is not valid TOML: {err}") from err
    for relation, table in data.items():
        if relation not in phrases:
            known = ", ".join(relations[:20]) + (" ..." if len(relations) > 20 else "")
            raise ConfigError(
                f"{path}: relation {relation!r} is not in the graph (its relations: {known})"
            )
        if not isinstance(table, dict) or set(table) - set(KINDS):
            raise ConfigError(f"{path}: [{relation}] may only hold lists named {', '.join(KINDS)}")
        given = {}
        for kind, templates in table.items():
            if isinstance(templates, str):
                templates = [templates]
            if (
                not isinstance(templates, list)
                or not templates
                or not all(isinstance(t, str) and "{x}" in t for t in templates)
            ):
                raise ConfigError(
                    f"{path}: [{relation}] {kind} must be a non-empty list of strings that "
                    f"each hold {{x}} where the topic goes, got {templates!r}"
                )
            given[kind] = tuple(templates)
        base = phrases[relation]
        phrases[relation] = RelationPhrases(**{k: given.get(k, getattr(base, k)) for k in KINDS})
    return phrases
