"""``kgfuse serve``: the REST API and web explorer over one store (and loaded models)."""

from __future__ import annotations

import logging
import sys

import typer

from kgfuse.cli import options as opt
from kgfuse.cli.app import app
from kgfuse.cli.output import err_console
from kgfuse.errors import ConfigError

_HELP = (
    "Serve the REST API and the web explorer over a store.\n\nThe store is opened and every "
    "--model loaded once; then GET /entities, /entities/KEY, /entities/KEY/neighbors, /paths, "
    "/documents/ID, /stats, POST /query/sparql|cypher, /predict, /ask (docs at /docs). "
    "Read-only unless --allow-write, and then writes need the bearer token."
)


def serve_command(**values: object) -> None:
    """Body of ``kgfuse serve``: check the settings, open the store, serve until Ctrl-C.

    Raises:
        ConfigError: The serve extra is missing, or invalid settings.
    """
    try:
        from kgfuse.serve import ServeSettings, ServeState, serve_forever
    except ImportError as err:
        raise ConfigError(
            f"kgfuse serve needs the serve extra ({err.name} is missing): "
            "pip install 'kgfuse[serve]'"
        ) from err
    settings = ServeSettings(**values).check()  # type: ignore[arg-type]
    _log_requests()
    if not settings.loopback:
        err_console.print(
            f"warning: listening on {settings.host}, reachable from other machines",
            highlight=False,
        )
    state = ServeState.open(settings)

    def announce(url: str) -> None:
        models = ", ".join(m.name for m in state.models.values()) or "none"
        print(f"kgfuse serve: {url}  (API docs {url}docs; models: {models}; Ctrl-C stops)")
        sys.stdout.flush()

    try:
        serve_forever(state, announce=announce)
    finally:
        state.close()
        print("kgfuse serve: stopped")


def _log_requests() -> None:
    """One line per request on standard error."""
    log = logging.getLogger("kgfuse.serve")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


@app.command("serve", help=_HELP)
def serve(
    store: str = typer.Option(..., "--store", "-s", help=opt.STORE_HELP),
    model: list[str] = typer.Option(
        [], "--model", "-m", help="Model directory to load, optionally NAME=DIR (repeatable)"
    ),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (loopback by default)"),
    port: int = typer.Option(8000, help="TCP port (0: any free port)"),
    allow_write: bool = typer.Option(
        False, "--allow-write", help="Accept POST /documents and DELETE /documents/ID"
    ),
    token: str = typer.Option(
        None, envvar="KGFUSE_TOKEN", help="Bearer token writes must carry (or KGFUSE_TOKEN)"
    ),
    max_body: int = typer.Option(1 << 20, help="Largest request body in bytes"),
    timeout: float = typer.Option(30.0, help="Seconds a request may take (then 504)"),
    query_timeout: float = typer.Option(10.0, help="Seconds a raw query may take"),
    max_rows: int = typer.Option(1000, help="Most rows a raw query returns"),
    cors_origin: list[str] = typer.Option(
        [], "--cors-origin", help="Allow this browser origin (repeatable; CORS is off without)"
    ),
    spacy_model: str = opt.SPACY_MODEL,
) -> None:
    """Serve the REST API and explorer (help: ``_HELP``)."""
    serve_command(
        store=store,
        models=tuple(model),
        host=host,
        port=port,
        allow_write=allow_write,
        token=token,
        max_body=max_body,
        timeout=timeout,
        query_timeout=query_timeout,
        max_rows=max_rows,
        cors_origins=tuple(cors_origin),
        spacy_model=spacy_model,
    )
