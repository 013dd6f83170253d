"""A writer process that holds an embedded store open, for the snapshot tests.

Run as ``python snapshot_holder.py STORE``. It opens the store (taking its lock), prints
``ready``, then reads commands from stdin: ``write A B`` writes documents ``doc-A`` ...
``doc-(B-1)`` of the fault tests as one batch and prints ``ok``; ``quit`` closes the store
and exits. Set ``KGFUSE_SNAPSHOT_SECONDS=0`` to publish a snapshot after every batch.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "contracts"))

from fault_writer import document

from kgfuse.kg.stores.rdf import RdfStore


def main() -> None:
    store = RdfStore(sys.argv[1])
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "write":
            store.write([document(i) for i in range(int(args[0]), int(args[1]))])
            print("ok", flush=True)
        elif command == "quit":
            break
    store.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
