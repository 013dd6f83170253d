"""Bodies of ``kgfuse qa synthesize`` (training questions from a store's relation paths) and
``kgfuse qa calibrate`` (confidence temperature and no-answer threshold)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from kgfuse.cli import options as opt


def synthesize_command(
    store: str,
    *,
    out: Path,
    hops: str = "1..2",
    per_pattern: int = 100,
    relations: Path | None = None,
    exclude: Sequence[Path] = (),
    max_answers: int = 100,
    min_transition: float = 0.0,
    seed: int = 13,
) -> dict[str, Any]:
    """Body of ``kgfuse qa synthesize``: questions from the store's relation paths.

    Returns:
        ``{"questions": n, "by_hops": {...}, "out": path}``.

    Raises:
        ConfigError: Bad hops, phrase file or counts. DataError: an empty store.
    """
    from kgfuse.fusion.qa.synthesize import parse_hops, synthesize_questions, write_questions
    from kgfuse.graph.to_pyg import to_pyg
    from kgfuse.kg.store import open_store

    hop_counts = parse_hops(hops)  # fail on a bad range before opening the store
    with open_store(store, create=False) as graph:
        kg = to_pyg(graph)
    rows = synthesize_questions(
        kg,
        hops=hop_counts,
        per_pattern=per_pattern,
        phrases=relations,
        exclude=list(exclude),
        max_answers=max_answers,
        min_transition=min_transition,
        seed=seed,
    )
    write_questions(rows, out)
    by_hops: dict[str, int] = {}
    for row in rows:
        by_hops[str(row["hops"])] = by_hops.get(str(row["hops"]), 0) + 1
    return {"questions": len(rows), "by_hops": by_hops, "out": str(out)}


def calibrate_command(
    model: Path, data: Path, *, store: str | None = None, json_output: bool = False
) -> dict[str, Any]:
    """Body of ``kgfuse qa calibrate``: fit and save the confidence temperature and the
    no-answer threshold on held-out questions."""
    from kgfuse.fusion.qa.inference import calibrate_qa
    from kgfuse.kg.store import open_store

    with nullcontext(None) if store is None else open_store(store, create=False) as graph:
        calibration = calibrate_qa(model, data, store=graph)
    opt.print_metrics(f"Calibrated {model} on {data}", calibration, json_output)
    return calibration
