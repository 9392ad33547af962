"""The run document: counts per area x API version, verdicts, every example's evidence.

:func:`build` turns collected result dicts (``ExampleResult.to_dict``) into the
``compatibility.json`` document; :func:`from_suite` adds what the suite knows
about the run and its target. Nothing here writes files.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..examples import AREAS, Example
from ..results import ERROR, FAIL, NOT_APPLICABLE, PASS, SKIP
from ..versions import ApiVersion
from .profiles import ADVISORY, REQUIRED, Profile

if TYPE_CHECKING:
    from ..suite import Suite

KIND = "vcd-conformance.compatibility"
#: Bumped whenever a reader of the previous format could misread a document.
FORMAT = 2
STATUSES = (PASS, FAIL, ERROR, SKIP, NOT_APPLICABLE)
#: Status of a required example the run did not execute (deselected, interrupted).
NOT_RUN = "not-run"
YES, NO, INCOMPLETE = "yes", "no", "incomplete"
SIMULATOR = "vcd-conformance simulator"


def counts(results: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Status counts plus ``pass_rate`` = pass / (pass + fail + error), None if nothing ran."""
    out: dict[str, Any] = dict.fromkeys(STATUSES, 0)
    for r in results:
        out[r["status"]] += 1
    out["total"] = sum(out[s] for s in STATUSES)
    decided = out[PASS] + out[FAIL] + out[ERROR]
    out["pass_rate"] = round(out[PASS] / decided, 4) if decided else None
    return out


def version_key(version: str) -> tuple[int, int]:
    v = ApiVersion.parse(version)
    return v.major, v.minor


def _area_key(area: str) -> tuple[int, str]:
    return (AREAS.index(area) if area in AREAS else len(AREAS), area)


def build(
    results: Sequence[dict[str, Any]],
    *,
    profile: Profile,
    catalogue: Sequence[Example] = (),
    run_id: str,
    started: float,
    finished: float,
    target: dict[str, Any],
) -> dict[str, Any]:
    """The compatibility document (not yet redacted: :func:`writer.write_run` does that)."""
    versions = sorted({r["version"] for r in results}, key=version_key)
    areas = sorted({r["area"] for r in results}, key=_area_key)
    latest = {(r["example"], r["version"]): r for r in results}  # a rerun replaces
    judged = [
        {**r, "requirement": profile.requirement(r["example"], r["version"])}
        for r in sorted(latest.values(), key=lambda r: (version_key(r["version"]), r["example"]))
    ]
    summary = []
    for area in areas:
        for version in versions:
            cell = [r for r in judged if r["area"] == area and r["version"] == version]
            if cell:
                summary.append({"area": area, "version": version, **counts(cell)})
    return {
        "kind": KIND,
        "format": FORMAT,
        "suite_version": __version__,
        "run_id": run_id,
        "started": _iso(started),
        "duration": round(max(finished - started, 0.0), 3),
        "target": {**target, "api_versions": versions},
        "profile": profile.to_dict(),
        "areas": areas,
        "totals": counts(judged),
        "version_totals": [
            {"version": v, **counts(r for r in judged if r["version"] == v)} for v in versions
        ],
        "summary": summary,
        "verdicts": [_verdict(v, judged, profile, catalogue) for v in versions],
        "results": judged,
    }


def _verdict(
    version: str, judged: list[dict[str, Any]], profile: Profile, catalogue: Sequence[Example]
) -> dict[str, Any]:
    here = [r for r in judged if r["version"] == version]
    required = [r for r in here if r["requirement"] == REQUIRED and r["status"] != NOT_APPLICABLE]
    advisory = [r for r in here if r["requirement"] == ADVISORY and r["status"] != NOT_APPLICABLE]
    ran = {r["example"] for r in here}
    v = ApiVersion.parse(version)
    missing = [
        ex
        for ex in catalogue
        if ex.applies_to(v) and ex.id not in ran and profile.requirement(ex.id, v) == REQUIRED
    ]

    def brief(r: dict[str, Any]) -> dict[str, Any]:
        return {"example": r["example"], "title": r["title"], "status": r["status"]}

    deviations = [brief(r) for r in required if r["status"] in (FAIL, ERROR)]
    not_proven = [brief(r) for r in required if r["status"] == SKIP] + [
        {"example": ex.id, "title": ex.title, "status": NOT_RUN} for ex in missing
    ]
    if deviations:
        verdict = NO
        n = len(deviations)
        text = f"no, {n} deviation{'s' if n != 1 else ''}"
    elif not required and not missing:
        verdict, text = INCOMPLETE, f"not proven, profile {profile.name} requires no example here"
    elif not_proven:
        verdict = INCOMPLETE
        n = len(not_proven)
        text = f"not proven, {n} required example{'s' if n != 1 else ''} not run or skipped"
    else:
        verdict, text = YES, "yes"
    return {
        "version": version,
        "verdict": verdict,
        "conforms": verdict == YES,
        "line": f"conforms to API {version}: {text}",
        "required": {
            "total": len(required) + len(missing),
            "passed": sum(r["status"] == PASS for r in required),
        },
        "advisory": {"total": len(advisory), "passed": sum(r["status"] == PASS for r in advisory)},
        "deviations": deviations,
        "not_proven": not_proven,
        "advisory_failures": [brief(r) for r in advisory if r["status"] in (FAIL, ERROR)],
    }


def _iso(when: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


def target_info(suite: Suite) -> dict[str, Any]:
    """URL (secrets removed), mode, product/build when known, simulator faults.

    Never starts a target: on an xdist controller the workers own the simulators.
    """
    options = suite.options
    known = suite._target  # read, never create
    url = known.url if known is not None else options.url
    product = build_id = None
    if suite.uses_simulator:
        product, build_id = SIMULATOR, __version__
    product = getattr(suite, "product", None) or product
    build_id = getattr(suite, "build", None) or build_id
    return {
        "url": suite.redactor.url(url) if url else None,
        "mode": options.mode,
        "product": product,
        "build": build_id,
        "faults": list(options.faults),
    }


def from_suite(suite: Suite, run_id: str, profile: Profile) -> dict[str, Any]:
    from ..examples import load

    return build(
        suite.collected,
        profile=profile,
        catalogue=load(),
        run_id=run_id,
        started=suite.started,
        finished=time.time(),
        target=target_info(suite),
    )
