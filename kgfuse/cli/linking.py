"""The linker a ``--link`` option names, and a saved classifier loaded with its linker
(shared by the classification commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgfuse.errors import ConfigError


def make_linker(
    kind: str, kg: Any, model: str | None, *, max_entities: int = 32, store: Any = None
) -> Any:
    """The linker a ``--link`` option names, over the entities of ``kg``.

    Args:
        kind: ``extract`` (spaCy extraction + resolution, then names) or ``names``.
        kg: The ``KGData`` whose entities may be linked.
        model: spaCy pipeline for ``extract`` (None = the default).
        max_entities: Most entities linked per text.
        store: Store URL (or open store) whose built documents ``extract`` links from their
            stored linking data instead of parsing them again (None: parse every text).

    Raises:
        ConfigError: An unknown kind.
    """
    if kind == "names":
        from kgfuse.graph.linking import DictionaryLinker

        return DictionaryLinker(kg, max_entities=max_entities)
    if kind != "extract":
        raise ConfigError(f"--link must be 'extract' or 'names', got {kind!r}")
    from kgfuse.graph.linking.extraction import ExtractionLinker
    from kgfuse.nlp.extractor import Extractor

    return ExtractionLinker(Extractor(model), kg, max_entities=max_entities, store=store)


def classifier_family(model: Path) -> Any:
    """The registered family of a saved classifier (read from its ``config.json``).

    Raises:
        ModelError: Not a classifier directory.
    """
    from kgfuse.fusion.registry import family_of

    return family_of(model, task="classify")


def load_for_cli(family: Any, model: Path, link: str, store: str | None = None) -> tuple[Any, Any]:
    """A saved classifier loaded by its family, and a linker over its entities (texts that
    ``store`` holds are linked from its stored extraction).

    Raises:
        ModelError: The directory cannot be loaded.
    """
    loaded = family.entry_point("load")(model)
    linker = make_linker(
        link, loaded.entity_graph, None, max_entities=loaded.max_entities, store=store
    )
    return loaded, linker
