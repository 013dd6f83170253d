"""Neo4j backend: ``neo4j://``, ``neo4j+s://``, ``bolt://`` (official driver).

Reads run in ``execute_read`` (READ access mode: the server itself refuses writes there);
a write round (probe, deletes, writes, commit marker) runs in one ``execute_write`` managed
transaction, which the driver retries as a whole on transient errors: a retry starts from
a rolled-back state and re-probes, so it never duplicates anything. The statements are the
ones FalkorDB runs, so the FalkorDB contract tests exercise them without a Neo4j server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlunsplit

from kgfuse.errors import ReadOnlyQueryError, StoreConnectionError, StoreError
from kgfuse.kg.stores.cypher import server
from kgfuse.kg.stores.cypher.plan import Plan, Row
from kgfuse.kg.stores.cypher.schema import schema_statements
from kgfuse.kg.stores.cypher.store import CypherStore
from kgfuse.kg.stores.cypher.writes import probe_documents

SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})
_START_HINT = "start one with `docker compose up -d neo4j`, or check the host and port"
_AUTH_HINT = "check NEO4J_USER/NEO4J_PASSWORD (or pass user=/password=)"
_OPTIONS = "user, password, database, read_only, batch_size, connect_timeout"


class Neo4jStore(CypherStore):
    """A knowledge graph in a Neo4j 5 database.

    Args:
        url: ``neo4j://host:7687`` (or ``neo4j+s://``, ``bolt://`` ...); a ``user:password@``
            in the URL is used and never shown.
        user: User name; default the URL's, then ``NEO4J_USER``, then ``neo4j``.
        password: Password; default the URL's, then ``NEO4J_PASSWORD``.
        database: Database name; default ``NEO4J_DATABASE``, then the server's default.
        read_only: Refuse writes and do not create the schema.
        batch_size: Documents per write transaction.
        connect_timeout: Seconds to wait for the server.

    Raises:
        StoreConnectionError: Wrong scheme, unreachable server or refused credentials.
        StoreError: Unknown options.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        read_only: bool = False,
        batch_size: int = 200,
        connect_timeout: float = 10.0,
        **options: Any,
    ) -> None:
        super().__init__(batch_size=batch_size, read_only=read_only)
        server.reject_options("Neo4j", options, _OPTIONS)
        where = server.parse_server_url(
            url, schemes=SCHEMES, backend="Neo4j", expected=f"one of {sorted(SCHEMES)}"
        )
        user = user or where.user
        user = user or os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or "neo4j"
        if password is None:
            password = where.password
        if password is None:
            password = os.environ.get("NEO4J_PASSWORD")
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        parts = (where.path, where.query, "")
        self.url = urlunsplit((where.scheme, f"{user}@{where.netloc}", *parts))
        try:
            import neo4j
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise StoreError("the Neo4j store needs `pip install kgfuse[neo4j]`") from err
        self._neo4j = neo4j
        auth = (user, password) if password is not None else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                urlunsplit((where.scheme, where.netloc, *parts)),
                auth=auth,
                connection_timeout=connect_timeout,
            )
            self._driver.verify_connectivity()
        except Exception as err:
            raise self._failure(err, "connect") from err
        if not read_only:
            with self._session(write=True) as session:
                for statement in schema_statements("neo4j"):
                    self._guard(lambda s=statement: session.run(s).consume(), "create schema")

    # ------------------------------------------------------------------ backend interface
    def _run(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run_raw(query, params, write=False)

    def _run_raw(self, query: str, params: Mapping[str, Any], *, write: bool) -> list[Row]:
        with self._session(write=write) as session:
            run = session.execute_write if write else session.execute_read
            return self._guard(lambda: run(_fetch, query, dict(params)), "query")

    def _run_round(self, doc_ids: list[str], plan: Plan) -> None:
        # Probe and writes in one transaction: a retry re-probes, and both parts commit or
        # neither does.
        def work(tx: Any) -> None:
            prepare, commit = plan(_fetch(tx, probe_documents(), {"doc_ids": doc_ids}))
            for query, params in [*prepare, *commit]:
                tx.run(query, params).consume()

        with self._session(write=True) as session:
            self._guard(lambda: session.execute_write(work), "write")

    def close(self) -> None:
        """Close the driver (idempotent)."""
        self._driver.close()

    def drop(self) -> None:
        """Delete every node with a kgfuse label (the schema stays)."""
        self._check_writable()
        query = "MATCH (n) WHERE n:Document OR n:Sentence OR n:Mention OR n:Entity DETACH DELETE n"
        self._run_raw(query, {}, write=True)

    # ------------------------------------------------------------------ helpers
    def _session(self, *, write: bool) -> Any:
        mode = self._neo4j.WRITE_ACCESS if write else self._neo4j.READ_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _guard(self, call: Any, what: str) -> Any:
        try:
            return call()
        except Exception as err:
            raise self._failure(err, what) from err

    def _failure(self, err: Exception, what: str) -> StoreError:
        if isinstance(err, StoreError):
            return err
        x = self._neo4j.exceptions
        if isinstance(err, x.AuthError):
            return server.credentials_refused("Neo4j", self.url, err, _AUTH_HINT)
        if isinstance(err, x.ServiceUnavailable | x.SessionExpired | OSError):
            return server.unreachable("Neo4j", self.url, err, _START_HINT)
        if isinstance(err, x.ConfigurationError | ValueError) and what == "connect":
            return StoreConnectionError(f"cannot use the Neo4j URL {self.url}: {err}")
        code = getattr(err, "code", None) or ""
        if "AccessMode" in code or isinstance(err, x.ForbiddenOnReadOnlyDatabase):
            return ReadOnlyQueryError(
                f"Neo4j refused a write in a read-only query ({err}); pass --allow-write "
                "(allow_write=True) to run updates"
            )
        return server.failed("Neo4j", self.url, what, err)


def _fetch(tx: Any, query: str, params: dict[str, Any]) -> list[Row]:
    return tx.run(query, params).data()
