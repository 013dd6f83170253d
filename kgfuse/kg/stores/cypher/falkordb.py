"""FalkorDB backend: ``falkordb://[user[:password]@]host[:port][/graph]``.

Talks to FalkorDB over its own (Redis) protocol with the ``falkordb`` client: its
experimental Bolt port crashed on batches of a few hundred rows. Reads go through
``GRAPH.RO_QUERY``, which the server refuses to let write. A write round is a probe read,
then the prepare statements and the commit statement (the ``Document`` nodes) chained into
ONE query (``combine``): FalkorDB runs a query under the graph's write lock, so no reader
sees any part of a round before all of it, and a client killed mid-round leaves nothing. (A
``MULTI``/``EXEC`` block is not enough: its statements take the lock one by one, and reader
threads ran other clients' queries in between.) The commit only marks documents whose
sentences, mentions and facts are all there, and a failed round is followed by a clean-up of
its documents, so they read as absent until the next write of them. ``stats`` reads its
sizes in one query, so that they agree with each other.

FalkorDB sends parameters as a text header that its parser cuts at a NUL character, so
strings holding ``\\x00`` are refused instead of being sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from kgfuse.errors import StoreConnectionError, StoreError, brief, clip
from kgfuse.kg.stores.cypher import server
from kgfuse.kg.stores.cypher.plan import (
    Plan,
    Probe,
    Row,
    Statement,
    combine,
    delete_statements,
)
from kgfuse.kg.stores.cypher.schema import falkordb_constraint_args, schema_statements
from kgfuse.kg.stores.cypher.store import CypherStore
from kgfuse.kg.stores.cypher.writes import probe_documents

SCHEMES = {"falkordb": False, "falkor": False, "redis": False, "falkors": True, "rediss": True}
DEFAULT_PORT = 6379
DEFAULT_GRAPH = "kgfuse"
_START_HINT = (
    "start one with `docker compose up -d falkordb` (or `docker run -p 6379:6379 "
    "falkordb/falkordb`), or check the host and port"
)
_AUTH_HINT = "check the user and password in the URL or pass user=/password="
_OPTIONS = "user, password, graph, read_only, batch_size, connect_timeout"


class FalkorDBStore(CypherStore):
    """A knowledge graph in a FalkorDB graph.

    Args:
        url: ``falkordb://[user[:password]@]host[:port][/graph]`` (``redis://`` works too;
            ``falkors://``/``rediss://`` use TLS). The graph defaults to ``kgfuse``.
        user: User name (overrides the URL's).
        password: Password (overrides the URL's).
        graph: Graph name (overrides the URL's path); ``database`` is an alias.
        read_only: Refuse writes and do not create indexes.
        batch_size: Documents per write round.
        connect_timeout: Seconds to wait for the server.

    Raises:
        StoreConnectionError: Wrong scheme, unreachable server, refused credentials, or a
            Redis server without the FalkorDB module.
        StoreError: Unknown options.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        graph: str | None = None,
        read_only: bool = False,
        batch_size: int = 200,
        connect_timeout: float = 5.0,
        database: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(batch_size=batch_size, read_only=read_only)
        server.reject_options("FalkorDB", options, _OPTIONS)
        graph = graph or database
        where = server.parse_server_url(
            url, schemes=SCHEMES, backend="FalkorDB", expected="falkordb://host:port/graph"
        )
        host, port = where.host, where.port or DEFAULT_PORT
        user = user or where.user
        password = password or where.password
        self.graph_name = graph or unquote(where.path.strip("/")) or DEFAULT_GRAPH
        who = f"{user}@" if user else ""
        self.url = f"{where.scheme}://{who}{host}:{port}/{self.graph_name}"
        try:
            from falkordb import FalkorDB
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise StoreError("the FalkorDB store needs `pip install kgfuse[falkordb]`") from err
        try:
            self._db = FalkorDB(
                host=host,
                port=port,
                username=user,
                password=password,
                ssl=SCHEMES[where.scheme],
                socket_connect_timeout=connect_timeout,
            )
            self._db.connection.ping()
        except Exception as err:
            raise self._connection_error(err) from err
        self._graph = self._db.select_graph(self.graph_name)
        self._closed = False
        if read_only:
            try:  # fails early on a Redis without the FalkorDB module
                self._db.connection.execute_command("GRAPH.LIST")
            except Exception as err:
                raise self._failure(err, "connect") from err
        else:
            self._create_schema()

    # ------------------------------------------------------------------ backend interface
    def _run(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        return self._query(query, params, write=False)

    def _run_raw(self, query: str, params: Mapping[str, Any], *, write: bool) -> list[Row]:
        return self._query(query, params, write=write)

    def _run_round(self, doc_ids: list[str], plan: Plan) -> None:
        prepare, commit = plan(self._run(probe_documents(), {"doc_ids": doc_ids}))
        # Prepare and commit as ONE query (see combine): one write lock, so no reader ever
        # sees a document half-written, and a client killed mid-round leaves nothing. Two
        # MULTI blocks, or one block of several statements, let readers see sentences,
        # mentions and facts of uncommitted documents.
        error = self._multi([combine([*prepare, *commit])])
        if error is not None:
            # Redis does not roll back: the statements after the failed one ran. The commit
            # checks what was written (see writes.merge_documents), and this clean-up
            # deletes what the round left, so the documents read as absent until rewritten.
            self._multi(delete_statements({i: Probe(False, set()) for i in doc_ids}))
            raise StoreError(f"FalkorDB {self.url} refused a write: {brief(error)}")

    def _multi(self, statements: Sequence[Statement]) -> Exception | None:
        """Send statements as one MULTI/EXEC transaction: one round trip, no interleaving.

        Returns:
            The first statement error the server answered, or None.

        Raises:
            StoreError: The transaction could not be sent at all.
        """
        if not statements:
            return None
        pipe = self._db.connection.pipeline(transaction=True)
        for query, params in statements:
            pipe.execute_command(
                "GRAPH.QUERY", self.graph_name, _with_params(query, params), "--compact"
            )
        try:
            results = pipe.execute(raise_on_error=False)
        except Exception as err:
            raise self._failure(err, "write") from err
        return next((r for r in results if isinstance(r, Exception)), None)

    def _run_many(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> list[list[Row]]:
        """Run read statements as one MULTI/EXEC block: all of them see the same graph."""
        from falkordb.query_result import QueryResult

        if self._closed:
            raise StoreError(f"the store {self.url} is closed")
        pipe = self._db.connection.pipeline(transaction=True)
        for query, params in statements:
            _check_params(params)
            pipe.execute_command(
                "GRAPH.RO_QUERY", self.graph_name, _with_params(query, params), "--compact"
            )
        try:
            results = pipe.execute(raise_on_error=False)
        except Exception as err:
            raise self._failure(err, "query") from err
        out: list[list[Row]] = []
        for result in results:
            if isinstance(result, Exception):
                if "empty key" in str(result):
                    out.append([])  # the graph does not exist yet: it is empty
                    continue
                raise self._failure(result, "query")
            parsed = QueryResult(self._graph, result)
            names = [name for _, name in parsed.header]
            out.append([dict(zip(names, map(_plain, r), strict=True)) for r in parsed.result_set])
        return out

    def close(self) -> None:
        """Close the connection pool (idempotent)."""
        if not self._closed:
            self._closed = True
            self._db.connection.close()

    def drop(self) -> None:
        """Delete the whole graph (all documents, entities and indexes)."""
        self._check_writable()
        try:
            self._graph.delete()
        except Exception as err:
            if "empty key" not in str(err):
                raise self._failure(err, "drop") from err

    # ------------------------------------------------------------------ helpers
    def _query(self, query: str, params: Mapping[str, Any], *, write: bool) -> list[Row]:
        if self._closed:
            raise StoreError(f"the store {self.url} is closed")
        _check_params(params)
        try:
            run = self._graph.query if write else self._graph.ro_query
            result = run(query, dict(params))
        except Exception as err:
            if not write and "empty key" in str(err):
                return []  # the graph does not exist yet: it is empty
            raise self._failure(err, "query") from err
        names = [name for _, name in result.header]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.result_set]

    def _create_schema(self) -> None:
        for statement in schema_statements("falkordb"):
            try:
                self._graph.query(statement)
            except Exception as err:
                if "already indexed" not in str(err):
                    raise self._failure(err, "create indexes") from err
        for args in falkordb_constraint_args(self.graph_name):
            try:
                self._db.connection.execute_command(*args)
            except Exception as err:
                if "already exists" not in str(err):
                    raise self._failure(err, "create constraints") from err

    def _connection_error(self, err: Exception) -> StoreConnectionError:
        import redis.exceptions as rx

        text = str(err)
        if isinstance(err, rx.AuthenticationError) or any(
            word in text for word in ("WRONGPASS", "NOAUTH", "AUTH", "invalid password")
        ):
            return server.credentials_refused("FalkorDB", self.url, err, _AUTH_HINT)
        return server.unreachable("FalkorDB", self.url, err, _START_HINT)

    def _failure(self, err: Exception, what: str) -> StoreError:
        import redis.exceptions as rx

        if isinstance(err, rx.ConnectionError | rx.TimeoutError | OSError):
            return self._connection_error(err)
        if "unknown command" in str(err).lower():
            return StoreConnectionError(
                f"the server at {self.url} answers but is not FalkorDB (no GRAPH module); "
                f"{_START_HINT}"
            )
        if isinstance(err, UnicodeError):
            return StoreError(f"cannot send text to FalkorDB {self.url}: {brief(err)}")
        return server.failed("FalkorDB", self.url, what, err)


def _with_params(query: str, params: Mapping[str, Any]) -> str:
    """Prefix ``query`` with FalkorDB's ``CYPHER name=value`` parameter header."""
    from falkordb.helpers import stringify_param_value

    _check_params(params)
    header = " ".join(f"{name}={stringify_param_value(value)}" for name, value in params.items())
    return f"CYPHER {header} {query}" if header else query


def _check_params(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise StoreError(
                f"FalkorDB cannot take a value holding a NUL character: {clip(repr(value), 60)}; "
                "remove the NUL (kgfuse refuses such ids and texts before any backend sees them)"
            )
    elif isinstance(value, Mapping):
        for item in value.values():
            _check_params(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_params(item)


def _plain(value: Any) -> Any:
    """FalkorDB result values as plain Python: nodes and edges become property dicts."""
    from falkordb import Edge, Node, Path

    if isinstance(value, Node | Edge):
        return {k: _plain(v) for k, v in (value.properties or {}).items()}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
