"""write_run: the run folder, its name, redaction; the collector that feeds it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conformance.errors import UsageError
from conformance.plugin import RESULT_PROPERTY, ResultCollector
from conformance.reporting import write_run
from conformance.reporting.writer import RUN_ID_ENV

from .conftest import result
from .test_model import make_suite as _suite


def test_write_run_writes_three_redacted_files(tmp_path: Path) -> None:
    suite = _suite(
        tmp_path,
        mode="live",
        url="https://bob:pw-in-url@cloud.example.com/api?token=abc123",
        org="acme",
        user="bob",
        run_id="ci-42",
        profile="core",
    )
    path = write_run(suite, tmp_path / "reports")
    assert path == tmp_path / "reports" / "ci-42" / "compatibility.json"
    doc = json.loads(path.read_text("utf-8"))
    assert doc["run_id"] == "ci-42" and doc["profile"]["name"] == "core"
    assert doc["target"]["url"] == "https://cloud.example.com/api?token=REDACTED"
    assert doc["target"]["product"] is None and doc["target"]["mode"] == "live"
    for name in ("compatibility.json", "compatibility.html", "compatibility.md"):
        text = (path.parent / name).read_text("utf-8")
        assert "hunter2-very-secret" not in text, name
        assert "pw-in-url" not in text and "abc123" not in text, name
    assert "REDACTED" in path.read_text("utf-8")


def test_run_id_comes_from_the_environment_else_the_start_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RUN_ID_ENV, "from-env")
    assert write_run(_suite(tmp_path), tmp_path).parent.name == "from-env"
    monkeypatch.delenv(RUN_ID_ENV)
    first = write_run(_suite(tmp_path), tmp_path / "t")
    second = write_run(_suite(tmp_path), tmp_path / "t")  # same second: a distinct folder
    assert first.parent != second.parent
    assert first.exists() and second.exists()
    with pytest.raises(UsageError, match="run id"):
        write_run(_suite(tmp_path), tmp_path, run_id="../escape")


@pytest.mark.parametrize("controller", [True, False])
def test_collector_keeps_results_out_of_junit_only_on_the_controller(controller: bool) -> None:
    suite = _suite(Path("."))
    suite.collected = []
    collector = ResultCollector(suite, controller)
    payload = json.dumps(result("vapp.a"))
    reports = [
        SimpleNamespace(when=when, user_properties=[("other", "x"), (RESULT_PROPERTY, payload)])
        for when in ("setup", "call", "teardown")
    ]
    for report in reports:
        collector.pytest_runtest_logreport(report)  # type: ignore[arg-type]
    assert [r["example"] for r in suite.collected] == ["vapp.a"]  # once, from the call phase
    for report in reports:
        names = [name for name, _ in report.user_properties]
        # a worker must pass the property on to the controller (xdist ships it)
        assert names == (["other"] if controller else ["other", RESULT_PROPERTY])
