"""``kgfuse resolve``: cross-document entity resolution over a store (merges and splits)."""

from __future__ import annotations

import typer

from kgfuse.cli.app import app
from kgfuse.cli.options import STORE_HELP
from kgfuse.cli.output import console, print_json, print_table

_SHOWN = 20


@app.command()
def resolve(
    store: str = typer.Option(..., "--store", "-s", help=STORE_HELP, envvar="KGFUSE_STORE"),
    merge: bool = typer.Option(
        True,
        "--merge/--no-merge",
        help="--no-merge: no merges and no splits; every mention gets back its document's key",
    ),
    split: bool = typer.Option(True, "--split/--no-split", help="Split homonym keys"),
    dry_run: bool = typer.Option(False, help="Report what would change, write nothing"),
    show: int = typer.Option(_SHOWN, help="Merges and splits listed in the report"),
    json_output: bool = typer.Option(False, "--json", help="Print the full report as JSON"),
) -> None:
    """Merge name variants and split homonyms across documents (embedded store only).

    Rerun it after each build: unchanged clusters keep their keys.
    """
    from kgfuse.kg.resolve import ResolveConfig
    from kgfuse.kg.resolve.run import resolve_store
    from kgfuse.kg.store import open_store

    config = ResolveConfig(merge=merge, split=merge and split)
    with open_store(store, create=False) as graph:
        result = resolve_store(graph, config, dry_run=dry_run)
    plan = result.plan
    report = {
        "mentions": result.mentions,
        **plan.as_dict(),
        "applied": not dry_run,
        "documents_changed": result.applied.documents,
        "mentions_changed": result.applied.mentions,
        "seconds": round(result.seconds, 2),
    }
    if json_output:
        print_json(report)
        return
    print_table(
        f"Merges ({len(plan.merges)})",
        ["key", "name", "members"],
        [(m.key, m.name, ", ".join(m.members)) for m in plan.merges[:show]],
    )
    print_table(
        f"Splits ({len(plan.splits)})",
        ["key", "type", "documents"],
        [(key, kind, _documents(docs)) for s in plan.splits[:show] for key, kind, docs in s.parts],
    )
    verb = "would rewrite" if dry_run else "rewrote"
    console.print(
        f"{len(plan.merges)} merges, {len(plan.splits)} splits over {plan.entities} entities; "
        f"{verb} {result.applied.documents} documents, {result.applied.mentions} mentions "
        f"({result.seconds:.1f} s)",
        markup=False,
    )


def _documents(docs: tuple[str, ...]) -> str:
    shown = ", ".join(docs[:3])
    return shown + (f" (+{len(docs) - 3})" if len(docs) > 3 else "")
