"""Redaction: the one mechanism that keeps secrets out of every artifact.

Cassettes, reports, Allure attachments and logs all pass through a
:class:`Redactor` before anything is written. It removes credential headers,
secret query parameters, password elements in XML and password keys in JSON,
and every secret value it was told about, wherever it appears.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "REDACTED"

#: Headers whose values are credentials (compared case-insensitively).
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-vcloud-authorization",
        "x-vmware-vcloud-access-token",
        "cookie",
        "set-cookie",
    }
)
#: Query parameters that may carry secrets.
SECRET_PARAMS = frozenset({"password", "token", "access_token", "sessionid", "ticket"})
#: XML element local names whose text is a secret (User, GuestCustomizationSection, ...).
SECRET_ELEMENTS = (
    "Password",
    "AdminPassword",
    "DomainUserPassword",
    "Ticket",
    "MksTicket",
    "ScreenTicket",
    "SharedSecret",
    "BindPassword",
    "EncryptedPassword",
)
#: JSON keys whose values are secrets.
SECRET_KEYS = frozenset(
    {"password", "secret", "token", "access_token", "refresh_token", "client_secret"}
)

_XML_SECRET = re.compile(
    r"(<(?:[\w.-]+:)?(" + "|".join(SECRET_ELEMENTS) + r")(?:\s[^>]*)?>)([^<]*)(</(?:[\w.-]+:)?\2>)"
)
#: A credential header's value wherever a header is written as text: ``Name: value``
#: (HTTP, logs) or ``'name': ['value']`` (a dict's repr, as vcrpy logs responses).
_HEADER_VALUE = re.compile(
    r"""(?ix)
    (["']?\b(?:"""
    + "|".join(re.escape(h) for h in sorted(SECRET_HEADERS, key=len, reverse=True))
    + r""")["']?\s*[:=]\s*\[?\s*["']?)
    (?!(?:Basic|Bearer)\s|REDACTED)
    ([^\s"',\]\}]{4,})
    """
)
_BASIC = re.compile(r"\b(Basic|Bearer)\s+([A-Za-z0-9+/=._~-]{8,})", re.IGNORECASE)


def _is_credential(scheme: str, value: str) -> bool:
    """Whether ``Basic X`` / ``Bearer X`` carries a credential, not prose ("Basic authentication").

    Anything with a digit or a base64/token symbol counts; a letters-only word counts
    if it is a Basic value that decodes to ``user:password``, or a Bearer value of 16+
    characters. Doubt redacts.
    """
    if value == MASK:
        return False
    if not value.isalpha():
        return True
    if scheme.lower() == "bearer":
        return len(value) >= 16
    try:
        return b":" in base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False


@dataclass
class Redactor:
    """Removes secrets from headers, URLs and bodies; knows extra secret values."""

    #: Never in repr: a traceback with --showlocals must not print the secrets.
    secrets: set[str] = field(default_factory=set, repr=False)

    def add(self, *values: str | None) -> None:
        for value in values:
            if value and len(value) >= 4:
                self.secrets.add(value)

    # -- pieces ------------------------------------------------------------------
    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
        items = headers.items() if isinstance(headers, Mapping) else headers
        out: dict[str, str] = {}
        for key, value in items:
            out[key] = MASK if key.lower() in SECRET_HEADERS else self.text(value)
        return out

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.query:
            pairs = [
                (k, MASK if k.lower() in SECRET_PARAMS else v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
            ]
            parts = parts._replace(query=urlencode(pairs, safe="/:=*;,"))
        if parts.password or parts.username:
            netloc = parts.hostname or ""
            if parts.port:
                netloc += f":{parts.port}"
            parts = parts._replace(netloc=netloc)
        return self.text(urlunsplit(parts))

    def text(self, text: str) -> str:
        if not text:
            return text
        text = _XML_SECRET.sub(
            lambda m: f"{m.group(1)}{MASK if m.group(3).strip() else ''}{m.group(4)}", text
        )
        text = _BASIC.sub(
            lambda m: f"{m.group(1)} {MASK}" if _is_credential(m[1], m[2]) else m[0], text
        )
        text = _HEADER_VALUE.sub(lambda m: f"{m.group(1)}{MASK}", text)
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def body(self, body: bytes | str | None, content_type: str | None = None) -> bytes | str | None:
        if body is None:
            return None
        as_bytes = isinstance(body, bytes)
        try:
            text = body.decode("utf-8") if isinstance(body, bytes) else body
        except UnicodeDecodeError:
            return body  # binary payloads (OVF disks) are not text; nothing to scrub
        if content_type and "json" in content_type.lower():
            text = self._json(text)
        text = self.text(text)
        return text.encode("utf-8") if as_bytes else text

    def _json(self, text: str) -> str:
        try:
            data = json.loads(text)
        except ValueError:
            return text

        def scrub(node: object) -> object:
            if isinstance(node, dict):
                return {
                    k: (MASK if k.lower() in SECRET_KEYS else scrub(v)) for k, v in node.items()
                }
            if isinstance(node, list):
                return [scrub(v) for v in node]
            return node

        return json.dumps(scrub(data))

    def log_filter(self) -> RedactingFilter:
        """A logging filter that redacts every record (installed on the run's log handlers)."""
        return RedactingFilter(self)

    def contains_secret(self, data: str | bytes) -> bool:
        """True if a known secret value (or a credential header value) is in ``data``."""
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        return (
            any(secret in text for secret in self.secrets)
            or any(_is_credential(m[1], m[2]) for m in _BASIC.finditer(text))
            or _HEADER_VALUE.search(text) is not None
        )


class RedactingFilter(logging.Filter):
    """Rewrites each log record's message through a :class:`Redactor` before any handler
    formats it: third-party libraries (vcrpy logs whole responses, headers included) log
    what they like, and captured logs end up in JUnit, Allure and log files."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        clean = self.redactor.text(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True
