"""Property-based testing of ``/cloudapi`` with schemathesis, from VMware's own descriptions.

Each operation of the chosen paths gets ``max_examples`` generated requests
(valid ones; operations with a body also invalid ones), sent with the caller's
Bearer token. Checks: no 5xx; valid requests answer a documented status
(or a 4xx carrying the description's ``Error`` body: the published files
document no error answers at all), with a body and Content-Type that match
the description; invalid bodies are refused with a 4xx. Generation is seeded
(``hypothesis.seed``), bounded in examples and in time, and never shrinks.

Live clouds: writes change the cloud. The branding is read first and put back
afterwards; UI extensions the run created are deleted. In read-only mode only
GET operations run.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from .. import openapi
from ..client import ReadOnlyTransport, tls_verify
from ..errors import ReadOnlyViolation
from ..redaction import Redactor

PATHS = openapi.SIMULATED_PATHS
PLUGIN = {
    "pluginName": "vcdc-fuzz",
    "vendor": "vcd-conformance",
    "version": "1.0.0",
    "license": "BSD-2-Clause",
    "link": "https://example.invalid/vcdc",
}


@dataclass
class OperationOutcome:
    """What one operation's generated requests showed."""

    label: str
    mode: str
    examples: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    skipped: str | None = None


@dataclass
class CloudApiReport:
    seed: int
    outcomes: list[OperationOutcome] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [f"{o.label} ({o.mode}): {f}" for o in self.outcomes for f in o.failures]

    @property
    def requests(self) -> int:
        return sum(o.examples for o in self.outcomes)


def _error_check(error_schema: dict[str, Any]) -> Callable[..., None]:
    """Documented status, or a 4xx whose body is the description's ``Error``."""

    def documented_status_or_error(ctx: Any, response: Any, case: Any) -> None:
        documented = [str(c) for c in case.operation.responses.status_codes]
        if "default" in documented or str(response.status_code) in documented:
            return
        if 400 <= response.status_code < 500:
            try:
                body = json.loads(response.content or b"null")
            except ValueError:
                body = None
            problems = openapi.errors(error_schema, body, "error body")
            if not problems:
                return
            raise AssertionError(
                f"{response.status_code} is not documented and its body is no Error: {problems[0]}"
            )
        raise AssertionError(
            f"status {response.status_code} is not documented (documented: "
            f"{', '.join(documented)}) and is no 4xx refusal"
        )

    return documented_status_or_error


def _serializers() -> None:
    """Send image bodies (the logo) as the bytes generated."""
    import schemathesis

    if getattr(_serializers, "done", False):
        return

    @schemathesis.serializer("image/png", "image/jpeg", "image/svg+xml")
    def images(ctx: Any, value: Any) -> bytes:
        return value if isinstance(value, bytes) else str(value).encode()

    _serializers.done = True  # type: ignore[attr-defined]


