"""Progress on long work: a bar over items (shown on a terminal only) and a closing line
with each stage's wall time, logged to ``kgfuse.progress`` (the CLI shows it)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")

logger = logging.getLogger("kgfuse.progress")


@contextmanager
def stage(name: str, timings: dict[str, float] | None = None, key: str = "") -> Iterator[None]:
    """Log ``name: N.N s`` when the block ends (``kgfuse.progress`` at INFO).

    Args:
        name: What the block does, for people.
        timings: Where to record the seconds too, as ``seconds_<key>``.
        key: The short name in ``timings``.
    """
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    logger.info("%s: %.1f s", name, seconds)
    if timings is not None:
        timings[f"seconds_{key}"] = round(seconds, 2)


def progress(
    items: Iterable[T], *, total: int | None = None, desc: str, disable: bool | None = None
) -> Iterable[T]:
    """A tqdm bar over ``items``; ``disable=None`` shows it on a terminal only."""
    return tqdm(items, total=total, desc=desc, disable=disable, leave=False)
