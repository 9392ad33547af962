"""schema.valid and schema.version."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.payload import Payload
from conformance.versions import V

from .conftest import RunCheck, load

TASK_MT = "application/vnd.vmware.vcloud.task+xml"
SESSION_MT = "application/vnd.vmware.vcloud.session+xml"


@pytest.mark.parametrize(
    ("rel", "version"),
    [
        ("1.5/task-running.xml", "1.5"),
        ("5.1/vapp.xml", "5.1"),
        ("5.5/metadata.xml", "5.5"),
        ("5.5/blockingtask.xml", "5.5"),
    ],
    ids=["task-1.5", "vapp-5.1", "metadata-5.5", "blockingtask-5.5"],
)
@pytest.mark.parametrize("check_id", ["schema.valid", "schema.version"])
def test_silent_on_valid_payloads(
    run_check: RunCheck, check_id: str, rel: str, version: str
) -> None:
    assert run_check(check_id, load(rel), None, version) == []


def test_valid_fires_with_location(run_check: RunCheck) -> None:
    body = load("1.5/task-running.xml", ("<Progress>40</Progress>", "<Progress>40%</Progress>"))
    (violation,) = run_check("schema.valid", body, TASK_MT, "1.5")
    assert violation.line == 7
    assert violation.path == "/Task/Progress"
    assert "'40%' is not a valid value" in violation.message
    assert "[vcloud/task.xsd:" in violation.message
    assert run_check("schema.version", body, TASK_MT, "1.5") == []


def test_valid_fires_on_unknown_root(run_check: RunCheck) -> None:
    body = b'<Tsak xmlns="http://www.vmware.com/vcloud/v1.5" status="running"/>'
    (violation,) = run_check("schema.valid", body, None, "5.5")
    assert "No matching global declaration" in violation.message


def test_valid_fires_without_version_against_published_schema(run_check: RunCheck) -> None:
    body = load(
        "1.5/task-running.xml", ('status="running"', 'status="running" cancelRequested="maybe"')
    )
    (violation,) = run_check("schema.valid", body, TASK_MT)
    assert "cancelRequested" in violation.message


def test_version_fires_on_newer_attribute(run_check: RunCheck) -> None:
    body = load("5.5/session.xml")
    (violation,) = run_check("schema.version", body, SESSION_MT, "5.1")
    assert violation.path == "/Session"
    assert violation.line == 2
    assert "userId" in violation.message
    assert "(at API 5.1; added in 5.5)" in violation.message
    assert run_check("schema.valid", body, SESSION_MT, "5.1") == []  # not double-reported


def test_version_fires_on_removed_element(run_check: RunCheck) -> None:
    (violation,) = run_check("schema.version", load("1.5/vdc.xml"), None, "5.5")
    assert violation.path == "/Vdc/StorageCapacity"
    assert "removed in 5.1" in violation.message


def test_version_fires_on_newer_global_element(run_check: RunCheck) -> None:
    found = run_check("schema.version", load("5.5/vapp.xml"), None, "5.1")
    messages = [v.message for v in found]
    assert any("CoresPerSocket (element CoresPerSocket) is added in 5.5" in m for m in messages)
    core = next(v for v in found if "CoresPerSocket" in v.message and "element" in v.message)
    assert core.path is not None and core.path.endswith("/CoresPerSocket")


def test_version_fires_on_newer_global_type(run_check: RunCheck) -> None:
    found = run_check("schema.version", load("5.1/vapp.xml"), None, "1.5")
    assert any(
        "SnapshotSection (type SnapshotSectionType) is added in 5.1; not part of API 1.5"
        in v.message
        for v in found
    )


def test_version_taken_from_content_type(run_check: RunCheck) -> None:
    body = load("5.5/session.xml")
    assert run_check("schema.version", body, f"{SESSION_MT};version=1.5")
    assert run_check("schema.version", body, f"{SESSION_MT};version=5.5") == []


def test_version_is_silent_without_a_version(run_check: RunCheck) -> None:
    assert run_check("schema.version", load("5.5/session.xml"), SESSION_MT) == []


def test_schema_checks_skip_unparsed_payloads(run_check: RunCheck) -> None:
    assert run_check("schema.valid", b"<Task", TASK_MT, "5.5") == []
    assert run_check("schema.version", b"<Task", TASK_MT, "5.5") == []


def test_errors_are_computed_once_per_payload(context: checks.Context) -> None:
    payload = Payload(load("5.5/session.xml"), SESSION_MT, V("1.5"))
    selected = [checks.get("schema.valid"), checks.get("schema.version")]
    first = checks.run_checks(payload, context, selected)
    cache = payload.__dict__["_schema_errors"]
    assert list(cache) == ["1.5"]
    assert checks.run_checks(payload, context, selected) == first
