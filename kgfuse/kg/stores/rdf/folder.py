"""Where the embedded store lives: a folder that is an Oxigraph database, or new, or empty.

``--store DIR`` must never scatter database files among a user's own files, and a build that
fails before its first write must leave nothing behind (``new_store_cleanup``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kgfuse.errors import StoreError
from kgfuse.kg.stores.registry import url_scheme

#: Files every Oxigraph (RocksDB) database folder holds.
_STORE_FILES = ("CURRENT", "IDENTITY")


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is a folder holding an Oxigraph database."""
    return all((path / name).is_file() for name in _STORE_FILES)


def check_store_folder(path: Path) -> None:
    """Refuse a folder that holds other files and no database.

    Opening such a folder would write the database files among the user's own files.

    Raises:
        StoreError: ``path`` is a non-empty folder that is not an Oxigraph database.
    """
    if not path.is_dir() or is_store_folder(path):
        return
    entries = sorted(p.name for p in path.iterdir())
    if entries:
        shown = ", ".join(entries[:3]) + (
            f" and {len(entries) - 3} more" if len(entries) > 3 else ""
        )
        raise StoreError(
            f"{path} holds other files ({shown}) and is not a kgfuse store; give --store a "
            "new or empty folder, or the folder of an existing graph"
        )


def store_folder(url: str) -> Path | None:
    """The folder of an embedded-store URL (``PATH``, ``rdf:PATH``, ``file://PATH``), else None."""
    if url_scheme(url) not in {"", "rdf", "file"}:
        return None
    return Path(url.removeprefix("rdf:").removeprefix("file://").removeprefix("//"))


@contextmanager
def new_store_cleanup(url: str) -> Iterator[None]:
    """Remove the embedded store this block creates if the block fails before any write.

    A failed ``kgfuse build`` or ``kgfuse import`` (a missing or empty corpus, a malformed
    first line) then leaves no empty store folder behind. Stores that existed before, server
    stores, and stores that hold at least one document are never touched.

    Args:
        url: The ``--store`` value.
    """
    folder = store_folder(url)
    fresh = folder is not None and not folder.exists()
    try:
        yield
    except BaseException:
        if fresh and folder is not None and folder.is_dir() and _holds_no_document(folder):
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _holds_no_document(folder: Path) -> bool:
    import gc

    import pyoxigraph as ox

    try:
        store = ox.Store(str(folder))
        empty = next(iter(store.named_graphs()), None) is None
    except OSError:
        return False  # locked or unreadable: leave it alone
    del store
    gc.collect()  # pyoxigraph drops the RocksDB lock only when the Store is collected
    return empty
