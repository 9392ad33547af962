"""``vcd-conformance run --fuzz``: the fuzz area in the product's own run and report.

One in-process run against a simulator that answers 500 to bad bodies: the
XML fuzz case fails naming the seed that reproduces it, the /cloudapi case
passes, both appear in compatibility.json under the area ``fuzz``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import cli

QUIET = ["-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:benchmark"]


def test_fuzz_area_in_run_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = cli.main(
        [
            "run",
            "--fuzz",
            "--reports",
            str(tmp_path / "reports"),
            "--api-version",
            "36.0",
            "-m",
            "fuzz",
            "--vcd-sim-fault",
            "status-500-on-bad-body",
            "--vcd-fuzz-seed",
            "7",
            "--vcd-fuzz-examples",
            "3",
            *QUIET,
        ]
    )
    assert code == cli.EXIT_VIOLATIONS
    (report_file,) = (tmp_path / "reports").glob("*/compatibility.json")
    report = json.loads(report_file.read_text("utf-8"))
    assert "fuzz" in report["areas"]
    results = {r["example"]: r for r in report["results"]}
    assert set(results) == {"fuzz.cloudapi", "fuzz.xml-actions"}
    assert results["fuzz.cloudapi"]["status"] == "pass", results["fuzz.cloudapi"]
    xml = results["fuzz.xml-actions"]
    assert xml["status"] == "fail" and xml["area"] == "fuzz" and xml["message"].startswith("seed 7")
    checks = {v["check"] for v in xml["violations"]}
    assert checks == {"fuzz.server-error"}, checks
    assert all("--vcd-fuzz-seed 7" in v["message"] for v in xml["violations"])
