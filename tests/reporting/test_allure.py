"""Allure results of a real run: labels, parameters, evidence, failed steps, no secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.redaction import Redactor
from conformance.reporting.allurelabels import scrub_outputs

from .conftest import Run, Runs


def _results(run: Run) -> list[dict[str, Any]]:
    files = sorted(run.allure.glob("*-result.json"))
    assert files, f"no allure results in {run.allure}"
    return [json.loads(p.read_text("utf-8")) for p in files]


def _labels(result: dict[str, Any]) -> dict[str, str]:
    return {
        x["name"]: x["value"] for x in result["labels"] if x["name"] in ("epic", "feature", "story")
    }


def _params(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in result["parameters"]}


def test_every_test_is_labelled_by_chapter_area_and_title(real_runs: Runs) -> None:
    doc = real_runs.baseline.doc()
    expected = {
        (r["example"], r["version"]): {
            "epic": r["chapter"],
            "feature": r["area"],
            "story": r["title"],
        }
        for r in doc["results"]
    }
    results = _results(real_runs.baseline)
    assert len(results) == len(expected)
    for res in results:
        params = _params(res)
        example, version = params["vcd_case"]["value"].strip("'").split("@")
        assert _labels(res) == expected[(example, version)]
        assert params["API version"]["value"] == f"'{version}'"
        assert params["target"]["value"].startswith("'http://127.0.0.1:")
        assert params["target"].get("excluded") is True  # a new port is not a new test


def test_request_and_response_are_attached(real_runs: Runs) -> None:
    run = real_runs.baseline
    res = next(r for r in _results(run) if _labels(r)["feature"] == "vapp")
    attachments = {a["name"]: a for a in res["attachments"]}
    assert {"request", "response", "task polls"} <= set(attachments)
    request = (run.allure / attachments["request"]["source"]).read_text("utf-8")
    response = (run.allure / attachments["response"]["source"]).read_text("utf-8")
    assert request.startswith("POST http://127.0.0.1:")
    assert response.startswith("202 application/vnd.vmware.vcloud.task+xml") and "<Task" in response
    polls = json.loads((run.allure / attachments["task polls"]["source"]).read_text("utf-8"))
    assert polls[0]["observations"][-1]["status"] == "success"


def test_each_violation_is_a_failed_step(real_runs: Runs) -> None:
    failed = [r for r in _results(real_runs.faulty) if r["status"] == "failed"]
    assert failed
    doc = real_runs.faulty.doc()
    by_key = {(r["example"], r["version"]): r for r in doc["results"]}
    for res in failed:
        example, version = _params(res)["vcd_case"]["value"].strip("'").split("@")
        violations = by_key[(example, version)]["violations"]
        steps = res.get("steps", [])
        assert len(steps) == len(violations) > 0
        assert all(s["status"] == "failed" for s in steps)
        assert any("[example.status]" in s["name"] for s in steps)
    passed = [r for r in _results(real_runs.faulty) if r["status"] == "passed"]
    assert passed and all(not r.get("steps") for r in passed)


def test_no_secret_survives_in_allure_or_junit(real_runs: Runs) -> None:
    run = real_runs.baseline
    assert run.secrets, "the leak plugin did not report the run's secrets"
    files = [p for p in run.allure.iterdir() if p.is_file()] + [run.junit]
    files += [p for p in run.folder.iterdir() if p.is_file()]
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        for secret in run.secrets:
            assert secret not in text, f"{path.name} holds a secret"
    # the leak did happen and was scrubbed, in Allure's stdout capture and in junit.xml
    stdout = [p for p in run.allure.glob("*-attachment.txt") if "leak: password=" in p.read_text()]
    assert stdout and all("leak: password=REDACTED" in p.read_text() for p in stdout)
    assert "leak: password=REDACTED" in run.junit.read_text("utf-8")


class _Config:
    def __init__(self, alluredir: Path, xmlpath: Path | None = None) -> None:
        self.option = type("O", (), {"allure_report_dir": str(alluredir), "xmlpath": xmlpath})()


def test_scrub_rewrites_only_files_holding_a_secret(tmp_path: Path) -> None:
    red = Redactor()
    red.add("s3cret-value")
    (tmp_path / "a-result.json").write_text('{"x": "s3cret-value"}', "utf-8")
    (tmp_path / "b-result.json").write_text('{"x": "clean"}', "utf-8")
    (tmp_path / "c-attachment.png").write_bytes(b"\x89PNG\xff\xfe")
    junit = tmp_path.parent / f"{tmp_path.name}-junit.xml"
    junit.write_text("<testsuite>s3cret-value</testsuite>", "utf-8")
    before = (tmp_path / "b-result.json").stat().st_mtime_ns
    changed = scrub_outputs(_Config(tmp_path, junit), red)  # type: ignore[arg-type]
    assert sorted(p.name for p in changed) == sorted(["a-result.json", junit.name])
    assert (tmp_path / "a-result.json").read_text() == '{"x": "REDACTED"}'
    assert junit.read_text() == "<testsuite>REDACTED</testsuite>"
    assert (tmp_path / "b-result.json").stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_scrub_without_outputs_is_a_no_op(tmp_path: Path) -> None:
    red = Redactor()
    red.add("s3cret-value")
    assert scrub_outputs(_Config(tmp_path / "absent"), red) == []  # type: ignore[arg-type]
