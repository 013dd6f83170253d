"""Connect to a Dask cluster: a ``LocalCluster`` of worker processes, or one by address."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kgfuse.errors import ConfigError, DistributedError, SchedulerUnreachableError, brief, clip

if TYPE_CHECKING:
    from distributed import Client

#: Seconds to wait for a scheduler given by address (and for its first worker).
CONNECT_TIMEOUT = 10.0
#: Dask settings of the clusters started here. spaCy parses in the task thread, so Dask's
#: statistical profiler (a stack sample every 10 ms) and its 100 ms memory and 500 ms system
#: polls take CPU that the parse needs on a small machine; the build needs none of them.
#: Dask's default MALLOC_TRIM_THRESHOLD_=65536 in the workers made spaCy's parse take ~9%
#: more CPU here (many small allocations); one BLAS/OpenMP thread per worker stays.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


@contextmanager
def dask_client(
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> Iterator[Client]:
    """A Dask client on a new local cluster, or on a running cluster.

    Args:
        workers: Start a ``LocalCluster`` of this many worker processes (one thread each:
            spaCy parses in one thread per process), closed again on exit.
        scheduler: Address of a running scheduler (``tcp://host:8786``); the cluster stays
            up on exit. Exactly one of ``workers`` and ``scheduler`` is given.
        timeout: Seconds to wait for the scheduler, and for it to have a worker.

    Yields:
        A connected ``distributed.Client``.

    Raises:
        ConfigError: Neither or both of ``workers`` and ``scheduler``, or ``workers`` < 1.
        SchedulerUnreachableError: Nothing answers at ``scheduler``, the address is
            malformed, or the cluster has no worker within ``timeout``.
        DistributedError: ``dask.distributed`` is not installed.
    """
    if (workers is None) == (scheduler is None):
        raise ConfigError("give either --workers N (a local cluster) or --scheduler ADDRESS")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise DistributedError(
            f"distributed builds need dask.distributed ({brief(err)}); "
            "install it with: pip install 'kgfuse[distributed]'"
        ) from err
    if scheduler is None:
        assert workers is not None
        # The cluster is ours: its INFO lines (and the warning when a worker that loaded
        # torch takes over 4 s to exit at close) are not the user's business.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        with (
            dask.config.set(LOCAL_CLUSTER_CONFIG),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # no fixed port: two clusters may run at once
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            client.wait_for_workers(workers)
            yield client
        return
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, ValueError) as err:
        raise SchedulerUnreachableError(
            f"no Dask scheduler answers at {clip(scheduler)!r} ({brief(err)}); expected a "
            "running scheduler (`dask scheduler`) at an address like tcp://host:8786"
        ) from err
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as err:
            raise SchedulerUnreachableError(
                f"the Dask scheduler at {clip(scheduler)!r} has no worker after {timeout:g} s; "
                f"start some with: dask worker {clip(scheduler)}"
            ) from err
        yield client
