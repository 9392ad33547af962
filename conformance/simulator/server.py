"""Running the simulator: uvicorn on a real socket, in a thread or in the foreground.

``SimServer`` is what tests and the suite use (ephemeral loopback port, started
and stopped in-process). ``serve_forever`` is the ``vcd-conformance sim``
command: it prints shell ``export`` lines once the socket listens and stops
cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import shlex
import signal
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from .app import create_app
from .cloud import Cloud, SimConfig
from .model import SYSTEM_USER, TENANT_USER


class SimServer:
    """A simulator listening on ``host:port`` (port 0 = ephemeral) in a background thread."""

    def __init__(
        self,
        config: SimConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
    ) -> None:
        self.cloud = Cloud(config)
        self.app = create_app(self.cloud)
        self.host = host
        self.tls = tls
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say
        # so, and without it every answer waits ~40 ms for the client's delayed ACK.
        self._sock = socket.socket(
            socket.AF_INET6 if ":" in host else socket.AF_INET,
            socket.SOCK_STREAM,
            socket.IPPROTO_TCP,
        )
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.ca_file: Path | None = None
        kwargs: dict[str, Any] = {}
        if tls:
            kwargs.update(self._certificates())
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                # no dictConfig: it would close every handler of the process (pytest's
                # --log-file and log capture among them) each time a simulator starts
                log_config=None,
                access_log=False,
                lifespan="off",
                timeout_keep_alive=5,
                **kwargs,
            )
        )
        self._thread: threading.Thread | None = None

    def _certificates(self) -> dict[str, object]:
        import trustme

        self._tmp = tempfile.TemporaryDirectory(prefix="vcd-sim-tls-")
        folder = Path(self._tmp.name)
        ca = trustme.CA()
        cert = ca.issue_cert(self.host, "localhost")
        cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
        ca.cert_pem.write_to_path(str(folder / "ca.pem"))
        self.ca_file = folder / "ca.pem"
        return {
            "ssl_certfile": str(folder / "server.pem"),
            "ssl_keyfile": str(folder / "server.pem"),
        }

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.ca_file is None:
            return None
        return ssl.create_default_context(cafile=str(self.ca_file))

    def start(self, timeout: float = 10.0) -> SimServer:
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._sock]},
            name=f"vcd-sim-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"simulator did not start on {self.url} within {timeout} s")
            time.sleep(0.01)
        return self

    @property
    def alive(self) -> bool:
        """True while the server thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self.app.state.chaos.closing.set()  # ends hanging answers (chaos faults) at once
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._sock.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def exports(self) -> str:
        """Shell lines a script can ``eval`` (the way vcsim prints its GOVC_URL)."""
        pw = self.cloud.passwords
        pairs = [
            ("VCD_URL", self.url),
            ("VCD_ORG", TENANT_USER[1]),
            ("VCD_USER", TENANT_USER[0]),
            ("VCD_PASSWORD", pw["tenant"]),
            ("VCD_SYSTEM_USER", SYSTEM_USER[0]),
            ("VCD_SYSTEM_PASSWORD", pw["system"]),
        ]
        if self.ca_file is not None:
            pairs.append(("VCD_CA_FILE", str(self.ca_file)))
        return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in pairs)


def serve_forever(server: SimServer, announce: Callable[[str], None]) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly (the caller exits 0).

    uvicorn runs in its thread, so it installs no signal handlers of its own:
    run in the main thread it would re-raise the signal after its graceful
    shutdown, and the process would end killed (SIGTERM) or interrupted (130).
    """
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        announce(server.exports())
        while not stop.wait(0.5) and server.alive:
            pass
    finally:
        server.stop()
        server.cloud.save_state()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
