"""media-type.known and media-type.match."""

from __future__ import annotations

import pytest

from .conftest import RunCheck, load

TASK = load("1.5/task-running.xml")
QUERY = load("5.1/query-vapps.xml")
BLOCKING = load("5.5/blockingtask.xml")
TASK_MT = "application/vnd.vmware.vcloud.task+xml"


@pytest.mark.parametrize(
    ("body", "media_type", "version"),
    [
        (TASK, TASK_MT, None),
        (TASK, f"{TASK_MT};version=1.5", "1.5"),
        (TASK, "application/vnd.vmware.vcloud.task+json", None),
        (TASK, "application/xml", None),
        (TASK, "application/*+xml;version=1.5", None),
        (TASK, None, None),
        (QUERY, "application/vnd.vmware.vcloud.query.records+xml", None),
        (QUERY, "application/vnd.vmware.vcloud.query.idrecords+xml", None),
        (BLOCKING, "application/vnd.vmware.admin.blockingTask+xml", None),
        (load("5.5/vapp.xml"), "application/vnd.vmware.vcloud.vApp+xml;version=5.5", "5.5"),
    ],
    ids=[
        "task",
        "task-version",
        "task-json-suffix",
        "generic",
        "wildcard",
        "no-content-type",
        "query-records",
        "query-idrecords",
        "blocking-task",
        "vapp-version",
    ],
)
@pytest.mark.parametrize("check_id", ["media-type.known", "media-type.match"])
def test_silent(
    run_check: RunCheck, check_id: str, body: bytes, media_type: str | None, version: str | None
) -> None:
    assert run_check(check_id, body, media_type, version) == []


@pytest.mark.parametrize(
    ("media_type", "version", "fragment"),
    [
        ("application/vnd.vmware.vcloud.taks+xml", None, "not a documented vCloud media type"),
        ("application/vnd.vmware.vcloud.task+yaml", None, "not a documented vCloud media type"),
        ("", None, "no Content-Type header"),
        (f"{TASK_MT};version=5.1", "5.5", "version=5.1 but API 5.5 was negotiated"),
    ],
    ids=["typo", "yaml-suffix", "missing-header", "version-mismatch"],
)
def test_known_fires(
    run_check: RunCheck, media_type: str, version: str | None, fragment: str
) -> None:
    (violation,) = run_check("media-type.known", TASK, media_type, version)
    assert fragment in violation.message


def test_known_judges_unparsable_bodies_too(run_check: RunCheck) -> None:
    (violation,) = run_check("media-type.known", b"<Task", "application/vnd.example.nope+xml")
    assert "application/vnd.example.nope+xml" in violation.message


def test_match_fires_on_wrong_root(run_check: RunCheck) -> None:
    (violation,) = run_check("media-type.match", TASK, "application/vnd.vmware.vcloud.vApp+xml")
    assert violation.line == 2
    assert "does not describe a Task root element" in violation.message
    assert "application/vnd.vmware.vcloud.task+xml" in violation.message  # what was expected


def test_match_fires_for_documented_extra_roots(run_check: RunCheck) -> None:
    (violation,) = run_check(
        "media-type.match", TASK, "application/vnd.vmware.vcloud.query.records+xml"
    )
    assert "Task" in violation.message


def test_match_fires_on_root_without_media_type(run_check: RunCheck) -> None:
    body = b'<Link xmlns="http://www.vmware.com/vcloud/v1.5" rel="up" href="https://x.example/"/>'
    (violation,) = run_check(
        "media-type.match", body, "application/vnd.vmware.vcloud.query.records+xml"
    )
    assert "is for QueryResultRecords, but the root element is Link" in violation.message


def test_match_leaves_unknown_types_to_known(run_check: RunCheck) -> None:
    assert run_check("media-type.match", TASK, "application/vnd.example.nope+xml") == []
