"""Transport chaos: the simulator as a bad cloud (faults in ``faults.CHAOS_FAULTS``).

An ASGI middleware in front of every route. It logs each request (method and
path, for tests that count what reached the cloud) and, when a chaos fault is
on, answers GETs the way a failing cloud or a broken proxy would: 503 bursts,
silence, a connection cut mid-body, a 50 MB body, an HTML page. Session expiry
lives in :meth:`Cloud.session_for`, where sessions are.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .faults import HUGE_BODY_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The longest a ``hang`` lasts if the client never gives up (the server's stop ends it sooner).
HANG_LIMIT = 60.0
_CHUNK = 1024 * 1024


class ChaosReset(Exception):
    """Raised mid-answer so uvicorn drops the connection (``reset-mid-body``)."""


class _QuietReset(logging.Filter):
    """Keeps uvicorn from logging a traceback for the resets we cause on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ChaosReset)


_FILTER = _QuietReset()
logging.getLogger("uvicorn.error").addFilter(_FILTER)


class Chaos:
    """What the middleware shares with its server: the request log and the stop signal."""

    def __init__(self) -> None:
        #: Set when the server stops: ends hanging answers and huge bodies at once.
        self.closing = threading.Event()
        self._lock = threading.Lock()
        #: Every request received, as (method, path), in arrival order.
        self.requests: list[tuple[str, str]] = []

    def log(self, method: str, path: str) -> int:
        """Record a request; return how many requests of that method came so far."""
        with self._lock:
            self.requests.append((method, path))
            return sum(1 for m, _ in self.requests if m == method)

    def count(self, method: str | None = None) -> int:
        with self._lock:
            return sum(1 for m, _ in self.requests if method is None or m == method)


class ChaosMiddleware:
    """Logs requests; applies the chaos faults that are on (see ``faults.CHAOS_FAULTS``)."""

    def __init__(self, app: ASGIApp, cloud: Any, chaos: Chaos) -> None:
        self.app = app
        self.cloud = cloud
        self.chaos = chaos
        self.closing = chaos.closing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        gets = self.chaos.log(method, scope["path"])
        on = self.cloud.faults.on
        if method != "GET":
            await self.app(scope, receive, send)
        elif on("hang"):
            await self._hang(receive)
        elif on("burst-503") and gets % 2 == 0:
            await self._answer(send, 503, b"", {"retry-after": "0"})
        elif on("huge-body"):
            await self._huge(send)
        elif on("html-instead-of-xml"):
            page = (
                b"<!DOCTYPE html><html><head><title>Maintenance</title></head>"
                b"<body><h1>We'll be back soon</h1></body></html>"
            )
            await self._answer(send, 200, page, {"content-type": "text/html; charset=utf-8"})
        elif on("reset-mid-body"):
            await self._reset(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _answer(self, send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
        raw = [(k.encode(), v.encode()) for k, v in headers.items()]
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    async def _hang(self, receive: Receive) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HANG_LIMIT
        while loop.time() < deadline and not self.closing.is_set():
            try:
                message = await asyncio.wait_for(receive(), 0.1)
            except TimeoutError:
                continue
            if message["type"] == "http.disconnect":
                return

    async def _huge(self, send: Send) -> None:
        head = b'<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="running"><Details>'
        tail = b"</Details></Task>"
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/vnd.vmware.vcloud.task+xml")],
            }
        )
        await send({"type": "http.response.body", "body": head, "more_body": True})
        left = HUGE_BODY_BYTES - len(head) - len(tail)
        filler = b"a" * _CHUNK
        while left > 0 and not self.closing.is_set():
            piece = filler[: min(left, _CHUNK)]
            left -= len(piece)
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": tail})

    async def _reset(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the route answer, send half of its body, then drop the connection."""
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, capture)
        if start is None:
            return
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(max(len(body), 2)).encode()))
        await send({**start, "headers": headers})
        await send(
            {"type": "http.response.body", "body": bytes(body[: len(body) // 2]), "more_body": True}
        )
        raise ChaosReset("reset-mid-body: connection dropped on purpose")
