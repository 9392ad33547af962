"""A tiny HTTP server on 127.0.0.1 for tests: fixed answers, every request recorded."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class Answer:
    body: bytes
    content_type: str = "application/xml"
    status: int = 200


@dataclass
class Loopback:
    """Serve ``routes`` (path -> Answer); anything else is a 404. Use as a context manager."""

    routes: dict[str, Answer] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                answer = owner.routes.get(self.path.split("?", 1)[0])
                if answer is None:
                    answer = Answer(b"<html><body>Not Found</body></html>", "text/html", 404)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
