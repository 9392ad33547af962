"""The suite's HTTP client: real requests to a vCloud endpoint, every exchange recorded.

Timeouts on every call; GETs retried with bounded backoff on 5xx bursts and
connection errors, other methods never; one re-login when a session expires;
read-only mode refused at the transport, so no write can leave the process.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .errors import ReadOnlyViolation, TransportError
from .redaction import SECRET_HEADERS
from .safexml import MAX_BYTES
from .versions import ApiVersion

AUTH_HEADER = "x-vcloud-authorization"
ACCESS_TOKEN_HEADER = "x-vmware-vcloud-access-token"
CLOUDAPI_LOGIN_FROM = ApiVersion(33, 0)
RETRY_STATUSES = frozenset({502, 503, 504})
#: The largest body read: no bigger payload can be parsed anyway (``safexml.MAX_BYTES``).
MAX_BODY = MAX_BYTES


@dataclass
class Exchange:
    """One request and its response (or the error that replaced it)."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None
    attempt: int = 1
    #: Whether sending again may help (False for a refused body or a TLS failure).
    retryable: bool = True

    @property
    def content_type(self) -> str:
        """The response's Content-Type ("" when the header is absent)."""
        for key, value in self.response_headers.items():
            if key.lower() == "content-type":
                return value
        return ""


