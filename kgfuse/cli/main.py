"""Entry point of the ``kgfuse`` command: registers the command modules and maps errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from rich.markup import escape

from kgfuse.cli import (  # noqa: F401  (register commands)
    graph,
    io,
    legacy,
    query,
    report,
    resolve,
    serve,
    summarize,
)
from kgfuse.cli.app import app
from kgfuse.cli.classify import classify_app
from kgfuse.cli.output import err_console
from kgfuse.cli.qa import qa_app
from kgfuse.errors import KgfuseError

app.add_typer(classify_app)
app.add_typer(qa_app)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit status.

    A ``KgfuseError`` prints one clear ``error:`` line on standard error and returns 1;
    usage errors return 2; an interrupt returns 130 (rerunning a build resumes it).
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _show_progress_lines()
    try:
        # standalone mode: usage errors are printed by typer and end in SystemExit(2)
        app(args=list(argv) if argv is not None else None)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KgfuseError as err:
        # escape: a message quoting user input ("[/bold]") must not be read as rich markup
        err_console.print(
            f"[bold red]error:[/bold red] {escape(str(err))}", highlight=False, soft_wrap=True
        )
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted: rerun the same command to resume")
        return 130
    return 0


class _StderrLines(logging.Handler):
    """Writes records to the current ``sys.stderr`` (looked up at each record)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


def _show_progress_lines() -> None:
    """Print each long stage's closing line (``kgfuse.progress``) as ``done: … N.N s``."""
    progress = logging.getLogger("kgfuse.progress")
    if not progress.handlers:
        handler = _StderrLines()
        handler.setFormatter(logging.Formatter("done: %(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":
    main()
