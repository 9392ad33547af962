"""The detection matrix: the suite against the simulator, clean and once per fault.

Clean must give no failure; each fault must be caught by a check that names it
precisely (``EXPECTED``), not merely by some unrelated failure. Runs go in
parallel processes; each fault run stops at its first precise detection.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import examples
from .examples import SUITE_VERSIONS
from .results import ERROR, FAIL, PASS
from .runner import Runner
from .schemas import get_registry
from .simulator.faults import FAULTS
from .target import Target
from .versions import ApiVersion

#: fault -> the checks that name it precisely.
EXPECTED: dict[str, frozenset[str]] = {
    "schema-missing-attribute": frozenset({"schema.valid"}),
    "schema-wrong-type": frozenset({"schema.valid"}),
    "schema-unknown-element": frozenset({"schema.valid"}),
    "version-leak": frozenset({"schema.version"}),
    "version-accept-ignored": frozenset(
        {"media-type.known", "example.media-type", "version.negotiation"}
    ),
    "version-unknown-accepted": frozenset({"version.negotiation", "example.status"}),
    "media-type-wrong": frozenset({"media-type.match", "example.media-type"}),
    "media-type-missing": frozenset({"media-type.known", "example.media-type"}),
    "html-error-page": frozenset({"example.error"}),
    "task-status-regresses": frozenset({"task.transition"}),
    "task-success-without-endtime": frozenset({"task.invariants"}),
    "task-progress-falls": frozenset({"task.progress"}),
    "task-progress-over-100": frozenset({"task.invariants"}),
    "task-error-without-error": frozenset({"task.invariants"}),
    "task-never-ends": frozenset({"task.terminates"}),
    "task-cancel-ignored": frozenset({"task.cancel"}),
    "task-missing-owner": frozenset({"task.invariants"}),
    "busy-entity-ignored": frozenset({"entity.busy"}),
    "link-wrong-state": frozenset({"entity.state-links"}),
    "link-href-404": frozenset({"link.follow", "example.navigation"}),
    "link-type-mismatch": frozenset({"link.follow"}),
    "link-duplicate-rel": frozenset({"link.unique"}),
    "session-survives-logout": frozenset({"session.logout"}),
    "status-200-for-async": frozenset({"example.status"}),
    "status-500-on-bad-body": frozenset({"example.status"}),
}
#: Examples tried first for a fault (an ordering that makes the matrix fast; every
#: other example still runs if these do not catch the fault).
HINTS: dict[str, tuple[str, ...]] = {
    "schema-missing-attribute": ("browsing.org",),
    "schema-wrong-type": ("browsing.vdc",),
    "schema-unknown-element": ("browsing.vapp",),
    "version-leak": ("browsing.",),
    "version-accept-ignored": ("browsing.",),
    "version-unknown-accepted": ("browsing.negotiation", "browsing.unsupported-version"),
    "media-type-wrong": ("browsing.vdc",),
    "media-type-missing": ("browsing.",),
    "html-error-page": ("vapp.delete",),
    "task-status-regresses": ("vapp.clone",),
    "task-progress-falls": ("vapp.clone",),
    "task-error-without-error": ("blocking.fail",),
    "task-cancel-ignored": ("tasks.cancel",),
    "busy-entity-ignored": ("tasks.busy",),
    "link-wrong-state": ("vapp.power-on",),
    "link-href-404": ("browsing.links-org", "browsing.vdc"),
    "link-type-mismatch": ("browsing.links-org",),
    "link-duplicate-rel": ("browsing.login",),
    "session-survives-logout": ("browsing.session-ends",),
    "status-500-on-bad-body": ("vapp.deploy-malformed-body",),
}
#: Order in which versions are tried for a fault (old-version faults show at 5.5).
FAULT_VERSIONS = ("5.5", "36.0", "5.1", "1.5")
#: Watch timeout under a fault: a task that never ends is given up on quickly.
FAULT_TASK_TIMEOUT = 3.0


@dataclass
class FaultOutcome:
    fault: str
    description: str
    detected: bool = False
    precise: bool = False
    checks: list[str] = field(default_factory=list)
    example: str | None = None
    version: str | None = None
    cases: int = 0
    seconds: float = 0.0


@dataclass
class CleanOutcome:
    version: str
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _target(faults: tuple[str, ...], task_timeout: float) -> tuple[Any, Target]:
    from .simulator.cloud import SimConfig
    from .simulator.server import SimServer
    from .suite import SIM_TASK_SPEED

    server = SimServer(SimConfig(task_speed=SIM_TASK_SPEED, faults=faults)).start()
    pw = server.cloud.passwords
    target = Target(
        server.url,
        "acme",
        "alice",
        pw["tenant"],
        "administrator",
        pw["system"],
        task_timeout=task_timeout,
    )
    return server, target


def run_clean(version: str) -> CleanOutcome:
    started = time.perf_counter()
    outcome = CleanOutcome(version)
    server, target = _target((), 60.0)
    try:
        runner = Runner(target, ApiVersion.parse(version))
        for example in examples.load():
            if not example.applies_to(runner.version):
                continue
            result = runner.run(example)
            outcome.cases += 1
            if result.status not in (PASS, "skip"):
                outcome.failures.append(f"{example.id}@{version}: {result.summary()}")
    finally:
        server.stop()
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


def run_fault(fault: str) -> FaultOutcome:
    started = time.perf_counter()
    description = next(f.description for f in FAULTS if f.name == fault)
    outcome = FaultOutcome(fault, description)
    wanted = EXPECTED.get(fault, frozenset())
    server, target = _target((fault,), FAULT_TASK_TIMEOUT)
    seen: set[str] = set()
    try:
        hints = HINTS.get(fault, ())
        ordered = sorted(
            examples.load(), key=lambda ex: 0 if any(ex.id.startswith(h) for h in hints) else 1
        )
        for raw in FAULT_VERSIONS:
            runner = Runner(target, ApiVersion.parse(raw))
            for example in ordered:
                if not example.applies_to(runner.version):
                    continue
                result = runner.run(example)
                outcome.cases += 1
                if result.status not in (FAIL, ERROR):
                    continue
                outcome.detected = True
                failed = set(result.failed_checks)
                seen |= failed
                if failed & wanted:
                    outcome.precise = True
                    outcome.example, outcome.version = example.id, raw
                    outcome.checks = sorted(failed & wanted) + sorted(failed - wanted)
                    return outcome
        outcome.checks = sorted(seen)
        return outcome
    finally:
        server.stop()
        outcome.seconds = round(time.perf_counter() - started, 2)


def selftest(
    workers: int = 2,
    faults: list[str] | None = None,
    versions: tuple[ApiVersion, ...] = SUITE_VERSIONS,
) -> dict[str, Any]:
    """Run everything; return the matrix (also what ``--json`` writes)."""
    get_registry()  # compile once; forked workers inherit it
    examples.load()
    chosen = faults or [f.name for f in FAULTS]
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context) as pool:
        clean_jobs = [pool.submit(run_clean, str(v)) for v in versions]
        fault_jobs = [pool.submit(run_fault, name) for name in chosen]
        clean = [job.result() for job in clean_jobs]
        outcomes = [job.result() for job in fault_jobs]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "clean": [asdict(c) for c in clean],
        "clean_failures": sum(len(c.failures) for c in clean),
        "faults": [asdict(o) for o in outcomes],
        "detected": sum(o.detected for o in outcomes),
        "precise": sum(o.precise for o in outcomes),
        "total": len(outcomes),
    }


def render(matrix: dict[str, Any]) -> str:
    lines = [f"{'fault':30} {'detected':9} {'precise':8} by (first example)"]
    for row in matrix["faults"]:
        where = f"{row['example']}@{row['version']}" if row["example"] else "-"
        lines.append(
            f"{row['fault']:30} {'yes' if row['detected'] else 'NO':9} "
            f"{'yes' if row['precise'] else 'NO':8} {', '.join(row['checks']) or '-'} ({where})"
        )
    clean_cases = sum(c["cases"] for c in matrix["clean"])
    lines.append(f"clean run: {clean_cases} cases, {matrix['clean_failures']} failures")
    for c in matrix["clean"]:
        for failure in c["failures"][:5]:
            lines.append(f"  {failure.splitlines()[0]}")
    lines.append(
        f"faults detected precisely: {matrix['precise']}/{matrix['total']} in {matrix['seconds']} s"
    )
    return "\n".join(lines)


def write(matrix: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(matrix, indent=2) + "\n", "utf-8")


def passed(matrix: dict[str, Any]) -> bool:
    return matrix["clean_failures"] == 0 and matrix["precise"] == matrix["total"]
