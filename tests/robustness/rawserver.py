"""A tiny hostile HTTP server on loopback, scripted per test, written on raw sockets.

Each test gives a *script*: a function from the request (and its number) to an
action: a reply, silence, a connection reset mid-body, a slow trickle, a body
announced as 50 MB. Every request is recorded. Connections are closed after each
answer (``Connection: close``), so request counts are exact.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/xml"
    headers: dict[str, str] = field(default_factory=dict)
    #: Content-Length to announce (default: the body's length).
    length: int | None = None

    def head(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} Whatever"]
        if self.content_type:
            lines.append(f"Content-Type: {self.content_type}")
        length = len(self.body) if self.length is None else self.length
        lines.append(f"Content-Length: {length}")
        lines.extend(f"{k}: {v}" for k, v in self.headers.items())
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Hang:
    """Say nothing; keep the connection open until the client leaves (or the server stops)."""


@dataclass
class Reset:
    """Send the head and part of the body, then abort the connection (TCP RST)."""

    reply: Reply
    sent: int = 16


@dataclass
class Trickle:
    """Send the head, then the body one small chunk at a time, ``pause`` seconds apart."""

    reply: Reply
    chunk: int = 64
    pause: float = 0.05


Action = Reply | Hang | Reset | Trickle
Script = Callable[[Seen, int], Action]


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RawServer:
    """Serve ``script`` on 127.0.0.1 (https when given a server-side SSL context)."""

    def __init__(self, script: Script, tls: ssl.SSLContext | None = None) -> None:
        self.script = script
        self.tls = tls
        self.requests: list[Seen] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port: int = self._sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (path is None or r.path == path)
            )

    def __enter__(self) -> RawServer:
        self._accept.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._accept.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    # -- serving -------------------------------------------------------------------------
    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.tls is not None:
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate: nothing more to see
            seen = self._read(conn)
            if seen is None:
                return
            with self._lock:
                self.requests.append(seen)
                number = len(self.requests)
            self._act(conn, self.script(seen, number))
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _read(self, conn: socket.socket) -> Seen | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Seen(method, path, headers, body)

    def _act(self, conn: socket.socket, action: Action) -> None:
        if isinstance(action, Reply):
            conn.sendall(action.head() + action.body)
        elif isinstance(action, Hang):
            conn.settimeout(0.05)
            deadline = time.monotonic() + 60
            while not self._stop.is_set() and time.monotonic() < deadline:
                try:
                    if not conn.recv(1024):
                        return  # the client gave up
                except TimeoutError:
                    continue
        elif isinstance(action, Reset):
            conn.sendall(action.reply.head() + action.reply.body[: action.sent])
            time.sleep(0.02)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif isinstance(action, Trickle):
            conn.sendall(action.reply.head())
            body = action.reply.body
            for start in range(0, len(body), action.chunk):
                if self._stop.is_set():
                    return
                conn.sendall(body[start : start + action.chunk])
                time.sleep(action.pause)