class ReadOnlyTransport(httpx.BaseTransport):
    """Refuses any request but GET/HEAD, except logging in and out."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    @staticmethod
    def allowed(request: httpx.Request) -> bool:
        if request.method in ("GET", "HEAD"):
            return True
        path = request.url.path.rstrip("/")
        if request.method == "POST" and (path.endswith(("/sessions", "/sessions/provider"))):
            return True
        return request.method == "DELETE" and path.endswith("/api/session")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.allowed(request):
            raise ReadOnlyViolation(
                f"read-only mode: refused {request.method} {request.url} before it left the "
                "process (only GET, login and logout are sent)"
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@functools.cache
def tls_verify(verify: bool | str) -> bool | ssl.SSLContext:
    """httpx's ``verify`` from ours: True, False, or a CA bundle file or folder.

    Built once per value: loading a CA bundle costs ~30 ms and every example opens
    a client of its own.
    """
    if verify is False:
        return False
    if verify is True:
        return httpx.create_ssl_context()
    if Path(verify).is_dir():
        return ssl.create_default_context(capath=verify)
    return ssl.create_default_context(cafile=verify)


def _is_tls(exc: httpx.HTTPError) -> bool:
    text = str(exc)
    return isinstance(exc, httpx.ConnectError) and ("SSL" in text or "TLS" in text)


def _describe(exc: httpx.HTTPError, url: str, timeout: float) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return (
                f"TLS verification failed for {url}: {text}. Use --vcd-insecure to skip "
                "verification for a test cloud with a self-signed certificate."
            )
        if _is_tls(exc):
            return f"TLS handshake with {url} failed: {text}. Is it an https endpoint?"
        return f"cannot connect to {url}: {text}. Is the URL right and the cloud up?"
    if isinstance(exc, httpx.TimeoutException):
        return (
            f"no answer from {url} within {timeout:g} s ({type(exc).__name__}); see --vcd-timeout"
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"{url} broke the connection mid-answer: {text}"
    return f"request to {url} failed: {text}"


class VcdClient:
    """A logged-in conversation with one cloud at one API version."""

    def __init__(
        self,
        base_url: str,
        version: ApiVersion,
        *,
        verify: bool | str = True,
        timeout: float = 30.0,
        read_only: bool = False,
        get_retries: int = 3,
        max_body: int = MAX_BODY,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TransportError(
                f"not an http(s) URL: {base_url!r} (example: https://vcloud.example.com)"
            )
        root = base_url.rstrip("/")
        self.api = root if root.endswith("/api") else f"{root}/api"
        self.origin = self.api[: -len("/api")]
        self.version = version
        self.timeout = timeout
        self.read_only = read_only
        self.get_retries = max(0, get_retries)
        self.max_body = max_body
        self.sleep = sleep
        self.on_exchange = on_exchange
        inner = transport or httpx.HTTPTransport(verify=tls_verify(verify))
        self._http = httpx.Client(
            transport=ReadOnlyTransport(inner) if read_only else inner,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
        )
        self.exchanges: list[Exchange] = []
        self.token: str | None = None
        self.bearer: str | None = None
        self.session_url: str | None = None
        self._credentials: tuple[str, str, str] | None = None
        self.relogins = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> VcdClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- headers -----------------------------------------------------------------------
    def accept(self, kind: str = "application/*+xml") -> str:
        return f"{kind};version={self.version}"

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` is on the cloud this client logged in to (scheme, host, port)."""

        def origin(u: str) -> tuple[str, str, int | None]:
            parsed = httpx.URL(u)
            default = {"http": 80, "https": 443}.get(parsed.scheme)
            return parsed.scheme, parsed.host.lower(), parsed.port or default

        try:
            return origin(url) == origin(self.origin)
        except (httpx.InvalidURL, ValueError):
            return False

    def _auth_headers(self) -> dict[str, str]:
        if self.bearer:
            return {"Authorization": f"Bearer {self.bearer}"}
        if self.token:
            return {AUTH_HEADER: self.token}
        return {}

    # -- sending -------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        relogin: bool = True,
    ) -> Exchange:
        """Send one request (GETs retried on 5xx bursts); return the recorded exchange."""
        if url.startswith("/"):
            url = self.origin + url
        all_headers = {"Accept": self.accept()}
        if auth:
            all_headers.update(self._auth_headers())
        if content_type:
            all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        if not self.same_origin(url):  # a link (or LoginUrl) elsewhere never gets credentials
            all_headers = {k: v for k, v in all_headers.items() if k.lower() not in SECRET_HEADERS}
        attempts = 1 + (self.get_retries if method == "GET" else 0)
        exchange = Exchange(method, url, all_headers, body)
        for attempt in range(1, attempts + 1):
            exchange = self._send_once(method, url, all_headers, body, attempt)
            retryable = (
                exchange.error is not None and exchange.retryable
            ) or exchange.status in RETRY_STATUSES
            if not retryable or attempt == attempts:
                break
            self.sleep(self._backoff(exchange, attempt))
        if (
            exchange.status == 401
            and auth
            and relogin
            and self._credentials is not None
            and self.relogins < 1
            and not url.rstrip("/").endswith("/sessions")
            and self.same_origin(url)  # another host's 401 says nothing of our session
        ):
            self.relogins += 1
            self.login(*self._credentials)
            return self.request(
                method,
                url,
                body=body,
                content_type=content_type,
                headers=headers,
                auth=auth,
                relogin=False,
            )
        if exchange.error is not None:
            raise TransportError(exchange.error)
        return exchange

    def _backoff(self, exchange: Exchange, attempt: int) -> float:
        retry_after = exchange.response_headers.get("retry-after") or exchange.response_headers.get(
            "Retry-After"
        )
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), 10.0)
        return min(0.2 * 2.0 ** (attempt - 1), 5.0)

    def _send_once(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, attempt: int
    ) -> Exchange:
        exchange = Exchange(method, url, dict(headers), body, attempt=attempt)
        start = time.perf_counter()
        try:
            with self._http.stream(method, url, headers=headers, content=body) as response:
                exchange.status = response.status_code
                exchange.response_headers = dict(response.headers)
                refused = (
                    f"{method} {url}: response body over {self.max_body:,} bytes; refused "
                    "(the cloud sent far more than any documented representation)"
                )
                declared = response.headers.get("content-length", "").strip()
                if declared.isdigit() and int(declared) > self.max_body:
                    exchange.error, exchange.retryable = refused, False  # not even read
                else:
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_body:
                            exchange.error, exchange.retryable = refused, False
                            break
                        if time.perf_counter() - start > self.timeout:
                            # httpx times each read; a body trickling in forever is cut here
                            exchange.error = (
                                f"no complete answer from {url} within {self.timeout:g} s "
                                f"(the body was still arriving after {size:,} bytes); "
                                "see --vcd-timeout"
                            )
                            break
                        chunks.append(chunk)
                    exchange.response_body = b"".join(chunks)
        except ReadOnlyViolation:
            raise
        except httpx.HTTPError as exc:
            exchange.error = _describe(exc, url, self.timeout)
            exchange.retryable = not _is_tls(exc)
        except httpx.InvalidURL as exc:  # e.g. a hostile href; not an HTTPError
            exchange.error = f"{method} {url}: not a usable URL ({exc})"
            exchange.retryable = False
        exchange.elapsed = time.perf_counter() - start
        self.exchanges.append(exchange)
        if self.on_exchange is not None:
            self.on_exchange(exchange)
        return exchange

    def get(self, url: str) -> Exchange:
        return self.request("GET", url)

    # -- sessions ----------------------------------------------------------------------------
    def login_url(self) -> str:
        """The LoginUrl ``GET /api/versions`` lists for this version (the documented entry)."""
        from . import safexml

        exchange = self.request("GET", f"{self.api}/versions", auth=False)
        if exchange.status != 200:
            raise TransportError(
                f"GET {self.api}/versions answered {exchange.status}; is {self.api} a vCloud API?"
            )
        try:
            root = safexml.parse(exchange.response_body)
        except Exception as exc:
            raise TransportError(f"GET {self.api}/versions did not answer XML: {exc}") from None
        ns = "{http://www.vmware.com/vcloud/versions}"
        for info in root.iter(f"{ns}VersionInfo"):
            if (info.findtext(f"{ns}Version") or "").strip() == str(self.version):
                login = (info.findtext(f"{ns}LoginUrl") or "").strip()
                if login:
                    return login
        listed = [v.text for v in root.iter(f"{ns}Version")]
        raise TransportError(f"{self.api} does not list API {self.version} (it lists {listed})")

    def login(self, user: str, org: str, password: str) -> Exchange:
        """Log in as ``user@org``; from API 33 through /cloudapi like modern clients."""
        self._credentials = (user, org, password)
        basic = base64.b64encode(f"{user}@{org}:{password}".encode()).decode()
        self.token = self.bearer = None
        if self.version >= CLOUDAPI_LOGIN_FROM:
            path = "sessions/provider" if org.lower() == "system" else "sessions"
            exchange = self.request(
                "POST",
                f"{self.origin}/cloudapi/1.0.0/{path}",
                auth=False,
                headers={
                    "Authorization": f"Basic {basic}",
                    "Accept": self.accept("application/json"),
                },
            )
            self._expect_login(exchange)
            self.bearer = exchange.response_headers.get(ACCESS_TOKEN_HEADER)
            if not self.bearer:
                raise TransportError(
                    f"login answered {exchange.status} without {ACCESS_TOKEN_HEADER}"
                )
            session = self.request("GET", f"{self.api}/session")
            self._expect_login(session)
            self.session_url = f"{self.api}/session"
            return session
        exchange = self.request(
            "POST", self.login_url(), auth=False, headers={"Authorization": f"Basic {basic}"}
        )
        self._expect_login(exchange)
        self.token = exchange.response_headers.get(AUTH_HEADER)
        if not self.token:
            raise TransportError(f"login answered {exchange.status} without {AUTH_HEADER}")
        self.session_url = f"{self.api}/session"
        return exchange

    @staticmethod
    def _expect_login(exchange: Exchange) -> None:
        if exchange.status == 401:
            raise TransportError(
                f"login refused (401) at {exchange.url}: check user, org and password"
            )
        if exchange.status != 200:
            raise TransportError(
                f"login at {exchange.url} answered {exchange.status}, expected 200"
            )

    def logout(self) -> None:
        if self.session_url and (self.token or self.bearer):
            with contextlib.suppress(TransportError):
                self.request("DELETE", self.session_url, relogin=False)
        self.token = self.bearer = None
