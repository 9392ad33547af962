"""Fixtures for the report tests: two real suite runs against the embedded simulator.

``real_runs`` starts, in parallel, the same selection of examples twice in
child processes, as a user would (``python -m pytest --pyargs conformance.guide``):

- ``baseline``: a clean simulator, with --alluredir, --junitxml and a plugin that
  leaks the tenant password into captured output (the scrub must remove it);
- ``faulty``: ``--vcd-sim-fault status-200-for-async``, so vApp power actions
  answer 200 instead of 202 and regress.

Unit tests build documents with :func:`result` instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance import bundle
from conformance.reporting import model, profiles

ROOT = Path(__file__).resolve().parents[2]
#: A bounded selection: three examples of two areas at the oldest and the newest
#: suite version (the catalogue has grown; these three keep the runs small).
SELECTION = [
    "-m",
    "browsing or vapp",
    "-k",
    "browsing.versions or browsing.org-list or (vapp.power-on and not refused)",
    "--vcd-api-version",
    "1.5",
    "--vcd-api-version",
    "36.0",
]
FAULT = "status-200-for-async"
#: The runs' profile: what SELECTION covers is required (shipped profiles would also
#: require areas the selection leaves out, and call every verdict "not proven").
PROFILE = """\
name: browsing-vapp
title: Browsing and vApp lifecycle
description: Browsing and vApp lifecycle examples are required; anything else is advisory.
rules:
  - versions: all
    required: ["browsing.versions", "browsing.org-list", "vapp.power-on"]
    advisory: ["*"]
"""


@dataclass
class Run:
    folder: Path  # reports/<run-id>
    junit: Path
    allure: Path
    secrets: list[str]
    output: str

    @property
    def json(self) -> Path:
        return self.folder / "compatibility.json"

    def doc(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.json.read_text("utf-8"))
        return data


@dataclass
class Runs:
    baseline: Run
    faulty: Run


def _start(
    base: Path, run_id: str, schemas: Path, extra: list[str]
) -> tuple[subprocess.Popen[str], Run]:
    profile = base / "browsing-vapp.yaml"
    if not profile.exists():
        profile.write_text(PROFILE, "utf-8")
    work = base / run_id
    work.mkdir()
    reports = work / "reports"
    run = Run(
        folder=reports / run_id,
        junit=work / "junit.xml",
        allure=work / "allure-results",
        secrets=[],
        output="",
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VCD_TEST_SECRETS_FILE": str(work / "secrets.txt"),
    }
    env.pop("VCD_CONFORMANCE_RUN_ID", None)
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "conformance.guide",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--vcd-schemas={schemas}",  # one argument: pytest would take a path for its rootdir
        "--vcd-report",
        str(reports),
        "--vcd-run-id",
        run_id,
        "--vcd-profile",
        str(profile),
        "--junitxml",
        str(run.junit),
        "--alluredir",
        str(run.allure),
        *SELECTION,
        *extra,
    ]
    # cwd outside the project: no pytest.ini/pyproject options leak into the run
    proc = subprocess.Popen(
        argv, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return proc, run


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    try:
        schemas = bundle.locate().root
    except FileNotFoundError as exc:
        pytest.skip(f"report runs need the XSD bundle: {exc}")
    base = tmp_path_factory.mktemp("runs")
    started = [
        _start(
            base,
            "baseline",
            schemas,
            ["-p", "tests.reporting.leakplugin", "-o", "junit_logging=all"],
        ),
        _start(base, "faulty", schemas, ["--vcd-sim-fault", FAULT]),
    ]
    runs = []
    for proc, run in started:
        out, _ = proc.communicate(timeout=180)
        run.output = out
        assert proc.returncode in (0, 1), f"suite run failed to run:\n{out[-3000:]}"
        assert run.json.is_file(), f"no report written:\n{out[-3000:]}"
        secrets = run.folder.parent.parent / "secrets.txt"
        if secrets.exists():
            run.secrets = [s for s in secrets.read_text("utf-8").splitlines() if s]
        runs.append(run)
    return Runs(*runs)


def result(
    example: str,
    version: str = "5.5",
    status: str = "pass",
    *,
    area: str | None = None,
    violations: list[dict[str, Any]] | None = None,
    request: dict[str, Any] | None = None,
    tasks: list[dict[str, Any]] | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """One result dict shaped like ``ExampleResult.to_dict``."""
    return {
        "example": example,
        "title": f"Title of {example}",
        "area": area or example.split(".")[0],
        "chapter": "A Chapter",
        "section": "A Section",
        "version": version,
        "status": status,
        "destructive": False,
        "message": message,
        "duration": 0.01,
        "exchanges": 1,
        "violations": violations
        if violations is not None
        else (
            [{"check": "example.status", "severity": "error", "message": "boom", "line": None}]
            if status == "fail"
            else []
        ),
        "request": request,
        "tasks": tasks or [],
    }


def document(
    results: list[dict[str, Any]], profile: str = "guide", run_id: str = "run-1"
) -> dict[str, Any]:
    """A compatibility document built from hand-made results (no catalogue)."""
    return model.build(
        results,
        profile=profiles.load(profile),
        run_id=run_id,
        started=1_700_000_000.0,
        finished=1_700_000_002.5,
        target={
            "url": "https://cloud.example.com/api",
            "mode": "live",
            "product": None,
            "build": None,
            "faults": [],
        },
    )
