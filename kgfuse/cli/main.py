"""Entry point of the ``kgfuse`` command: registers the command modules and maps errors."""

from __future__ import annotations

import logging
import sys

from kgfuse.cli import graph, query  # noqa: F401  (modules register their commands)
from kgfuse.cli.app import app
from kgfuse.cli.output import err_console
from kgfuse.errors import KgfuseError


def main() -> None:
    """Run the CLI; a ``KgfuseError`` prints one clear line and exits with status 1."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KgfuseError as err:
        err_console.print(f"[bold red]error:[/bold red] {err}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted: rerun the same command to resume")
        sys.exit(130)


if __name__ == "__main__":
    main()
