"""Reading recorded traffic this suite did not make: vcrpy, Ruby VCR and HAR files."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .versions import ApiVersion, version_from_media_type

MAX_FILE = 256 * 1024 * 1024


@dataclass
class Interaction:
    """One recorded request and response, normalised across formats."""

    index: int
    method: str
    uri: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: bytes | None = None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""

    def header(self, name: str, response: bool = True) -> str | None:
        headers = self.response_headers if response else self.request_headers
        for key, value in headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def api_version(self) -> ApiVersion | None:
        return version_from_media_type(self.header("accept", response=False))

    @property
    def content_type(self) -> str:
        return self.header("content-type") or ""


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def _vcrpy(data: dict[str, Any]) -> list[Interaction]:
    out = []
    for index, item in enumerate(data.get("interactions") or [], start=1):
        req, resp = item.get("request", {}), item.get("response", {})
        body = resp.get("body", {})
        out.append(
            Interaction(
                index=index,
                method=str(req.get("method", "GET")).upper(),
                uri=str(req.get("uri", "")),
                request_headers={k: _first(v) for k, v in (req.get("headers") or {}).items()},
                request_body=_bytes(req.get("body")) or None,
                status=(resp.get("status") or {}).get("code"),
                response_headers={k: _first(v) for k, v in (resp.get("headers") or {}).items()},
                response_body=_bytes(body.get("string") if isinstance(body, dict) else body),
            )
        )
    return out


def _ruby_body(body: Any) -> bytes:
    if not isinstance(body, dict):
        return _bytes(body)
    if "base64_string" in body:
        return base64.b64decode(body["base64_string"])
    return _bytes(body.get("string"))


def _ruby(data: dict[str, Any]) -> list[Interaction]:
    out = []
    for index, item in enumerate(data.get("http_interactions") or [], start=1):
        req, resp = item.get("request", {}), item.get("response", {})
        out.append(
            Interaction(
                index=index,
                method=str(req.get("method", "get")).upper(),
                uri=str(req.get("uri", "")),
                request_headers={k: _first(v) for k, v in (req.get("headers") or {}).items()},
                request_body=_ruby_body(req.get("body")) or None,
                status=(resp.get("status") or {}).get("code"),
                response_headers={k: _first(v) for k, v in (resp.get("headers") or {}).items()},
                response_body=_ruby_body(resp.get("body")),
            )
        )
    return out


def _har(data: dict[str, Any]) -> list[Interaction]:
    out = []
    for index, entry in enumerate(data.get("log", {}).get("entries") or [], start=1):
        req, resp = entry.get("request", {}), entry.get("response", {})
        content = resp.get("content", {})
        text = content.get("text") or ""
        body = (
            base64.b64decode(text) if content.get("encoding") == "base64" else text.encode("utf-8")
        )
        post = req.get("postData") or {}
        out.append(
            Interaction(
                index=index,
                method=str(req.get("method", "GET")).upper(),
                uri=str(req.get("url", "")),
                request_headers={
                    h.get("name", ""): h.get("value", "") for h in req.get("headers") or []
                },
                request_body=_bytes(post.get("text")) or None,
                status=resp.get("status"),
                response_headers={
                    h.get("name", ""): h.get("value", "") for h in resp.get("headers") or []
                },
                response_body=body,
            )
        )
    return out


def load(path: Path) -> tuple[str, list[Interaction]]:
    """(format name, interactions) of a recording; UsageError names what was expected."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if size > MAX_FILE:
        raise UsageError(
            f"{path} is {size:,} bytes; recordings over {MAX_FILE:,} bytes are refused"
        )
    text = path.read_text("utf-8", errors="replace")
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UsageError(f"{path} is neither JSON nor YAML: {exc}") from None
    if isinstance(data, dict):
        if "interactions" in data:
            return "vcrpy", _vcrpy(data)
        if "http_interactions" in data:
            return "ruby-vcr", _ruby(data)
        if "log" in data and "entries" in data.get("log", {}):
            return "har", _har(data)
    raise UsageError(
        f"{path}: not a recording this tool reads (expected a vcrpy cassette with "
        "'interactions', a Ruby VCR cassette with 'http_interactions', or a HAR file)"
    )
