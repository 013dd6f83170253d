"""Read snapshots of the embedded store, so readers are not locked out during a build.

RocksDB (under Oxigraph) lets one process open a database; ``Store.read_only`` is undefined
while another process writes, and pyoxigraph 0.5 has no secondary mode. So the writer
publishes checkpoints instead: after a committed batch it runs ``Store.backup`` (a RocksDB
checkpoint: hard links to immutable files, after a flush) into ``<store>/snapshots/.new-N``,
renames it to ``<store>/snapshots/N`` (N = batches committed so far) and removes older ones.
A reader that finds the store locked links the files of the newest snapshot into a folder
of its own and opens that read-only: the files it holds stay valid even when the writer
removes the snapshot, and no process ever writes them.

Why the renames: a snapshot folder is complete or absent under its final name, and an old
one is renamed away before it is deleted, so a reader that linked every file it listed has
the whole snapshot (a link that fails means "take the newer one").
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from kgfuse.errors import StoreError

logger = logging.getLogger(__name__)

#: Folder inside the store folder that holds published snapshots and readers' links.
SNAPSHOTS = "snapshots"
#: Seconds between two publications (``KGFUSE_SNAPSHOT_SECONDS`` overrides).
DEFAULT_INTERVAL = 1.0
_READER = ".read-"


def snapshot_interval() -> float:
    """Least seconds between two snapshots, from ``KGFUSE_SNAPSHOT_SECONDS`` (default 1.0)."""
    try:
        return max(0.0, float(os.environ.get("KGFUSE_SNAPSHOT_SECONDS", DEFAULT_INTERVAL)))
    except ValueError:
        return DEFAULT_INTERVAL


def _published(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())


def _remove(path: Path) -> None:
    """Rename ``path`` away (readers then cannot link a half-deleted folder), then delete it."""
    gone = path.with_name(f".old-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        path.rename(gone)
    except OSError:
        return
    shutil.rmtree(gone, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clear_snapshots(store_path: Path) -> None:
    """Remove published snapshots and left-overs of killed processes.

    Only the process holding the database lock calls this (so no writer publishes now).
    Links of readers that are still running are kept.
    """
    folder = store_path / SNAPSHOTS
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith(_READER):
            pid = entry.name[len(_READER) :].split("-", 1)[0]
            if pid.isdigit() and _pid_alive(int(pid)):
                continue
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.isdigit():
            _remove(entry)
        else:  # .new-N / .old-N left by a killed writer
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty: a reader may be linking a snapshot now


class SnapshotPublisher:
    """The writer's side: publish a checkpoint after committed batches, at most every
    ``interval`` seconds (a flush plus a checkpoint cost tens of milliseconds).

    Args:
        store_path: The store folder.
        store: The open (locked, writable) database.
        interval: Least seconds between two publications; the first batch always publishes.
    """

    def __init__(self, store_path: Path, store: ox.Store, interval: float | None = None) -> None:
        self.folder = store_path / SNAPSHOTS
        self.store = store
        self.interval = snapshot_interval() if interval is None else interval
        self.batches = 0
        self.published = 0
        self._last = float("-inf")

    def committed(self) -> None:
        """Count one committed batch; publish if the last publication is old enough."""
        self.batches += 1
        if time.monotonic() - self._last < self.interval:
            return
        try:
            self.publish()
        except OSError as err:  # the batch is committed: a missing snapshot must not fail it
            self._last = time.monotonic()
            logger.warning("could not publish a read snapshot of %s: %s", self.folder, err)

    def publish(self) -> None:
        """Publish the committed state as snapshot ``batches`` and drop the older ones."""
        self.folder.mkdir(exist_ok=True)
        n = self.batches
        staging = self.folder / f".new-{n}"
        shutil.rmtree(staging, ignore_errors=True)
        self.store.backup(str(staging))
        staging.rename(self.folder / str(n))
        self.published = n
        self._last = time.monotonic()
        for old in _published(self.folder):
            if old != n:
                _remove(self.folder / str(old))


class ReadSnapshot:
    """The reader's side: its own hard links to one published snapshot, opened read-only.

    Attributes:
        batch: The batch count the snapshot was published at.
        store: The read-only database.
    """

    def __init__(self, batch: int, links: Path, store: ox.Store) -> None:
        self.batch = batch
        self.links = links
        self.store: ox.Store | None = store

    def refuse_write(self, store_path: Path) -> None:
        """Refuse a write: a snapshot is read-only and the writer holds the database.

        Raises:
            StoreError: Always.
        """
        raise StoreError(
            f"the store {store_path} is being written by another process; this is a "
            f"read-only snapshot (batch {self.batch}), so nothing was changed"
        )

    def close(self) -> None:
        """Release the database and delete this reader's links."""
        self.store = None
        gc.collect()  # pyoxigraph closes the files only when the Store is collected
        shutil.rmtree(self.links, ignore_errors=True)


def open_latest(store_path: Path, attempts: int = 5) -> ReadSnapshot | None:
    """Open the newest published snapshot read-only, or None when there is none.

    Args:
        store_path: The store folder (locked by a writer).
        attempts: Snapshots to try when the writer replaces one while it is linked.

    Returns:
        The open snapshot, or None.
    """
    folder = store_path / SNAPSHOTS
    for _ in range(attempts):
        numbers = _published(folder)
        if not numbers:
            return None
        n = numbers[-1]
        links = folder / f"{_READER}{os.getpid()}-{time.monotonic_ns()}"
        try:
            links.mkdir()
            for name in os.listdir(folder / str(n)):
                os.link(folder / str(n) / name, links / name)
            store = ox.Store.read_only(str(links))
        except OSError:  # the writer removed it meanwhile: take the newer one
            shutil.rmtree(links, ignore_errors=True)
            continue
        logger.warning(
            "%s is being written by another process; reading its snapshot of batch %d "
            "(documents committed since then are not visible)",
            store_path,
            n,
        )
        return ReadSnapshot(n, links, store)
    return None


def open_database(
    path: Path, *, create: bool
) -> tuple[ox.Store, ReadSnapshot | None, SnapshotPublisher | None]:
    """Open the database at ``path``; a reader finding it locked gets the latest snapshot.

    Args:
        path: The store folder.
        create: Whether the caller may write (a build or an import): such callers never
            fall back to a snapshot.

    Returns:
        ``(store, None, publisher)`` when the database was opened (and locked), else
        ``(snapshot store, snapshot, None)``.

    Raises:
        StoreError: The database cannot be opened, or is locked and has no snapshot yet.
    """
    for attempt in range(3):
        try:
            store = ox.Store(str(path))
        except OSError as err:
            if "lock" not in str(err).lower():
                raise StoreError(f"cannot open the store {path}: {err}") from err
            snapshot = None if create else open_latest(path)
            if snapshot is not None and snapshot.store is not None:
                return snapshot.store, snapshot, None
            if create or attempt == 2:
                raise StoreError(
                    f"the store {path} is open in another process (a running `kgfuse "
                    "build`?) and has no snapshot to read yet; wait for it to finish or use "
                    "another --store path"
                ) from err
            time.sleep(0.2)  # the writer may be closing (it removes its snapshots first)
        else:
            clear_snapshots(path)  # we hold the lock, so no writer: any snapshot is stale
            return store, None, SnapshotPublisher(path, store)
    raise AssertionError("unreachable")