def run(
    origin: str,
    token: str,
    *,
    seed: int = 0,
    max_examples: int = 8,
    time_budget: float = 20.0,
    read_only: bool = False,
    paths: Iterable[str] = PATHS,
    schemas: str | None = None,
    verify: bool | str = True,
    timeout: float = 10.0,
    redactor: Redactor | None = None,
) -> CloudApiReport:
    """Fuzz ``origin``/cloudapi with a Bearer ``token``; never raises for what the cloud does."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.result import Err
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
    )

    _serializers()
    red = redactor or Redactor()
    red.add(token)
    report = CloudApiReport(seed)
    started = time.monotonic()
    doc = openapi.load(paths, schemas)
    base = f"{origin.rstrip('/')}{doc.get('basePath', '/cloudapi')}"
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    positive_checks = [
        not_a_server_error,
        _error_check(doc["definitions"]["Error"]),
        response_schema_conformance,
        content_type_conformance,
    ]
    negative_checks = [not_a_server_error, negative_data_rejection]
    schema = schemathesis.openapi.from_dict(doc)
    http = httpx.Client(
        headers=headers,
        timeout=timeout,
        transport=_transport(httpx.HTTPTransport(verify=tls_verify(verify)), read_only),
    )
    session = _requests_session(verify, read_only)
    saved = _before(http, base, read_only)
    created: list[str] = []
    try:
        for result in schema.get_all_operations():
            if isinstance(result, Err):  # an operation schemathesis cannot read
                report.problems.append(red.text(f"unusable operation: {result.err()}"[:300]))
                continue
            operation = result.ok()
            modes = [GenerationMode.POSITIVE]
            if operation.body:
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:
                outcome = OperationOutcome(operation.label, mode.value)
                report.outcomes.append(outcome)
                left = time_budget - (time.monotonic() - started)
                if read_only and operation.method.upper() != "GET":
                    outcome.skipped = "read-only mode"
                elif left <= 0:
                    outcome.skipped = f"time budget of {time_budget:g} s spent"
                else:
                    strategy = operation.as_strategy(generation_mode=mode)
                    # a fresh UI extension per operation (DELETE may have removed the last)
                    plugin_id = None
                    if "{id}" in operation.path and not read_only:
                        plugin_id = _plugin(http, base, created)
                    if plugin_id is not None:
                        real = operation.as_strategy(
                            generation_mode=mode, path_parameters={"id": plugin_id}
                        )
                        strategy = st.one_of(real, real, strategy)  # mostly one that exists
                    probe = _Probe(
                        outcome,
                        base,
                        headers,
                        positive_checks if mode is GenerationMode.POSITIVE else negative_checks,
                        time.monotonic() + left,
                        timeout,
                        created,
                        red,
                        session,
                    )
                    test = given(case=strategy)(_as_test(probe))
                    test = settings(
                        max_examples=max_examples,
                        deadline=None,
                        database=None,
                        phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=list(HealthCheck),
                    )(test)
                    try:
                        hypothesis_seed(seed)(test)()
                    except Unsatisfiable:
                        outcome.skipped = "no such inputs can be generated"
                    except Exception as exc:  # schemathesis could not use the description
                        outcome.skipped = red.text(f"{type(exc).__name__}: {exc}"[:300])
                outcome.failures = sorted(set(outcome.failures))
    finally:
        report.problems += _after(http, base, saved, created)
        http.close()
        session.close()
        report.seconds = round(time.monotonic() - started, 2)
    return report


def _as_test(probe: _Probe) -> Callable[[Any], None]:
    def probe_case(case: Any) -> None:
        probe(case)

    return probe_case


@dataclass
class _Probe:
    """One generated request: send it, count its status, run the checks."""

    outcome: OperationOutcome
    base: str
    headers: dict[str, str]
    checks: list[Any]
    deadline: float
    timeout: float
    created: list[str]
    redactor: Redactor
    session: Any

    def __call__(self, case: Any) -> None:
        if time.monotonic() > self.deadline:
            return
        outcome = self.outcome
        outcome.examples += 1
        try:
            response = case.call(
                base_url=self.base, headers=self.headers, timeout=self.timeout, session=self.session
            )
        except Exception as exc:  # the cloud broke the connection: a finding
            outcome.failures.append(self.redactor.text(f"request failed: {exc}"[:300]))
            return
        code = response.status_code
        outcome.statuses[code] = outcome.statuses.get(code, 0) + 1
        if code == 201 and case.path == "/extensions/ui":
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.created.append(str(response.json()["id"]))
        try:
            case.validate_response(response, checks=self.checks, headers=self.headers)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is the latter
            lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
            outcome.failures.append(self.redactor.text(" | ".join(lines[:6])[:600]))


def _transport(inner: httpx.BaseTransport, read_only: bool) -> httpx.BaseTransport:
    return ReadOnlyTransport(inner) if read_only else inner


def _requests_session(verify: bool | str, read_only: bool) -> Any:
    """The session schemathesis sends with; in read-only mode it refuses writes itself."""
    import requests
    from requests.adapters import HTTPAdapter

    class ReadOnlyAdapter(HTTPAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if request.method not in ("GET", "HEAD"):
                raise ReadOnlyViolation(
                    f"read-only mode: refused {request.method} {request.url} before it left "
                    "the process"
                )
            return super().send(request, *args, **kwargs)

    session = requests.Session()
    session.verify = verify
    if read_only:
        for prefix in ("http://", "https://"):
            session.mount(prefix, ReadOnlyAdapter())
    return session


def _before(http: httpx.Client, base: str, read_only: bool) -> dict[str, Any] | None:
    if read_only:
        return None
    try:
        response = http.get(f"{base}/branding")
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def _plugin(http: httpx.Client, base: str, created: list[str]) -> str | None:
    """A UI extension that exists, so that /{id} operations meet one (None if refused)."""
    try:
        response = http.post(f"{base}/extensions/ui", json=PLUGIN)
        if response.status_code == 201:
            created.append(str(response.json()["id"]))
            return created[-1]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        pass
    return None


def _after(
    http: httpx.Client, base: str, branding: dict[str, Any] | None, created: list[str]
) -> list[str]:
    """Put the branding back; delete the extensions the run created. Returns what failed."""
    problems = []
    try:
        if branding is not None:
            answer = http.put(f"{base}/branding", json=branding)
            if answer.status_code >= 300:
                problems.append(f"could not restore the branding ({answer.status_code})")
        for plugin_id in created:
            answer = http.delete(f"{base}/extensions/ui/{plugin_id}")
            if answer.status_code not in (204, 404):
                problems.append(f"could not delete UI extension {plugin_id} ({answer.status_code})")
    except httpx.HTTPError as exc:
        problems.append(f"cleanup after fuzzing failed: {exc}")
    return problems
