"""Property-based testing of the cloud: generated requests, judged against the documents.

Two engines, both seeded and bounded in examples and time:

- :mod:`.cloudapi`: schemathesis over VMware's ``/cloudapi`` Swagger
  descriptions (branding, UI extensions), read from the bundle;
- :mod:`.xmlactions`: hypothesis mutations of valid XML bodies posted to the
  action and edit links of a vApp and its VM, with the XSD as the oracle.

``vcd-conformance run --fuzz`` (pytest: ``--vcd-fuzz``) runs them as the
``fuzz`` area: :func:`cases` lists them, :func:`run_case` turns an engine's
report into an :class:`~conformance.results.ExampleResult`. hypothesis and
schemathesis are imported only when fuzzing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..errors import ConformanceError
from ..results import ERROR, SKIP, ExampleResult
from ..versions import ApiVersion
from ..violations import error, warning

if TYPE_CHECKING:
    from ..suite import Suite

AREA = "fuzz"
CHAPTER = "Property-based testing"
CLOUDAPI_FROM = ApiVersion(33, 0)
KINDS = {
    "cloudapi": (
        "fuzz.cloudapi",
        "Generated /cloudapi requests: branding and UI extensions (schemathesis)",
        "/cloudapi, from VMware's Swagger descriptions",
    ),
    "xml": (
        "fuzz.xml-actions",
        "Generated XML bodies on the action and edit links of a vApp and its VM",
        "/api actions, mutations judged by the XSD",
    ),
}


def cases(versions: tuple[ApiVersion, ...]) -> list[tuple[str, ApiVersion]]:
    """XML fuzzing at every version; /cloudapi once, at the newest version that has it."""
    out = [("xml", v) for v in versions]
    modern = [v for v in versions if v >= CLOUDAPI_FROM]
    if modern:
        out.append(("cloudapi", max(modern)))
    return out


def _result(kind: str, version: ApiVersion) -> ExampleResult:
    ident, title, section = KINDS[kind]
    return ExampleResult(ident, title, AREA, CHAPTER, section, str(version), destructive=True)


def run_case(
    suite: Suite,
    kind: str,
    version: ApiVersion,
    *,
    seed: int = 0,
    max_examples: int = 6,
    time_budget: float = 30.0,
) -> ExampleResult:
    """Run one fuzz case against the suite's target; the result never raises."""
    result = _result(kind, version)
    started = time.perf_counter()
    if suite.options.mode == "replay":
        result.status, result.message = SKIP, "fuzzing needs a cloud (not a replay)"
        return result
    try:
        if kind == "xml":
            _xml(suite, result, version, seed, max_examples, time_budget)
        else:
            _cloudapi(suite, result, version, seed, max_examples, time_budget)
    except ConformanceError as exc:
        result.status, result.message = ERROR, suite.redactor.text(f"seed {seed}: {exc}")
    result.duration = time.perf_counter() - started
    if result.message:
        result.message = suite.redactor.text(result.message)
    return result.finish()


def _xml(
    suite: Suite,
    result: ExampleResult,
    version: ApiVersion,
    seed: int,
    max_examples: int,
    time_budget: float,
) -> None:
    from ..schemas import get_registry
    from . import xmlactions

    target = suite.target()
    if target.read_only:
        result.status, result.message = SKIP, "read-only mode: fuzzing action links writes"
        return
    report = xmlactions.run(
        target,
        version,
        get_registry(suite.options.schemas),
        seed=seed,
        max_examples=max_examples,
        time_budget=time_budget,
        redactor=suite.redactor,
    )
    result.exchanges = report.sent
    statuses = ", ".join(f"{k}x{v}" for k, v in sorted(report.statuses.items())) or "none"
    result.message = (
        f"seed {seed}: {report.sent} bodies ({report.valid} schema-valid) on "
        f"{len(report.targets)} targets in {report.seconds:g} s; answers {statuses}"
    )
    for finding in report.findings:
        result.violations.append(
            error(
                finding.check,
                f"{finding.target}, {finding.mutation}: {finding.detail} "
                f"(reproduce: --vcd-fuzz-seed {seed}, API {version})",
            )
        )
    for problem in report.problems:
        result.violations.append(warning("cleanup", problem))
    if not report.targets and report.problems:
        result.status = ERROR
        result.message = f"seed {seed}: {report.problems[0]}"


def _cloudapi(
    suite: Suite,
    result: ExampleResult,
    version: ApiVersion,
    seed: int,
    max_examples: int,
    time_budget: float,
) -> None:
    from ..client import VcdClient
    from . import cloudapi

    target = suite.target()
    role = "system" if target.system_user and target.system_password else "tenant"
    user, org, password = target.credentials(role)
    with VcdClient(
        target.url, version, verify=target.verify, timeout=target.timeout, read_only=True
    ) as client:
        client.login(user, org, password)
        token = client.bearer or client.token or ""
        suite.redactor.add(token)
        try:
            report = cloudapi.run(
                target.url,
                token,
                seed=seed,
                max_examples=max_examples,
                time_budget=time_budget,
                read_only=target.read_only,
                schemas=suite.options.schemas,
                verify=target.verify,
                timeout=target.timeout,
                redactor=suite.redactor,
            )
        finally:
            client.logout()
    result.exchanges = report.requests
    operations = {o.label for o in report.outcomes}
    result.message = (
        f"seed {seed}: {report.requests} requests on {len(operations)} operations as "
        f"{role} in {report.seconds:g} s"
    )
    for failure in report.failures:
        result.violations.append(
            error("fuzz.cloudapi", f"{failure} (reproduce: --vcd-fuzz-seed {seed})")
        )
    for outcome in report.outcomes:
        if outcome.skipped and outcome.skipped not in (
            "no such inputs can be generated",
            "read-only mode",
        ):
            result.violations.append(
                warning("fuzz.skipped", f"{outcome.label} ({outcome.mode}): {outcome.skipped}")
            )
    for problem in report.problems:
        result.violations.append(warning("cleanup", problem))
