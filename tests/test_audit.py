"""Passive audit of recorded traffic: payload checks plus cross-request checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conformance import cli
from conformance.audit import audit_file

ROOT = Path(__file__).resolve().parents[1]
CONFORMANT = ROOT / "cassettes" / "5.5" / "vapp" / "vapp.power-on.yaml"
V15 = "http://www.vmware.com/vcloud/v1.5"
ACCEPT = {"accept": ["application/*+xml;version=5.5"]}


def task(status: str, progress: int) -> str:
    end = ' endTime="2024-01-01T00:00:09Z"' if status == "success" else ""
    return (
        f'<Task xmlns="{V15}" name="t" status="{status}" href="https://c.example/api/task/1" '
        f'startTime="2024-01-01T00:00:00Z" expiryTime="2024-02-01T00:00:00Z"{end}>'
        f'<Owner href="https://c.example/api/vApp/vapp-1"/><Progress>{progress}</Progress></Task>'
    )


def cassette(tmp_path: Path, answers: list[tuple[str, str, str]]) -> Path:
    """A vcrpy cassette of GETs: (uri, content type, body)."""
    interactions = [
        {
            "request": {"method": "GET", "uri": uri, "body": None, "headers": ACCEPT},
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Type": [kind]},
                "body": {"string": body},
            },
        }
        for uri, kind, body in answers
    ]
    path = tmp_path / "recorded.yaml"
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}), "utf-8")
    return path


TASK_TYPE = "application/vnd.vmware.vcloud.task+xml;version=5.5"


def test_traffic_the_suite_recorded_is_conformant() -> None:
    entries = audit_file(CONFORMANT, "power-on")
    assert entries and entries[0].path == "power-on#1"
    errors = [
        (e.path, v.check, v.message)
        for e in entries
        for v in e.violations
        if v.severity.value == "error"
    ]
    assert errors == []


def test_a_task_that_goes_back_to_queued_is_caught_across_polls(tmp_path: Path) -> None:
    polls = [
        ("https://c.example/api/task/1", TASK_TYPE, task(s, p))
        for s, p in (("running", 10), ("queued", 0), ("success", 100))
    ]
    entries = audit_file(cassette(tmp_path, polls), "t")
    found = {(e.path, v.check) for e in entries for v in e.violations}
    assert ("t#3", "task.transition") in found
    assert ("t#3", "task.progress") in found


def test_a_link_whose_target_answers_another_type_is_caught(tmp_path: Path) -> None:
    org = (
        f'<Org xmlns="{V15}" name="o" href="https://c.example/api/org/1" '
        f'type="application/vnd.vmware.vcloud.org+xml"><Link rel="down" '
        f'type="application/vnd.vmware.vcloud.vdc+xml" href="https://c.example/api/vdc/1"/>'
        f"<FullName>o</FullName></Org>"
    )
    catalog = (
        f'<Catalog xmlns="{V15}" name="c" href="https://c.example/api/vdc/1" '
        f'type="application/vnd.vmware.vcloud.catalog+xml"/>'
    )
    entries = audit_file(
        cassette(
            tmp_path,
            [
                (
                    "https://c.example/api/org/1",
                    "application/vnd.vmware.vcloud.org+xml;version=5.5",
                    org,
                ),
                (
                    "https://c.example/api/vdc/1",
                    "application/vnd.vmware.vcloud.catalog+xml;version=5.5",
                    catalog,
                ),
            ],
        ),
        "l",
    )
    assert any(v.check == "link.follow" for v in entries[1].violations)


def test_the_cli_prints_one_entry_per_interaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    polls = [
        ("https://c.example/api/task/1", TASK_TYPE, task(s, p))
        for s, p in (("running", 50), ("running", 20))
    ]
    path = cassette(tmp_path, polls)
    code = cli.main(["audit", str(path), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["path"] for f in out["files"]] == [f"{path}#1", f"{path}#2"]
    assert out["files"][0]["ok"] is True and out["files"][1]["ok"] is False
    assert {v["check"] for v in out["files"][1]["violations"]} == {"task.progress"}


@pytest.mark.parametrize("content", [None, "a: 1\n"], ids=["missing-file", "not-a-recording"])
def test_usage_errors_exit_2(
    tmp_path: Path, content: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yaml"
    if content is not None:
        path.write_text(content, "utf-8")
    assert cli.main(["audit", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err
