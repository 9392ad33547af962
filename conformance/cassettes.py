"""Cassettes (vcrpy): one per example and API version, secret-free and host-free.

Recording rewrites, before anything reaches disk: credentials and passwords
(headers, query strings, XML/JSON bodies) to ``REDACTED``, the cloud's origin
to a placeholder host, and the run id to a fixed token. Replaying therefore
works against any URL, with the run id set to that token, and never sleeps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

from .errors import ReplayMissError
from .redaction import Redactor

PLACEHOLDER = "https://vcd.example.invalid"
RUN_TOKEN = "recorded"
MATCH_ON = ("method", "path", "query")
#: Headers worth keeping in a cassette; transport noise (date, server, user-agent,
#: host, connection, encodings) is dropped.
KEEP_REQUEST_HEADERS = frozenset(
    {"accept", "content-type", "authorization", "x-vcloud-authorization"}
)
KEEP_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "location",
        "retry-after",
        "x-vcloud-authorization",
        "x-vmware-vcloud-access-token",
    }
)


def path_for(root: Path, version: str, area: str, example_id: str) -> Path:
    return root / version / area / f"{example_id}.yaml"


class Scrubber:
    """The before-record hooks: redaction, placeholder host, run-id token."""

    def __init__(self, redactor: Redactor, origin: str, run_id: str) -> None:
        self.redactor = redactor
        self.origin = origin.rstrip("/")
        self.netloc = urlsplit(self.origin).netloc
        self.run_id = run_id

    def text(self, text: str) -> str:
        # secrets first: a secret may contain the host or the run id, and must match whole
        text = self.redactor.text(text)
        text = text.replace(self.origin, PLACEHOLDER).replace(
            self.netloc, urlsplit(PLACEHOLDER).netloc
        )
        if self.run_id != RUN_TOKEN:
            text = text.replace(self.run_id, RUN_TOKEN)
        return text

    def request(self, request: Any) -> Any:
        request.uri = self.text(self.redactor.url(request.uri))
        for key in list(request.headers):
            if key.lower() not in KEEP_REQUEST_HEADERS:
                del request.headers[key]
                continue
            value = request.headers[key]
            request.headers[key] = self.redactor.headers({key: self.text(str(value))})[key]
        if request.body:
            body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
            request.body = self.text(body.decode("utf-8", "replace")).encode("utf-8")
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers", {})
        for key in list(headers):
            if key.lower() not in KEEP_RESPONSE_HEADERS:
                del headers[key]
                continue
            values = headers[key]
            masked = [self.redactor.headers({key: self.text(str(v))})[key] for v in values]
            headers[key] = masked
        body = response.get("body", {}).get("string")
        if body:
            raw = body if isinstance(body, bytes) else str(body).encode()
            with contextlib.suppress(UnicodeDecodeError):
                response["body"]["string"] = self.text(raw.decode("utf-8")).encode("utf-8")
        return response


def make_vcr(mode: str, scrubber: Scrubber | None) -> vcr.VCR:
    """A VCR for ``record`` (overwrite, scrubbed) or ``replay`` (no network at all)."""
    kwargs: dict[str, Any] = {
        "serializer": "yaml",
        "record_mode": "all" if mode == "record" else "none",
        "match_on": MATCH_ON,
        "decode_compressed_response": True,
    }
    if scrubber is not None:
        kwargs["before_record_request"] = scrubber.request
        kwargs["before_record_response"] = scrubber.response
    return vcr.VCR(**kwargs)


class MissTranslating(httpx.BaseTransport):
    """Turns vcrpy's replay miss into a :class:`ReplayMissError` naming the closest request."""

    def __init__(
        self, inner: httpx.BaseTransport, label: str, cassette_path: Path, cassette: Any = None
    ) -> None:
        self.inner = inner
        self.label = label
        self.cassette_path = cassette_path
        self.cassette = cassette

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self.inner.handle_request(request)
        except CannotOverwriteExistingCassetteException:
            raise ReplayMissError(self.explain(request)) from None

    def explain(self, request: httpx.Request) -> str:
        wanted = f"{request.method} {request.url.path}" + (
            f"?{request.url.query.decode()}" if request.url.query else ""
        )
        candidates: list[str] = []
        if self.cassette is not None:
            for recorded in self.cassette.requests:
                candidates.append(
                    f"{recorded.method} {recorded.path}"
                    + (
                        f"?{recorded.query and '&'.join(f'{k}={v}' for k, v in recorded.query)}"
                        if recorded.query
                        else ""
                    )
                )
        if not self.cassette_path.exists():
            return (
                f"{self.label}: no cassette at {self.cassette_path} (record it with "
                "--vcd-mode record)"
            )
        closest = max(
            candidates, key=lambda c: SequenceMatcher(None, c, wanted).ratio(), default=None
        )
        hint = f"; closest recorded request: {closest}" if closest else "; the cassette is empty"
        return f"{self.label}: the cassette {self.cassette_path} has no unplayed {wanted}{hint}"

    def close(self) -> None:
        self.inner.close()


@contextlib.contextmanager
def use(path: Path, mode: str, scrubber: Scrubber | None) -> Iterator[Any]:
    """Record into or replay from ``path`` for the duration of the block."""
    if mode == "replay" and not path.exists():
        raise ReplayMissError(f"no cassette at {path} (record it first with --vcd-mode record)")
    if mode == "record":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # a recording replaces the old cassette, never extends it
    recorder = make_vcr(mode, scrubber)
    with recorder.use_cassette(str(path)) as cassette:
        yield cassette
